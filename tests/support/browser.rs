//! (Included by the browser tests with `#[path]`, beside `support`, so other tests don't link it.)
//!
//! A real browser for the portal's tests: Debian's headless Chromium driven over WebDriver
//! (`chromedriver` on a port of its own, fantoccini as the client), with axe-core — the
//! accessibility checker, installed from npm into `tests/browser/node_modules` — injected into
//! pages on demand.
//!
//! Blocking like the rest of the harness: the browser owns a small runtime and every call waits
//! for its answer. `.ci/run` installs Chromium, ChromeDriver and axe-core when missing and sets
//! `MOSHAREKAT_BROWSER_TESTS=required`; without them a browser test says so and passes on a
//! developer's machine, never in CI.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::{TIMEOUT, free_port};

/// Where the screenshots of every page type go, for people to look at.
pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("portal-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// axe-core's script, installed by `npm ci` in `tests/browser`.
fn axe_script() -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let script = root.join("node_modules/axe-core/axe.min.js");
    if !script.exists() {
        // npm is on every machine this project supports; the lock file pins the version.
        let _ = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&root)
            .status();
    }
    std::fs::read_to_string(script).ok()
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// WebDriver's keys.
pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";
pub const SPACE: &str = " ";

/// A page as a text browser shows it: `w3m -dump` of `url` at 80 columns, or `None` (with the
/// reason on stderr) when w3m is missing and the run does not require it.
pub fn text_browser(url: &str) -> Option<String> {
    let Some(w3m) = find_program(&["w3m"]) else {
        if std::env::var("MOSHAREKAT_BROWSER_TESTS").as_deref() == Ok("required") {
            panic!("w3m is missing (apt-get install w3m; .ci/run does it)");
        }
        eprintln!("SKIPPED: w3m is missing (apt-get install w3m)");
        return None;
    };
    let out = Command::new(w3m)
        .args(["-dump", "-cols", "80", "-O", "UTF-8", url])
        .env("TERM", "dumb")
        .output()
        .expect("run w3m");
    assert!(
        out.status.success(),
        "w3m {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("w3m writes UTF-8"))
}

/// A headless Chromium session. Closed (and its driver killed) when dropped.
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    axe: String,
}

impl Browser {
    /// A new browser, or `None` (with the reason on stderr) when Chromium, ChromeDriver or
    /// axe-core is missing and the run does not require them.
    pub fn start() -> Option<Browser> {
        let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
        let driver = find_program(&["chromedriver"]);
        let axe = axe_script();
        let (Some(chromium), Some(driver), Some(axe)) = (chromium, driver, axe) else {
            let missing = "Chromium, ChromeDriver or axe-core is missing (apt-get install chromium \
                           chromium-driver; npm ci in tests/browser; .ci/run does both)";
            if std::env::var("MOSHAREKAT_BROWSER_TESTS").as_deref() == Ok("required") {
                panic!("{missing}");
            }
            eprintln!("SKIPPED: {missing}");
            return None;
        };
        let port = free_port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("browser runtime");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                // Root in a container has no sandbox to offer; the pages are our own.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,1024",
                         "--lang=fa-IR", "--no-first-run"],
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + TIMEOUT;
        let client = runtime.block_on(async {
            loop {
                let connector = hyper_util::client::legacy::connect::HttpConnector::new();
                match ClientBuilder::new(connector)
                    .capabilities(capabilities.clone())
                    .connect(&url)
                    .await
                {
                    Ok(client) => break client,
                    Err(error) if Instant::now() > deadline => {
                        panic!("chromedriver did not answer at {url}: {error}")
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                }
            }
        });
        Some(Browser {
            runtime,
            client: Some(client),
            driver,
            axe,
        })
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("browser open")
    }

