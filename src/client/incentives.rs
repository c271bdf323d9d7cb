//! Calls of the incentives protocol (`mosharekat_api::score`, `mosharekat_api::certificate`):
//! the leaderboard and score explanations, and the certificates admins approve, reject and revoke.

use mosharekat_api::{
    BulkApproveRequest, BulkApproveResponse, Certificate, CertificateStatus, LeaderboardQuery,
    LeaderboardResponse, Page, ParticipantScore, ProposeRequest, ProposeResponse,
    PublicCertificate, PublicKeys, ReasonRequest,
};

use mosharekat_api::certificate::MAX_BULK_APPROVE;
use mosharekat_api::paths;
use reqwest::Method;

use super::{Client, ClientResult};

/// The most certificates one list load reads (following the keyset cursor).
pub const MAX_CERTIFICATES_LISTED: usize = 2_000;

impl Client {
    /// One page of certificates, of one status or all.
    pub async fn certificates(
        &self,
        status: Option<CertificateStatus>,
        after: Option<&str>,
        limit: u32,
    ) -> ClientResult<Page<Certificate>> {
        let mut path = format!("{}?limit={limit}", paths::CERTIFICATES);
        if let Some(status) = status {
            path.push_str(&format!("&status={}", status.as_str()));
        }
        if let Some(after) = after {
            path.push_str(&format!("&after={}", paths::encode(after)));
        }
        self.get(&path).await
    }

    /// Certificates of one status (or all), following the cursor up to
    /// `MAX_CERTIFICATES_LISTED`. Returns them and whether more were left unread.
    pub async fn certificates_list(
        &self,
        status: Option<CertificateStatus>,
    ) -> ClientResult<(Vec<Certificate>, bool)> {
        let mut all = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self.certificates(status, after.as_deref(), 500).await?;
            all.extend(page.items);
            match page.next_after {
                Some(next) if all.len() < MAX_CERTIFICATES_LISTED => after = Some(next),
                Some(_) => return Ok((all, true)),
                None => return Ok((all, false)),
            }
        }
    }

    /// Approve (issue) one proposed certificate.
    pub async fn approve_certificate(&self, id: i64) -> ClientResult<Certificate> {
        self.send(
            Method::POST,
            &paths::certificate_approve(id),
            None::<&()>,
            None,
        )
        .await
    }

    /// Approve several proposed certificates (in calls of at most [`MAX_BULK_APPROVE`]); those
    /// no longer proposed are skipped.
    pub async fn bulk_approve_certificates(
        &self,
        ids: Vec<i64>,
    ) -> ClientResult<BulkApproveResponse> {
        let mut all = BulkApproveResponse {
            approved: Vec::new(),
            skipped: Vec::new(),
        };
        for chunk in ids.chunks(MAX_BULK_APPROVE) {
            let ids = chunk.to_vec();
            let answer: BulkApproveResponse = self
                .post(paths::CERTIFICATES_APPROVE, &BulkApproveRequest { ids })
                .await?;
            all.approved.extend(answer.approved);
            all.skipped.extend(answer.skipped);
        }
        Ok(all)
    }

    pub async fn reject_certificate(&self, id: i64, reason: &str) -> ClientResult<Certificate> {
        let body = ReasonRequest {
            reason: reason.into(),
        };
        self.post(&paths::certificate_reject(id), &body).await
    }

    pub async fn revoke_certificate(&self, id: i64, reason: &str) -> ClientResult<Certificate> {
        let body = ReasonRequest {
            reason: reason.into(),
        };
        self.post(&paths::certificate_revoke(id), &body).await
    }

    /// Run the proposal rules now (for one consultation, or every closed one).
    pub async fn propose_certificates(
        &self,
        consultation_id: Option<i64>,
    ) -> ClientResult<ProposeResponse> {
        self.post(
            paths::CERTIFICATES_PROPOSE,
            &ProposeRequest { consultation_id },
        )
        .await
    }

    /// An issued certificate and its status, as anyone sees it by its code.
    pub async fn public_certificate(&self, code: &str) -> ClientResult<PublicCertificate> {
        self.get(&paths::public_certificate(code)).await
    }

    pub async fn public_keys(&self) -> ClientResult<PublicKeys> {
        self.get(paths::PUBLIC_KEYS).await
    }

    /// Where a certificate with this code is verified on this backend: its public route.
    pub fn verification_url(&self, code: &str) -> String {
        let compact: String = code.chars().filter(|c| *c != '-').collect();
        self.url(&paths::public_certificate(&compact))
    }

    pub async fn leaderboard(&self, query: &LeaderboardQuery) -> ClientResult<LeaderboardResponse> {
        let mut path = format!("{}?period={}", paths::LEADERBOARD, query.period.as_str());
        if let Some(province) = query.province {
            path.push_str(&format!("&province={}", province.code()));
        }
        if let Some(category) = query.category {
            path.push_str(&format!("&category={}", category.as_str()));
        }
        if let Some(id) = query.consultation_id {
            path.push_str(&format!("&consultation_id={id}"));
        }
        if let Some(limit) = query.limit {
            path.push_str(&format!("&limit={limit}"));
        }
        self.get(&path).await
    }

    /// A participant's score with the contributions behind it.
    pub async fn participant_score(&self, participant_id: i64) -> ClientResult<ParticipantScore> {
        self.get(&paths::participant_score(participant_id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_urls_use_the_compact_code_under_the_api_root() {
        let client = Client::new("http://127.0.0.1:8080/".parse().unwrap());
        assert_eq!(
            client.verification_url("ABCDE-FGHJ1"),
            "http://127.0.0.1:8080/api/v1/public/certificates/ABCDEFGHJ1"
        );
    }
}
