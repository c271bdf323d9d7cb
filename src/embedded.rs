//! The embedded default: the backend in this process, on 127.0.0.1 at a random port, over a
//! SQLite file in the user's data folder. The console still reaches it over HTTP, so there is one
//! code path whatever the backend. The first run seeds the demo data (with a progress bar on the
//! terminal) and creates the demo staff; their passwords are kept in `demo-credentials.toml` in the
//! data folder (owner-only), so the same accounts work from `mosharekat --backend` too.

use std::path::Path;

use anyhow::Context as _;
use mosharekat_server::{RunningServer, ServerConfig};
use reqwest::Url;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::config::Dirs;

/// The demo staff the first run creates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoCredentials {
    pub admin_username: String,
    pub admin_password: String,
    /// Password of the demo operator and moderators.
    pub staff_password: String,
}

pub const CREDENTIALS_FILE: &str = "demo-credentials.toml";

/// The running embedded backend and a client logged in as the demo admin.
pub struct Embedded {
    pub server: RunningServer,
    pub client: Client,
    pub username: String,
    pub role: mosharekat_api::Role,
}

/// Start the backend over the data folder's database, seeding it on the first run.
pub async fn start(
    dirs: &Dirs,
    mut progress: impl FnMut(&str, u64, u64) + Send,
) -> anyhow::Result<Embedded> {
    dirs.ensure_data_dir().context("creating the data folder")?;
    let credentials_path = dirs.data.join(CREDENTIALS_FILE);
    let credentials = match read_credentials(&credentials_path)? {
        Some(c) if dirs.database_path().exists() => c,
        _ => first_run(dirs, &credentials_path, &mut progress).await?,
    };
    let config = ServerConfig::new(dirs.database_url(), "127.0.0.1:0".parse()?);
    let server = mosharekat_server::start(config)
        .await
        .context("starting the built-in backend")?;
    // The console takes the whole terminal: the log is where the portal's address is written.
    tracing::info!(
        "built-in backend at {url}; its citizen portal at {url}/fa/ (and /en/)",
        url = server.url()
    );
    let base = Url::parse(&server.url())?;
    let (client, login) = Client::new(base)
        .login(&credentials.admin_username, &credentials.admin_password)
        .await
        .context("logging in to the built-in backend")?;
    Ok(Embedded {
        server,
        client,
        username: login.username,
        role: login.role,
    })
}

/// [`start`], showing the first run's progress as a bar on the terminal.
pub async fn start_with_progress_bar(dirs: &Dirs) -> anyhow::Result<Embedded> {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = start(dirs, |phase, done, total| {
        bar.set_message(format!("preparing demo data: {phase}"));
        bar.set_length(total);
        bar.set_position(done);
    })
    .await?;
    bar.finish_and_clear();
    Ok(started)
}

fn read_credentials(path: &Path) -> anyhow::Result<Option<DemoCredentials>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(
            toml::from_str(&text).with_context(|| format!("reading {}", path.display()))?,
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Seed a fresh database beside the real path, then move it into place: an interrupted first
/// run leaves nothing half-made behind.
async fn first_run(
    dirs: &Dirs,
    credentials_path: &Path,
    progress: &mut (impl FnMut(&str, u64, u64) + Send),
) -> anyhow::Result<DemoCredentials> {
    let credentials = DemoCredentials {
        admin_username: mosharekat_demo::DEMO_ADMIN.into(),
        admin_password: crate::journal::new_key(),
        staff_password: crate::journal::new_key(),
    };
    let target = dirs.database_path();
    let building = target.with_extension("building");
    for path in [&target, &building] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    let url = format!("sqlite://{}?mode=rwc", building.display());
    let store =
        mosharekat_server::store::connect(&url, mosharekat_server::events::EventBus::new()).await?;
    let summary = crate::demo_data::seed(store.as_ref(), &credentials, progress).await?;
    tracing::info!("seeded the demo data: {summary:?}");
    drop(store);
    // Let the pool's connections close and checkpoint before the file moves.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    for suffix in ["-wal", "-shm"] {
        let from = format!("{}{suffix}", building.display());
        if Path::new(&from).exists() {
            std::fs::rename(&from, format!("{}{suffix}", target.display()))?;
        }
    }
    std::fs::rename(&building, &target)?;
    write_private(credentials_path, &toml::to_string(&credentials)?)?;
    Ok(credentials)
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
