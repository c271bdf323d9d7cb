//! `mosharekat certificate verify` and `mosharekat scores rebuild` against a real server: an
//! issued certificate verifies offline with the public key (exit 0), one changed byte fails
//! (exit 1), a revoked one reports revoked (exit 1) from the backend or the downloaded status,
//! and no key is a usage error (exit 2); a rebuild over the live database changes nothing.

mod support;

use mosharekat_api::paths;
use serde_json::{Value, json};
use support::Backend;

struct Issued {
    admin: String,
    id: i64,
    code: String,
    dir: tempfile::TempDir,
}

fn issue(backend: &Backend) -> Issued {
    let admin = backend.add_staff("admin1", "admin");
    let c = backend.open_consultation(&admin, "آیین‌نامه آزمون", "Test regulation", 40);
    let citizen = backend.participant("Sara Karimi");
    let comment = backend.comment(c, &citizen, "با بند ۲ موافقم اما بند ۳ مبهم است");
    backend.ok(
        "POST",
        paths::COMMENTS_BULK_DECISION,
        Some(&admin),
        Some(json!({"ids": [comment], "action": "approve"})),
    );
    backend.ok(
        "POST",
        &paths::consultation_close(c),
        Some(&admin),
        Some(json!({"reason": "پایان آزمون"})),
    );
    backend.ok(
        "POST",
        paths::CERTIFICATES_PROPOSE,
        Some(&admin),
        Some(json!({"consultation_id": c})),
    );
    let proposed = backend.ok(
        "GET",
        &format!(
            "{}?status=proposed&consultation_id={c}",
            paths::CERTIFICATES
        ),
        Some(&admin),
        None,
    );
    let id = proposed["items"][0]["id"]
        .as_i64()
        .expect("a proposed certificate");
    let issued = backend.ok("POST", &paths::certificate_approve(id), Some(&admin), None);
    let code = issued["verification_code"].as_str().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let public = backend.ok("GET", &paths::public_certificate(&code), None, None);
    write(&dir, "certificate.json", &public);
    write(&dir, "credential.json", &public["credential"]);
    write(
        &dir,
        "keys.json",
        &backend.ok("GET", paths::PUBLIC_KEYS, None, None),
    );
    Issued {
        admin,
        id,
        code,
        dir,
    }
}

fn write(dir: &tempfile::TempDir, name: &str, value: &Value) {
    std::fs::write(
        dir.path().join(name),
        serde_json::to_string_pretty(value).unwrap(),
    )
    .unwrap();
}

fn verify(backend: &Backend, args: &[&str]) -> (i32, String) {
    let mut all = vec!["certificate", "verify"];
    all.extend_from_slice(args);
    let out = backend.cli(&all, None);
    (
        out.status.code().expect("exit code"),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn path(issued: &Issued, name: &str) -> String {
    issued.dir.path().join(name).display().to_string()
}

#[test]
fn certificates_verify_offline_fail_when_changed_and_report_revocation() {
    let backend = Backend::start();
    let issued = issue(&backend);
    let keys = path(&issued, "keys.json");

    // Offline, with the key file: valid.
    let (code, out) = verify(
        &backend,
        &[&path(&issued, "credential.json"), "--key", &keys],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("VALID"), "{out}");
    assert!(
        out.contains("Sara Karimi") && out.contains(&issued.code),
        "{out}"
    );
    // The downloaded public answer (credential and status) verifies too, and says its status.
    let (code, out) = verify(
        &backend,
        &[&path(&issued, "certificate.json"), "--key", &keys],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("status: approved"), "{out}");
    // A key given as its multibase text.
    let keys_json: Value = serde_json::from_str(&std::fs::read_to_string(&keys).unwrap()).unwrap();
    let multibase = issued.dir.path().join("key.txt");
    std::fs::write(
        &multibase,
        keys_json["keys"][0]["publicKeyMultibase"].as_str().unwrap(),
    )
    .unwrap();
    let (code, out) = verify(
        &backend,
        &[
            &path(&issued, "credential.json"),
            "--key",
            &multibase.display().to_string(),
        ],
    );
    assert_eq!(code, 0, "{out}");

    // One byte changed: invalid.
    let original = std::fs::read_to_string(path(&issued, "credential.json")).unwrap();
    let at = original.find("Sara Karimi").unwrap();
    let mut bytes = original.clone().into_bytes();
    bytes[at] = b'T';
    let tampered = issued.dir.path().join("tampered.json");
    std::fs::write(&tampered, &bytes).unwrap();
    let (code, out) = verify(&backend, &[&tampered.display().to_string(), "--key", &keys]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("INVALID"), "{out}");

    // No key at all: the check cannot be made.
    let (code, out) = verify(&backend, &[&path(&issued, "credential.json")]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--key"), "{out}");

    // Asking the backend: valid now; revoked after the admin revokes it.
    let url = backend.url();
    let (code, out) = verify(
        &backend,
        &[&path(&issued, "credential.json"), "--backend", &url],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("status: approved"), "{out}");
    backend.ok(
        "POST",
        &paths::certificate_revoke(issued.id),
        Some(&issued.admin),
        Some(json!({"reason": "issued by mistake"})),
    );
    let (code, out) = verify(
        &backend,
        &[&path(&issued, "credential.json"), "--backend", &url],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("REVOKED"), "{out}");
    assert!(out.contains("issued by mistake"), "{out}");
    // The public answer downloaded after the revocation says so offline.
    let public = backend.ok("GET", &paths::public_certificate(&issued.code), None, None);
    write(&issued.dir, "revoked.json", &public);
    let (code, out) = verify(
        &backend,
        &[&path(&issued, "revoked.json"), "--key", &keys, "--json"],
    );
    assert_eq!(code, 1, "{out}");
    let result: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(result["status"], "revoked");
    assert_eq!(result["signature_valid"], true);
    assert_eq!(result["valid"], false);
}

#[test]
fn scores_rebuild_over_a_live_database_changes_nothing() {
    let backend = Backend::start();
    let _issued = issue(&backend);
    let out = backend.cli(
        &[
            "scores",
            "rebuild",
            "--database-url",
            &backend.database_url(),
        ],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("scores rebuilt: 1 participants, 1 contributions, 10 points"),
        "{text}"
    );
    assert!(text.contains("already exact"), "{text}");
}
