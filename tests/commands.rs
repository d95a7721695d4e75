//! The commands of `gwsonnet` as a user meets them: `--help` of every command (generated
//! from the flag definitions, with a usage example), bad subcommand arguments, shell
//! completions that each shell accepts, and the man page.

use std::process::Command as Process;

mod common;

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
    ] {
        let o = run(gw(d.path()).args(args));
        no_panic(&o);
        assert_eq!(o.code, Some(1), "{args:?}:\n{}", o.context());
        assert!(
            o.stderr.starts_with(&format!("ERROR: {}: ", args[0])),
            "{args:?}:\n{}",
            o.context()
        );
        assert!(o.stdout.is_empty(), "{args:?}:\n{}", o.context());
    }
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
