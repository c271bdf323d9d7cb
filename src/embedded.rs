//! The embedded default: the backend in this process, on 127.0.0.1 at the port the settings
//! prefer (8421 unless `portal_port` says otherwise; a free one when that is taken), over a
//! SQLite file in the user's data folder. The same backend serves the citizen portal at `/fa/`. The console still reaches it over HTTP, so there is one
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

/// Start the backend over the data folder's database on 127.0.0.1:`port` (0: any free port; a
/// taken port falls back to a free one, said in the log), seeding it on the first run.
pub async fn start(
    dirs: &Dirs,
    port: u16,
    mut progress: impl FnMut(&str, u64, u64) + Send,
) -> anyhow::Result<Embedded> {
    dirs.ensure_data_dir().context("creating the data folder")?;
    let credentials_path = dirs.data.join(CREDENTIALS_FILE);
    let credentials = match read_credentials(&credentials_path)? {
        Some(c) if dirs.database_path().exists() => c,
        _ => first_run(dirs, &credentials_path, &mut progress).await?,
    };
    let server = start_server(dirs, port).await?;
    let base = Url::parse(&server.url())?;
    let portal = crate::client::portal_home(&base);
    // The console shows the address too (status line, help, and on leaving); the log keeps it.
    tracing::info!("built-in backend at {base}; its citizen portal at {portal} (and /en/)");
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

/// The server on 127.0.0.1:`port`, or on a free port when that one is taken.
async fn start_server(dirs: &Dirs, port: u16) -> anyhow::Result<RunningServer> {
    let config = |port: u16| {
        let mut config = ServerConfig::new(
            dirs.database_url(),
            std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        );
        // The built-in backend sends no SMS: a person registering on its portal sees their
        // one-time code on the page, under a "demo only" notice. Only this default turns it on.
        config.sms.demo = true;
        config
    };
    match mosharekat_server::start(config(port)).await {
        Ok(server) => Ok(server),
        Err(e) if port != 0 && is_address_in_use(&e) => {
            let server = mosharekat_server::start(config(0))
                .await
                .context("starting the built-in backend")?;
            tracing::warn!(
                "port {port} of 127.0.0.1 is taken (another console or program?): the built-in \
                 backend and its portal are on port {} this time; set `portal_port` in \
                 config.toml or --portal-port to choose another",
                server.addr.port()
            );
            Ok(server)
        }
        Err(e) => Err(e.context(format!("starting the built-in backend on 127.0.0.1:{port}"))),
    }
}

/// Whether starting failed because the listening address is taken.
fn is_address_in_use(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse)
    })
}

/// [`start`], showing the first run's progress as a bar on the terminal.
pub async fn start_with_progress_bar(dirs: &Dirs, port: u16) -> anyhow::Result<Embedded> {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = start(dirs, port, |phase, done, total| {
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
    tracing::info!(
        consultations = summary.consultations,
        participants = summary.participants,
        comments = summary.comments,
        ballots = summary.ballots,
        "seeded the demo data"
    );
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
