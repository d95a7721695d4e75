//! The front door works as written: every relative link of the Markdown pages
//! (README.md, CONTRIBUTING.md, CHANGELOG.md, docs/, examples/) leads to a file, and an
//! `#anchor` to a heading of it (GitHub's anchor rules); every code block marked
//! runnable (info string `sh run`, or `sh run shared` when it reads `../shared`) runs
//! with the built binary first on `PATH`, in a temporary copy of the repository; the
//! reference pages under `docs/reference/` are each command's `--help` text (written
//! anew with `GWSONNET_REGEN_DOCS=1`); the examples and CI configs under `examples/` run;
//! the README's main job runs and its test command is the one `.ci/run` runs.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::{gw, no_panic, run, shared_fixture, tmp, BIN};

/// The repository root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The Markdown pages whose links and runnable blocks are checked, relative to the root.
fn pages() -> Vec<PathBuf> {
    let mut out = vec![
        PathBuf::from("README.md"),
        PathBuf::from("CONTRIBUTING.md"),
        PathBuf::from("CHANGELOG.md"),
    ];
    for dir in ["docs", "examples"] {
        collect_markdown(&root().join(dir), &mut out);
    }
    out
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_markdown(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p.strip_prefix(root()).expect("below root").to_path_buf());
        }
    }
}

/// A fenced code block: its info string, its text and the line it starts on.
struct Block {
    info: String,
    text: String,
    line: usize,
}

/// The fenced code blocks of `text`, and the text outside them (blocks blanked, so
/// line numbers stay).
fn split_blocks(text: &str) -> (Vec<Block>, String) {
    let mut blocks = Vec::new();
    let mut prose = String::new();
    let mut open: Option<(String, Block)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                let fence: String = trimmed.chars().take_while(|&c| c == '`').collect();
                if fence.len() >= 3 {
                    let info = trimmed[fence.len()..].trim().to_owned();
                    open = Some((
                        fence,
                        Block {
                            info,
                            text: String::new(),
                            line: i + 1,
                        },
                    ));
                    prose.push('\n');
                } else {
                    prose.push_str(line);
                    prose.push('\n');
                }
            }
            Some((fence, block)) => {
                if trimmed.starts_with(fence.as_str()) && trimmed.trim_matches('`').is_empty() {
                    blocks.push(open.take().expect("open block").1);
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
                prose.push('\n');
            }
        }
    }
    assert!(open.is_none(), "a code block is not closed");
    (blocks, prose)
}

/// The anchors GitHub gives the headings of a Markdown text: lowercased, punctuation
/// other than `-` and `_` dropped, spaces as `-`, repeats numbered `-1`, `-2`, ….
fn anchors(text: &str) -> BTreeSet<String> {
    let (_, prose) = split_blocks(text);
    let mut seen = BTreeSet::new();
    for line in prose.lines() {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(line[hashes..].trim());
        let mut anchor = base.clone();
        let mut n = 0;
        while seen.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        seen.insert(anchor);
    }
    seen
}

/// GitHub's slug of a heading's text.
fn slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The targets of the inline links `[text](target)` of `prose`, with their line.
fn links(prose: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in prose.lines().enumerate() {
        // Inline code is not a link: drop `…` spans first.
        let mut plain = String::new();
        let mut in_code = false;
        for c in line.chars() {
            if c == '`' {
                in_code = !in_code;
            } else if !in_code {
                plain.push(c);
            }
        }
        let mut rest = plain.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            match after.find(')') {
                Some(end) => {
                    out.push((i + 1, after[..end].to_owned()));
                    rest = &after[end..];
                }
                None => break,
            }
        }
    }
    out
}

