//! Writing the demo dataset and the demo staff into a store (the embedded default's first run and
//! `mosharekat demo seed`).

use chrono::Utc;
use mosharekat_demo::{DemoConfig, SeedOptions, SeedSummary, generate};
use mosharekat_server::store::Store;

use crate::embedded::DemoCredentials;

/// Generate the default demo dataset relative to now and write it with the demo staff, reporting
/// `(phase, done, total)` as it goes. All or nothing.
pub async fn seed(
    store: &dyn Store,
    credentials: &DemoCredentials,
    progress: &mut (impl FnMut(&str, u64, u64) + Send),
) -> anyhow::Result<SeedSummary> {
    let dataset = generate(&DemoConfig::default(), Utc::now());
    let options = SeedOptions {
        admin_password: credentials.admin_password.clone(),
        staff_password: credentials.staff_password.clone(),
    };
    let mut report =
        |p: mosharekat_demo::SeedProgress| progress(p.phase.label(), p.done as u64, p.total as u64);
    mosharekat_demo::seed(store, &dataset, &options, &mut report).await
}
