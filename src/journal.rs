//! The decision journal: every moderation decision is written to disk before it is sent, and
//! stays there until the backend confirms it. A dropped SSH session, a crash or an unreachable
//! backend loses nothing: at the next start the pending decisions are sent again with their
//! idempotency keys, so each is applied exactly once.
//!
//! The file is JSON lines of operations (`add`, `done`, `fail`, `cancel`), appended and synced;
//! loading replays them and rewrites the file with only what is still open.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use mosharekat_api::DecisionRequest;
use mosharekat_api::comment::BulkDecisionRequest;
use serde::{Deserialize, Serialize};

/// What a journal entry asks the backend to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DecisionCall {
    Single {
        comment_id: i64,
        request: DecisionRequest,
    },
    Bulk {
        request: BulkDecisionRequest,
    },
}

/// Where an entry stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting to be sent (or re-sent).
    Pending,
    /// The backend refused it for good (e.g. another moderator decided first); kept until the
    /// moderator has seen it.
    Failed { message: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The idempotency key the backend sees on every attempt.
    pub key: String,
    pub call: DecisionCall,
    pub created_at: DateTime<Utc>,
    /// Not sent before this time: the grace period in which the moderator may undo.
    pub not_before: DateTime<Utc>,
    pub state: EntryState,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Op {
    Add(JournalEntry),
    Done { key: String },
    Fail { key: String, message: String },
    Cancel { key: String },
}

pub struct Journal {
    path: PathBuf,
    file: File,
    entries: Vec<JournalEntry>,
}

impl Journal {
    /// Open (or create) the journal at `path`, replaying what it holds.
    pub fn open(path: &Path) -> io::Result<Journal> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut entries: Vec<JournalEntry> = Vec::new();
        if let Ok(file) = File::open(path) {
            for (n, line) in BufReader::new(file).lines().enumerate() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                // A torn last line (power cut mid-write) is the only expected damage; skip it.
                let Ok(op) = serde_json::from_str::<Op>(&line) else {
                    tracing::warn!(
                        "journal {}: line {} unreadable, skipped",
                        path.display(),
                        n + 1
                    );
                    continue;
                };
                apply(&mut entries, op);
            }
        }
        // Compact: rewrite with only the open entries, then append from there.
        let tmp = path.with_extension("journal.tmp");
        {
            let mut out = private_file(&tmp, true)?;
            for entry in &entries {
                writeln!(out, "{}", serde_json::to_string(&Op::Add(entry.clone()))?)?;
            }
            out.sync_all()?;
        }
        fs::rename(&tmp, path)?;
        let file = private_file(path, false)?;
        Ok(Journal {
            path: path.to_owned(),
            file,
            entries,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write(&mut self, op: &Op) -> io::Result<()> {
        writeln!(self.file, "{}", serde_json::to_string(op)?)?;
        self.file.sync_data()
    }

    /// Record a new decision; on return it is on disk.
    pub fn add(&mut self, entry: JournalEntry) -> io::Result<()> {
        self.write(&Op::Add(entry.clone()))?;
        self.entries.push(entry);
        Ok(())
    }

    /// The backend confirmed it.
    pub fn done(&mut self, key: &str) -> io::Result<()> {
        self.write(&Op::Done { key: key.into() })?;
        apply(&mut self.entries, Op::Done { key: key.into() });
        Ok(())
    }

    /// The backend refused it for good.
    pub fn fail(&mut self, key: &str, message: &str) -> io::Result<()> {
        let op = Op::Fail {
            key: key.into(),
            message: message.into(),
        };
        self.write(&op)?;
        apply(&mut self.entries, op);
        Ok(())
    }

    /// Undo (before sending) or dismiss (after a failure).
    pub fn cancel(&mut self, key: &str) -> io::Result<()> {
        self.write(&Op::Cancel { key: key.into() })?;
        apply(&mut self.entries, Op::Cancel { key: key.into() });
        Ok(())
    }

    pub fn entries(&self) -> &[JournalEntry] {
        &self.entries
    }

    pub fn get(&self, key: &str) -> Option<&JournalEntry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// Pending entries whose grace time has passed, oldest first.
    pub fn due(&self, now: DateTime<Utc>) -> Vec<JournalEntry> {
        self.entries
            .iter()
            .filter(|e| e.state == EntryState::Pending && e.not_before <= now)
            .cloned()
            .collect()
    }

    pub fn pending_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.state == EntryState::Pending)
            .count()
    }

    pub fn failed(&self) -> impl Iterator<Item = &JournalEntry> {
        self.entries
            .iter()
            .filter(|e| matches!(e.state, EntryState::Failed { .. }))
    }
}

