//! `export --shard K/N`: a stable partition of a project's environments over N CI jobs.
//!
//! An environment's shard depends only on its entry file's path relative to the
//! project root (the name `manifest.json` maps files to, e.g.
//! `environments/prod/main.jsonnet`): the first eight bytes of its SHA-256, as a
//! big-endian number, modulo N. So the shards are disjoint, their union is every
//! environment, and an environment stays in its shard whatever else is found, in
//! whatever order, on whichever machine. An entry file holding several inline
//! environments goes to one shard as a whole (telling them apart needs the
//! evaluation that sharding saves).
//!
//! Contact points: [`crate::cli`] parses the flag with [`Shard::parse`];
//! [`super::export`] keeps the entry points [`Shard::contains`] accepts.

use sha2::{Digest, Sha256};

pub use crate::error::{ShardError, ShardProblem};

/// One shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1 to `count`.
    pub index: u64,
    /// How many shards there are.
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` (1 ≤ K ≤ N); the error names the spec and what is wrong with it.
    pub fn parse(spec: &str) -> Result<Self, ShardError> {
        let bad = |problem| ShardError {
            spec: spec.to_owned(),
            problem,
        };
        let (k, n) = spec
            .split_once('/')
            .ok_or_else(|| bad(ShardProblem::NotKOverN))?;
        let number = |s: &str, what| {
            s.parse::<u64>()
                .map_err(|_| bad(ShardProblem::NotANumber(what)))
        };
        let (index, count) = (number(k, "K")?, number(n, "N")?);
        if count == 0 {
            return Err(bad(ShardProblem::NoShards));
        }
        if index == 0 || index > count {
            return Err(bad(ShardProblem::OutOfRange(count)));
        }
        Ok(Self { index, count })
    }

    /// Whether the environment whose entry file is `entry` (relative to the project
    /// root, `/`-separated) belongs to this shard.
    pub fn contains(&self, entry: &str) -> bool {
        shard_of(entry, self.count) == self.index
    }
}

/// The shard (1-based) of `count` that `entry` belongs to.
pub fn shard_of(entry: &str, count: u64) -> u64 {
    let digest = Sha256::digest(entry.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % count.max(1) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs_and_refuses_bad_ones() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/2", "3/2", "a/b", "1", "1/0", "/2", "1/", "-1/2", "1/2/3"] {
            let err = Shard::parse(bad).unwrap_err().to_string();
            assert!(err.starts_with(&format!("--shard {bad:?}: ")), "{err}");
            assert!(!err.contains('\n'), "{err}");
        }
        let problem = |s: &str| Shard::parse(s).unwrap_err().problem;
        assert_eq!(problem("3/2"), ShardProblem::OutOfRange(2));
        assert_eq!(problem("1/0"), ShardProblem::NoShards);
        assert_eq!(problem("a/2"), ShardProblem::NotANumber("K"));
        assert_eq!(problem("1"), ShardProblem::NotKOverN);
        assert_eq!(
            Shard::parse("0/2").unwrap_err().to_string(),
            r#"--shard "0/2": K counts from 1 to N: use 1/2 to 2/2"#
        );
    }

    #[test]
    fn shards_partition_and_are_stable() {
        let names: Vec<String> = (0..200)
            .map(|i| format!("environments/e{i}/main.jsonnet"))
            .collect();
        for count in 1..=4 {
            let mut sizes = vec![0; count as usize];
            for n in &names {
                let owners: Vec<u64> = (1..=count)
                    .filter(|&k| Shard { index: k, count }.contains(n))
                    .collect();
                assert_eq!(owners.len(), 1, "{n} in {owners:?} of {count}");
                sizes[owners[0] as usize - 1] += 1;
            }
            // Roughly balanced: no shard gets less than half its share.
            assert!(sizes.iter().all(|&s| s * 2 * count as usize >= names.len()));
        }
        // Pinned: a change of the hash would move environments between CI jobs.
        assert_eq!(shard_of("environments/default/main.jsonnet", 2), 1);
        assert_eq!(shard_of("environments/prod/main.jsonnet", 3), 3);
    }
}
