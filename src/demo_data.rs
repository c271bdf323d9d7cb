//! Writing the demo dataset and the demo staff into a store (the embedded default's first run and
//! `mosharekat demo seed`).

use chrono::Utc;
use mosharekat_api::Role;
use mosharekat_server::store::{Actor, Store};

use crate::embedded::DemoCredentials;

/// Create the demo staff and write the demo dataset, reporting `(phase, done, total)`.
pub async fn seed(
    store: &dyn Store,
    credentials: &DemoCredentials,
    progress: &mut impl FnMut(&str, u64, u64),
) -> anyhow::Result<()> {
    let now = Utc::now();
    let actor = Actor {
        username: "setup".into(),
        ..Actor::system()
    };
    progress("staff", 0, 2);
    let admin_hash = mosharekat_server::auth::hash_password(&credentials.admin_password)?;
    store
        .create_staff(
            &credentials.admin_username,
            &admin_hash,
            Role::Admin,
            &actor,
            now,
        )
        .await?;
    let staff_hash = mosharekat_server::auth::hash_password(&credentials.staff_password)?;
    store
        .create_staff("operator", &staff_hash, Role::Operator, &actor, now)
        .await?;
    progress("staff", 2, 2);
    Ok(())
}
