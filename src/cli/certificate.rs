//! `mosharekat certificate verify FILE`: check a downloaded certificate offline.
//!
//! FILE is either the credential itself or the answer of `GET /api/v1/public/certificates/{code}`
//! (the credential with its status). The signature is checked against the issuer's public key,
//! from `--key FILE` (the JSON of `GET /api/v1/public/keys`, or one key in multibase or hex) or
//! fetched from `--backend URL`. With `--backend`, the current status is fetched too; without it,
//! the status the file states (if any) is reported. Exit 0: valid; 1: invalid or revoked; 2: the
//! check could not be made.

use std::path::PathBuf;
use std::process::ExitCode;

use mosharekat_api::{CertificateStatus, PublicCertificate, PublicKeys, VerifyResult, paths};
use mosharekat_server::incentives::credential::{parse_public_key, stated_status};
use mosharekat_server::incentives::verify_credential;

#[derive(Debug, clap::Subcommand)]
pub enum CertificateCommand {
    /// Check a downloaded certificate's signature (and status) with the issuer's public key.
    Verify {
        /// The certificate: a credential (JSON) or the public certificate route's answer.
        file: PathBuf,
        /// The issuer's public key: the JSON of /api/v1/public/keys, or a multibase/hex key.
        #[arg(long)]
        key: Option<PathBuf>,
        /// A backend to fetch the key (unless --key is given) and the current status from.
        #[arg(long)]
        backend: Option<String>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cmd: CertificateCommand) -> anyhow::Result<ExitCode> {
    let CertificateCommand::Verify {
        file,
        key,
        backend,
        json,
    } = cmd;
    let result = match check(&file, key.as_deref(), backend.as_deref()).await {
        Ok(result) => result,
        Err(e) => {
            eprintln!("mosharekat: cannot check {}: {e:#}", file.display());
            return Ok(ExitCode::from(2));
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        println!("{}", result.message);
    }
    Ok(if result.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

async fn check(
    file: &std::path::Path,
    key: Option<&std::path::Path>,
    backend: Option<&str>,
) -> anyhow::Result<VerifyResult> {
    use anyhow::Context;
    let text = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let Ok(document) = serde_json::from_slice::<serde_json::Value>(&text) else {
        return Ok(VerifyResult {
            valid: false,
            signature_valid: false,
            status: None,
            code: None,
            message: "INVALID: the file is not a certificate (not JSON)".into(),
        });
    };
    let credential = document.get("credential").unwrap_or(&document);
    let code = credential
        .get("id")
        .and_then(|v| v.as_str())
        .and_then(|id| id.strip_prefix("urn:mosharekat:certificate:"))
        .map(mosharekat_api::certificate::display_code);
    let backend = backend.map(|b| b.trim_end_matches('/').to_owned());
    let http = reqwest::Client::new();
    let keys = match (key, &backend) {
        (Some(path), _) => read_keys(path)?,
        (None, Some(url)) => {
            let keys: PublicKeys = http
                .get(format!(
                    "{url}{}{}",
                    mosharekat_api::API_PREFIX,
                    paths::PUBLIC_KEYS
                ))
                .send()
                .await?
                .error_for_status()?
                .json()
                .await
                .context("reading the backend's public keys")?;
            keys.keys
                .iter()
                .filter_map(|k| parse_public_key(&k.public_key_multibase))
                .collect()
        }
        (None, None) => anyhow::bail!("give the issuer's key with --key FILE or --backend URL"),
    };
    if keys.is_empty() {
        anyhow::bail!("no usable Ed25519 key was found");
    }
    if let Err(e) = verify_credential(credential, &keys) {
        return Ok(VerifyResult {
            valid: false,
            signature_valid: false,
            status: None,
            code,
            message: format!("INVALID: {e}"),
        });
    }
    // The status: from the backend when asked, else as the file states it.
    let mut revoked_detail = String::new();
    let status = match (&backend, &code) {
        (Some(url), Some(code)) => {
            let resp = http
                .get(format!(
                    "{url}{}{}",
                    mosharekat_api::API_PREFIX,
                    paths::public_certificate(code)
                ))
                .send()
                .await?;
            if resp.status() == reqwest::StatusCode::NOT_FOUND {
                return Ok(VerifyResult {
                    valid: false,
                    signature_valid: true,
                    status: None,
                    code: Some(code.clone()),
                    message: format!(
                        "INVALID: the signature is good, but {url} does not know certificate {code}"
                    ),
                });
            }
            let public: PublicCertificate = resp.error_for_status()?.json().await?;
            if let Some(reason) = &public.revoke_reason {
                revoked_detail = format!(": {reason}");
            }
            Some(public.status)
        }
        _ => {
            if let Some(reason) = document.get("revoke_reason").and_then(|r| r.as_str()) {
                revoked_detail = format!(": {reason}");
            }
            stated_status(&document)
        }
    };
    let subject = &credential["credentialSubject"];
    let describe = format!(
        "{} — {}, «{}», code {}, issued {}",
        credential["name"].as_str().unwrap_or("certificate"),
        subject["name"].as_str().unwrap_or("?"),
        subject["achievement"]["consultationTitle"]
            .as_str()
            .unwrap_or("?"),
        code.as_deref().unwrap_or("?"),
        credential["validFrom"].as_str().unwrap_or("?"),
    );
    if status == Some(CertificateStatus::Revoked) {
        return Ok(VerifyResult {
            valid: false,
            signature_valid: true,
            status,
            code,
            message: format!(
                "REVOKED: the signature is good, but the issuer revoked this certificate{revoked_detail}\n{describe}"
            ),
        });
    }
    let known = match status {
        Some(s) => format!(" (status: {})", s.as_str()),
        None => " (status not checked: pass --backend URL to ask the issuer)".into(),
    };
    Ok(VerifyResult {
        valid: true,
        signature_valid: true,
        status,
        code,
        message: format!("VALID: signed by the issuer's key{known}\n{describe}"),
    })
}

fn read_keys(path: &std::path::Path) -> anyhow::Result<Vec<ed25519::VerifyingKey>> {
    use anyhow::Context;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    if let Ok(keys) = serde_json::from_str::<PublicKeys>(&text) {
        return Ok(keys
            .keys
            .iter()
            .filter_map(|k| parse_public_key(&k.public_key_multibase))
            .collect());
    }
    if let Ok(key) = serde_json::from_str::<mosharekat_api::PublicKey>(&text) {
        return Ok(parse_public_key(&key.public_key_multibase)
            .into_iter()
            .collect());
    }
    parse_public_key(&text)
        .map(|k| vec![k])
        .with_context(|| format!("{} holds no Ed25519 public key", path.display()))
}

/// The key type, through the server crate (the console does not depend on the signature crate).
mod ed25519 {
    pub use mosharekat_server::incentives::credential::VerifyingKey;
}
