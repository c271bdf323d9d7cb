//! Signing and verifying certificates: the server's Ed25519 key (made at first start, kept in a
//! file only its owner may read), credentials built and signed at approval, and the offline check
//! `mosharekat certificate verify` runs.
//!
//! What is signed is defined once, in `mosharekat_api::certificate::signing_input`: the canonical
//! JSON of the credential without `proof.proofValue`.

use std::path::Path;

use chrono::{DateTime, SubsecRound, Utc};
pub use ed25519_dalek::VerifyingKey;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _};
use mosharekat_api::certificate::{
    self, Achievement, CREDENTIAL_CONTEXT, CredentialStatus, CredentialSubject, Criteria,
    ED25519_MULTICODEC, Evidence, Issuer, KEY_TYPE, PROOF_TYPE, Proof,
};
use mosharekat_api::{
    CertificateKind, CertificateStatus, Credential, Language, PublicKey, PublicKeys, paths,
};
use sha2::Digest;

/// The issuer id when none is configured.
pub const DEFAULT_ISSUER_ID: &str = "urn:mosharekat:issuer";

/// The name certificates are issued under when none is configured (`MOSHAREKAT_ISSUER_NAME`).
pub const DEFAULT_ISSUER_NAME: &str =
    "وزارت آموزش و پرورش — سامانه مشارکت الکترونیکی / Ministry of Education — e-participation";

/// The server's signing identity.
pub struct Signer {
    key: SigningKey,
    pub issuer_id: String,
    pub issuer_name: String,
    /// Prefix of the status URL in credentials (e.g. `https://participation.example.ir`); empty:
    /// the status id is the path alone.
    pub public_base_url: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("issuer_id", &self.issuer_id)
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

impl Signer {
    pub fn new(key: SigningKey) -> Self {
        Self {
            key,
            issuer_id: DEFAULT_ISSUER_ID.into(),
            issuer_name: DEFAULT_ISSUER_NAME.into(),
            public_base_url: String::new(),
        }
    }

    /// A key that lives as long as the process (tests, or a server told to keep no key file).
    pub fn ephemeral() -> Self {
        Self::new(SigningKey::from_bytes(&rand::random::<[u8; 32]>()))
    }

