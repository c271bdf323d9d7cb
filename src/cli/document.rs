//! `mosharekat document import`: send a draft's text (plain text or Markdown, Persian and
//! optionally English) to a backend, which recognises its articles, notes and clauses and stores it
//! as the consultation's next version. Talks HTTP only, so it is in the remote-only build too.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use mosharekat_api::{ArticleChangeKind, DraftFormat, DraftImport, DraftVersion};
use reqwest::Url;

use crate::client::Client;
use crate::config::{Dirs, FileSettings, TOKEN_ENV, parse_backend_url};

#[derive(Debug, clap::Subcommand)]
pub enum DocumentCommand {
    /// Import a new version of a consultation's draft from a file. The staff token comes from
    /// MOSHAREKAT_TOKEN, the config file, or a login (MOSHAREKAT_USERNAME and MOSHAREKAT_PASSWORD,
    /// or prompts).
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The backend (http:// or https://); the config file's `backend` when left out.
    #[arg(long, value_name = "URL", value_parser = parse_backend_url)]
    backend: Option<Url>,
    /// The consultation's id.
    #[arg(long, value_name = "ID")]
    consultation: i64,
    /// The Persian text of the draft.
    file: PathBuf,
    /// Its English translation, with the same articles.
    #[arg(long, value_name = "FILE")]
    english: Option<PathBuf>,
    /// How the files are written; by default Markdown for `.md` and `.markdown`, else plain text.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Text,
    Markdown,
}

impl From<FormatArg> for DraftFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Text => DraftFormat::Text,
            FormatArg::Markdown => DraftFormat::Markdown,
        }
    }
}

/// The format a file's name suggests.
fn format_of(path: &Path) -> DraftFormat {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") => {
            DraftFormat::Markdown
        }
        _ => DraftFormat::Text,
    }
}

fn read(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{} is not UTF-8 text: save it as UTF-8 (Persian text in Windows-1256 must be converted)",
            path.display()
        )
    })
}

pub async fn run(cmd: DocumentCommand) -> anyhow::Result<ExitCode> {
    let DocumentCommand::Import(args) = cmd;
    let import = DraftImport {
        text_fa: read(&args.file)?,
        text_en: args.english.as_deref().map(read).transpose()?,
        format: args
            .format
            .map_or_else(|| format_of(&args.file), DraftFormat::from),
    };
    let file = match Dirs::discover() {
        Ok(dirs) => FileSettings::load(&dirs.config_file()).map_err(|e| anyhow::anyhow!("{e}"))?,
        Err(_) => FileSettings::default(),
    };
    let backend = match (args.backend, file.backend.as_deref()) {
        (Some(url), _) => url,
        (None, Some(text)) => parse_backend_url(text).map_err(anyhow::Error::msg)?,
        (None, None) => anyhow::bail!("which backend? give --backend URL"),
    };
    let client = staff_client(Client::new(backend), file.token).await?;
    let stored = client
        .import_draft(args.consultation, &import)
        .await
        .map_err(|e| anyhow::anyhow!("the import was refused: {e}"))?;
    print!("{}", describe(&stored));
    if stored.version > 1 {
        let diff = client
            .draft_diff(args.consultation, stored.version - 1, stored.version)
            .await?;
        println!(
            "compared with version {}: {} added, {} removed, {} changed, {} unchanged",
            diff.from_version,
            diff.count(ArticleChangeKind::Added),
            diff.count(ArticleChangeKind::Removed),
            diff.count(ArticleChangeKind::Changed),
            diff.count(ArticleChangeKind::Unchanged),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A client with a staff session: the environment's token, the config file's, or a login.
async fn staff_client(client: Client, file_token: Option<String>) -> anyhow::Result<Client> {
    let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    if let Some(token) = non_empty(std::env::var(TOKEN_ENV).ok()).or(non_empty(file_token)) {
        return Ok(client.with_token(token));
    }
    let username = match non_empty(std::env::var("MOSHAREKAT_USERNAME").ok()) {
        Some(name) => name,
        None => {
            eprint!("username: ");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim().to_owned()
        }
    };
    anyhow::ensure!(!username.is_empty(), "no username given");
    let password = match std::env::var("MOSHAREKAT_PASSWORD") {
        Ok(p) => p,
        Err(_) => rpassword::prompt_password(format!("password for {username}: "))?,
    };
    let (client, _) = client
        .login(&username, &password)
        .await
        .map_err(|e| anyhow::anyhow!("login to {} failed: {e}", client.base()))?;
    Ok(client)
}

/// What was recognised, in numbers (the draft's own words stay out of the terminal).
fn describe(v: &DraftVersion) -> String {
    let s = v.summary();
    let languages = if s.bilingual {
        "Persian and English"
    } else {
        "Persian only"
    };
    let mut out = format!(
        "version {} of consultation {}'s draft: {} articles, {} notes, {} clauses ({languages})\n",
        v.version, v.consultation_id, s.articles, s.notes, s.clauses
    );
    for a in &v.articles {
        let c = &a.content;
        let note_clauses: usize = c.notes.iter().map(|n| n.clauses.len()).sum();
        out.push_str(&format!(
            "  article {:>3}: {} clauses, {} notes ({} clauses in notes)\n",
            c.number,
            c.clauses.len(),
            c.notes.len(),
            note_clauses
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_files_are_read_as_markdown() {
        assert_eq!(format_of(Path::new("draft.md")), DraftFormat::Markdown);
        assert_eq!(
            format_of(Path::new("DRAFT.MARKDOWN")),
            DraftFormat::Markdown
        );
        assert_eq!(format_of(Path::new("draft.txt")), DraftFormat::Text);
        assert_eq!(format_of(Path::new("draft")), DraftFormat::Text);
    }
}
