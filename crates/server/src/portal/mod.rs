//! The citizen portal: server-rendered pages at `/fa/…` (Persian, right to left, the default) and
//! `/en/…` (English), beside the JSON API on the same backend.
//!
//! Pages are askama templates (`crates/server/templates/portal/`, compiled with the crate and
//! HTML-escaped by default) filled from view models built here from the [`crate::store::Store`]
//! directly; one stylesheet of our own (`crates/server/static/portal.css`) under a content-hashed
//! URL; no JavaScript and nothing from another host. Every label comes from the `[portal]` section
//! of the locale files.
//!
//! - [`session`]: the participant's cookie, the CSRF token every form carries, the form-post rate
//!   limit, the security headers.
//! - [`view`]: the page frame every template shares (language, links, labels, dates, numbers).
//! - `home`, `consultation`, `draft`, `forms`, `participants`, `verify`: the page groups.
//! - [`chart`]: the report's breakdowns as SVG bar charts drawn by the server.
//! - [`feeds`]: Atom feeds, the iCalendar of deadlines, the sitemap, the embeddable call block
//!   and its plain-text form for messengers.

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{HeaderValue, header};
use axum::routing::{any, get, post};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

pub mod chart;
mod consultation;
mod draft;
pub mod feeds;
mod forms;
mod home;
mod participants;
pub mod session;
mod verify;
pub mod view;

pub use view::Lang;

/// What the portal's handlers share: the backend's state and the portal's own (rate limiter, CSRF
/// key).
#[derive(Clone)]
pub struct PortalState {
    pub app: AppState,
    pub guard: std::sync::Arc<session::Guard>,
}

impl FromRef<PortalState> for AppState {
    fn from_ref(state: &PortalState) -> AppState {
        state.app.clone()
    }
}

/// The stylesheet, embedded in the binary.
pub const STYLESHEET: &str = include_str!("../../static/portal.css");

/// The stylesheet's URL: its content hash is part of the name, so it can be cached for a year and a
/// new release is fetched at once.
pub fn stylesheet_path() -> &'static str {
    static PATH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let hash = crate::auth::token_hash(STYLESHEET);
        format!("/static/portal.{}.css", &hash[..12])
    });
    &PATH
}

/// The largest form body the portal reads: a comment of the longest length the rules accept, in
/// Persian, URL-encoded (six bytes a letter), with room to spare, so an over-long comment gets
/// its error beside the field rather than a bare 413.
const FORM_BODY_LIMIT: usize = 256 * 1024;

/// The portal's routes: `/` (to `/fa/`), the pages under `/{lang}/`, the stylesheet. Merged beside
/// `/api` by the app; a path under neither prefix answers the portal's 404 page to browsers.
pub fn router(app: AppState) -> Router {
    let state = PortalState {
        guard: std::sync::Arc::new(session::Guard::new(&app)),
        app,
    };
    Router::new()
        .route("/", get(root))
        .route("/static/{file}", get(stylesheet))
        .route("/feeds/{file}", get(feeds::feed))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/robots.txt", get(feeds::robots))
        .route("/embed/{id}/{file}", get(feeds::embed))
        .route("/{lang}", get(lang_root))
        .route("/{lang}/", get(home::page))
        .route("/{lang}/c/{id}", get(consultation::page))
        .route("/{lang}/c/{id}/draft", get(draft::page))
        .route("/{lang}/c/{id}/draft/diff", get(draft::diff))
        .route(
            "/{lang}/c/{id}/comment",
            get(forms::comment_form).post(forms::comment_post),
        )
        .route(
            "/{lang}/c/{id}/poll/{poll}",
            get(forms::ballot_form).post(forms::ballot_post),
        )
        .route(
            "/{lang}/register",
            get(participants::register_form).post(participants::register_post),
        )
        .route(
            "/{lang}/sign-in",
            get(participants::sign_in_form).post(participants::sign_in_post),
        )
        .route("/{lang}/c/{id}/share", get(feeds::share))
        .route("/{lang}/sign-out", post(participants::sign_out))
        .route("/{lang}/me", get(participants::my_page))
        .route("/{lang}/verify", get(verify::lookup))
        .route("/{lang}/verify/{code}", get(verify::page))
        .route("/{lang}/{*rest}", any(view::not_found))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::ensure_csrf_cookie,
        ))
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT))
        // A body over the API's limit is refused before any route reads it, here as there.
        .layer(axum::middleware::from_fn(crate::guards::limit_body_size))
        .layer(CompressionLayer::new().gzip(true))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(session::CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            // Pages carry the visitor's CSRF token and name: never in a shared cache.
            HeaderValue::from_static("private, no-cache"),
        ))
        .with_state(state)
}

/// `/` → the Persian home page.
async fn root() -> axum::response::Response {
    view::see_other("/fa/")
}

/// `/fa` → `/fa/`.
async fn lang_root(
    axum::extract::Path(lang): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    match Lang::from_code(&lang) {
        Some(lang) => view::see_other(&format!("/{}/", lang.code())),
        None => view::not_found_for(&headers, Lang::Fa),
    }
}

/// The stylesheet under its hashed name; any other name is not found.
async fn stylesheet(
    axum::extract::Path(file): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if format!("/static/{file}") != stylesheet_path() {
        return view::not_found_for(&headers, Lang::Fa);
    }
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        STYLESHEET,
    )
        .into_response()
}