    /// Read the key at `path`, or make one there (mode 0600, written to a side file and moved into
    /// place so a crash never leaves half a key).
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        Ok(Self::new(load_or_create_key(path)?))
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// A secret for another use of this server (the portal's CSRF tokens), derived from the signing
    /// key so every instance that shares the key file agrees on it without another file to keep.
    /// Distinct `purpose`s give unrelated secrets, and none of them reveals the signing key.
    pub fn derived_secret(&self, purpose: &str) -> [u8; 32] {
        use hmac::{KeyInit, Mac};
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.key.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// `key-<first 8 bytes of SHA-256 of the public key, hex>`.
    pub fn key_id(&self) -> String {
        key_id(&self.verifying_key())
    }

    pub fn verification_method(&self) -> String {
        format!("{}#{}", self.issuer_id, self.key_id())
    }

    pub fn public_keys(&self) -> PublicKeys {
        let public = self.verifying_key();
        PublicKeys {
            issuer: self.issuer_id.clone(),
            keys: vec![PublicKey {
                id: self.verification_method(),
                key_type: KEY_TYPE.into(),
                controller: self.issuer_id.clone(),
                public_key_multibase: multibase_key(&public),
                public_key_hex: hex::encode(public.as_bytes()),
            }],
        }
    }

    /// Build and sign the credential of an approved certificate.
    pub fn issue(&self, facts: &CredentialFacts, now: DateTime<Utc>) -> Credential {
        let now = now.trunc_subsecs(0);
        let lang = facts.language;
        let name = lang
            .catalogue()
            .text(&format!("credential.name.{}", facts.kind.as_str()))
            .to_owned();
        let title = match lang {
            Language::Fa => &facts.consultation_title_fa,
            Language::En => &facts.consultation_title_en,
        };
        let (description, narrative) = describe(facts.kind, lang, title);
        let code = &facts.code;
        let status_path = format!(
            "{}{}",
            mosharekat_api::API_PREFIX,
            paths::public_certificate(&certificate::display_code(code))
        );
        let mut credential = Credential {
            context: CREDENTIAL_CONTEXT.iter().map(|s| (*s).to_owned()).collect(),
            id: format!("urn:mosharekat:certificate:{code}"),
            types: vec!["VerifiableCredential".into(), "OpenBadgeCredential".into()],
            issuer: Issuer {
                id: self.issuer_id.clone(),
                types: vec!["Profile".into()],
                name: self.issuer_name.clone(),
            },
            valid_from: now,
            name: name.to_owned(),
            in_language: lang,
            credential_subject: CredentialSubject {
                id: format!("urn:mosharekat:participant:{}", facts.participant_id),
                types: vec!["AchievementSubject".into()],
                name: facts.display_name.clone(),
                achievement: Achievement {
                    id: format!(
                        "urn:mosharekat:achievement:{}:{}",
                        facts.kind.as_str(),
                        facts.consultation_id
                    ),
                    types: vec!["Achievement".into()],
                    achievement_type: match facts.kind {
                        CertificateKind::Participation => "Certificate",
                        CertificateKind::Distinction => "Award",
                    }
                    .into(),
                    kind: facts.kind,
                    name: name.to_owned(),
                    description,
                    criteria: Criteria { narrative },
                    consultation_id: facts.consultation_id,
                    consultation_title: title.clone(),
                },
            },
            credential_status: CredentialStatus {
                id: format!(
                    "{}{status_path}",
                    self.public_base_url.trim_end_matches('/')
                ),
                status_type: "MosharekatCertificateStatus".into(),
            },
            evidence: facts.evidence.clone(),
            proof: Proof {
                proof_type: PROOF_TYPE.into(),
                created: now,
                verification_method: self.verification_method(),
                proof_purpose: "assertionMethod".into(),
                proof_value: String::new(),
            },
        };
        let value = serde_json::to_value(&credential).expect("a credential is JSON");
        let input = certificate::signing_input(&value).expect("a credential has a proof");
        let signature = self.key.sign(&input);
        credential.proof.proof_value =
            format!("z{}", certificate::base58_encode(&signature.to_bytes()));
        credential
    }
}

/// What a credential says, gathered from the database at approval.
#[derive(Debug, Clone)]
pub struct CredentialFacts {
    pub code: String,
    pub kind: CertificateKind,
    pub participant_id: i64,
    pub display_name: String,
    pub language: Language,
    pub consultation_id: i64,
    pub consultation_title_fa: String,
    pub consultation_title_en: String,
    pub evidence: Vec<Evidence>,
}

/// The credential's description and criteria narrative, from the locale files.
fn describe(kind: CertificateKind, lang: Language, title: &str) -> (String, String) {
    let cat = lang.catalogue();
    (
        cat.format(
            &format!("credential.description.{}", kind.as_str()),
            &[("title", title)],
        ),
        cat.text(&format!("credential.criteria.{}", kind.as_str()))
            .to_owned(),
    )
}

fn key_id(key: &VerifyingKey) -> String {
    let digest = sha2::Sha256::digest(key.as_bytes());
    format!("key-{}", hex::encode(&digest[..8]))
}

/// `z` + base58btc(0xed01 ‖ key).
pub fn multibase_key(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_MULTICODEC.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", certificate::base58_encode(&bytes))
}

/// A public key from its multibase (`z…` with the ed25519 prefix) or hex form.
pub fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let text = text.trim();
    let bytes: Vec<u8> = if let Some(b58) = text.strip_prefix('z') {
        let raw = certificate::base58_decode(b58)?;
        raw.strip_prefix(&ED25519_MULTICODEC[..])?.to_vec()
    } else {
        hex::decode(text).ok()?
    };
    let array: [u8; 32] = bytes.try_into().ok()?;
    VerifyingKey::from_bytes(&array).ok()
}

/// Why a document failed verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("this is not a certificate: {0}")]
    NotACredential(String),
    #[error("the certificate was signed with key {0}, which is not the key given")]
    UnknownKey(String),
    #[error(
        "the signature does not match the document: it was changed after it was signed, or not signed by this issuer"
    )]
    BadSignature,
}

