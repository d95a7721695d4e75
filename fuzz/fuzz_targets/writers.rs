//! The YAML and JSON writers round-trip: any value `std.parseYaml` reads from the input
//! is written by each writer (`std.manifestJsonEx`, `manifestJsonMinified`,
//! `manifestYamlDoc` in both layouts, `manifestYamlStream`, Tanka's
//! `manifestYamlFromJson`/`manifestJsonFromJson`) and read back; the value read must
//! equal the value written. A writer that fails on a plain JSON value fails too.
//!
//! Not checked, as known and listed in docs/compatibility.md: two losses that are the
//! reference tools' own (gwsonnet writes the same bytes): go-jsonnet 0.22's
//! `manifestYamlDoc` writes a string ending in a newline as a `|` block, which keeps one
//! final newline and no leading blanks; yaml.v3 3.0.1 (Tanka's `manifestYamlFromJson`)
//! drops the first line break of a string that starts with one; go-jsonnet's
//! `manifestYamlDoc`/`manifestYamlStream` write keys over YAML's 1,024-character limit of
//! an implicit key (quotes included), which no YAML reader reads back. And YAML writers on strings with the
//! YAML 1.1 line breaks NEL, LS, PS, which `std.parseYaml` reads as ordinary characters.
#![no_main]

use gwsonnet::engine::Engine;
use gwsonnet_fuzz::{eval_json, on_big_stack, settings};
use libfuzzer_sys::fuzz_target;

/// Each writer, with the reader that reads its text back, over `v`; the program's
/// result is the names of the writers whose text does not read back as `v`.
const ROUND_TRIPS: &str = r#"
local v = std.parseJson(std.extVar('j'));
local json = std.manifestJson(v);
local strings(x) =
  if std.isObject(x) then std.flatMap(function(k) [k] + strings(x[k]), std.objectFields(x))
  else if std.isArray(x) then std.flatMap(strings, x)
  else if std.isString(x) then [x]
  else [];
local texts = strings(v);
local breaks = ['\n', '\r', '\u0085', '\u2028', '\u2029'];
local yaml11Breaks = std.any([std.length(std.findSubstr(b, s)) > 0 for s in texts for b in breaks[2:]]);
local blockLost = std.any([
  std.endsWith(s, '\n') && (std.endsWith(s, '\n\n') || std.startsWith(s, ' ') || std.startsWith(s, '\t'))
  for s in texts
]);
local v3HeadLost = std.any([std.length(s) > 0 && std.member(breaks, s[0]) for s in texts]);
local keys(x) =
  if std.isObject(x) then std.flatMap(function(k) [k] + keys(x[k]), std.objectFields(x))
  else if std.isArray(x) then std.flatMap(keys, x)
  else [];
local longKey = std.any([std.length(std.escapeStringJson(k)) > 1024 for k in keys(v)]);
local yamlDocOk = !blockLost && !yaml11Breaks && !longKey;
local back = {
  manifestJsonEx: std.parseJson(std.manifestJsonEx(v, '  ')),
  manifestJsonMinified: std.parseJson(std.manifestJsonMinified(v)),
  [if yamlDocOk then 'manifestYamlDoc']: std.parseYaml(std.manifestYamlDoc(v)),
  [if yamlDocOk then 'manifestYamlDocIndented']: std.parseYaml(std.manifestYamlDoc(v, true, false)),
  [if yamlDocOk then 'manifestYamlStream']: std.parseYaml(std.manifestYamlStream([v, v]))[1],
  [if !v3HeadLost && !yaml11Breaks then 'manifestYamlFromJson']: std.parseYaml(std.native('manifestYamlFromJson')(json)),
  manifestJsonFromJson: std.parseJson(std.native('manifestJsonFromJson')(json, 2)),
};
[w for w in std.objectFields(back) if back[w] != v]
"#;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    on_big_stack(|| {
        let reader = Engine::new(&settings(&[("s", &text)]));
        let Ok(json) = eval_json(&reader, "std.parseYaml(std.extVar('s'))") else {
            return;
        };
        let writers = Engine::new(&settings(&[("j", &json)]));
        match eval_json(&writers, ROUND_TRIPS) {
            Ok(failed) if failed.trim() == "[ ]" || failed.trim() == "[]" => {}
            Ok(failed) => panic!("round trip changed the value {json}: {failed}"),
            // Values nested deeper than the harness' stack limit cannot be compared.
            Err(e) if e.contains("max stack frames exceeded") => {}
            Err(e) => panic!("a writer failed on the value {json}: {e}"),
        }
    });
});
