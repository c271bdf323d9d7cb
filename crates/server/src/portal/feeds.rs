//! What other systems read: Atom feeds of calls and of outcomes (published reports and answers to
//! proposals) in each language, an iCalendar file of deadlines, the sitemap, and for the
//! ministry's official portal the embeddable bilingual call block (an HTML snippet to paste, not
//! a frame) and the same call as plain text for messengers. Every link in them is absolute, from
//! the configured public address.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use mosharekat_api::{Consultation, ConsultationStatus};

use super::home::published;
use super::view::{Lang, PagePath, date_in, long_date, not_found_for, time_left};
use crate::state::AppState;

/// Entries in a feed.
const FEED_ENTRIES: usize = 50;

/// The portal's public address without a trailing slash: the configured one, else this request's
/// host.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.portal.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub struct Entry {
    pub id: String,
    pub title: String,
    pub link: String,
    pub updated: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "portal/atom.xml")]
pub struct AtomFeed {
    pub lang: &'static str,
    pub id: String,
    pub title: String,
    pub self_link: String,
    pub home_link: String,
    pub updated: String,
    pub entries: Vec<Entry>,
}

fn xml(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

fn render(template: &impl Template, content_type: &'static str) -> Response {
    match template.render() {
        Ok(body) => xml(content_type, body),
        Err(e) => {
            tracing::error!("portal feed template: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// When a consultation last changed in public.
fn public_updated(c: &Consultation) -> DateTime<Utc> {
    c.published_at.unwrap_or(c.updated_at).max(c.updated_at)
}

/// `GET /feeds/{file}`: `calls-fa.atom`, `calls-en.atom`, `outcomes-fa.atom`, `outcomes-en.atom`,
/// `deadlines.ics`.
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    PagePath(file): PagePath<String>,
) -> Response {
    let base = base_url(&state, &headers);
    let all = match published(&state).await {
        Ok(all) => all,
        Err(e) => {
            tracing::error!("portal feed: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let (kind, lang) = match file.as_str() {
        "deadlines.ics" => {
            return xml(
                "text/calendar; charset=utf-8",
                calendar(&state, &base, &all),
            );
        }
        "calls-fa.atom" => ("calls", Lang::Fa),
        "calls-en.atom" => ("calls", Lang::En),
        "outcomes-fa.atom" => ("outcomes", Lang::Fa),
        "outcomes-en.atom" => ("outcomes", Lang::En),
        _ => return not_found_for(&headers, Lang::Fa),
    };
    let cat = lang.catalogue();
    let link = |c: &Consultation| format!("{base}/{}/c/{}", lang.code(), c.id);
    let mut entries: Vec<(DateTime<Utc>, Entry)> = Vec::new();
    if kind == "calls" {
        for c in &all {
            let updated = public_updated(c);
            entries.push((
                updated,
                Entry {
                    id: format!("{base}/c/{}", c.id),
                    title: lang.pick(&c.title_fa, &c.title_en).to_owned(),
                    link: link(c),
                    updated: rfc3339(updated),
                    summary: call_line(c, lang),
                },
            ));
        }
    } else {
        for c in &all {
            if let Some(at) = c.report_published_at {
                entries.push((
                    at,
                    Entry {
                        id: format!("{base}/c/{}/report", c.id),
                        title: cat.format(
                            "portal.feed.report_entry",
                            &[("title", lang.pick(&c.title_fa, &c.title_en))],
                        ),
                        link: format!("{}#report-heading", link(c)),
                        updated: rfc3339(at),
                        summary: cat.text("portal.report_published").to_owned(),
                    },
                ));
            }
            let decisions = match state.store.public_decisions(c.id).await {
                Ok(d) => d,
                Err(e) => {
                    tracing::error!("portal feed: {e}");
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
            };
            if let Some(at) = decisions.iter().map(|d| d.published_at).max() {
                entries.push((
                    at,
                    Entry {
                        id: format!("{base}/c/{}/decisions", c.id),
                        title: cat.format(
                            "portal.feed.decisions_entry",
                            &[("title", lang.pick(&c.title_fa, &c.title_en))],
                        ),
                        link: format!("{}#decisions-heading", link(c)),
                        updated: rfc3339(at),
                        summary: super::view::plural(
                            cat,
                            "portal.decisions_published",
                            decisions.len() as i64,
                        ),
                    },
                ));
            }
        }
    }
    entries.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    entries.truncate(FEED_ENTRIES);
    let updated = entries
        .first()
        .map(|(at, _)| *at)
        .unwrap_or_else(|| state.now());
    let feed = AtomFeed {
        lang: lang.code(),
        id: format!("{base}/feeds/{file}"),
        title: cat.format(
            &format!("portal.feed.{kind}_title"),
            &[("site", cat.text("portal.site_name"))],
        ),
        self_link: format!("{base}/feeds/{file}"),
        home_link: format!("{base}/{}/", lang.code()),
        updated: rfc3339(updated),
        entries: entries.into_iter().map(|(_, e)| e).collect(),
    };
    render(&feed, "application/atom+xml; charset=utf-8")
}

/// One line about a call: its kind, drafting unit and dates.
fn call_line(c: &Consultation, lang: Lang) -> String {
    let cat = lang.catalogue();
    cat.format(
        "portal.feed.call_line",
        &[
            (
                "kind",
                cat.text(&format!("consultation_kind.{}", c.kind.as_str())),
            ),
            ("unit", &c.drafting_unit),
            ("opens", &long_date(c.opens_at, cat)),
            ("closes", &long_date(c.closes_at, cat)),
        ],
    )
}

/// Text of an iCalendar property value (RFC 5545 §3.3.11).
fn ical_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a character), ending in CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

fn ical_time(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The deadlines of open and scheduled calls, each an event at its closing time, in both
/// languages.
fn calendar(state: &AppState, base: &str, all: &[Consultation]) -> String {
    let host = base.rsplit("//").next().unwrap_or("mosharekat");
    let fa = Lang::Fa.catalogue();
    let en = Lang::En.catalogue();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//mosharekat//portal//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!(
            "X-WR-CALNAME:{}",
            ical_text(en.text("portal.feed.calendar_name"))
        ),
    ];
    let stamp = ical_time(state.now());
    for c in all {
        if !matches!(
            c.status,
            ConsultationStatus::Open | ConsultationStatus::Scheduled
        ) {
            continue;
        }
        let summary = format!(
            "{} — {}",
            fa.format("portal.feed.deadline", &[("title", &c.title_fa)]),
            en.format(
                "portal.feed.deadline",
                &[("title", Lang::En.pick(&c.title_fa, &c.title_en))]
            ),
        );
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:deadline-{}@{host}", c.id),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART:{}", ical_time(c.closes_at)),
            format!("DTEND:{}", ical_time(c.closes_at)),
            format!("SUMMARY:{}", ical_text(&summary)),
            format!("URL:{base}/fa/c/{}", c.id),
            format!(
                "DESCRIPTION:{}",
                ical_text(&format!("{base}/fa/c/{}\n{base}/en/c/{}", c.id, c.id))
            ),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|l| fold(l)).collect()
}

pub struct SitemapUrl {
    pub fa: String,
    pub en: String,
    pub lastmod: String,
}

#[derive(Template)]
#[template(path = "portal/sitemap.xml")]
pub struct Sitemap {
    pub urls: Vec<SitemapUrl>,
}

/// `GET /sitemap.xml`: the home pages and every published consultation, each in both languages
/// with its alternate.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let all = match published(&state).await {
        Ok(all) => all,
        Err(e) => {
            tracing::error!("portal sitemap: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut urls = vec![SitemapUrl {
        fa: format!("{base}/fa/"),
        en: format!("{base}/en/"),
        lastmod: state.now().format("%Y-%m-%d").to_string(),
    }];
    urls.extend(all.iter().map(|c| SitemapUrl {
        fa: format!("{base}/fa/c/{}", c.id),
        en: format!("{base}/en/c/{}", c.id),
        lastmod: public_updated(c).format("%Y-%m-%d").to_string(),
    }));
    render(&Sitemap { urls }, "application/xml; charset=utf-8")
}

/// `GET /robots.txt`: everything public may be indexed except the participant's own pages and
/// the forms; the sitemap's address.
pub async fn robots(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let mut text = String::from("User-agent: *\n");
    for lang in ["fa", "en"] {
        for private in ["/me", "/sign-in", "/register", "/sign-out"] {
            text.push_str(&format!("Disallow: /{lang}{private}\n"));
        }
    }
    text.push_str(&format!("Sitemap: {base}/sitemap.xml\n"));
    xml("text/plain; charset=utf-8", text)
}

/// A call as the ministry's official portal embeds it: both languages, each with its link.
pub struct CallBlock {
    pub fa_title: String,
    pub fa_summary: String,
    pub fa_dates: String,
    pub fa_link: String,
    pub fa_action: String,
    pub en_title: String,
    pub en_summary: String,
    pub en_dates: String,
    pub en_link: String,
    pub en_action: String,
}

#[derive(Template)]
#[template(path = "portal/embed_block.html")]
pub struct EmbedBlock {
    pub call: CallBlock,
}

fn call_block(c: &Consultation, base: &str) -> CallBlock {
    let (fa, en) = (Lang::Fa.catalogue(), Lang::En.catalogue());
    let dates = |cat: &mosharekat_locale::Catalogue| {
        cat.format(
            "portal.embed.dates",
            &[
                ("opens", &long_date(c.opens_at, cat)),
                ("closes", &long_date(c.closes_at, cat)),
            ],
        )
    };
    CallBlock {
        fa_title: c.title_fa.clone(),
        fa_summary: c.summary_fa.clone(),
        fa_dates: dates(fa),
        fa_link: format!("{base}/fa/c/{}", c.id),
        fa_action: fa.text("portal.embed.take_part").to_owned(),
        en_title: Lang::En.pick(&c.title_fa, &c.title_en).to_owned(),
        en_summary: Lang::En.pick(&c.summary_fa, &c.summary_en).to_owned(),
        en_dates: dates(en),
        en_link: format!("{base}/en/c/{}", c.id),
        en_action: en.text("portal.embed.take_part").to_owned(),
    }
}

/// Which post a call is, when it is broadcast to the ministry's channels: a heading says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallPost {
    /// The consultation has just opened.
    Opened,
    /// Its deadline is near.
    Closing,
}

/// The deadline in one language: the day in both calendars (Jalali and Gregorian, the language's
/// own first) and the time left at `now`.
fn deadline_line(
    c: &Consultation,
    now: DateTime<Utc>,
    cat: &mosharekat_locale::Catalogue,
) -> String {
    use mosharekat_locale::CalendarKind;
    let (first, second) = match cat.calendar() {
        CalendarKind::Persian => (CalendarKind::Persian, CalendarKind::Gregorian),
        CalendarKind::Gregorian => (CalendarKind::Gregorian, CalendarKind::Persian),
    };
    cat.format(
        "portal.embed.deadline",
        &[
            ("date", &date_in(c.closes_at, cat, first)),
            ("other", &date_in(c.closes_at, cat, second)),
            ("left", &time_left(now, c.closes_at, cat)),
        ],
    )
}

/// The same call as plain text for messengers (Bale, Eitaa): both languages, each with its link
/// and its deadline as of `now`. The portal serves it at `/embed/{id}/call.txt` (no heading); the
/// broadcast to the ministry's channels posts it with the heading of `post`.
pub fn call_text(
    c: &Consultation,
    base: &str,
    now: DateTime<Utc>,
    post: Option<CallPost>,
) -> String {
    let b = call_block(c, base);
    let heading = |lang: Lang| {
        post.map(|p| {
            let key = match p {
                CallPost::Opened => "portal.embed.heading_opened",
                CallPost::Closing => "portal.embed.heading_closing",
            };
            format!("{}\n", lang.catalogue().text(key))
        })
        .unwrap_or_default()
    };
    format!(
        "{}{}\n{}\n{}\n{}\n{}: {}\n\n{}{}\n{}\n{}\n{}\n{}: {}\n",
        heading(Lang::Fa),
        b.fa_title,
        b.fa_summary,
        b.fa_dates,
        deadline_line(c, now, Lang::Fa.catalogue()),
        b.fa_action,
        b.fa_link,
        heading(Lang::En),
        b.en_title,
        b.en_summary,
        b.en_dates,
        deadline_line(c, now, Lang::En.catalogue()),
        b.en_action,
        b.en_link
    )
}

/// `GET /embed/{id}/call.html` (the snippet) and `/embed/{id}/call.txt` (plain text).
pub async fn embed(
    State(state): State<AppState>,
    headers: HeaderMap,
    PagePath((id, file)): PagePath<(i64, String)>,
) -> Response {
    let consultation = match super::consultation::public_consultation(&state, id).await {
        Ok(Some(c)) => c,
        Ok(None) => return not_found_for(&headers, Lang::Fa),
        Err(e) => {
            tracing::error!("portal embed: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let base = base_url(&state, &headers);
    match file.as_str() {
        "call.html" => match (EmbedBlock {
            call: call_block(&consultation, &base),
        })
        .render()
        {
            Ok(body) => xml("text/html; charset=utf-8", body),
            Err(e) => {
                tracing::error!("portal embed template: {e}");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
        "call.txt" => xml(
            "text/plain; charset=utf-8",
            call_text(&consultation, &base, state.now(), None),
        ),
        _ => not_found_for(&headers, Lang::Fa),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_text_is_escaped_and_folded() {
        assert_eq!(ical_text("a;b,c\\d\ne\r"), "a\\;b\\,c\\\\d\\ne");
        let long = format!("SUMMARY:{}", "آ".repeat(60));
        let folded = fold(&long);
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        // Unfolding gives the line back.
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }

    fn consultation() -> Consultation {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        Consultation {
            id: 7,
            kind: mosharekat_api::ConsultationKind::Regulation,
            status: ConsultationStatus::Open,
            title_fa: "آیین‌نامه مدارس".into(),
            title_en: "School regulation".into(),
            summary_fa: "خلاصه".into(),
            summary_en: "Summary".into(),
            drafting_unit: "معاونت".into(),
            opens_at: at("2024-05-11T05:30:00Z"),
            // 23:30 in Tehran on 31 Khordad 1403.
            closes_at: at("2024-06-20T20:00:00Z"),
            portal_url: String::new(),
            short_window_reason: None,
            published_at: None,
            closed_early_at: None,
            closed_early_reason: None,
            created_at: at("2024-05-01T00:00:00Z"),
            updated_at: at("2024-05-01T00:00:00Z"),
            comment_count: 0,
            report_published_at: None,
        }
    }

    #[test]
    fn the_messenger_call_gives_the_deadline_in_both_calendars() {
        let now = DateTime::parse_from_rfc3339("2024-06-18T09:00:00Z")
            .unwrap()
            .to_utc();
        let c = consultation();
        let plain = call_text(&c, "https://x.ir", now, None);
        let closing = call_text(&c, "https://x.ir", now, Some(CallPost::Closing));
        assert!(closing.contains("مهلت: ۳۱ خرداد ۱۴۰۳ (۲۰ ژوئن ۲۰۲۴)، ۲ روز مانده"));
        assert!(closing.contains("Deadline: 20 June 2024 (31 Khordad 1403), 2 days left"));
        assert!(closing.starts_with("یادآوری: "));
        assert!(closing.contains("\nReminder: this public consultation closes soon\n"));
        assert!(closing.contains("https://x.ir/fa/c/7") && closing.contains("https://x.ir/en/c/7"));
        // The portal's text is the same call without the headings.
        assert_eq!(
            closing
                .replace("یادآوری: مهلت این نظرخواهی عمومی رو به پایان است\n", "")
                .replace("Reminder: this public consultation closes soon\n", ""),
            plain
        );
        let opened = call_text(&c, "https://x.ir", now, Some(CallPost::Opened));
        assert!(opened.starts_with("فراخوان مشارکت: "));
        assert!(opened.contains("\nCall for participation: a public consultation is open\n"));
    }
}

#[derive(Template)]
#[template(path = "portal/share.html")]
pub struct SharePage {
    pub c: super::view::Chrome,
    pub title: String,
    pub title_lang: &'static str,
    pub back_href: String,
    pub snippet: String,
    pub snippet_href: String,
    pub text: String,
    pub text_href: String,
}

/// `GET /{lang}/c/{id}/share`: the call block and the messenger text, ready to copy, for the staff
/// of the ministry's official portal.
pub async fn share(
    State(state): State<AppState>,
    headers: HeaderMap,
    visitor: super::session::Visitor,
    PagePath((_, id)): PagePath<(String, i64)>,
) -> Response {
    let c = match super::consultation::public_consultation(&state, id).await {
        Ok(Some(c)) => c,
        Ok(None) => return super::view::not_found_page(&visitor),
        Err(e) => return super::view::server_error(&visitor, e),
    };
    let base = base_url(&state, &headers);
    let snippet = match (EmbedBlock {
        call: call_block(&c, &base),
    })
    .render()
    {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("portal embed template: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let lang = visitor.lang;
    let heading = lang.catalogue().text("portal.share.title").to_owned();
    super::view::html(
        StatusCode::OK,
        &SharePage {
            c: super::view::Chrome::new(&visitor, &heading, ""),
            title: lang.pick(&c.title_fa, &c.title_en).to_owned(),
            title_lang: lang.picked(&c.title_en).code(),
            back_href: visitor.href(&format!("/c/{id}")),
            snippet,
            snippet_href: format!("/embed/{id}/call.html"),
            text: call_text(&c, &base, state.now(), None),
            text_href: format!("/embed/{id}/call.txt"),
        },
    )
}