    /// Opens `url` and waits for the page to load.
    pub fn goto(&self, url: &str) {
        self.runtime
            .block_on(self.client().goto(url))
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    pub fn current_url(&self) -> String {
        self.runtime
            .block_on(self.client().current_url())
            .expect("current url")
            .to_string()
    }

    /// The page's HTML as the browser sees it now.
    pub fn source(&self) -> String {
        self.runtime
            .block_on(self.client().source())
            .expect("page source")
    }

    /// The page's visible text.
    pub fn text(&self) -> String {
        self.script("return document.body.innerText;", vec![])
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Types `text` into the field matched by the CSS `selector` (after clearing it).
    pub fn fill(&self, selector: &str, text: &str) {
        self.runtime.block_on(async {
            let field = self
                .client()
                .find(Locator::Css(selector))
                .await
                .unwrap_or_else(|e| panic!("field {selector}: {e}"));
            field.clear().await.expect("clear field");
            field.send_keys(text).await.expect("type into field");
        });
    }

    /// Chooses the option whose value is `value` in the `<select>` matched by `selector`.
    pub fn select(&self, selector: &str, value: &str) {
        self.runtime.block_on(async {
            let field = self
                .client()
                .find(Locator::Css(selector))
                .await
                .unwrap_or_else(|e| panic!("select {selector}: {e}"));
            field.select_by_value(value).await.expect("select option");
        });
    }

    /// Clicks the element matched by `selector` and waits for the next page if it navigates.
    pub fn click(&self, selector: &str) {
        self.runtime.block_on(async {
            let element = self
                .client()
                .find(Locator::Css(selector))
                .await
                .unwrap_or_else(|e| panic!("element {selector}: {e}"));
            element.click().await.expect("click");
        });
    }

    /// Clicks the element matched by `selector` that sends a form or follows a link, and waits
    /// until the next page has loaded (a click returns before the navigation it starts ends).
    pub fn click_and_wait(&self, selector: &str) {
        self.script("window.__mosharekatOld = true;", vec![]);
        self.click(selector);
        self.wait_for_new_page(selector);
    }

    /// Waits until the page marked by the caller has been replaced by a loaded new one.
    fn wait_for_new_page(&self, after: &str) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let loaded = self.runtime.block_on(self.client().execute(
                "return window.__mosharekatOld === undefined && document.readyState === 'complete';",
                vec![],
            ));
            // A script may fail while the old page is being replaced: look again.
            if let Ok(Value::Bool(true)) = loaded {
                return;
            }
            if Instant::now() > deadline {
                panic!("{after:?} loaded no new page");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses `key` (text, or a WebDriver key such as [`TAB`], [`ENTER`], [`SPACE`]) in the
    /// element that has the focus, as a person at the keyboard would.
    pub fn press(&self, key: &str) {
        self.runtime.block_on(async {
            let focused = self
                .client()
                .active_element()
                .await
                .expect("focused element");
            focused.send_keys(key).await.expect("press a key");
        });
    }

    /// The focused element's outer HTML up to its first `>` (what a test can recognise it by).
    pub fn focused(&self) -> String {
        let html = self.script(
            "const e = document.activeElement; return e ? e.outerHTML : '';",
            vec![],
        );
        let html = html.as_str().unwrap_or_default();
        html[..html.find('>').map_or(html.len(), |end| end + 1)].to_owned()
    }

    /// Presses Tab until the focused element's opening tag satisfies `wanted` (at most 300
    /// presses): how a keyboard user reaches a link or field.
    pub fn tab_to(&self, what: &str, wanted: impl Fn(&str) -> bool) {
        for _ in 0..300 {
            self.press(TAB);
            if wanted(&self.focused()) {
                return;
            }
        }
        panic!(
            "Tab never reached {what}; the focus is on {}",
            self.focused()
        );
    }

    /// Presses `key` on the focused element and waits for the next page it leads to.
    pub fn press_and_wait(&self, key: &str) {
        self.script("window.__mosharekatOld = true;", vec![]);
        self.press(key);
        self.wait_for_new_page(key);
    }

    /// Sets the window's size (the viewport of headless Chromium).
    pub fn resize(&self, width: u32, height: u32) {
        self.runtime
            .block_on(self.client().set_window_size(width, height))
            .expect("resize the window");
    }

    /// What sticks out sideways on the current page at a viewport `width` CSS pixels wide: the
    /// page's own width beyond the viewport, and the elements wider than it (empty: it reflows).
    pub fn overflow_at(&self, width: u32) -> Vec<String> {
        self.resize(width, 900);
        let found = self.script(
            "const w = document.documentElement.clientWidth; const out = [];
             if (document.documentElement.scrollWidth > w) {
               out.push('the page is ' + document.documentElement.scrollWidth + 'px wide in ' + w + 'px');
               for (const e of document.body.querySelectorAll('*')) {
                 const r = e.getBoundingClientRect();
                 if (r.right > w + 1 || r.left < -1) { out.push(e.outerHTML.slice(0, 120)); }
               }
             }
             return {width: w, out: out.slice(0, 6)};",
            vec![],
        );
        self.resize(1280, 1024);
        // The check means something only if the window really was that narrow.
        let seen = found["width"].as_u64().unwrap_or(u64::MAX);
        assert!(
            seen <= u64::from(width),
            "the viewport stayed {seen}px wide when asked for {width}px"
        );
        found["out"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    }

    /// Runs `script` in the page (WebDriver scripts are not subject to the page's CSP).
    pub fn script(&self, script: &str, args: Vec<Value>) -> Value {
        self.runtime
            .block_on(self.client().execute(script, args))
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// The WCAG 2.2 A and AA violations axe-core finds on the current page: one line per
    /// violation and element, empty when there are none.
    pub fn accessibility_violations(&self) -> Vec<String> {
        self.script(&self.axe, vec![]);
        let result = self
            .runtime
            .block_on(self.client().execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {runOnly: {type: 'tag', values:
                     ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
                   .then(r => done(r.violations))
                   .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));",
                vec![],
            ))
            .expect("axe.run");
        let mut lines = Vec::new();
        for violation in result.as_array().into_iter().flatten() {
            let id = violation["id"].as_str().unwrap_or("?");
            let help = violation["help"].as_str().unwrap_or("");
            let nodes = violation["nodes"].as_array().cloned().unwrap_or_default();
            if nodes.is_empty() {
                lines.push(format!("{id}: {help}"));
            }
            for node in nodes {
                lines.push(format!(
                    "{id}: {help} — {}",
                    node["html"].as_str().unwrap_or("")
                ));
            }
        }
        lines
    }

    /// Saves a PNG of the viewport as `name.png` under [`screenshot_dir`].
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let png = self
            .runtime
            .block_on(self.client().screenshot())
            .expect("screenshot");
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Waits until `check` holds for the page's visible text (reloading between looks).
    pub fn wait_for_text(&self, what: &str, check: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let text = self.text();
            if check(&text) {
                return;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the page says:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(200));
            self.runtime
                .block_on(self.client().refresh())
                .expect("reload");
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
