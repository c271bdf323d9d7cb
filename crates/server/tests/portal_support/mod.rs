//! A small browser for the portal's tests: keeps cookies, never follows redirects, asks for HTML,
//! and reads forms' CSRF tokens from the pages.
#![allow(dead_code)]

use std::collections::BTreeMap;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

/// One answer of the portal.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> &str {
        self.header("location").unwrap_or_default()
    }

    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        attr_after(&self.body, r#"name="csrf" value=""#)
            .unwrap_or_else(|| panic!("no CSRF field on the page:\n{}", self.body))
    }

    /// `<html lang=… dir=…>`.
    pub fn lang_dir(&self) -> (String, String) {
        let html = &self.body[self.body.find("<html").expect("an <html> element")..];
        (
            attr_after(html, r#"lang=""#).unwrap(),
            attr_after(html, r#"dir=""#).unwrap(),
        )
    }

    pub fn count(&self, needle: &str) -> usize {
        self.body.matches(needle).count()
    }

    /// The `href` of the link with `rel="…"` (its `&` entities decoded).
    pub fn link_with_rel(&self, rel: &str) -> Option<String> {
        let at = self.body.find(&format!("rel=\"{rel}\""))?;
        let start = self.body[..at].rfind("href=\"")? + "href=\"".len();
        let end = self.body[start..].find('"')? + start;
        Some(
            self.body[start..end]
                .replace("&#38;", "&")
                .replace("&amp;", "&"),
        )
    }

    /// Every value of attribute `name` (double-quoted), in order.
    pub fn attr_values(&self, name: &str) -> Vec<String> {
        let opening = format!(" {name}=\"");
        let mut values = Vec::new();
        let mut rest = self.body.as_str();
        while let Some(at) = rest.find(&opening) {
            rest = &rest[at + opening.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            values.push(rest[..end].to_owned());
        }
        values
    }

    /// Structural accessibility checks a page must pass before axe-core runs over it: ids are
    /// unique, every label and `aria-describedby`/`aria-labelledby` names an element that exists,
    /// headings never skip a level, every form field has a label.
    pub fn assert_accessible_structure(&self, what: &str) {
        let ids = self.attr_values("id");
        let mut seen = std::collections::HashSet::new();
        for id in &ids {
            assert!(seen.insert(id), "{what}: duplicate id {id}");
        }
        for target in self.attr_values("for") {
            assert!(
                seen.contains(&target),
                "{what}: label for missing #{target}"
            );
        }
        for attr in ["aria-describedby", "aria-labelledby"] {
            for list in self.attr_values(attr) {
                for target in list.split_whitespace() {
                    assert!(
                        seen.contains(&target.to_owned()),
                        "{what}: {attr} names missing #{target}"
                    );
                }
            }
        }
        let mut previous = 0;
        for (at, _) in self.body.match_indices("<h") {
            let Some(level) = self.body[at + 2..]
                .chars()
                .next()
                .and_then(|c| c.to_digit(10))
            else {
                continue;
            };
            assert!(
                level <= previous + 1 || previous == 0,
                "{what}: heading h{level} after h{previous}"
            );
            previous = level;
        }
        // Every visible input, select and textarea has a label (by id) or is a button.
        for tag in ["<input ", "<select ", "<textarea "] {
            for (at, _) in self.body.match_indices(tag) {
                let element = &self.body[at..at + self.body[at..].find('>').unwrap()];
                if element.contains("type=\"hidden\"") || element.contains("type=\"submit\"") {
                    continue;
                }
                let id = attr_after(element, "id=\"")
                    .unwrap_or_else(|| panic!("{what}: a form field without an id: {element}"));
                assert!(
                    self.body.contains(&format!("<label for=\"{id}\"")),
                    "{what}: no label for #{id}"
                );
            }
        }
    }

    /// Every `src=` and `href=` value (and `action=`).
    pub fn references(&self) -> Vec<String> {
        let mut refs = Vec::new();
        for attr in ["src=\"", "href=\"", "action=\"", "src='", "href='"] {
            let mut rest = self.body.as_str();
            while let Some(at) = rest.find(attr) {
                rest = &rest[at + attr.len()..];
                let end = rest.find(['"', '\'']).unwrap_or(rest.len());
                refs.push(rest[..end].to_owned());
            }
        }
        refs
    }
}

/// The text of an attribute whose opening (`name="`) is given, up to its closing quote.
pub fn attr_after(text: &str, opening: &str) -> Option<String> {
    let at = text.find(opening)? + opening.len();
    let end = text[at..].find('"')? + at;
    Some(text[at..end].to_owned())
}

/// A client that keeps the portal's cookies like a browser.
pub struct Browser {
    base: String,
    http: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
    /// Sent with every request (a proxy's `X-Forwarded-For`, say).
    pub headers: Vec<(String, String)>,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Browser {
            base: base.trim_end_matches('/').to_owned(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
            headers: Vec::new(),
        }
    }

    fn cookie_header(&self) -> Option<HeaderValue> {
        if self.cookies.is_empty() {
            return None;
        }
        let text = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        Some(HeaderValue::from_str(&text).unwrap())
    }

    async fn send(&mut self, request: reqwest::RequestBuilder, gzip: bool) -> Page {
        let mut request = request.header("accept", "text/html");
        if gzip {
            request = request.header("accept-encoding", "gzip");
        }
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(cookies) = self.cookie_header() {
            request = request.header("cookie", cookies);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let removed = text.contains("Max-Age=0");
            if removed || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = response.bytes().await.unwrap();
        let body = if gzip {
            // Left compressed: the caller measures the bytes sent.
            format!("{}", bytes.len())
        } else {
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request, false).await
    }

    /// The page as sent with gzip: its body is the number of bytes transferred.
    pub async fn get_gzipped(&mut self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request, true).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let request = self.http.post(format!("{}{path}", self.base)).form(fields);
        self.send(request, false).await
    }

    /// Register through the form (the CSRF token read from the form page); the browser is then
    /// signed in.
    pub async fn register(&mut self, lang: &str, name: &str) -> Page {
        let form = self.get(&format!("/{lang}/register")).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let csrf = form.csrf();
        let page = self
            .post(
                &format!("/{lang}/register"),
                &[
                    ("csrf", &csrf),
                    ("display_name", name),
                    ("category", "ngo"),
                    ("birth_year", "۱۳۶۴"),
                    ("gender", "female"),
                    ("province", "tehran"),
                    ("name_public", "1"),
                    ("consent", "1"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert!(self.cookies.contains_key("mk_session"));
        page
    }
}

impl Browser {
    /// Register through the form with a mobile number: "send me a code" (the test server's demo
    /// SMS shows the code on the page), then the code with the fields. The browser is then
    /// signed in as a verified participant.
    pub async fn register_verified(&mut self, lang: &str, name: &str, phone: &str) -> Page {
        let form = self.get(&format!("/{lang}/register")).await;
        let csrf = form.csrf();
        let fields = [
            ("csrf", csrf.as_str()),
            ("phone", phone),
            ("display_name", name),
            ("category", "ngo"),
            ("birth_year", "۱۳۶۴"),
            ("gender", "female"),
            ("province", "tehran"),
            ("name_public", "1"),
            ("consent", "1"),
        ];
        let mut asked = fields.to_vec();
        asked.push(("step", "send_code"));
        let sent = self.post(&format!("/{lang}/register"), &asked).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let code = demo_code(&sent.body);
        let mut filled = fields.to_vec();
        filled.push(("code", &code));
        filled.push(("step", "register"));
        let page = self.post(&format!("/{lang}/register"), &filled).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert!(self.cookies.contains_key("mk_session"));
        page
    }
}

/// The one-time code a demo server shows on the page, in its "demo only" notice.
pub fn demo_code(body: &str) -> String {
    let at = body
        .find("demo-only")
        .expect("the demo notice with the code");
    let notice = &body[at..];
    let notice = &notice[..notice.find("</p>").unwrap()];
    let digits: String = notice.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 6, "{notice}");
    digits
}

/// What every portal page must be: its language and direction, one h1, landmarks and a skip
/// link, the security headers, nothing from another host, under 50 KB gzipped.
pub async fn check_page(browser: &mut Browser, path: &str, lang: &str, expect: &[&str]) -> Page {
    let page = browser.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    let dir = if lang == "fa" { "rtl" } else { "ltr" };
    assert_eq!(page.lang_dir(), (lang.to_owned(), dir.to_owned()), "{path}");
    assert_eq!(page.count("<h1"), 1, "{path}: one h1");
    for landmark in [
        "<header",
        "<nav",
        "<main id=\"main\"",
        "<footer",
        "href=\"#main\"",
    ] {
        assert!(page.body.contains(landmark), "{path}: {landmark}");
    }
    for text in expect {
        assert!(
            page.body.contains(text),
            "{path} should show {text:?}:\n{}",
            page.body
        );
    }
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("script-src 'none'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert!(page.header("referrer-policy").is_some());
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html; charset=utf-8"))
    );
    // No script, no inline style, nothing from another host.
    assert!(!page.body.contains("<script"), "{path}");
    assert!(!page.body.contains("style=\""), "{path}");
    assert!(!page.body.contains("<style"), "{path}");
    for reference in page.references() {
        assert!(
            !reference.starts_with("http:")
                && !reference.starts_with("https:")
                && !reference.starts_with("//"),
            "{path} refers to another host: {reference}"
        );
    }
    page.assert_accessible_structure(path);
    let gzipped = browser.get_gzipped(path).await;
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"), "{path}");
    let bytes: usize = gzipped.body.parse().unwrap();
    assert!(bytes < 50 * 1024, "{path}: {bytes} bytes gzipped");
    page
}