#[test]
fn every_relative_link_resolves() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = fs::read_to_string(root().join(&page))
            .unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let (_, prose) = split_blocks(&text);
        for (line, target) in links(&prose) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() {
                root().join(&page)
            } else {
                root()
                    .join(page.parent().expect("a page's folder"))
                    .join(path)
            };
            let at = format!("{}:{line}: {target}", page.display());
            if !file.exists() {
                problems.push(format!("{at}: no such file"));
                continue;
            }
            if let Some(anchor) = anchor {
                if file.extension().is_none_or(|e| e != "md") {
                    problems.push(format!("{at}: an anchor into a file that is not Markdown"));
                    continue;
                }
                let text = fs::read_to_string(&file).expect("readable page");
                if !anchors(&text).contains(anchor) {
                    problems.push(format!("{at}: no heading with this anchor"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
    assert!(
        checked > 50,
        "only {checked} links found: is the parser broken?"
    );
}

#[test]
fn anchors_follow_github_rules() {
    let got = anchors(
        "# A `code` title: yes!\n## Tanka: the export cache (2026-12-06)\n## Again\n## Again\n```\n# not a heading\n```\n",
    );
    let want: BTreeSet<String> = [
        "a-code-title-yes",
        "tanka-the-export-cache-2026-12-06",
        "again",
        "again-1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(got, want);
}

/// Copies the files of the repository a reader has after cloning (what git tracks,
/// without `.git` and build output) into `to`.
fn copy_repository(to: &Path) {
    let listed = Process::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root())
        .output();
    let files: Vec<PathBuf> = match listed {
        Ok(o) if o.status.success() => o
            .stdout
            .split(|&b| b == 0)
            .filter(|s| !s.is_empty())
            .map(|s| PathBuf::from(String::from_utf8_lossy(s).into_owned()))
            .collect(),
        // No git (a source tarball): the folders the runnable blocks read.
        _ => {
            let mut v = Vec::new();
            for dir in ["examples", "jsonnet"] {
                common::files_below(&root().join(dir))
                    .into_keys()
                    .for_each(|rel| v.push(Path::new(dir).join(rel)));
            }
            v
        }
    };
    for rel in files {
        let from = root().join(&rel);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let dest = to.join(&rel);
        fs::create_dir_all(dest.parent().expect("a parent")).expect("mkdir");
        fs::copy(&from, &dest).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }
}

/// A shell running `script` with `set -euo pipefail` in `dir`, the binary under test
/// first on `PATH`, `HOME` in `home`.
fn shell(script: &str, dir: &Path, home: &Path) -> std::process::Output {
    let bin_dir = Path::new(BIN).parent().expect("the binary's folder");
    let path = match std::env::var_os("PATH") {
        Some(p) => {
            let mut dirs = vec![bin_dir.to_path_buf()];
            dirs.extend(std::env::split_paths(&p));
            std::env::join_paths(dirs).expect("a PATH")
        }
        None => bin_dir.as_os_str().to_owned(),
    };
    Process::new("bash")
        .arg("-c")
        .arg(format!("set -euo pipefail\n{script}"))
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env_remove("JSONNET_PATH")
        .env_remove("GWSONNET_CRDS")
        .env_remove("GWSONNET_OPENAPI")
        .env_remove("GWSONNET_GIT")
        .output()
        .expect("running bash")
}

/// A fresh copy of the repository at `<tmp>/work`, `../shared` beside it linked to the
/// real one, and a home folder; returns the work folder and the home.
fn sandbox(t: &Path) -> (PathBuf, PathBuf) {
    let work = t.join("work");
    let home = t.join("home");
    fs::create_dir_all(&home).expect("mkdir home");
    copy_repository(&work);
    let shared = root().join("../shared");
    if shared.exists() {
        std::os::unix::fs::symlink(
            fs::canonicalize(&shared).expect("../shared"),
            t.join("shared"),
        )
        .expect("link ../shared");
    }
    (work, home)
}

#[test]
fn runnable_blocks_run() {
    let mut ran = 0;
    for page in pages() {
        let text = fs::read_to_string(root().join(&page)).expect("readable page");
        let (blocks, _) = split_blocks(&text);
        for block in blocks {
            let words: Vec<&str> = block.info.split_whitespace().collect();
            if words.first() != Some(&"sh") || words.get(1) != Some(&"run") {
                continue;
            }
            let at = format!("{}:{}", page.display(), block.line);
            match words.get(2) {
                None | Some(&"shared") => {}
                Some(other) => panic!("{at}: unknown runnable block flag {other:?}"),
            }
            if words.get(2) == Some(&"shared") && shared_fixture("").is_none() {
                println!("skipped: {at} needs ../shared");
                continue;
            }
            let t = tmp();
            let (work, home) = sandbox(t.path());
            let o = shell(&block.text, &work, &home);
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(
                o.status.success() && !stderr.contains("panicked"),
                "{at}: the block failed ({}):\n{}\n--- stdout ---\n{}\n--- stderr ---\n{stderr}",
                o.status,
                block.text,
                common::clip(&String::from_utf8_lossy(&o.stdout)),
            );
            ran += 1;
        }
    }
    assert!(ran >= 6, "only {ran} runnable blocks ran");
}

/// The README's quick starts are runnable blocks, so `runnable_blocks_run` runs them
/// verbatim; the README stays a front door.
#[test]
fn readme_is_a_short_front_door_with_runnable_quick_starts() {
    let text = fs::read_to_string(root().join("README.md")).expect("README.md");
    let lines = text.lines().count();
    assert!(
        lines <= 250,
        "README.md has {lines} lines; keep it under 250"
    );
    let quick = text
        .split("## Quick starts")
        .nth(1)
        .expect("a Quick starts section");
    let quick = quick.split("\n## ").next().expect("the section");
    let (blocks, _) = split_blocks(quick);
    let runnable = blocks
        .iter()
        .filter(|b| b.info.starts_with("sh run"))
        .count();
    assert!(runnable >= 3, "only {runnable} runnable quick-start blocks");
}

/// `.ci/run` runs the test command the README gives.
#[test]
fn ci_runs_the_readmes_test_command() {
    let text = fs::read_to_string(root().join("README.md")).expect("README.md");
    let (blocks, _) = split_blocks(&text);
    let test_command = blocks
        .iter()
        .map(|b| b.text.trim())
        .find(|t| t.starts_with("cargo test"))
        .expect("the README gives a cargo test command");
    let ci = fs::read_to_string(root().join(".ci/run")).expect(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim().starts_with(test_command)),
        ".ci/run does not run {test_command:?}"
    );
}

/// The README's main job (`cargo run --release -- ARGS`) works: the built binary with
/// those arguments succeeds (the release build itself is left to CI's own build).
#[test]
fn the_readmes_main_job_runs() {
    let text = fs::read_to_string(root().join("README.md")).expect("README.md");
    let (blocks, _) = split_blocks(&text);
    let args = blocks
        .iter()
        .find_map(|b| b.text.trim().strip_prefix("cargo run --release -- "))
        .expect("the README gives the main job as cargo run --release -- ARGS");
    let o = run(gw(root()).args(args.split_whitespace()));
    no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(
        o.stdout.contains("\"kind\": \"TCPRoute\""),
        "{}",
        o.context()
    );
}

/// A command's reference page: `(command words, page file, guide section)`.
const REFERENCE: &[(&str, &str, &str)] = &[
    ("", "gwsonnet.md", "render-jsonnet-the-drop-in-jsonnet"),
    ("show", "show.md", "show-and-eval"),
    ("eval", "eval.md", "show-and-eval"),
    ("export", "export.md", "export"),
    (
        "export-merge",
        "export-merge.md",
        "monorepos-shards-and-merging",
    ),
    ("env list", "env-list.md", "a-repository-of-environments"),
    (
        "tool imports",
        "tool-imports.md",
        "a-repository-of-environments",
    ),
    (
        "tool importers",
        "tool-importers.md",
        "a-repository-of-environments",
    ),
    (
        "tool cache-prune",
        "tool-cache-prune.md",
        "keeping-the-cache-small",
    ),
    ("validate", "validate.md", "validation-and-validation-in-ci"),
    (
        "docs",
        "docs.md",
        "libraries-gateway-api-kubernetes-any-crd",
    ),
    (
        "libsonnet",
        "libsonnet.md",
        "libraries-gateway-api-kubernetes-any-crd",
    ),
    ("lsp", "lsp.md", "editor-setup"),
    ("completions", "completions.md", "install"),
    ("man", "man.md", "install"),
    ("help", "help.md", "render-jsonnet-the-drop-in-jsonnet"),
];

/// The `--help` text of `command` (gwsonnet's own for `""`).
fn help_text(command: &str) -> String {
    let d = tmp();
    let mut cmd = gw(d.path());
    cmd.arg("help");
    if !command.is_empty() {
        cmd.arg(command);
    }
    let o = run(&mut cmd);
    no_panic(&o);
    assert_eq!(o.code, Some(0), "help {command}:\n{}", o.context());
    o.stdout
}

/// The reference page of `command`.
fn reference_page(command: &str, guide: &str) -> String {
    let title = if command.is_empty() {
        "gwsonnet".to_owned()
    } else {
        format!("gwsonnet {command}")
    };
    format!(
        "# `{title}`\n\n\
         <!-- Generated from `{title} --help` by tests/front_door.rs: \
         GWSONNET_REGEN_DOCS=1 cargo test --test it front_door:: -->\n\n\
         How to use it: [guide](../guide.md#{guide}). All commands: [reference](README.md).\n\n\
         ```text\n{}```\n",
        help_text(command)
    )
}

/// The index of the reference pages: each command with the first line it describes
/// itself with.
fn reference_index() -> String {
    let mut out = String::from(
        "# Command reference\n\n\
         <!-- Generated by tests/front_door.rs: GWSONNET_REGEN_DOCS=1 cargo test --test it front_door:: -->\n\n\
         One page per command, each its `--help` text (a test keeps them equal). Tasks and\n\
         examples: [guide](../guide.md).\n\n\
         | command | what it does |\n|---|---|\n",
    );
    for (command, file, _) in REFERENCE {
        let help = help_text(command);
        let about = help
            .lines()
            .skip_while(|l| !l.trim().is_empty())
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .replace('|', "\\|");
        let name = if command.is_empty() {
            "gwsonnet".to_owned()
        } else {
            format!("gwsonnet {command}")
        };
        out.push_str(&format!("| [`{name}`]({file}) | {about} |\n"));
    }
    out
}

#[test]
fn every_command_has_a_reference_page() {
    // The commands gwsonnet lists (and the two-word families' members) are the ones
    // with a page.
    let mut listed = BTreeSet::new();
    let top = help_text("");
    let commands = top
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands section")
        .split("\n\n")
        .next()
        .expect("its lines");
    for line in commands.lines() {
        let name = line.split_whitespace().next().expect("a name").to_owned();
        if name == "tool" || name == "env" {
            let family = help_text(&name);
            let members = family.split("Commands:\n").nth(1).unwrap_or("");
            for l in members.split("\n\n").next().unwrap_or("").lines() {
                let member = l.split_whitespace().next().expect("a name");
                listed.insert(format!("{name} {member}"));
            }
        } else {
            listed.insert(name);
        }
    }
    let paged: BTreeSet<String> = REFERENCE
        .iter()
        .filter(|(c, _, _)| !c.is_empty())
        .map(|(c, _, _)| c.to_string())
        .collect();
    assert_eq!(
        listed, paged,
        "commands in `gwsonnet --help` and reference pages"
    );
}

#[test]
fn reference_pages_are_the_help_texts() {
    let dir = root().join("docs/reference");
    let regen = std::env::var("GWSONNET_REGEN_DOCS").as_deref() == Ok("1");
    let mut pages: Vec<(String, String)> = REFERENCE
        .iter()
        .map(|(command, file, guide)| (file.to_string(), reference_page(command, guide)))
        .collect();
    pages.push(("README.md".to_owned(), reference_index()));
    let mut stale = Vec::new();
    for (file, want) in &pages {
        let path = dir.join(file);
        if regen {
            fs::create_dir_all(&dir).expect("mkdir docs/reference");
            fs::write(&path, want).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        } else if fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(file.clone());
        }
    }
    let mut present: Vec<String> = common::listing(&dir);
    present.retain(|f| !pages.iter().any(|(p, _)| p == f));
    assert!(
        present.is_empty(),
        "docs/reference has pages of no command: {present:?}"
    );
    assert!(
        stale.is_empty(),
        "docs/reference pages differ from the --help texts: {stale:?}; \
         regenerate with GWSONNET_REGEN_DOCS=1 cargo test --test it front_door::"
    );
}

/// The Jsonnet example prints what go-jsonnet 0.22 prints for it (goldens made by
/// `tests/testdata/front_door/regen.py`).
#[test]
fn the_jsonnet_example_prints_go_jsonnets_output() {
    let golden_dir = root().join("tests/testdata/front_door");
    for env in ["dev", "prod"] {
        let o = run(gw(root()).args([
            "-J",
            "examples/jsonnet/lib",
            "-V",
            &format!("env={env}"),
            "examples/jsonnet/main.jsonnet",
        ]));
        let want =
            fs::read_to_string(golden_dir.join(format!("jsonnet-{env}.golden"))).expect("golden");
        common::ok(&o, &want);
    }
    let o = run(gw(root()).args([
        "-J",
        "examples/jsonnet/lib",
        "-V",
        "env=staging",
        "examples/jsonnet/main.jsonnet",
    ]));
    common::fails_runtime(&o, &["unknown env staging"]);
}

/// The Tanka example renders, validates clean (no finding, no unchecked kind) and
/// exports the files of both environments.
#[test]
fn the_tanka_example_renders_and_validates() {
    let t = tmp();
    let (work, home) = sandbox(t.path());
    let project = work.join("examples/tanka");
    let o = shell(
        "gwsonnet export rendered/ environments/ -r --validate --strict \
         --format '{{.metadata.namespace}}/{{.kind}}-{{.metadata.name}}'",
        &project,
        &home,
    );
    assert!(o.status.success(), "{o:?}");
    let files = common::files_below(&project.join("rendered"));
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    for want in [
        "manifest.json",
        "default/Deployment-web.yaml",
        "default/TCPRoute-web.yaml",
        "web/Deployment-api.yaml",
        "web/Deployment-web.yaml",
        "web/Service-api.yaml",
    ] {
        assert!(names.contains(&want), "{want} not in {names:?}");
    }
    let o = run(gw(&project).args(["show", "environments/prod"]));
    common::no_panic(&o);
    assert_eq!(o.code, Some(0), "{}", o.context());
    assert!(o.stdout.contains("namespace: web"), "{}", o.context());
    assert!(o.stderr.is_empty(), "{}", o.context());
}

/// The YAML document of `path`.
fn yaml(path: &Path) -> yaml_rust2::Yaml {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    yaml_rust2::YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .remove(0)
}

/// Runs `script` as a CI runner would in a copy of the Tanka example, with gwsonnet
/// already installed (the configs skip `cargo install` then), and checks its output.
fn run_ci(what: &str, script: &str) {
    let t = tmp();
    let (work, home) = sandbox(t.path());
    let project = work.join("examples/tanka");
    let o = shell(script, &project, &home);
    assert!(
        o.status.success(),
        "{what}:\n{script}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        project.join("rendered/manifest.json").is_file(),
        "{what}: nothing rendered"
    );
}

#[test]
fn the_github_actions_example_runs() {
    let doc = yaml(&root().join("examples/ci/github-actions.yml"));
    let steps = doc["jobs"]["manifests"]["steps"]
        .as_vec()
        .expect("jobs.manifests.steps");
    let script: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(script.len() >= 3, "{script:?}");
    run_ci("GitHub Actions", &script.join("\n"));
}

#[test]
fn the_gitlab_ci_example_runs() {
    let doc = yaml(&root().join("examples/ci/gitlab-ci.yml"));
    let job = &doc["manifests"];
    let lines = |key: &str| -> Vec<String> {
        job[key]
            .as_vec()
            .unwrap_or_else(|| panic!("manifests.{key}"))
            .iter()
            .map(|l| l.as_str().expect("a script line").to_owned())
            .collect()
    };
    let mut script = vec!["export CI_PROJECT_DIR=\"$PWD\"".to_owned()];
    for (k, v) in job["variables"].as_hash().expect("manifests.variables") {
        let (k, v) = (k.as_str().expect("a name"), v.as_str().expect("a value"));
        script.push(format!("export {k}=\"{v}\""));
    }
    script.extend(lines("before_script"));
    script.extend(lines("script"));
    run_ci("GitLab CI", &script.join("\n"));
}

/// The guide shows the CI configs as they are in `examples/ci/`.
#[test]
fn the_guide_shows_the_ci_examples_verbatim() {
    let guide = fs::read_to_string(root().join("docs/guide.md")).expect("guide");
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = fs::read_to_string(root().join("examples/ci").join(file)).expect("config");
        assert!(
            guide.contains(&format!("```yaml\n{text}```")),
            "docs/guide.md does not show examples/ci/{file} verbatim"
        );
    }
}
