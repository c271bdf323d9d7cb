//! `mosharekat document import` against a real backend (`mosharekat serve`): a Persian draft and
//! its English translation imported from files, the structure and the new version printed; a
//! revised version compared with the one before; the token from the environment, the config
//! file or a login; a refused import says why and stores nothing.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use mosharekat_api::paths;
use support::{BIN, Backend, PASSWORD};

const DRAFTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/draft/tests/drafts");

fn draft(name: &str) -> PathBuf {
    Path::new(DRAFTS).join(name)
}

/// Runs `mosharekat document import …` with its own (empty unless written) config folder and
/// the given environment.
fn import(
    config: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> (bool, String, String) {
    let mut command = Command::new(BIN);
    command
        .args(["document", "import"])
        .args(args)
        .env("MOSHAREKAT_CONFIG_DIR", config)
        .env("MOSHAREKAT_DATA_DIR", config.join("data"))
        .env_remove("MOSHAREKAT_TOKEN")
        .env_remove("MOSHAREKAT_USERNAME")
        .env_remove("MOSHAREKAT_PASSWORD")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("run mosharekat");
    if let Some(input) = stdin {
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    (
        status.success(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn versions(backend: &Backend, token: &str, consultation: i64) -> usize {
    backend
        .ok(
            "GET",
            &paths::consultation_document_versions(consultation),
            Some(token),
            None,
        )
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn imports_a_bilingual_draft_and_its_revision() {
    let backend = Backend::start();
    let operator = backend.add_staff("operator1", "operator");
    let consultation = backend.open_consultation(&operator, "آیین‌نامه شوراها", "Councils", 40);
    let config = tempfile::tempdir().unwrap();
    let id = consultation.to_string();
    let fa = draft("ayinnameh-shoraha.txt");
    let en = draft("ayinnameh-shoraha.en.txt");

    let (ok, out, err) = import(
        config.path(),
        &[
            "--backend",
            &backend.url(),
            "--consultation",
            &id,
            fa.to_str().unwrap(),
            "--english",
            en.to_str().unwrap(),
        ],
        &[("MOSHAREKAT_TOKEN", &operator)],
        None,
    );
    assert!(ok, "{err}");
    assert!(
        out.starts_with(&format!(
            "version 1 of consultation {id}'s draft: 8 articles, 6 notes, 16 clauses (Persian and English)\n"
        )),
        "{out}"
    );
    assert!(
        out.contains("  article   4: 3 clauses, 1 notes (2 clauses in notes)\n"),
        "{out}"
    );
    let stored = backend.ok(
        "GET",
        &paths::consultation_document(consultation),
        Some(&operator),
        None,
    );
    assert_eq!(stored["imported_by"], "operator1");
    assert!(
        stored["articles"][0]["text_en"]
            .as_str()
            .unwrap()
            .starts_with("Definitions")
    );

    // A revision, with the backend and token from the config file and Markdown told explicitly:
    // the Persian text alone would drop the English, which a published call may not.
    let revised_fa = config.path().join("revised.txt");
    let revised_en = config.path().join("revised.en.txt");
    let fa_text = std::fs::read_to_string(&fa).unwrap();
    let en_text = std::fs::read_to_string(&en).unwrap();
    std::fs::write(
        &revised_fa,
        fa_text.replace("هدف از تشکیل شورا", "هدف اصلی از تشکیل شورا"),
    )
    .unwrap();
    std::fs::write(
        &revised_en,
        en_text.replace("The council aims", "The council's main aims are"),
    )
    .unwrap();
    std::fs::write(
        config.path().join("config.toml"),
        format!("backend = \"{}\"\ntoken = \"{operator}\"\n", backend.url()),
    )
    .unwrap();
    let (ok, _, err) = import(
        config.path(),
        &["--consultation", &id, revised_fa.to_str().unwrap()],
        &[],
        None,
    );
    assert!(!ok);
    assert!(err.contains("needs the English text too"), "{err}");
    assert_eq!(versions(&backend, &operator, consultation), 1);
    let (ok, out, err) = import(
        config.path(),
        &[
            "--consultation",
            &id,
            "--format",
            "text",
            revised_fa.to_str().unwrap(),
            "--english",
            revised_en.to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert!(ok, "{err}");
    assert!(
        out.starts_with(&format!("version 2 of consultation {id}'s draft")),
        "{out}"
    );
    assert!(
        out.contains("compared with version 1: 0 added, 0 removed, 1 changed, 7 unchanged"),
        "{out}"
    );
}

#[test]
fn logs_in_when_no_token_is_given_and_says_why_an_import_is_refused() {
    let backend = Backend::start();
    let operator = backend.add_staff("operator1", "operator");
    backend.add_staff("moderator1", "moderator");
    let consultation = backend.open_consultation(&operator, "دستورالعمل", "Instruction", 40);
    let config = tempfile::tempdir().unwrap();
    let id = consultation.to_string();
    let md = draft("dastoorolamal-nazarkhahi.md");
    let url = backend.url();
    let args = [
        "--backend",
        &url,
        "--consultation",
        &id,
        md.to_str().unwrap(),
    ];

    // A moderator may log in but not import.
    let (ok, _, err) = import(
        config.path(),
        &args,
        &[("MOSHAREKAT_PASSWORD", PASSWORD)],
        Some("moderator1\n"),
    );
    assert!(!ok);
    assert!(err.contains("username: "), "{err}");
    assert!(err.contains("the import was refused"), "{err}");
    // A wrong password.
    let (ok, _, err) = import(
        config.path(),
        &args,
        &[
            ("MOSHAREKAT_USERNAME", "operator1"),
            ("MOSHAREKAT_PASSWORD", "not the password"),
        ],
        None,
    );
    assert!(!ok);
    assert!(err.contains("login to"), "{err}");
    // A file without articles.
    let letter = config.path().join("letter.txt");
    std::fs::write(&letter, "نامه‌ای بدون ماده\nبا سلام").unwrap();
    let (ok, _, err) = import(
        config.path(),
        &[
            "--backend",
            &url,
            "--consultation",
            &id,
            letter.to_str().unwrap(),
        ],
        &[("MOSHAREKAT_TOKEN", &operator)],
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("no article was recognised in text_fa"),
        "{err}"
    );
    // Not UTF-8.
    let legacy = config.path().join("legacy.txt");
    std::fs::write(&legacy, [0xE3, 0xC7, 0xCF, 0xE5, 0x20, 0x31]).unwrap();
    let (ok, _, err) = import(
        config.path(),
        &[
            "--backend",
            &url,
            "--consultation",
            &id,
            legacy.to_str().unwrap(),
        ],
        &[("MOSHAREKAT_TOKEN", &operator)],
        None,
    );
    assert!(!ok);
    assert!(err.contains("is not UTF-8 text"), "{err}");
    assert_eq!(versions(&backend, &operator, consultation), 0);

    // The operator, logging in: a Markdown file is read as Markdown from its name.
    let (ok, out, err) = import(
        config.path(),
        &args,
        &[
            ("MOSHAREKAT_USERNAME", "operator1"),
            ("MOSHAREKAT_PASSWORD", PASSWORD),
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(
        out.starts_with(&format!(
            "version 1 of consultation {id}'s draft: 6 articles, 3 notes, 9 clauses (Persian only)"
        )),
        "{out}"
    );
    let stored = backend.ok(
        "GET",
        &paths::consultation_document(consultation),
        Some(&operator),
        None,
    );
    assert_eq!(stored["format"], "markdown");
    assert_eq!(stored["articles"][0]["heading_fa"], "هدف");
}
