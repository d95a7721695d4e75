//! The commands of `gwsonnet` as a user meets them: `--help` of every command (generated
//! from the flag definitions, with a usage example), bad subcommand arguments, shell
//! completions that each shell accepts, and the man page.

use std::path::Path;
use std::process::Command as Process;

use crate::common;

use common::*;

/// Every command and a word its help must show (a flag of one of its groups).
const COMMANDS: &[(&[&str], &str)] = &[
    (&[], "--jpath"),
    (&["docs"], "--out"),
    (&["libsonnet"], "--out"),
    (&["completions"], "fish"),
    (&["man"], "man page"),
    (&["show"], "--target"),
    (&["eval"], "--eval"),
    (&["env", "list"], "--selector"),
    (&["tool", "imports"], "--crds"),
    (&["tool", "importers"], "--root"),
    (&["tool", "cache-prune"], "--max-age"),
];

#[test]
fn every_command_has_help_with_an_example() {
    let d = tmp();
    for (command, word) in COMMANDS {
        for help in ["-h", "--help"] {
            let o = run(gw(d.path()).args(*command).arg(help));
            no_panic(&o);
            let name = format!("gwsonnet {} {help}", command.join(" "));
            assert_eq!(o.code, Some(0), "{name}:\n{}", o.context());
            let usage = match command.first() {
                Some(c) => format!("Usage: gwsonnet {c}"),
                None => "Usage: gwsonnet [OPTIONS]".into(),
            };
            assert!(o.stdout.starts_with(&usage), "{name}:\n{}", o.context());
            assert!(
                o.stdout.contains(word),
                "{name}: no {word}:\n{}",
                o.context()
            );
            assert!(
                o.stdout.contains("Example") && o.stdout.contains("\n  gwsonnet "),
                "{name}: no usage example:\n{}",
                o.context()
            );
        }
    }
    // The jsonnet mode's help lists its groups and the commands.
    let o = run(gw(d.path()).arg("--help"));
    for heading in ["Evaluation:", "Output:", "Input:", "docs", "completions"] {
        assert!(o.stdout.contains(heading), "{heading}:\n{}", o.context());
    }
}

#[test]
fn bad_subcommand_arguments_are_usage_errors() {
    let d = tmp();
    for args in [
        &["docs"][..],
        &["docs", "--bogus", "x"],
        &["libsonnet", "--out"],
        &["completions"],
        &["completions", "tcsh"],
        &["man", "extra"],
        // -J belongs to the evaluation group, which docs does not take.
        &["docs", "-J", "x", "--out", "y"],
        &["eval"],
        &["show", "a", "b"],
        &["tool", "cache-prune"],
        &["tool", "cache-prune", "--max-ag", "1d", "x"],
    ] {
        let o = run(gw(d.path()).args(args));
        no_panic(&o);
        assert_eq!(o.code, Some(1), "{args:?}:\n{}", o.context());
        let command = match args {
            ["tool", name, ..] => format!("tool {name}"),
            _ => args[0].to_owned(),
        };
        assert!(
            o.stderr.starts_with(&format!("ERROR: {command}: ")),
            "{args:?}:\n{}",
            o.context()
        );
        // One line: clap's message, its list and tip, the usage.
        assert_eq!(o.stderr.lines().count(), 1, "{args:?}:\n{}", o.context());
        assert!(o.stdout.is_empty(), "{args:?}:\n{}", o.context());
    }
}

/// `tool cache-prune` takes one directory, and its help and its error say so.
#[test]
fn cache_prune_names_its_one_directory() {
    let d = tmp();
    let o = run(gw(d.path()).args(["tool", "cache-prune", "--help"]));
    assert!(
        o.stdout
            .starts_with("Usage: gwsonnet tool cache-prune [OPTIONS] <dir>\n"),
        "{}",
        o.context()
    );
    assert!(
        o.stdout
            .contains("\n  <dir>  The cache directory (as given to export --cache-path)\n"),
        "{}",
        o.context()
    );
    let o = run(gw(d.path()).args(["tool", "cache-prune"]));
    assert_eq!(
        o.stderr,
        "ERROR: tool cache-prune: the following required arguments were not provided: <dir>; \
         usage: gwsonnet tool cache-prune <dir>\n",
        "{}",
        o.context()
    );
}

