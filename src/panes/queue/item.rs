//! What the Queue pane knows of each claimed comment: the claim, the moderator's tags, the
//! decision journaled for it and where that stands, a decision someone else made meanwhile; and
//! the lease the claims are held under.

use chrono::{DateTime, Duration, Utc};
use mosharekat_api::{ClaimedComment, CommentStatus, ModerationAction};

/// Shortest wait between two lease renewals, whatever the lease says (a guard against a clock
/// far from the server's, and the retry delay after a failed renewal).
pub(super) const MIN_RENEW_WAIT: Duration = Duration::seconds(10);

/// What the server accepts as concern tags (`crates/server/src/reasons.rs`); checked here too so
/// that a bad tag list is refused while the moderator can still fix it.
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 64;

/// One claimed comment and what this moderator did with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub claimed: ClaimedComment,
    /// Concern tags typed for it; they go with its decision.
    pub tags: Vec<String>,
    pub decision: Option<MyDecision>,
    /// Another moderator decided it while this one held it.
    pub elsewhere: Option<DecidedElsewhere>,
}

/// A decision this moderator journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyDecision {
    /// The journal entry (idempotency key); a group decision shares it across its members.
    pub key: String,
    pub action: ModerationAction,
    /// Part of a decision on the whole campaign group.
    pub group: bool,
    pub state: DecisionState,
    /// The note it carried, given back to the moderator on undo.
    pub note: Option<String>,
    /// Until when `undo` can take it back.
    pub undo_until: DateTime<Utc>,
}

/// Where a journaled decision stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionState {
    /// On disk, waiting for the grace time or the backend.
    Pending,
    /// Recorded by the backend.
    Applied,
    /// Refused by the backend (or skipped by a group decision); the message is safe to show.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedElsewhere {
    pub user: String,
    pub status: CommentStatus,
}

impl Item {
    pub fn new(claimed: ClaimedComment) -> Item {
        Item {
            claimed,
            tags: Vec::new(),
            decision: None,
            elsewhere: None,
        }
    }

    pub fn id(&self) -> i64 {
        self.claimed.comment.id
    }

    pub fn group_id(&self) -> i64 {
        self.claimed.comment.duplicate_group_id
    }

    pub fn group_size(&self) -> i64 {
        self.claimed.comment.duplicate_group_size
    }

    /// Nobody has decided it yet.
    pub fn undecided(&self) -> bool {
        self.decision.is_none() && self.elsewhere.is_none()
    }

    /// The moderator may decide it now: undecided, or a decision of theirs was refused.
    pub fn decidable(&self) -> bool {
        self.elsewhere.is_none()
            && self
                .decision
                .as_ref()
                .is_none_or(|d| matches!(d.state, DecisionState::Failed(_)))
    }

    /// Its claim must be kept alive: nothing decided it yet, or a decision of ours is on its way.
    pub fn needs_claim(&self) -> bool {
        self.elsewhere.is_none()
            && self
                .decision
                .as_ref()
                .is_none_or(|d| d.state == DecisionState::Pending)
    }

    /// Nothing more will happen to it here: it can leave the list at the next claim.
    pub fn finished(&self) -> bool {
        !self.needs_claim()
    }
}

/// When the lease of the held claims ends and when to renew it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub expires_at: DateTime<Utc>,
    pub renew_at: DateTime<Utc>,
}

impl Lease {
    /// A lease the server set to end at `expires_at`, heard of at `now`: renewed half-way.
    pub(super) fn new(now: DateTime<Utc>, expires_at: DateTime<Utc>) -> Lease {
        let half = (expires_at - now) / 2;
        Lease {
            expires_at,
            renew_at: now + half.max(MIN_RENEW_WAIT),
        }
    }
}

/// Concern tags typed as a list separated by Latin or Persian commas, blanks and repeats
/// dropped; `None` when they exceed what the server accepts.
pub fn parse_tags(text: &str) -> Option<Vec<String>> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split([',', '،', '\n']).map(str::trim) {
        if tag.is_empty() || tags.iter().any(|t| t == tag) {
            continue;
        }
        if tag.chars().count() > MAX_TAG_CHARS || tag.chars().any(char::is_control) {
            return None;
        }
        tags.push(tag.to_owned());
    }
    if tags.len() > MAX_TAGS {
        return None;
    }
    Some(tags)
}
