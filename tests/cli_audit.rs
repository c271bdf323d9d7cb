//! `mosharekat audit verify` on a real database: intact after real work, broken — exit 1,
//! naming the first bad entry — after one row is altered or removed behind the server's back.

mod support;

use support::Backend;

/// A database with a few audited actions (staff created, consultations created and
/// published), the server stopped. Returns the backend (which keeps the file) and how many
/// audit entries it holds.
fn audited_database() -> (Backend, i64) {
    let mut backend = Backend::start();
    let token = backend.add_staff("operator1", "operator");
    for (fa, en, days) in [
        ("قانون مالیات", "Tax law", 40),
        ("طرح آب", "Water plan", 50),
    ] {
        backend.open_consultation(&token, fa, en, days);
    }
    backend.kill_server();
    let ids = audit_ids(&backend);
    assert!(ids.len() >= 5, "too few audit entries: {ids:?}");
    (backend, ids.len() as i64)
}

fn verify(backend: &Backend) -> (i32, String) {
    let out = backend.cli(
        &["audit", "verify", "--database-url", &backend.database_url()],
        None,
    );
    let code = out.status.code().expect("exit code");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (code, text)
}

/// Run one SQL statement on the database file directly.
fn sql<T>(backend: &Backend, f: impl AsyncFnOnce(&sqlx::SqlitePool) -> T) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pool = sqlx::SqlitePool::connect(&backend.database_url())
            .await
            .expect("open the database");
        let result = f(&pool).await;
        pool.close().await;
        result
    })
}

fn audit_ids(backend: &Backend) -> Vec<i64> {
    sql(backend, async |pool| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM audit_log ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap()
    })
}

#[test]
fn an_intact_audit_log_verifies() {
    let (backend, entries) = audited_database();
    let (code, text) = verify(&backend);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!("intact: {entries} entries")),
        "{text}"
    );
}

#[test]
fn an_altered_row_fails_and_is_named() {
    let (backend, _) = audited_database();
    let ids = audit_ids(&backend);
    let victim = ids[2];
    sql(&backend, async |pool| {
        let done = sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE id = ?")
            .bind(victim)
            .execute(pool)
            .await
            .unwrap();
        assert_eq!(done.rows_affected(), 1);
    });
    let (code, text) = verify(&backend);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("BROKEN at entry {victim} (")),
        "{text}"
    );
}

#[test]
fn a_removed_row_breaks_the_chain_at_the_next_entry() {
    let (backend, _) = audited_database();
    let ids = audit_ids(&backend);
    sql(&backend, async |pool| {
        sqlx::query("DELETE FROM audit_log WHERE id = ?")
            .bind(ids[1])
            .execute(pool)
            .await
            .unwrap();
    });
    let (code, text) = verify(&backend);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("BROKEN at entry {} (", ids[2])),
        "{text}"
    );
}