/// Whether `tool` can be run here.
fn have(tool: &str) -> bool {
    Process::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn completions_parse_in_their_shell() {
    let d = tmp();
    for (shell, needle) in [
        ("bash", "complete -F _gwsonnet"),
        ("zsh", "#compdef gwsonnet"),
        ("fish", "complete -c gwsonnet"),
    ] {
        let o = run(gw(d.path()).args(["completions", shell]));
        ok(&o, &o.stdout);
        assert!(o.stdout.contains(needle), "{shell}:\n{}", o.context());
        for flag in ["jpath", "no-trailing-newline", "docs", "out"] {
            assert!(o.stdout.contains(flag), "{shell}: no {flag}");
        }
        // Shells are optional tools here: without one, say so and go on.
        if !have(shell) {
            println!("skipped: {shell} is not installed, its completions were not parsed");
            continue;
        }
        let file = write(d.path(), &format!("gwsonnet.{shell}"), &o.stdout);
        let check = Process::new(shell).arg("-n").arg(&file).output().unwrap();
        assert!(
            check.status.success(),
            "{shell} -n rejects the completions:\n{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
}

/// Calls the completion function of the bash script `script` as bash does for the
/// command line `words` (the last word is the one completed), in `dir`, and returns
/// the candidates, sorted. `compopt` only works inside a real completion, so a stand-in
/// applies what it is asked for as bash would after the function: `-o plusdirs` adds
/// the folders matching the word (the other options only change how candidates show).
fn bash_complete(script: &Path, dir: &Path, words: &[&str]) -> Vec<String> {
    const DRIVER: &str = r#"
source "$1"; cd "$2"; shift 2
plusdirs=""
compopt() { [[ "$*" == *plusdirs* ]] && plusdirs=1; return 0; }
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
cur="${COMP_WORDS[COMP_CWORD]}"
_gwsonnet gwsonnet "$cur" "${COMP_WORDS[COMP_CWORD-1]}"
[[ -n "$plusdirs" ]] && COMPREPLY+=( $(compgen -d -- "$cur") )
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let o = Process::new("bash")
        .args(["-c", DRIVER, "bash"])
        .arg(script)
        .arg(dir)
        .args(words)
        .output()
        .expect("running bash");
    assert!(
        o.status.success(),
        "{words:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut got: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    got.sort();
    got.dedup();
    got
}

#[test]
fn bash_completes_paths_and_values_of_flags() {
    if !have("bash") {
        println!("skipped: bash is not installed");
        return;
    }
    let d = tmp();
    let o = run(gw(d.path()).args(["completions", "bash"]));
    ok(&o, &o.stdout);
    let script = write(d.path(), "gwsonnet.bash", &o.stdout);
    let work = d.path().join("work");
    write(&work, "crds/httproute.yaml", "");
    write(&work, "cluster.yml", "");
    write(&work, "swagger.json", "");
    write(&work, "vendor/x.libsonnet", "");
    let complete = |words: &[&str]| bash_complete(&script, &work, words);
    let all = ["cluster.yml", "crds", "swagger.json", "vendor"];
    // Path-valued flags, their value after a space, in every command taking them.
    for words in [
        &["gwsonnet", "--crds", ""][..],
        &["gwsonnet", "validate", "--crds", ""],
        &["gwsonnet", "show", "--crds", ""],
        &["gwsonnet", "--crd-library", ""],
        &["gwsonnet", "--openapi", ""],
        &["gwsonnet", "-o", ""],
    ] {
        assert_eq!(complete(words), all, "{words:?}");
    }
    assert_eq!(complete(&["gwsonnet", "--crds", "cr"]), ["crds"]);
    assert_eq!(
        complete(&["gwsonnet", "export", "--crds", "c"]),
        ["cluster.yml", "crds"]
    );
    // Folder-valued flags offer folders only.
    for words in [
        &["gwsonnet", "-J", ""][..],
        &["gwsonnet", "--jpath", "v"],
        &["gwsonnet", "-m", ""],
        &["gwsonnet", "docs", "--out", ""],
    ] {
        let want: Vec<&str> = ["crds", "vendor"]
            .into_iter()
            .filter(|f| f.starts_with(words[words.len() - 1]))
            .collect();
        assert_eq!(complete(words), want, "{words:?}");
    }
    // Enumerated values.
    assert_eq!(
        complete(&["gwsonnet", "--color", ""]),
        ["always", "auto", "never"]
    );
    assert_eq!(
        complete(&["gwsonnet", "validate", "--output", "j"]),
        ["json"]
    );
    assert_eq!(
        complete(&["gwsonnet", "export", "out", "--merge-strategy", ""]),
        ["fail-on-conflicts", "replace-envs"]
    );
    assert_eq!(
        complete(&["gwsonnet", "validate", "--kube-version", "1.3"]),
        ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"]
    );
    assert_eq!(complete(&["gwsonnet", "help", "va"]), ["validate"]);
    assert_eq!(complete(&["gwsonnet", "completions", "f"]), ["fish"]);
    // Commands and flags.
    assert_eq!(complete(&["gwsonnet", "valid"]), ["validate"]);
    assert!(complete(&["gwsonnet", "show", "--dang"]) == ["--dangerous-allow-redirect"]);
    // `--crds=<TAB>`: bash splits the word at `=`, the function offers nothing, and
    // the script's `-o default` falls back to bash's file names.
    assert!(complete(&["gwsonnet", "--crds", "=", "cr"]).is_empty());
    assert!(
        o.stdout
            .contains("complete -F _gwsonnet -o nosort -o bashdefault -o default gwsonnet"),
        "{}",
        o.stdout
    );
}

#[test]
fn zsh_and_fish_completions_carry_path_and_value_actions() {
    let d = tmp();
    let zsh = run(gw(d.path()).args(["completions", "zsh"])).stdout;
    for needle in [
        "'*--crds=[",
        "]:path:_files' \\",
        "]:dir:_files -/' \\",
        "]:when:(auto always never)' \\",
        "]:strategy:(fail-on-conflicts replace-envs)' \\",
        "::command -- The command to describe:(show eval export",
    ] {
        assert!(zsh.contains(needle), "zsh: no {needle:?}");
    }
    let fish = run(gw(d.path()).args(["completions", "fish"])).stdout;
    let crds = fish
        .lines()
        .find(|l| l.contains("-l crds "))
        .expect("a --crds line");
    // Path-valued flags let fish complete files (-F), never turn it off (-f).
    assert!(crds.ends_with(" -r -F"), "{crds}");
    assert!(fish.contains("-l color -d '"), "{fish}");
    // The real thing, where fish is installed: `complete -C` answers as a TAB would.
    if !have("fish") {
        println!("skipped: fish is not installed, its completions were not run");
        return;
    }
    let script = write(d.path(), "gwsonnet.fish", &fish);
    let work = d.path().join("work");
    write(&work, "crds/httproute.yaml", "");
    write(&work, "cluster.yml", "");
    let complete = |line: &str| {
        let o = Process::new("fish")
            .arg("-c")
            .arg(format!("source {}; complete -C '{line}'", script.display()))
            .current_dir(&work)
            .output()
            .expect("running fish");
        let mut got: Vec<String> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
            .collect();
        got.sort();
        got
    };
    assert_eq!(complete("gwsonnet --crds "), ["cluster.yml", "crds/"]);
    assert_eq!(complete("gwsonnet validate --crds cr"), ["crds/"]);
    assert_eq!(complete("gwsonnet --crds=cr"), ["--crds=crds/"]);
    assert_eq!(complete("gwsonnet -J "), ["crds/"]);
    assert_eq!(complete("gwsonnet --color "), ["always", "auto", "never"]);
    assert_eq!(
        complete("gwsonnet export out --merge-strategy "),
        ["fail-on-conflicts", "replace-envs"]
    );
    assert_eq!(complete("gwsonnet help va"), ["validate"]);
    assert_eq!(complete("gwsonnet completions z"), ["zsh"]);
}

#[test]
fn man_page() {
    let d = tmp();
    let o = run(gw(d.path()).arg("man"));
    ok(&o, &o.stdout);
    assert!(o.stdout.contains(".TH gwsonnet 1"), "{}", o.context());
    for word in [
        "jpath",
        r"no\-trailing\-newline",
        ".SH COMMANDS",
        r#".SS "gwsonnet docs [OPTIONS] \-\-out <dir>""#,
        r"\fB\-\-crds\fR \fI<path>\fR",
        r"\fB\-\-crd\-library\fR \fI<file>\fR",
        r#".SS "gwsonnet completions <shell>""#,
    ] {
        assert!(o.stdout.contains(word), "no {word}:\n{}", o.context());
    }
    // groff (an optional tool here) reads it without a warning.
    if !have("groff") {
        println!("skipped: groff is not installed, the man page was not formatted");
        return;
    }
    let page = write(d.path(), "gwsonnet.1", &o.stdout);
    let check = Process::new("groff")
        .args(["-man", "-Tascii", "-ww", "-z"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(
        check.status.success() && check.stderr.is_empty(),
        "groff warns: {}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn arguments_that_are_not_utf8_are_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    let d = tmp();
    let o = run(gw(d.path())
        .arg("-e")
        .arg(std::ffi::OsStr::from_bytes(b"'\xff'")));
    no_panic(&o);
    assert_eq!(o.code, Some(1), "{}", o.context());
    assert!(o.stderr.starts_with("ERROR: "), "{}", o.context());
}
