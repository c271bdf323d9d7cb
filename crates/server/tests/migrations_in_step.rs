//! The two migration trees (`migrations/sqlite`, `migrations/postgres`) describe one schema: after
//! migrating a fresh database of each kind, both have the same tables, the same columns per table,
//! the same primary keys and unique column sets, and the same named indexes over the same columns.
//! Column types are not compared (their names differ by dialect), nor is how the identity column
//! is spelt (`INTEGER PRIMARY KEY AUTOINCREMENT` / `BIGINT GENERATED … AS IDENTITY`).

mod support;

use std::collections::{BTreeMap, BTreeSet};

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};

/// What the test compares of one table.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    columns: BTreeSet<String>,
    primary_key: Vec<String>,
    /// Column lists of `UNIQUE` constraints (whose index names differ by dialect).
    unique: BTreeSet<Vec<String>>,
    /// `CREATE [UNIQUE] INDEX name`: whether unique, and the indexed columns in order.
    indexes: BTreeMap<String, (bool, Vec<String>)>,
}

type Schema = BTreeMap<String, Table>;

/// The bookkeeping table of `sqlx::migrate!`, not part of our schema.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> $1",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        let columns: Vec<(String, i64)> =
            sqlx::query_as("SELECT name, pk FROM pragma_table_info($1) ORDER BY pk, cid")
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (column, pk) in columns {
            if pk > 0 {
                table.primary_key.push(column.clone());
            }
            table.columns.insert(column);
        }
        let indexes: Vec<(String, bool, String)> =
            sqlx::query_as(r#"SELECT name, "unique", origin FROM pragma_index_list($1)"#)
                .bind(&name)
                .fetch_all(pool)
                .await
                .unwrap();
        for (index, unique, origin) in indexes {
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(pool)
                    .await
                    .unwrap();
            match origin.as_str() {
                "c" => {
                    table.indexes.insert(index, (unique, columns));
                }
                "u" => {
                    table.unique.insert(columns);
                }
                // The primary key, read from the columns above.
                _ => {}
            }
        }
        schema.insert(name, table);
    }
    schema
}

async fn postgres_schema(pool: &PgPool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> $1",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema: Schema = tables.into_iter().map(|t| (t, Table::default())).collect();
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, column) in columns {
        if let Some(table) = schema.get_mut(&table) {
            table.columns.insert(column);
        }
    }
    // Every index with its columns in order, and the key it backs if any (foreign keys name the
    // index they reference, e.g. `comments.parent_id` names `comments_pkey`: not counted).
    let indexes: Vec<(String, String, bool, Option<String>, String)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, ix.indisunique, c.contype::text,
            string_agg(a.attname::text, ',' ORDER BY k.ord)
         FROM pg_index ix
         JOIN pg_class i ON i.oid = ix.indexrelid
         JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         CROSS JOIN LATERAL unnest(CAST(ix.indkey AS int2[])) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
         LEFT JOIN pg_constraint c
           ON c.conindid = ix.indexrelid AND c.conrelid = t.oid AND c.contype IN ('p', 'u')
         WHERE n.nspname = current_schema()
         GROUP BY t.relname, i.relname, ix.indisunique, c.contype",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, index, unique, constraint, columns) in indexes {
        let Some(table) = schema.get_mut(&table) else {
            continue;
        };
        let columns: Vec<String> = columns.split(',').map(str::to_owned).collect();
        match constraint.as_deref() {
            Some("p") => table.primary_key = columns,
            Some("u") => {
                table.unique.insert(columns);
            }
            _ => {
                table.indexes.insert(index, (unique, columns));
            }
        }
    }
    schema
}

/// Every difference between the two schemas, one line each.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = sqlite.keys().chain(postgres.keys()).collect();
    for name in names {
        let (Some(s), Some(p)) = (sqlite.get(name), postgres.get(name)) else {
            let only = if sqlite.contains_key(name) {
                "SQLite"
            } else {
                "PostgreSQL"
            };
            out.push(format!("table {name}: only in {only}"));
            continue;
        };
        for column in s.columns.symmetric_difference(&p.columns) {
            let only = if s.columns.contains(column) {
                "SQLite"
            } else {
                "PostgreSQL"
            };
            out.push(format!("{name}.{column}: only in {only}"));
        }
        if s.primary_key != p.primary_key {
            out.push(format!(
                "{name}: primary key {:?} in SQLite, {:?} in PostgreSQL",
                s.primary_key, p.primary_key
            ));
        }
        for unique in s.unique.symmetric_difference(&p.unique) {
            let only = if s.unique.contains(unique) {
                "SQLite"
            } else {
                "PostgreSQL"
            };
            out.push(format!("{name}: UNIQUE {unique:?} only in {only}"));
        }
        let indexes: BTreeSet<&String> = s.indexes.keys().chain(p.indexes.keys()).collect();
        for index in indexes {
            let (si, pi) = (s.indexes.get(index), p.indexes.get(index));
            if si != pi {
                out.push(format!(
                    "{name}: index {index} is {si:?} in SQLite, {pi:?} in PostgreSQL"
                ));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_and_postgres_migrations_describe_one_schema() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("schema.db"))
        .create_if_missing(true);
    let sqlite = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::migrate!("./migrations/sqlite")
        .run(&sqlite)
        .await
        .unwrap();

    let db = support::TestDb::new(support::Backend::Postgres).await;
    let postgres = PgPool::connect(&db.url).await.unwrap();
    sqlx::migrate!("./migrations/postgres")
        .run(&postgres)
        .await
        .unwrap();

    let sqlite_schema = sqlite_schema(&sqlite).await;
    let postgres_schema = postgres_schema(&postgres).await;
    postgres.close().await;
    sqlite.close().await;

    assert!(
        sqlite_schema.len() > 10,
        "the SQLite schema was read: {sqlite_schema:?}"
    );
    assert!(
        sqlite_schema.values().all(|t| !t.columns.is_empty()),
        "every table's columns were read"
    );
    let differences = differences(&sqlite_schema, &postgres_schema);
    assert!(
        differences.is_empty(),
        "the migration trees disagree:\n{}",
        differences.join("\n")
    );
}
