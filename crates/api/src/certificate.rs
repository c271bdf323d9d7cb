//! Participation certificates: proposed by rules, approved by admins, issued as signed credentials
//! shaped after Open Badges 3.0 and the W3C Verifiable Credentials data model, verifiable offline.
//!
//! - Rules propose certificates when a consultation closes and on
//!   `POST /api/v1/certificates/propose` ([`ProposeRequest`] → [`ProposeResponse`]):
//!   **participation** for at least one approved contribution to the consultation (an approved
//!   comment or proposal, a ballot or a survey answer); **distinction** for an accepted or partially
//!   accepted proposal, or a top place in the consultation's ranking.
//! - Admins list them (`GET /api/v1/certificates?status=&consultation_id=&after=&limit=` →
//!   `Page<Certificate>`), approve one (`POST /api/v1/certificates/{id}/approve`) or many
//!   (`POST /api/v1/certificates/approve` [`BulkApproveRequest`] → [`BulkApproveResponse`]), reject
//!   (`POST …/{id}/reject` [`ReasonRequest`]) or revoke an issued one (`POST …/{id}/revoke`
//!   [`ReasonRequest`]). Approval signs a [`Credential`] with the server's Ed25519 key and gives it a
//!   [verification code](normalise_code).
//! - Anyone fetches a certificate and its status by code (`GET /api/v1/public/certificates/{code}`
//!   → [`PublicCertificate`]) and the server's public key (`GET /api/v1/public/keys` →
//!   [`PublicKeys`]); `mosharekat certificate verify FILE` checks one offline.
//!
//! # What is signed
//!
//! The signature covers the bytes of [`canonical_json`] of the credential as a JSON value with the
//! single member `proof.proofValue` removed (every other member of `proof` — `type`, `created`,
//! `verificationMethod`, `proofPurpose` — is signed with the rest). `proofValue` is `z` followed by
//! the base58btc encoding (Bitcoin alphabet) of the 64-byte Ed25519 signature (multibase).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Category, Contribution, Language};

/// What a certificate recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateKind {
    /// At least one approved contribution to the consultation.
    Participation,
    /// An accepted (or partially accepted) proposal, or a top place in the consultation's ranking.
    Distinction,
}

impl CertificateKind {
    pub const ALL: [CertificateKind; 2] =
        [CertificateKind::Participation, CertificateKind::Distinction];

    pub fn as_str(self) -> &'static str {
        match self {
            CertificateKind::Participation => "participation",
            CertificateKind::Distinction => "distinction",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// Where a certificate is in its life: `proposed` → `approved` (issued) → `revoked`, or
/// `proposed` → `rejected`. Rejected and revoked are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Proposed,
    Approved,
    Rejected,
    Revoked,
}

impl CertificateStatus {
    pub const ALL: [CertificateStatus; 4] = [
        CertificateStatus::Proposed,
        CertificateStatus::Approved,
        CertificateStatus::Rejected,
        CertificateStatus::Revoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Proposed => "proposed",
            CertificateStatus::Approved => "approved",
            CertificateStatus::Rejected => "rejected",
            CertificateStatus::Revoked => "revoked",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// Why the rules proposed a certificate, and the participant's record in the consultation: what an
/// admin weighs before approving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateEvidence {
    /// Points earned in this consultation.
    pub score: i64,
    /// Place in the consultation's ranking (standard competition ranking), if ranked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
    /// Proposals of theirs the published decisions accepted or partially accepted (comment ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted_proposals: Vec<i64>,
    /// The contributions behind the score, newest first.
    pub contributions: Vec<Contribution>,
}

/// A certificate as admins see it: one row of `GET /api/v1/certificates`, and the answer of every
/// certificate write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: i64,
    pub kind: CertificateKind,
    pub status: CertificateStatus,
    pub participant_id: i64,
    pub display_name: String,
    pub category: Category,
    /// The language the participant reads (of the credential and the message announcing it).
    pub language: Language,
    pub consultation_id: i64,
    pub consultation_title_fa: String,
    pub consultation_title_en: String,
    pub evidence: CertificateEvidence,
    pub proposed_at: DateTime<Utc>,
    /// Who approved or rejected it, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The reason of a rejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<String>,
    /// Set once issued (approved): the code to verify it by, in display form (`XXXXX-XXXXX`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_reason: Option<String>,
}

/// `GET /api/v1/certificates` query string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CertificateStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// Body of `POST /api/v1/certificates/{id}/reject` and `…/{id}/revoke`: the reason is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonRequest {
    pub reason: String,
}

