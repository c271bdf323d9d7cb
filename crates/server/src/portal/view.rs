//! The page frame every portal template shares, and how a page becomes a response: the language
//! (from the path's first segment), links that keep it, labels from the locale files, dates in
//! the language's calendar and numbers in its digits.

use askama::Template;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use mosharekat_locale::Catalogue;

/// The portal's two languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fa,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "fa" => Some(Lang::Fa),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fa => Lang::En,
            Lang::En => Lang::Fa,
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::Fa => "rtl",
            Lang::En => "ltr",
        }
    }

    pub fn catalogue(self) -> &'static Catalogue {
        Catalogue::builtin(self.code())
            .unwrap_or_else(|| unreachable!("the fa and en locales are built in"))
    }

    /// Of a text kept in both languages, this language's; English falls back to Persian when empty.
    pub fn pick<'t>(self, fa: &'t str, en: &'t str) -> &'t str {
        if self == Lang::En && !en.trim().is_empty() {
            en
        } else {
            fa
        }
    }

    /// The language a [`Lang::pick`] of these texts is in (for the `lang` attribute).
    pub fn picked(self, en: &str) -> Lang {
        if self == Lang::En && !en.trim().is_empty() {
            Lang::En
        } else {
            Lang::Fa
        }
    }

    /// The language of a request: the first segment of its path.
    pub fn of_path(path: &str) -> Option<Lang> {
        Lang::from_code(path.trim_start_matches('/').split('/').next()?)
    }
}

/// The frame around every page: `<html lang dir>`, the header with the language switch and the
/// participant's links, the footer. Templates reach labels through [`Chrome::t`].
pub struct Chrome {
    pub lang: Lang,
    catalogue: &'static Catalogue,
    /// The page's path after the language prefix (`/c/12?after=40`), for the language switch.
    rest: String,
    /// The `<title>`: the page's heading and the site's name.
    pub title: String,
    /// The signed-in participant's name.
    pub signed_in: Option<String>,
    /// The CSRF token of this visitor's forms.
    pub csrf: String,
    /// Which section of the navigation the page belongs to (`home`, `me`, `verify`, `register`).
    pub section: &'static str,
}

impl Chrome {
    pub fn new(visitor: &super::session::Visitor, title: &str, section: &'static str) -> Self {
        let lang = visitor.lang;
        let catalogue = lang.catalogue();
        Chrome {
            lang,
            catalogue,
            rest: visitor.rest.clone(),
            title: format!("{title} — {}", catalogue.text("portal.site_name")),
            signed_in: visitor.participant.as_ref().map(|p| p.display_name.clone()),
            csrf: visitor.csrf_token(),
            section,
        }
    }

    /// A label of the `[portal]` section (or any other key of the locale file).
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.catalogue.text(key)
    }

    /// A label with its `{name}` placeholders filled.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.catalogue.format(key, args)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn dir(&self) -> &'static str {
        self.lang.dir()
    }

    /// A path of this language: `href("/c/3")` → `/fa/c/3`.
    pub fn href(&self, rest: &str) -> String {
        format!("/{}{rest}", self.lang.code())
    }

    /// The same page in the other language.
    pub fn switch_href(&self) -> String {
        format!("/{}{}", self.lang.other().code(), self.rest)
    }

    pub fn switch_code(&self) -> &'static str {
        self.lang.other().code()
    }

    /// The other language's name in itself (`English`, `فارسی`).
    pub fn switch_name(&self) -> &'static str {
        self.lang.other().catalogue().name()
    }

    pub fn stylesheet(&self) -> &'static str {
        super::stylesheet_path()
    }

    /// `aria-current="page"` belongs on the navigation link of this section.
    pub fn is_section(&self, section: &str) -> bool {
        self.section == section
    }

    pub fn number(&self, n: i64) -> String {
        self.catalogue.grouped(n)
    }

    /// A day as words: `۱۵ مهر ۱۴۰۴`, `15 October 2025` (Tehran's day).
    pub fn date(&self, at: DateTime<Utc>) -> String {
        long_date(at, self.catalogue)
    }

    /// `2025-10-15` for `<time datetime>`.
    pub fn iso_day(&self, at: DateTime<Utc>) -> String {
        mosharekat_locale::calendar::tehran_day(at)
            .format("%Y-%m-%d")
            .to_string()
    }

    /// The label under `key.one` or `key.other` by `count`, with `{count}` in this language's digits.
    pub fn plural(&self, key: &str, count: i64) -> String {
        plural(self.catalogue, key, count)
    }
}

/// The label under `key.one` or `key.other` by `count`, with `{count}` in the language's digits.
pub fn plural(catalogue: &Catalogue, key: &str, count: i64) -> String {
    let form = if count == 1 { "one" } else { "other" };
    catalogue.format(
        &format!("{key}.{form}"),
        &[("count", &catalogue.grouped(count))],
    )
}

/// A Tehran day in words, in the catalogue's calendar and digits.
pub fn long_date(at: DateTime<Utc>, catalogue: &Catalogue) -> String {
    date_in(at, catalogue, catalogue.calendar())
}

