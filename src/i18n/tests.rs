use std::collections::BTreeSet;
use std::fs;

use super::*;
use crate::keymap::{Action, Pane, Section};

fn fa() -> Locale {
    Locale::embedded("fa").unwrap()
}

fn en() -> Locale {
    Locale::embedded("en").unwrap()
}

const META: &str = "[locale]\ncode = \"xx\"\nname = \"X\"\ndirection = \"ltr\"\ndigits = \"latin\"\ncalendar = \"gregorian\"\n";

fn parse(text: &str) -> Result<Locale, FileError> {
    Locale::from_toml("xx", "xx.toml", text)
}

#[test]
fn embedded_locales_declare_their_conventions() {
    let fa = fa();
    assert_eq!(fa.code(), "fa");
    assert_eq!(fa.name(), "فارسی");
    assert!(fa.is_rtl());
    assert_eq!(fa.digits(), DigitSet::Persian);
    assert_eq!(fa.calendar(), CalendarKind::Persian);
    let en = en();
    assert_eq!(en.direction(), Direction::Ltr);
    assert_eq!(en.digits(), DigitSet::Latin);
    assert_eq!(en.calendar(), CalendarKind::Gregorian);
}

#[test]
fn persian_and_english_have_exactly_the_same_keys() {
    let en_locale = en();
    let en: BTreeSet<&str> = en_locale.keys().collect();
    let fa_locale = fa();
    let fa_keys: BTreeSet<&str> = fa_locale.keys().collect();
    let only_fa: Vec<_> = fa_keys.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&fa_keys).collect();
    assert!(only_fa.is_empty(), "only in fa.toml: {only_fa:?}");
    assert!(only_en.is_empty(), "only in en.toml: {only_en:?}");
    assert!(en.len() > 300, "the whole console's strings: {}", en.len());
}

#[test]
fn every_key_has_the_same_placeholders_in_both_languages() {
    let (fa, en) = (fa(), en());
    for key in en.keys() {
        let mut in_en = placeholders(en.get(key).unwrap());
        let mut in_fa = placeholders(fa.get(key).unwrap());
        in_en.sort_unstable();
        in_fa.sort_unstable();
        assert_eq!(in_fa, in_en, "placeholders of `{key}`");
    }
}

#[test]
fn every_action_section_pane_and_province_has_a_name() {
    for locale in [fa(), en()] {
        let missing = |key: String| assert!(locale.get(&key).is_some(), "{}: {key}", locale.code());
        for &action in Action::ALL {
            missing(format!("action.{}", action.name()));
        }
        for section in Section::ALL {
            missing(format!("help.section.{}", section.name()));
        }
        for pane in Pane::ALL {
            missing(format!("pane.{}.title", pane.name()));
        }
        for month in 1..=12 {
            missing(format!("month.persian.{month}"));
            missing(format!("month.gregorian.{month}"));
        }
        let provinces = locale.keys().filter(|k| k.starts_with("province.")).count();
        assert_eq!(provinces, 31 + 1, "31 provinces and `unknown`");
    }
}

#[test]
fn plural_keys_come_in_pairs() {
    let en = en();
    for key in en.keys() {
        if let Some(stem) = key.strip_suffix(".one") {
            assert!(en.get(&format!("{stem}.other")).is_some(), "{stem}.other");
            assert!(
                placeholders(en.get(key).unwrap()).contains(&"count"),
                "{key} needs {{count}}"
            );
        }
        if let Some(stem) = key.strip_suffix(".other") {
            if en.get(&format!("{stem}.one")).is_some() {
                continue;
            }
            // `.other` alone is fine only when it is not a plural (e.g. gender.other).
            assert!(
                !placeholders(en.get(key).unwrap()).contains(&"count"),
                "{key}"
            );
        }
    }
}

#[test]
fn persian_text_uses_persian_letters_digits_and_zwnj() {
    let fa = fa();
    let mut zwnj = 0;
    for key in fa.keys() {
        let text = fa.get(key).unwrap();
        // Arabic yeh/kaf instead of Persian ی/ک is a common mistake that breaks search and sorting.
        assert!(
            !text.contains(['\u{064A}', '\u{0643}']),
            "{key}: Arabic yeh or kaf in {text:?}"
        );
        assert!(
            !text.chars().any(|c| c.is_ascii_digit()),
            "{key}: ASCII digits in {text:?}"
        );
        assert!(!text.contains('~'), "{key}");
        zwnj += text.matches('\u{200C}').count();
    }
    assert!(zwnj > 100, "ZWNJ where Persian writes it: {zwnj}");
    assert_eq!(
        fa.get("pane.tallies.suppressed")
            .map(|t| t.contains("نمی\u{200C}شود")),
        Some(true)
    );
    assert_eq!(fa.get("help.section.list"), Some("فهرست\u{200C}ها"));
}

#[test]
fn lookup_fills_placeholders() {
    let i18n = I18n::new(en());
    assert_eq!(i18n.text("pane.queue.title"), "Queue");
    assert_eq!(
        i18n.format("app.seeding", &[("done", "3"), ("total", "10")]),
        "Preparing demo data: 3 of 10"
    );
    let fa = I18n::new(fa());
    assert_eq!(
        fa.format("app.seeding", &[("done", "۳"), ("total", "۱۰")]),
        "آماده\u{200C}سازی داده\u{200C}های نمایشی: ۳ از ۱۰"
    );
}

