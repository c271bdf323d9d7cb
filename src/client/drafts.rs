//! Drafts as documents: importing a version of a consultation's draft text, reading a version and
//! comparing two.

use mosharekat_api::paths;
use mosharekat_api::{DraftDiff, DraftImport, DraftVersion};
use reqwest::Method;

use super::{Client, ClientResult};

impl Client {
    /// Import a new version (`PUT …/document`); the backend recognises the structure.
    pub async fn import_draft(
        &self,
        consultation_id: i64,
        import: &DraftImport,
    ) -> ClientResult<DraftVersion> {
        self.send(
            Method::PUT,
            &paths::consultation_document(consultation_id),
            Some(import),
            None,
        )
        .await
    }

    /// A version of the draft, or the latest.
    pub async fn draft(
        &self,
        consultation_id: i64,
        version: Option<i64>,
    ) -> ClientResult<DraftVersion> {
        let query = version.map(|v| format!("?version={v}")).unwrap_or_default();
        self.get(&format!(
            "{}{query}",
            paths::consultation_document(consultation_id)
        ))
        .await
    }

    /// Two versions compared article by article.
    pub async fn draft_diff(
        &self,
        consultation_id: i64,
        from: i64,
        to: i64,
    ) -> ClientResult<DraftDiff> {
        self.get(&format!(
            "{}?from={from}&to={to}",
            paths::consultation_document_diff(consultation_id)
        ))
        .await
    }
}
