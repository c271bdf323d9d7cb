//! The audit log's hash chain: each entry's hash covers the previous entry's hash and its own
//! content, so altering, removing or reordering a stored row breaks the chain at that row.

use mosharekat_api::audit::{AuditEntry, AuditVerification};
use sha2::{Digest, Sha256};

/// `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of one entry: SHA-256 over its fields, each length-prefixed so that no two different
/// entries can serialise to the same bytes.
pub fn entry_hash(
    prev_hash: &str,
    at_ms: i64,
    actor: &str,
    action: &str,
    target: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    let at = at_ms.to_string();
    for field in [
        Some(prev_hash),
        Some(at.as_str()),
        Some(actor),
        Some(action),
        Some(target),
        before,
        after,
    ] {
        match field {
            Some(s) => {
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    hex::encode(h.finalize())
}

/// Walks the chain in id order and reports the first entry whose link or hash does not match.
#[derive(Debug, Default)]
pub struct ChainVerifier {
    entries: i64,
    last_hash: Option<String>,
    first_broken_id: Option<i64>,
}

impl ChainVerifier {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed the next entry. `before_json`/`after_json` are the stored texts (the hash covers them).
    pub fn push(
        &mut self,
        entry: &AuditEntry,
        before_json: Option<&str>,
        after_json: Option<&str>,
    ) {
        self.entries += 1;
        if self.first_broken_id.is_some() {
            return;
        }
        let expected_prev = self.last_hash.as_deref().unwrap_or(GENESIS_HASH);
        let hash = entry_hash(
            &entry.prev_hash,
            entry.at.timestamp_millis(),
            &entry.actor,
            &entry.action,
            &entry.target,
            before_json,
            after_json,
        );
        if entry.prev_hash != expected_prev || hash != entry.hash {
            self.first_broken_id = Some(entry.id);
        }
        self.last_hash = Some(entry.hash.clone());
    }

    pub fn finish(self) -> AuditVerification {
        AuditVerification {
            entries: self.entries,
            first_broken_id: self.first_broken_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|id| {
                let after = format!("{{\"n\":{id}}}");
                let hash = entry_hash(&prev, id * 1000, "admin", "x.do", "x:1", None, Some(&after));
                let e = AuditEntry {
                    id,
                    at: DateTime::from_timestamp_millis(id * 1000).unwrap(),
                    actor: "admin".into(),
                    action: "x.do".into(),
                    target: "x:1".into(),
                    before: None,
                    after: Some(serde_json::from_str(&after).unwrap()),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry]) -> AuditVerification {
        let mut v = ChainVerifier::new();
        for e in entries {
            let after = e.after.as_ref().map(|a| a.to_string());
            v.push(e, None, after.as_deref());
        }
        v.finish()
    }

    #[test]
    fn intact_chain_verifies() {
        let r = verify(&chain(5));
        assert_eq!(r.entries, 5);
        assert_eq!(r.first_broken_id, None);
    }

    #[test]
    fn altered_removed_or_reordered_rows_are_found() {
        let mut c = chain(5);
        c[2].actor = "mallory".into();
        assert_eq!(verify(&c).first_broken_id, Some(3));

        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).first_broken_id, Some(3));

        let mut c = chain(5);
        c.swap(3, 4);
        assert_eq!(verify(&c).first_broken_id, Some(5));
    }

    #[test]
    fn fields_cannot_bleed_into_each_other() {
        assert_ne!(
            entry_hash(GENESIS_HASH, 1, "ab", "c", "t", None, None),
            entry_hash(GENESIS_HASH, 1, "a", "bc", "t", None, None)
        );
        assert_ne!(
            entry_hash(GENESIS_HASH, 1, "a", "b", "t", None, Some("")),
            entry_hash(GENESIS_HASH, 1, "a", "b", "t", Some(""), None)
        );
    }
}
