//! Writers and readers of Go-compatible formats: [`go_json`] (Go `encoding/json`
//! reading and `json.Indent`) and [`yaml_v3`] (`gopkg.in/yaml.v3` marshalling and
//! scalar resolution), used by the Tanka natives in [`crate::tanka`].

pub mod go_json;
pub mod yaml_v3;