/// Longest rejection or revocation reason, in characters.
pub const MAX_REASON_CHARS: usize = 1_000;

impl ReasonRequest {
    pub fn validate(&self) -> Result<(), (crate::ErrorCode, String)> {
        use crate::ErrorCode;
        if self.reason.trim().is_empty() {
            return Err((ErrorCode::ReasonRequired, "a reason is required".into()));
        }
        if self.reason.contains('\0') {
            return Err((
                ErrorCode::InvalidText,
                "the reason contains a NUL character".into(),
            ));
        }
        if self.reason.chars().count() > MAX_REASON_CHARS {
            return Err((
                ErrorCode::Validation,
                format!("the reason is at most {MAX_REASON_CHARS} characters"),
            ));
        }
        Ok(())
    }
}

/// `POST /api/v1/certificates/approve`: approve several proposed certificates at once (the console
/// asks for a confirmation first). Each is approved in its own transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkApproveRequest {
    pub ids: Vec<i64>,
}

/// Most ids in one bulk approval.
pub const MAX_BULK_APPROVE: usize = 500;

/// A certificate a bulk approval passed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateSkip {
    pub id: i64,
    /// `not_found`, or `invalid_state` (not proposed any more).
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkApproveResponse {
    /// The certificates issued now.
    pub approved: Vec<Certificate>,
    pub skipped: Vec<CertificateSkip>,
}

/// `POST /api/v1/certificates/propose`: run the rules now, for one consultation or (no id) for
/// every closed one. Proposing is idempotent: a participant has at most one certificate of each
/// kind per consultation, and a rejected or revoked one is not proposed again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposeRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposeResponse {
    /// Ids of the certificates proposed now.
    pub proposed: Vec<i64>,
    /// The consultations the rules ran over.
    pub consultations: Vec<i64>,
}

// ---------------------------------------------------------------------------------------------
// The issued credential.

/// The JSON-LD contexts of every credential.
pub const CREDENTIAL_CONTEXT: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// The proof type (the Ed25519Signature2020 suite's shape; the signed bytes are those described
/// in the module documentation, not the suite's RDF canonicalisation).
pub const PROOF_TYPE: &str = "Ed25519Signature2020";

/// The public-key type of [`PublicKey`].
pub const KEY_TYPE: &str = "Ed25519VerificationKey2020";

/// An issued certificate: a verifiable credential shaped after Open Badges 3.0
/// (`OpenBadgeCredential`). This is the document a participant downloads and anyone can verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    #[serde(rename = "@context")]
    pub context: Vec<String>,
    /// `urn:mosharekat:certificate:<CODE>` (the verification code without its hyphen).
    pub id: String,
    /// `["VerifiableCredential", "OpenBadgeCredential"]`.
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub issuer: Issuer,
    /// When it was issued (whole seconds, UTC).
    #[serde(rename = "validFrom")]
    pub valid_from: DateTime<Utc>,
    /// The certificate's title, in the participant's language.
    pub name: String,
    /// The language of `name` and the achievement's texts: `fa` or `en`.
    #[serde(rename = "inLanguage")]
    pub in_language: Language,
    #[serde(rename = "credentialSubject")]
    pub credential_subject: CredentialSubject,
    /// Where its current status (approved or revoked) can be read.
    #[serde(rename = "credentialStatus")]
    pub credential_status: CredentialStatus,
    /// What the certificate was issued for.
    pub evidence: Vec<Evidence>,
    pub proof: Proof,
}

/// The issuing authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    pub id: String,
    /// `["Profile"]`.
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub name: String,
}

