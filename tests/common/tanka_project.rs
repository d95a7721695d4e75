//! The generated Tanka project the export cache tests (`tests/tanka_cache.rs`) start
//! from, in a temporary directory, with the cache folder beside its environments.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::{tmp, write};

/// A project of `n` static environments `environments/e<i>` in a temporary directory
/// (removed on drop): each imports `lib/common.libsonnet`, `e1` also
/// `lib/only1.libsonnet`; every environment renders `objects` ConfigMaps, one field
/// of which is the ext var `flavour`.
pub struct CacheProject {
    dir: TempDir,
    /// `cache/` in the project (not created): the export cache directory.
    pub cache: PathBuf,
}

impl CacheProject {
    /// Writes the project's files.
    pub fn new(n: usize, objects: usize) -> Self {
        let dir = tmp();
        let root = dir.path();
        write(root, "jsonnetfile.json", "{}");
        write(
            root,
            "lib/common.libsonnet",
            "{ cm(env, i):: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: env + '-' + i }, data: { v: 'common-1', ext: std.extVar('flavour') } } }",
        );
        write(root, "lib/only1.libsonnet", "{ extra: 'only1-a' }");
        for i in 0..n {
            let extra = if i == 1 {
                "local o = import 'only1.libsonnet';\n"
            } else {
                "local o = { extra: 'none' };\n"
            };
            write(
                root,
                &format!("environments/e{i}/main.jsonnet"),
                &format!(
                    "local c = import 'common.libsonnet';\n{extra}{{ ['o' + i]: c.cm('e{i}', i) + {{ data+: {{ extra: o.extra }} }} for i in std.range(1, {objects}) }}\n"
                ),
            );
            write(
                root,
                &format!("environments/e{i}/spec.json"),
                &format!(
                    "{{\"apiVersion\": \"tanka.dev/v1alpha1\", \"kind\": \"Environment\", \"metadata\": {{\"name\": \"environments/e{i}\"}}, \"spec\": {{\"namespace\": \"e{i}\"}}}}"
                ),
            );
        }
        let cache = root.join("cache");
        Self { dir, cache }
    }

    /// The project's root directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The cache directory as the argument of `--cache-path`.
    pub fn cache_arg(&self) -> &str {
        self.cache.to_str().expect("a UTF-8 temporary path")
    }
}
