//! Certificate verification (`/fa/verify/{code}`): where the certificate's QR code and every link
//! sent to participants lead. The page states the certificate's status, its holder and
//! consultation, and whether the server finds its signature valid; it prints as the certificate.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use mosharekat_api::CertificateStatus;
use mosharekat_api::certificate::{display_code, normalise_code};

use super::session::Visitor;
use super::view::{self, Chrome, PagePath, PageQuery, html, long_date};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "portal/verify_lookup.html")]
pub struct LookupPage {
    pub c: Chrome,
    pub action: String,
    pub code: String,
    pub error: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct LookupQuery {
    code: Option<String>,
}

/// `GET /{lang}/verify[?code=]`: the form; a valid code goes on to its page.
pub async fn lookup(visitor: Visitor, PageQuery(q): PageQuery<LookupQuery>) -> Response {
    let cat = visitor.lang.catalogue();
    let typed = q.code.unwrap_or_default();
    let error = match typed.trim() {
        "" => None,
        text => match normalise_code(text) {
            Some(code) => {
                return view::see_other(&visitor.href(&format!("/verify/{}", display_code(&code))));
            }
            None => Some(cat.text("portal.verify.error.code").to_owned()),
        },
    };
    let title = cat.text("portal.verify.title").to_owned();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(
        status,
        &LookupPage {
            c: Chrome::new(&visitor, &title, "verify"),
            action: visitor.href("/verify"),
            code: typed,
            error,
        },
    )
}

/// A QR code as one SVG path of its dark modules (a quiet zone of [`QR_QUIET`] modules around).
pub struct QrSvg {
    /// Modules on a side, quiet zone included (the `viewBox`).
    pub size: usize,
    pub path: String,
    /// What it encodes (said beside it, for those who cannot scan).
    pub data: String,
}

/// The quiet zone the QR specification asks for, in modules.
const QR_QUIET: usize = 4;

impl QrSvg {
    /// The code of `data` at error correction level M; `None` when it is too long for a QR code.
    pub fn new(data: &str) -> Option<QrSvg> {
        let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
            .ok()?;
        let width = code.width();
        let mut path = String::new();
        for (i, module) in code.to_colors().into_iter().enumerate() {
            if module == qrcode::Color::Dark {
                let (x, y) = (i % width + QR_QUIET, i / width + QR_QUIET);
                path.push_str(&format!("M{x} {y}h1v1h-1z"));
            }
        }
        Some(QrSvg {
            size: width + 2 * QR_QUIET,
            path,
            data: data.to_owned(),
        })
    }
}

#[derive(Template)]
#[template(path = "portal/verify.html")]
pub struct CertificatePage {
    pub c: Chrome,
    /// The QR code of this page's address, for the printed certificate.
    pub qr: Option<QrSvg>,
    pub code: String,
    pub valid: bool,
    pub status: String,
    pub status_code: &'static str,
    pub revoked: Option<String>,
    pub holder: String,
    pub kind: String,
    pub consultation: String,
    pub consultation_lang: &'static str,
    pub consultation_href: String,
    pub issued: String,
    pub issuer: String,
    pub signature_ok: bool,
    pub key_id: String,
}

/// `GET /{lang}/verify/{code}`
pub async fn page(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    visitor: Visitor,
    PagePath((_, code)): PagePath<(String, String)>,
) -> Response {
    let Some(normalised) = normalise_code(&code) else {
        return view::not_found_page(&visitor);
    };
    // One address per certificate: a code typed another way (lower case, no hyphen) goes there.
    if code != display_code(&normalised) {
        return view::see_other(&visitor.href(&format!("/verify/{}", display_code(&normalised))));
    }
    let code = normalised;
    let cert = match state.store.public_certificate(&code).await {
        Ok(Some(cert)) => cert,
        Ok(None) => return view::not_found_page(&visitor),
        Err(e) => return view::server_error(&visitor, e),
    };
    let lang = visitor.lang;
    let cat = lang.catalogue();
    let consultation = match state
        .store
        .get_consultation(cert.consultation_id, state.now())
        .await
    {
        Ok(c) => c,
        Err(e) => return view::server_error(&visitor, e),
    };
    let (consultation_title, consultation_lang) = match &consultation {
        Some(c) => (
            lang.pick(&c.title_fa, &c.title_en).to_owned(),
            lang.picked(&c.title_en).code(),
        ),
        None => (
            cat.format(
                "portal.consultation_number",
                &[("id", &cat.number(cert.consultation_id))],
            ),
            lang.code(),
        ),
    };
    // The signature is checked here, by the server, against the keys it signs with.
    let signature_ok = serde_json::to_value(&cert.credential)
        .ok()
        .is_some_and(|document| {
            crate::incentives::verify_credential(&document, &[state.signer.verifying_key()]).is_ok()
        });
    let valid = signature_ok && cert.status == CertificateStatus::Approved;
    let title = cat.text("portal.verify.certificate_title").to_owned();
    let address = format!(
        "{}/{}/verify/{}",
        super::feeds::base_url(&state, &headers),
        lang.code(),
        cert.code
    );
    let page = CertificatePage {
        c: Chrome::new(&visitor, &title, "verify"),
        qr: QrSvg::new(&address),
        code: cert.code.clone(),
        valid,
        status: cat
            .text(&format!("certificate_status.{}", cert.status.as_str()))
            .to_owned(),
        status_code: cert.status.as_str(),
        revoked: cert.revoked_at.map(|at| {
            let reason = cert.revoke_reason.clone().unwrap_or_default();
            cat.format(
                "portal.verify.revoked_on",
                &[("date", &long_date(at, cat)), ("reason", &reason)],
            )
        }),
        holder: cert.credential.credential_subject.name.clone(),
        kind: cat
            .text(&format!("certificate_kind.{}", cert.kind.as_str()))
            .to_owned(),
        consultation: consultation_title,
        consultation_lang,
        consultation_href: visitor.href(&format!("/c/{}", cert.consultation_id)),
        issued: long_date(cert.issued_at, cat),
        issuer: cert.credential.issuer.name.clone(),
        signature_ok,
        key_id: state.signer.key_id(),
    };
    html(StatusCode::OK, &page)
}