/// Check the signature of a credential (as JSON, exactly as downloaded) against the keys.
pub fn verify_credential(
    credential: &serde_json::Value,
    keys: &[VerifyingKey],
) -> Result<(), VerifyError> {
    let proof = credential
        .get("proof")
        .and_then(|p| p.as_object())
        .ok_or_else(|| VerifyError::NotACredential("it has no proof".into()))?;
    if proof.get("type").and_then(|t| t.as_str()) != Some(PROOF_TYPE) {
        return Err(VerifyError::NotACredential(format!(
            "its proof is not of type {PROOF_TYPE}"
        )));
    }
    let value = proof
        .get("proofValue")
        .and_then(|v| v.as_str())
        .ok_or_else(|| VerifyError::NotACredential("its proof has no proofValue".into()))?;
    let signature = value
        .strip_prefix('z')
        .and_then(certificate::base58_decode)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b))
        .ok_or(VerifyError::BadSignature)?;
    let method = proof
        .get("verificationMethod")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let input = certificate::signing_input(credential)
        .ok_or_else(|| VerifyError::NotACredential("it has no proof".into()))?;
    // The key the proof names, when it is among those given; else try them all (a key file of one
    // key verifies documents whatever issuer id they carry).
    let named: Vec<&VerifyingKey> = keys
        .iter()
        .filter(|k| method.ends_with(&format!("#{}", key_id(k))))
        .collect();
    let candidates: Vec<&VerifyingKey> = if named.is_empty() {
        keys.iter().collect()
    } else {
        named
    };
    if candidates.is_empty() {
        return Err(VerifyError::UnknownKey(method.to_owned()));
    }
    if candidates
        .iter()
        .any(|k| k.verify(&input, &signature).is_ok())
    {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

/// The status a downloaded file states, when it is a `PublicCertificate` (the public route's
/// answer) rather than the bare credential.
pub fn stated_status(document: &serde_json::Value) -> Option<CertificateStatus> {
    document
        .get("status")
        .and_then(|s| s.as_str())
        .and_then(CertificateStatus::from_code)
}

fn load_or_create_key(path: &Path) -> anyhow::Result<SigningKey> {
    use anyhow::Context;
    match std::fs::read_to_string(path) {
        Ok(text) => {
            check_private(path)?;
            let bytes = hex::decode(text.trim())
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .with_context(|| {
                    format!("{} does not hold a key (64 hex digits)", path.display())
                })?;
            Ok(SigningKey::from_bytes(&bytes))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            let side = path.with_extension("new");
            write_private(
                &side,
                format!("{}\n", hex::encode(key.to_bytes())).as_bytes(),
            )
            .with_context(|| format!("writing {}", side.display()))?;
            std::fs::rename(&side, path)
                .with_context(|| format!("moving the key to {}", path.display()))?;
            tracing::info!("made a new certificate signing key at {}", path.display());
            Ok(key)
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Refuse a key file others may read.
#[cfg(unix)]
fn check_private(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        anyhow::bail!(
            "the signing key {} may be read by others (mode {:o}): make it 0600",
            path.display(),
            mode & 0o777
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> CredentialFacts {
        CredentialFacts {
            code: mosharekat_api::certificate::code_from_values([1, 2, 3, 4, 5, 6, 7, 8, 9]),
            kind: CertificateKind::Participation,
            participant_id: 7,
            display_name: "مریم".into(),
            language: Language::Fa,
            consultation_id: 3,
            consultation_title_fa: "آیین‌نامه".into(),
            consultation_title_en: "Regulation".into(),
            evidence: vec![],
        }
    }

    #[test]
    fn an_issued_credential_verifies_and_any_change_fails() {
        let signer = Signer::ephemeral();
        let credential = signer.issue(&facts(), Utc::now());
        let keys = [signer.verifying_key()];
        let value = serde_json::to_value(&credential).unwrap();
        assert_eq!(verify_credential(&value, &keys), Ok(()));
        let mut changed = value.clone();
        changed["credentialSubject"]["name"] = "Someone else".into();
        assert_eq!(
            verify_credential(&changed, &keys),
            Err(VerifyError::BadSignature)
        );
        let mut added = value.clone();
        added["extra"] = 1.into();
        assert!(verify_credential(&added, &keys).is_err());
        let other = Signer::ephemeral();
        assert!(verify_credential(&value, &[other.verifying_key()]).is_err());
    }

    #[test]
    fn keys_round_trip_through_multibase_and_hex() {
        let signer = Signer::ephemeral();
        let keys = signer.public_keys();
        let k = &keys.keys[0];
        assert_eq!(
            parse_public_key(&k.public_key_multibase),
            Some(signer.verifying_key())
        );
        assert_eq!(
            parse_public_key(&k.public_key_hex),
            Some(signer.verifying_key())
        );
        assert!(
            k.public_key_multibase.starts_with("z6Mk"),
            "{}",
            k.public_key_multibase
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_made_once_and_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/signing.key");
        let a = Signer::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let b = Signer::load_or_create(&path).unwrap();
        assert_eq!(a.verifying_key(), b.verifying_key());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(Signer::load_or_create(&path).is_err());
    }
}
