//! The command line: `--help` lists the commands; `user add` refuses bad input with a clear
//! message and creates nothing.

mod support;

use mosharekat_api::paths;
use support::{BIN, Backend};

#[test]
fn help_lists_the_commands() {
    let out = std::process::Command::new(BIN)
        .arg("--help")
        .output()
        .expect("run mosharekat --help");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["serve", "user", "demo", "audit"] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(command)),
            "`{command}` missing from:\n{help}"
        );
    }
    for flag in [
        "--backend",
        "--lang",
        "--bidi",
        "--shaping",
        "--theme",
        "--keymap",
    ] {
        assert!(help.contains(flag), "`{flag}` missing from:\n{help}");
    }
}

/// `user add` as the tests run it; returns (success, stderr).
fn user_add(backend: &Backend, username: &str, role: &str, password: &str) -> (bool, String) {
    let db = backend.database_url();
    let out = backend.cli(
        &[
            "user",
            "add",
            "--database-url",
            &db,
            "--username",
            username,
            "--role",
            role,
        ],
        Some(password),
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The usernames of every staff account, as an admin sees them.
fn staff(backend: &Backend, admin: &str) -> Vec<String> {
    let list = backend.ok("GET", paths::STAFF, Some(admin), None);
    let items = list
        .get("items")
        .and_then(|i| i.as_array())
        .or_else(|| list.as_array())
        .expect("a list of staff")
        .clone();
    items
        .iter()
        .map(|s| s["username"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn user_add_refuses_bad_input_and_creates_nothing() {
    let backend = Backend::start();
    let admin = backend.add_staff("admin1", "admin");
    let good = support::PASSWORD;

    let (ok, err) = user_add(&backend, "bob", "superuser", good);
    assert!(!ok, "a made-up role was accepted");
    assert!(
        err.contains("superuser") && err.contains("moderator, operator or admin"),
        "{err}"
    );

    let (ok, err) = user_add(&backend, "carol", "operator", "short");
    assert!(!ok, "a 5-character password was accepted");
    assert!(err.contains("at least 10 characters"), "{err}");

    let (ok, err) = user_add(&backend, "x", "operator", good);
    assert!(!ok, "a 1-character username was accepted");
    assert!(err.contains("3 to 64 characters"), "{err}");

    let (ok, err) = user_add(&backend, "admin1", "moderator", good);
    assert!(!ok, "a second account with the same name was accepted");
    assert!(err.contains("admin1"), "{err}");

    assert_eq!(staff(&backend, &admin), vec!["admin1".to_owned()]);
    for name in ["bob", "carol", "x"] {
        let (status, _) = backend.call(
            "POST",
            paths::LOGIN,
            None,
            Some(serde_json::json!({"username": name, "password": good})),
        );
        assert_eq!(status, 401, "{name} can log in");
    }

    // The same names with good input work, so it was the input that was refused.
    let (ok, err) = user_add(&backend, "carol", "operator", good);
    assert!(ok, "{err}");
    assert_eq!(
        staff(&backend, &admin),
        vec!["admin1".to_owned(), "carol".to_owned()]
    );
}
