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

use super::{Client, ClientResult, portal_home};

/// The portal's verification page of a certificate, `{portal home}verify/{code}` with the code
/// as printed (`ABCDE-FGHJ1`, the page's one address; a code typed otherwise is redirected
/// there) under a portal home such as `https://participation.example.ir/fa/`.
pub fn verification_page(portal_home: &str, code: &str) -> String {
    let shown = mosharekat_api::certificate::normalise_code(code)
        .map(|c| mosharekat_api::certificate::display_code(&c))
        .unwrap_or_else(|| code.trim().to_owned());
    format!("{portal_home}verify/{}", paths::encode(&shown))
}

/// The portal's verification page of a certificate whose credential names its status URL
/// (`{public address}/api/v1/public/certificates/{code}`, absolute when the backend was given
/// its public address with `serve --public-url`): the same page under that public address.
/// `None` for a relative status URL or one of another shape.
pub fn verification_page_from_status(status_id: &str, code: &str) -> Option<String> {
    let marker = format!(
        "{}{}",
        mosharekat_api::API_PREFIX,
        paths::public_certificate("")
    );
    let at = status_id.rfind(&marker)?;
    let base = reqwest::Url::parse(&status_id[..at]).ok()?;
    if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
        return None;
    }
    Some(verification_page(portal_home(&base).as_str(), code))
}

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

    /// Where a certificate with this code is verified on this backend: the portal's verification
    /// page (what the certificate's QR code encodes, see [`verification_page`]).
    pub fn verification_url(&self, code: &str) -> String {
        verification_page(self.portal_home().as_str(), code)
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
    fn verification_urls_lead_to_the_portal_page_of_the_printed_code() {
        let client = Client::new("http://127.0.0.1:8080/".parse().unwrap());
        // A code is 10 symbols, the last a check symbol; `display_code` puts the hyphen in.
        let code = mosharekat_api::certificate::display_code(&valid_code());
        assert_eq!(
            client.verification_url(&code),
            format!("http://127.0.0.1:8080/fa/verify/{code}")
        );
        assert_eq!(
            client.verification_url(&code.replace('-', "").to_lowercase()),
            format!("http://127.0.0.1:8080/fa/verify/{code}"),
            "typed another way, the same page"
        );
        let behind_a_prefix = Client::new("https://gov.example/mosharekat".parse().unwrap());
        assert_eq!(
            behind_a_prefix.verification_url(&code),
            format!("https://gov.example/mosharekat/fa/verify/{code}")
        );
    }

    #[test]
    fn a_public_status_url_gives_the_public_portal_page() {
        let code = mosharekat_api::certificate::display_code(&valid_code());
        assert_eq!(
            verification_page_from_status(
                &format!("https://participation.example.ir/api/v1/public/certificates/{code}"),
                &code
            ),
            Some(format!("https://participation.example.ir/fa/verify/{code}"))
        );
        assert_eq!(
            verification_page_from_status(&format!("/api/v1/public/certificates/{code}"), &code),
            None,
            "relative: the backend has no public address"
        );
        assert_eq!(
            verification_page_from_status("urn:x:certificate", &code),
            None
        );
    }

    /// A code with its right check symbol.
    fn valid_code() -> String {
        let data = b"ABCDEFGHJ";
        let check = mosharekat_api::certificate::code_check_symbol(data).unwrap();
        format!("ABCDEFGHJ{}", check as char)
    }
}