fn apply(entries: &mut Vec<JournalEntry>, op: Op) {
    match op {
        Op::Add(entry) => {
            if !entries.iter().any(|e| e.key == entry.key) {
                entries.push(entry);
            }
        }
        Op::Done { key } | Op::Cancel { key } => entries.retain(|e| e.key != key),
        Op::Fail { key, message } => {
            if let Some(e) = entries.iter_mut().find(|e| e.key == key) {
                e.state = EntryState::Failed { message };
            }
        }
    }
}

/// Open for appending (or truncate), readable by the owner only: it holds moderators' decisions
/// and notes.
fn private_file(path: &Path, truncate: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true);
    if truncate {
        options.write(true).truncate(true);
    } else {
        options.append(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A fresh idempotency key.
pub fn new_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mosharekat_api::ModerationAction;

    fn entry(key: &str, comment_id: i64) -> JournalEntry {
        let now = Utc::now();
        JournalEntry {
            key: key.into(),
            call: DecisionCall::Single {
                comment_id,
                request: DecisionRequest {
                    action: ModerationAction::Approve,
                    reason_code: None,
                    note: Some("یادداشت".into()),
                    tags: vec![],
                    claim_token: Some("t.1".into()),
                },
            },
            created_at: now,
            not_before: now,
            state: EntryState::Pending,
        }
    }

    #[test]
    fn survives_reopening_and_forgets_what_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("decisions.journal");
        {
            let mut j = Journal::open(&path).unwrap();
            j.add(entry("a", 1)).unwrap();
            j.add(entry("b", 2)).unwrap();
            j.add(entry("c", 3)).unwrap();
            j.done("a").unwrap();
            j.fail("c", "another moderator decided first").unwrap();
        }
        let j = Journal::open(&path).unwrap();
        let keys: Vec<&str> = j.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["b", "c"]);
        assert_eq!(j.pending_count(), 1);
        assert_eq!(j.failed().count(), 1);
        assert_eq!(
            j.get("b").unwrap(),
            &entry("b", 2).clone_with_times(j.get("b").unwrap())
        );
        // Compacted: only the two open entries remain on disk.
        assert_eq!(fs::read_to_string(&path).unwrap().lines().count(), 2);
    }

    #[test]
    fn a_torn_last_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("decisions.journal");
        {
            let mut j = Journal::open(&path).unwrap();
            j.add(entry("a", 1)).unwrap();
        }
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        write!(f, "{{\"op\":\"add\",\"key\":\"b").unwrap();
        let j = Journal::open(&path).unwrap();
        assert_eq!(j.entries().len(), 1);
    }

    #[test]
    fn grace_time_and_cancel() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::open(&dir.path().join("j")).unwrap();
        let mut e = entry("a", 1);
        e.not_before = Utc::now() + chrono::Duration::seconds(5);
        j.add(e).unwrap();
        assert!(j.due(Utc::now()).is_empty());
        assert_eq!(j.due(Utc::now() + chrono::Duration::seconds(6)).len(), 1);
        j.cancel("a").unwrap();
        assert!(j.entries().is_empty());
        assert_ne!(new_key(), new_key());
    }

    impl JournalEntry {
        fn clone_with_times(&self, other: &JournalEntry) -> JournalEntry {
            JournalEntry {
                created_at: other.created_at,
                not_before: other.not_before,
                ..self.clone()
            }
        }
    }
}