/// Who the certificate is about. The certificate is the participant's own document, so it carries
/// their display name whether or not they consented to be named in public lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialSubject {
    /// `urn:mosharekat:participant:<id>`.
    pub id: String,
    /// `["AchievementSubject"]`.
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub name: String,
    pub achievement: Achievement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Achievement {
    /// `urn:mosharekat:achievement:<kind>:<consultation id>`.
    pub id: String,
    /// `["Achievement"]`.
    #[serde(rename = "type")]
    pub types: Vec<String>,
    /// Open Badges achievement type: `Certificate` (participation) or `Award` (distinction).
    #[serde(rename = "achievementType")]
    pub achievement_type: String,
    /// `participation` or `distinction`.
    #[serde(rename = "mosharekatKind")]
    pub kind: CertificateKind,
    pub name: String,
    pub description: String,
    pub criteria: Criteria,
    /// The consultation it was earned in.
    #[serde(rename = "consultationId")]
    pub consultation_id: i64,
    #[serde(rename = "consultationTitle")]
    pub consultation_title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criteria {
    pub narrative: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialStatus {
    /// The public status route of this certificate, relative to the API root:
    /// `/api/v1/public/certificates/<CODE>`, or absolute when the server knows its public URL.
    pub id: String,
    /// `MosharekatCertificateStatus`.
    #[serde(rename = "type")]
    pub status_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// `["Evidence"]`.
    #[serde(rename = "type")]
    pub types: Vec<String>,
    pub name: String,
    pub description: String,
}

/// The signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// [`PROOF_TYPE`].
    #[serde(rename = "type")]
    pub proof_type: String,
    pub created: DateTime<Utc>,
    /// The signing key: `<issuer id>#<key id>` (the `id` of a [`PublicKey`]).
    #[serde(rename = "verificationMethod")]
    pub verification_method: String,
    /// `assertionMethod`.
    #[serde(rename = "proofPurpose")]
    pub proof_purpose: String,
    /// `z` + base58btc(64-byte Ed25519 signature).
    #[serde(rename = "proofValue")]
    pub proof_value: String,
}

/// `GET /api/v1/public/certificates/{code}` (the code in any case, with or without its hyphen).
/// Only issued certificates (approved or revoked) are found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCertificate {
    /// Display form, `XXXXX-XXXXX`.
    pub code: String,
    /// `approved` or `revoked`.
    pub status: CertificateStatus,
    pub kind: CertificateKind,
    pub consultation_id: i64,
    pub issued_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_reason: Option<String>,
    /// The signed document, exactly as issued.
    pub credential: Credential,
}

/// One public key of the issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    /// What a proof's `verificationMethod` names: `<issuer id>#key-<first 8 bytes of SHA-256 of
    /// the key, hex>`.
    pub id: String,
    /// [`KEY_TYPE`].
    #[serde(rename = "type")]
    pub key_type: String,
    pub controller: String,
    /// `z` + base58btc(0xed 0x01 ‖ 32-byte key), as Ed25519VerificationKey2020 writes it.
    #[serde(rename = "publicKeyMultibase")]
    pub public_key_multibase: String,
    /// The 32-byte key in hex, for tools that do not read multibase.
    #[serde(rename = "publicKeyHex")]
    pub public_key_hex: String,
}

/// `GET /api/v1/public/keys`: the keys certificates are signed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeys {
    pub issuer: String,
    pub keys: Vec<PublicKey>,
}

/// The outcome of checking a certificate (`mosharekat certificate verify`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyResult {
    /// The signature is good and the certificate is not known to be revoked.
    pub valid: bool,
    /// Whether the signature matched the document.
    pub signature_valid: bool,
    /// The status, when the document or the backend said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CertificateStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A sentence for a person.
    pub message: String,
}

// ---------------------------------------------------------------------------------------------
// Verification codes.

/// Crockford's base32 alphabet (no I, L, O, U).
pub const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters of a verification code: 9 random symbols and a check symbol.
pub const CODE_LEN: usize = 10;

/// The check symbol of 9 data symbols: `Σ wᵢ·vᵢ mod 32` with odd weights 1, 3, …, 17 (odd weights
/// are invertible mod 32, so any single mistyped symbol is caught).
pub fn code_check_symbol(data: &[u8]) -> Option<u8> {
    if data.len() != CODE_LEN - 1 {
        return None;
    }
    let mut sum = 0usize;
    for (i, c) in data.iter().enumerate() {
        let v = CODE_ALPHABET.iter().position(|a| a == c)?;
        sum += (2 * i + 1) * v;
    }
    Some(CODE_ALPHABET[sum % 32])
}

/// A code from 9 values in `0..32` (the server draws them at random).
pub fn code_from_values(values: [u8; CODE_LEN - 1]) -> String {
    let data: Vec<u8> = values
        .iter()
        .map(|v| CODE_ALPHABET[(*v % 32) as usize])
        .collect();
    let check = code_check_symbol(&data).expect("nine alphabet symbols");
    let mut s = String::from_utf8(data).expect("ASCII");
    s.push(check as char);
    s
}

/// A code as typed → its stored form (10 upper-case symbols), or `None` when it is not a valid
/// code. Accepts lower case, hyphens and spaces, and reads `I`/`L` as `1` and `O` as `0`, as
/// Crockford's base32 does.
pub fn normalise_code(input: &str) -> Option<String> {
    let mut out = Vec::with_capacity(CODE_LEN);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        };
        if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c as u8);
    }
    if out.len() != CODE_LEN || code_check_symbol(&out[..CODE_LEN - 1]) != Some(out[CODE_LEN - 1]) {
        return None;
    }
    String::from_utf8(out).ok()
}