/// A Tehran day in words in the given calendar, in the catalogue's language and digits.
pub fn date_in(
    at: DateTime<Utc>,
    catalogue: &Catalogue,
    calendar: mosharekat_locale::CalendarKind,
) -> String {
    let d = mosharekat_locale::calendar::local_date(at, calendar);
    let month_set = match calendar {
        mosharekat_locale::CalendarKind::Persian => "month.persian",
        mosharekat_locale::CalendarKind::Gregorian => "month.gregorian",
    };
    catalogue.format(
        "portal.date",
        &[
            ("day", &catalogue.number(d.day)),
            ("month", catalogue.text(&format!("{month_set}.{}", d.month))),
            ("year", &catalogue.number(d.year)),
        ],
    )
}

/// How long until `then` (or since), in days, as a person says it.
pub fn time_left(now: DateTime<Utc>, then: DateTime<Utc>, catalogue: &Catalogue) -> String {
    let days = mosharekat_locale::calendar::days_until(now, then);
    match days {
        d if d > 0 => plural(catalogue, "date.days_left", d),
        0 => catalogue.text("date.closes_today").to_owned(),
        d => plural(catalogue, "date.closed_days_ago", -d),
    }
}

/// How long ago a consultation closed, in days ("Closed today" on the day).
pub fn closed_ago(now: DateTime<Utc>, closed_at: DateTime<Utc>, catalogue: &Catalogue) -> String {
    match mosharekat_locale::calendar::days_until(closed_at, now) {
        d if d <= 0 => catalogue.text("portal.closed_today").to_owned(),
        d => plural(catalogue, "date.closed_days_ago", d),
    }
}

/// A rendered template as an HTML response with `status`.
pub fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("portal template: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "internal error",
            )
                .into_response()
        }
    }
}

/// `303 See Other` to a path of this site (the redirect after every successful form).
pub fn see_other(path: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, path.to_owned())]).into_response()
}

/// A page that only says something went wrong: not found, forbidden, too many requests, an
/// error of the server.
#[derive(Template)]
#[template(path = "portal/message.html")]
pub struct MessagePage {
    pub c: Chrome,
    pub heading: String,
    pub body: String,
}

/// A message page in the visitor's language.
pub fn message(
    visitor: &super::session::Visitor,
    status: StatusCode,
    heading_key: &str,
    body_key: &str,
) -> Response {
    let catalogue = visitor.lang.catalogue();
    let heading = catalogue.text(heading_key).to_owned();
    let page = MessagePage {
        c: Chrome::new(visitor, &heading, ""),
        heading,
        body: catalogue.text(body_key).to_owned(),
    };
    html(status, &page)
}

/// The 404 page of a portal path (its language from the path).
pub async fn not_found(visitor: super::session::Visitor) -> Response {
    not_found_page(&visitor)
}

/// The 404 page in the visitor's language.
pub fn not_found_page(visitor: &super::session::Visitor) -> Response {
    message(
        visitor,
        StatusCode::NOT_FOUND,
        "portal.not_found.title",
        "portal.not_found.body",
    )
}

/// "Not found" for a path outside `/fa/` and `/en/`: the portal's page to a browser (in `lang`),
/// the API's JSON error to anything else (unknown `/api/…` paths keep answering as the API does).
pub fn not_found_for(headers: &HeaderMap, lang: Lang) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if !wants_html {
        return crate::error::ApiError::new(mosharekat_api::ErrorCode::NotFound, "no such route")
            .into_response();
    }
    let visitor = super::session::Visitor::anonymous(lang);
    message(
        &visitor,
        StatusCode::NOT_FOUND,
        "portal.not_found.title",
        "portal.not_found.body",
    )
}

/// The error page for a store failure (logged; the visitor gets a message that leaks nothing).
pub fn server_error(visitor: &super::session::Visitor, e: crate::store::StoreError) -> Response {
    tracing::error!("portal: {e}");
    message(
        visitor,
        StatusCode::INTERNAL_SERVER_ERROR,
        "portal.error.title",
        "portal.error.body",
    )
}

/// One error of a form: the field it is about (its input's id) and the message.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// The errors of a submitted form, in the order of its fields.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message about `field`, if any.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.of(field).is_some()
    }

    pub fn all(&self) -> &[FieldError] {
        &self.0
    }
}

/// Path parameters of a portal page; a value that does not parse (`/fa/c/abc`) is the 404 page,
/// not a plain-text 400.
pub struct PagePath<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<S>
    for PagePath<T>
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| PagePath(p.0))
            .map_err(|_| {
                let lang = Lang::of_path(parts.uri.path()).unwrap_or(Lang::Fa);
                not_found_page(&super::session::Visitor::anonymous(lang))
            })
    }
}

/// A page's query string; one that does not parse is read as no query at all (a hand-edited
/// `?after=x` shows the first page rather than an error).
pub struct PageQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Default> axum::extract::FromRequestParts<S>
    for PageQuery<T>
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(PageQuery(
            axum::extract::Query::<T>::from_request_parts(parts, state)
                .await
                .map(|q| q.0)
                .unwrap_or_default(),
        ))
    }
}

/// The back link and the consultation's title above a page that belongs to one consultation (a
/// form, a version of the draft, a difference).
pub struct Caption {
    pub back_href: String,
    pub title: String,
    pub title_lang: &'static str,
}

impl Caption {
    pub fn of(
        visitor: &super::session::Visitor,
        consultation: &mosharekat_api::Consultation,
    ) -> Self {
        let lang = visitor.lang;
        Caption {
            back_href: visitor.href(&format!("/c/{}", consultation.id)),
            title: lang
                .pick(&consultation.title_fa, &consultation.title_en)
                .to_owned(),
            title_lang: lang.picked(&consultation.title_en).code(),
        }
    }
}