#[test]
fn counts_choose_the_form_and_the_digits() {
    let en = I18n::new(en());
    assert_eq!(
        en.count("banner.offline", 1, &[]),
        "Backend unreachable — 1 decision pending"
    );
    assert_eq!(
        en.count("banner.offline", 3, &[]),
        "Backend unreachable — 3 decisions pending"
    );
    assert_eq!(en.count("date.days_left", 1200, &[]), "1,200 days left");
    let fa = I18n::new(fa());
    assert_eq!(
        fa.count("banner.offline", 3, &[]),
        "سرور در دسترس نیست — ۳ تصمیم در انتظار ارسال"
    );
}

#[test]
fn missing_keys_fall_back_to_english_then_to_the_key() {
    let partial = parse(&format!("{META}[pane.queue]\ntitle = \"Q\"\n")).unwrap();
    let i18n = I18n::new(partial);
    assert_eq!(i18n.text("pane.queue.title"), "Q");
    assert_eq!(i18n.text("pane.tallies.title"), "Tallies");
    assert_eq!(
        i18n.text("pane.tallies.title"),
        "Tallies",
        "second lookup too"
    );
    assert_eq!(i18n.text("no.such.key"), "no.such.key");
    assert_eq!(i18n.format("no.such.key", &[("x", "1")]), "no.such.key");
    assert_eq!(
        i18n.reported.lock().unwrap().len(),
        2,
        "each missing key logged once"
    );
}

#[test]
fn fill_handles_escapes_and_unfilled_placeholders() {
    let mut unfilled = Vec::new();
    let out = fill("{{literal}} {a} and {b} {Not} {open", &[("a", "A")], |n| {
        unfilled.push(n.to_owned())
    });
    assert_eq!(out, "{literal} A and {b} {Not} {open");
    assert_eq!(unfilled, ["b"]);
    assert_eq!(placeholders("{x} {y} {x} {{z}}"), ["x", "y"]);
    // values are inserted as they are, never re-scanned for placeholders
    assert_eq!(fill("{a}", &[("a", "{a}")], |_| {}), "{a}");
}

#[test]
fn bad_locale_files_get_clear_errors() {
    for (text, needle) in [
        ("[app]\ntitle = \"x\"\n", "missing the `[locale]` section"),
        (
            &META.replace("ltr", "sideways"),
            "`direction` is `sideways`: expected one of rtl, ltr",
        ),
        (
            &META.replace("\"latin\"", "\"persain\""),
            "did you mean `persian`",
        ),
        (&META.replace("\"xx\"", "\"yy\""), "declares code `yy`"),
        (&META.replace("name = \"X\"\n", ""), "[locale] needs `name`"),
        (&format!("{META}extra = 1\n"), "has no `extra`"),
        (
            &format!("{META}[app]\ntitle = 3\n"),
            "`app.title` must be text",
        ),
        (
            &format!("{META}[app]\ntitle = \"{{Count}} items\"\n"),
            "`app.title`: a stray `{`",
        ),
        (&format!("{META}[app]\ntitle = \"a }} b\"\n"), "stray `}`"),
    ] {
        let err = parse(text).unwrap_err();
        assert!(err.message.contains(needle), "{text:?}: {err}");
        assert!(err.line.is_some() || needle.contains("missing"), "{err}");
    }
}

#[test]
fn a_third_language_needs_only_a_file() {
    let dir = std::env::temp_dir().join(format!("mosharekat-i18n-test-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("locales")).unwrap();
    let german = "[locale]\ncode = \"de\"\nname = \"Deutsch\"\ndirection = \"ltr\"\n\
                  digits = \"latin\"\ncalendar = \"gregorian\"\n\n[pane.queue]\ntitle = \"Warteschlange\"\n";
    fs::write(dir.join("locales").join("de.toml"), german).unwrap();
    assert_eq!(available_locales(Some(&dir)), ["fa", "en", "de"]);
    let de = Locale::load("de", Some(&dir)).unwrap();
    let i18n = I18n::new(de);
    assert_eq!(i18n.text("pane.queue.title"), "Warteschlange");
    assert_eq!(
        i18n.text("pane.outbox.title"),
        "Outbox",
        "English fills the gaps"
    );
    assert_eq!(i18n.toggle_target("de"), "en");

    let err = Locale::load("dx", Some(&dir)).unwrap_err();
    assert!(err.message.contains("expected fa, en, de"), "{err}");
    assert!(err.message.contains("did you mean `de`"), "{err}");
    assert!(Locale::load("../../etc", Some(&dir)).is_err());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn toggling_goes_between_the_configured_language_and_english() {
    let mut i18n = I18n::new(fa());
    assert_eq!(i18n.toggle_target("fa"), "en");
    i18n.set_locale(en());
    assert_eq!(i18n.toggle_target("fa"), "fa");
    assert_eq!(i18n.toggle_target("en"), "fa");
}

#[test]
fn localise_digits_only_for_non_latin_locales() {
    assert_eq!(fa().localise_digits("12:30"), "۱۲:۳۰");
    assert_eq!(en().localise_digits("12:30"), "12:30");
    assert_eq!(fa().grouped(1_234_567), "۱٬۲۳۴٬۵۶۷");
}