/// A stored code in display form: `XXXXX-XXXXX`.
pub fn display_code(code: &str) -> String {
    if code.len() == CODE_LEN {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// Canonical serialisation and multibase.

/// The canonical form of a JSON value: no whitespace; object members sorted by key (by Unicode
/// code point, i.e. byte order of UTF-8); strings with `"`, `\` and the control characters
/// U+0000–U+001F escaped (`\b \f \n \r \t` by name, the rest as `\u00xx` in lower-case hex) and
/// every other character written as itself in UTF-8; numbers as serde_json writes them (the
/// credentials carry integers only). For the keys and integers of a credential this is the JSON
/// Canonicalization Scheme (RFC 8785).
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The bytes a credential's signature covers: [`canonical_json`] of the document without
/// `proof.proofValue`. `None` when the value is not an object with a `proof` object.
pub fn signing_input(credential: &serde_json::Value) -> Option<Vec<u8>> {
    let mut doc = credential.clone();
    let proof = doc.get_mut("proof")?.as_object_mut()?;
    proof.remove("proofValue");
    Some(canonical_json(&doc).into_bytes())
}

/// Base58 (Bitcoin alphabet) of `bytes`.
pub fn base58_encode(bytes: &[u8]) -> String {
    bs58::encode(bytes).into_string()
}

/// The bytes of a base58 (Bitcoin alphabet) string, `None` for a character outside it.
pub fn base58_decode(s: &str) -> Option<Vec<u8>> {
    bs58::decode(s).into_vec().ok()
}

/// Multibase prefix of Ed25519 public keys (multicodec `ed25519-pub`).
pub const ED25519_MULTICODEC: [u8; 2] = [0xed, 0x01];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_round_trip() {
        for k in CertificateKind::ALL {
            assert_eq!(CertificateKind::from_code(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::from(k.as_str())
            );
        }
        for s in CertificateStatus::ALL {
            assert_eq!(CertificateStatus::from_code(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::from(s.as_str())
            );
        }
    }

    #[test]
    fn verification_codes_catch_a_mistyped_symbol() {
        let code = code_from_values([1, 2, 3, 4, 5, 6, 7, 8, 31]);
        assert_eq!(code.len(), CODE_LEN);
        assert_eq!(normalise_code(&code).as_deref(), Some(code.as_str()));
        let shown = display_code(&code);
        assert_eq!(shown.len(), 11);
        assert_eq!(
            normalise_code(&shown.to_lowercase()).as_deref(),
            Some(code.as_str())
        );
        // Every single substitution of every position is refused.
        for pos in 0..CODE_LEN {
            for &sym in CODE_ALPHABET {
                let mut b = code.clone().into_bytes();
                if b[pos] == sym {
                    continue;
                }
                b[pos] = sym;
                assert_eq!(normalise_code(std::str::from_utf8(&b).unwrap()), None);
            }
        }
        assert_eq!(normalise_code("short"), None);
        assert_eq!(normalise_code("ÄBCDE-FGHJK"), None);
        // Crockford's look-alikes read as digits.
        let with_zero = code_from_values([0, 1, 0, 1, 0, 1, 0, 1, 0]);
        let typed = with_zero.replace('0', "o").replace('1', "l");
        assert_eq!(normalise_code(&typed), Some(with_zero));
    }

    #[test]
    fn canonical_json_sorts_keys_and_escapes_minimally() {
        let v = json!({"b": [1, {"z": null, "a": true}], "a": "م\"\\\n\u{1}", "A": -3});
        assert_eq!(
            canonical_json(&v),
            "{\"A\":-3,\"a\":\"م\\\"\\\\\\n\\u0001\",\"b\":[1,{\"a\":true,\"z\":null}]}"
        );
        let doc = json!({"x": 1, "proof": {"type": "t", "proofValue": "zabc"}});
        assert_eq!(
            signing_input(&doc).unwrap(),
            b"{\"proof\":{\"type\":\"t\"},\"x\":1}".to_vec()
        );
        assert_eq!(signing_input(&json!({"x": 1})), None);
    }

    #[test]
    fn base58_round_trips() {
        assert_eq!(base58_encode(b""), "");
        assert_eq!(base58_encode(&[0, 0, 1]), "112");
        assert_eq!(base58_encode(b"hello world"), "StV1DL6CwTryKyV");
        for bytes in [vec![0u8; 3], vec![255; 64], (0..=255).collect::<Vec<u8>>()] {
            assert_eq!(base58_decode(&base58_encode(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base58_decode("0OIl"), None);
    }
}
