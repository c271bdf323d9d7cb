//! Realistic drafts in the style of Iranian regulations (`tests/drafts/`), each recognised exactly
//! as written down here by hand: every article's number and label, chapter and heading, the first
//! words of its text, its clauses' labels and its notes (number, first words, clauses' labels).

use mosharekat_api::DraftFormat;
use mosharekat_draft::{Markers, Parsed, pair, parse, render};

struct A {
    number: u32,
    label: &'static str,
    chapter: Option<&'static str>,
    heading: Option<&'static str>,
    starts: &'static str,
    clauses: &'static [&'static str],
    notes: &'static [N],
}

struct N {
    number: Option<u32>,
    starts: &'static str,
    clauses: &'static [&'static str],
}

const fn a(number: u32, label: &'static str, starts: &'static str) -> A {
    A {
        number,
        label,
        chapter: None,
        heading: None,
        starts,
        clauses: &[],
        notes: &[],
    }
}

const fn n(number: Option<u32>, starts: &'static str) -> N {
    N {
        number,
        starts,
        clauses: &[],
    }
}

fn read(name: &str) -> String {
    let path = format!("{}/tests/drafts/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Compares a recognised draft with its hand-written expectation, article by article.
fn check(doc: &Parsed, expected: &[A]) {
    assert_eq!(
        doc.articles.iter().map(|a| a.number).collect::<Vec<_>>(),
        expected.iter().map(|a| a.number).collect::<Vec<_>>(),
        "article numbers"
    );
    for (got, want) in doc.articles.iter().zip(expected) {
        let at = format!("article {}", want.number);
        assert_eq!(got.label, want.label, "{at}: label");
        assert_eq!(got.chapter.as_deref(), want.chapter, "{at}: chapter");
        assert_eq!(got.heading.as_deref(), want.heading, "{at}: heading");
        assert!(
            got.text.starts_with(want.starts),
            "{at}: text {:?} should start with {:?}",
            got.text,
            want.starts
        );
        let labels = |c: &[mosharekat_draft::ParsedClause]| {
            c.iter().map(|c| c.label.clone()).collect::<Vec<_>>()
        };
        assert_eq!(labels(&got.clauses), want.clauses, "{at}: clauses");
        assert_eq!(got.notes.len(), want.notes.len(), "{at}: notes");
        for (i, (gn, wn)) in got.notes.iter().zip(want.notes).enumerate() {
            assert_eq!(gn.number, wn.number, "{at}, note {i}: number");
            assert!(
                gn.text.starts_with(wn.starts),
                "{at}, note {i}: text {:?} should start with {:?}",
                gn.text,
                wn.starts
            );
            assert_eq!(labels(&gn.clauses), wn.clauses, "{at}, note {i}: clauses");
        }
        for clause in got
            .clauses
            .iter()
            .chain(got.notes.iter().flat_map(|n| &n.clauses))
        {
            assert!(
                !clause.text.is_empty(),
                "{at}: clause {} is empty",
                clause.label
            );
        }
    }
}

const SHORAHA: &[A] = &[
    A {
        clauses: &["الف", "ب", "پ", "ت"],
        ..a(1, "۱", "تعاریف: در این آیین‌نامه")
    },
    a(2, "۲", "هدف از تشکیل شورا"),
    A {
        clauses: &["۱", "۲", "۳"],
        notes: &[
            n(Some(1), "تعداد نمایندگان در مدارسی"),
            n(Some(2), "در مدارس استثنایی"),
        ],
        ..a(3, "۳", "اعضای شورا عبارتند از:")
    },
    A {
        clauses: &["الف", "ب", "پ"],
        notes: &[N {
            clauses: &["۱", "۲"],
            ..n(None, "داوطلبان عضویت باید")
        }],
        ..a(4, "۴", "انتخابات شورا هر سال")
    },
    A {
        clauses: &["الف", "ب", "پ", "ت"],
        ..a(5, "۵", "وظایف شورا به شرح زیر")
    },
    A {
        notes: &[
            n(Some(1), "صورتجلسه هر جلسه"),
            n(Some(2), "مدیر مدرسه می‌تواند"),
            n(Some(3), "غیبت غیرموجه"),
        ],
        ..a(6, "۶", "جلسات شورا دست‌کم")
    },
    a(7, "۷", "اداره کل آموزش و پرورش هر استان"),
    a(8, "۸", "اعتبارات لازم"),
];

#[test]
fn an_implementing_regulation_in_plain_text() {
    let doc = parse(&read("ayinnameh-shoraha.txt"), DraftFormat::Text);
    check(&doc, SHORAHA);
    assert_eq!((doc.note_count(), doc.clause_count()), (6, 16));
    let preamble = doc.preamble.as_deref().unwrap();
    assert_eq!(preamble.lines().count(), 4);
    assert!(preamble.starts_with("بسمه تعالی\nآیین‌نامه اجرایی"));
    // Lines wrapped inside a clause are one text.
    assert_eq!(
        doc.articles[0].clauses[2].text,
        "شورا: شورای دانش‌آموزی مدرسه که بر اساس این آیین‌نامه تشکیل می‌شود؛"
    );
    assert!(
        doc.closing
            .as_deref()
            .unwrap()
            .starts_with("این آیین‌نامه در ۸ ماده و ۶ تبصره")
    );
}

#[test]
fn its_english_translation_pairs_article_by_article() {
    let en = parse(&read("ayinnameh-shoraha.en.txt"), DraftFormat::Text);
    assert_eq!(
        en.articles.iter().map(|a| a.number).collect::<Vec<_>>(),
        SHORAHA.iter().map(|a| a.number).collect::<Vec<_>>()
    );
    assert_eq!(en.articles[0].label, "1");
    assert_eq!(
        en.articles[0]
            .clauses
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>(),
        ["a", "b", "c", "d"]
    );
    assert!(
        en.articles[3].notes[0]
            .text
            .starts_with("Candidates must have had")
    );
    assert_eq!(en.articles[3].notes[0].clauses.len(), 2);
    assert!(
        en.preamble
            .as_deref()
            .unwrap()
            .starts_with("Implementing Regulation")
    );
    assert!(
        en.closing
            .as_deref()
            .unwrap()
            .starts_with("This regulation in 8 articles")
    );

    let fa = parse(&read("ayinnameh-shoraha.txt"), DraftFormat::Text);
    let draft = pair(fa, Some(en), DraftFormat::Text).expect("the translation matches");
    let third = &draft.articles[2];
    assert_eq!(third.label, "۳");
    assert!(
        third
            .text_en
            .as_deref()
            .unwrap()
            .starts_with("The members of the council")
    );
    assert_eq!(third.clauses[1].label_en.as_deref(), Some("2"));
    assert!(
        third.notes[1]
            .text_en
            .as_deref()
            .unwrap()
            .ends_with("district education office.")
    );
    assert!(draft.preamble_en.is_some() && draft.closing_en.is_some());
}

#[test]
fn a_translation_missing_an_article_is_refused_by_name() {
    let fa = parse(&read("ayinnameh-shoraha.txt"), DraftFormat::Text);
    let text = read("ayinnameh-shoraha.en.txt");
    let cut = text.find("Article 7").unwrap();
    let resumed = text.find("Article 8").unwrap();
    let en = parse(
        &format!("{}{}", &text[..cut], &text[resumed..]),
        DraftFormat::Text,
    );
    let err = pair(fa, Some(en), DraftFormat::Text).unwrap_err();
    assert_eq!(
        err.problems,
        ["article 7 is in the Persian text but not in the English"]
    );
}

#[test]
fn an_instruction_in_markdown_with_chapters_and_titled_articles() {
    let doc = parse(&read("dastoorolamal-nazarkhahi.md"), DraftFormat::Markdown);
    const GENERAL: Option<&str> = Some("فصل اول: کلیات");
    const PUBLISHING: Option<&str> = Some("فصل دوم: انتشار و مهلت");
    const REPORT: Option<&str> = Some("فصل سوم: گزارش");
    const EXPECTED: &[A] = &[
        A {
            chapter: GENERAL,
            heading: Some("هدف"),
            ..a(
                1,
                "۱",
                "این دستورالعمل به منظور اجرای سیاست نهادینه‌سازی مشارکت",
            )
        },
        A {
            chapter: GENERAL,
            heading: Some("دامنه شمول"),
            clauses: &["الف", "ب", "پ"],
            notes: &[n(None, "مصوبات طبقه‌بندی‌شده")],
            ..a(2, "۲", "این دستورالعمل در همه واحدهای")
        },
        A {
            chapter: PUBLISHING,
            heading: Some("مهلت نظرخواهی"),
            notes: &[
                n(Some(1), "کاهش مهلت"),
                N {
                    clauses: &["1", "2", "3"],
                    ..n(Some(2), "در موارد زیر مهلت")
                },
            ],
            ..a(3, "۳", "مهلت نظرخواهی دست‌کم ۳۰ روز")
        },
        A {
            chapter: PUBLISHING,
            heading: Some("انتشار دوزبانه"),
            ..a(4, "۴", "فراخوان نظرخواهی")
        },
        A {
            chapter: REPORT,
            heading: Some("گزارش جامع"),
            clauses: &["1", "2", "3"],
            ..a(5, "۵", "واحد تدوین‌کننده")
        },
        A {
            chapter: REPORT,
            heading: Some("اجرا"),
            ..a(6, "۶", "مسئولیت حسن اجرای")
        },
    ];
    check(&doc, EXPECTED);
    assert_eq!((doc.note_count(), doc.clause_count()), (3, 9));
    assert_eq!(
        doc.preamble.as_deref(),
        Some(
            "دستورالعمل نحوه برگزاری نظرخواهی عمومی از پیش‌نویس مقررات\nابلاغی معاونت حقوقی و امور مجلس — نسخه پیشنهادی برای نظرخواهی"
        )
    );
    // Emphasis is markup, not text; a wrapped paragraph is one line.
    assert_eq!(
        doc.articles[3].text,
        "فراخوان نظرخواهی به زبان فارسی و انگلیسی منتشر می‌شود و پیوند آن در درگاه رسمی وزارت قرار می‌گیرد."
    );
    assert_eq!(
        doc.closing.as_deref(),
        Some("این دستورالعمل در ۶ ماده و ۳ تبصره به تصویب رسید.")
    );
}

#[test]
fn a_circular_with_mixed_digits_and_articles_in_words() {
    let doc = parse(&read("bakhshnameh-sabtenam.txt"), DraftFormat::Text);
    const EXPECTED: &[A] = &[
        a(
            1,
            "اول",
            "ثبت‌نام نوآموزان پایه اول از ۱ خرداد تا 31 مرداد در سامانه ثبت‌نام",
        ),
        A {
            notes: &[n(None, "خانواده‌ها می‌توانند")],
            ..a(2, "دوم", "سنجش سلامت جسمانی")
        },
        A {
            clauses: &["1", "2", "3"],
            ..a(3, "3", "مدارک لازم عبارتند از:")
        },
        A {
            notes: &[
                n(Some(1), "دریافت هرگونه وجه"),
                n(Some(2), "رسیدگی به شکایات"),
            ],
            ..a(4, "٤", "مدارس غیردولتی نیز")
        },
        a(5, "۵", "مسئولیت نظارت بر حسن اجرای"),
    ];
    check(&doc, EXPECTED);
    // A wrapped line that starts with a year range is text, not a clause.
    assert!(
        doc.articles[4]
            .text
            .contains("سال تحصیلی ۱۴۰۳ - ۱۴۰۴ تا پایان شهریور")
    );
    assert!(doc.articles[4].clauses.is_empty());
    // The letter's heading («پیوست: ندارد» included) is the preamble; the signature the closing.
    let preamble = doc.preamble.as_deref().unwrap();
    assert!(preamble.starts_with("شماره: ۱۲۳۴/۵۶۷\nتاریخ"));
    assert!(preamble.contains("پیوست: ندارد"));
    assert!(preamble.ends_with("ابلاغ می‌شود:"));
    assert_eq!(doc.articles[0].chapter, None);
    assert_eq!(doc.closing.as_deref(), Some("معاون آموزش ابتدایی"));
}

#[test]
fn a_bill_with_a_single_article_a_quoted_amendment_and_a_note_with_clauses() {
    let doc = parse(&read("layeheh-eslah.txt"), DraftFormat::Text);
    const EXPECTED: &[A] = &[A {
        notes: &[
            n(Some(1), "نمایندگان دانش‌آموزان بدون حق رأی"),
            N {
                clauses: &["الف", "ب"],
                ..n(Some(2), "شورا موظف است")
            },
            n(Some(3), "آیین‌نامه اجرایی این ماده"),
        ],
        ..a(1, "واحده", "ماده (۳) قانون تشکیل شوراهای آموزش و پرورش")
    }];
    check(&doc, EXPECTED);
    // The amended article, quoted, is the single article's text, clauses and all.
    let text = &doc.articles[0].text;
    assert!(text.contains("«ماده ۳ - اعضای شورای"));
    assert!(text.contains("الف - استاندار (رئیس شورا)؛ ب - مدیرکل"));
    assert!(text.ends_with("مجمع شوراهای دانش‌آموزی استان.»"));
    assert_eq!(
        doc.preamble.as_deref(),
        Some("لایحه اصلاح قانون تشکیل شوراهای آموزش و پرورش")
    );
    assert_eq!(doc.closing, None);
}

#[test]
fn a_board_resolution_in_arabic_letters_with_kashida_dashes_and_an_appendix_numbered_anew() {
    let doc = parse(&read("mosavabeh-sandogh.txt"), DraftFormat::Text);
    const TERMS: Option<&str> = Some("فصل ۱ـ شرایط");
    const REPAYMENT: Option<&str> = Some("فصل ۲ـ بازپرداخت");
    const APPENDIX: Option<&str> = Some("پیوست ـ شیوه‌نامه اجرایی");
    const EXPECTED: &[A] = &[
        A {
            chapter: TERMS,
            notes: &[n(None, "سابقه عضویت پیشین")],
            // ي and ك read (and are kept) as ی and ک.
            ..a(1, "۱", "اعضای صندوق که دست‌کم سه سال")
        },
        A {
            chapter: TERMS,
            clauses: &["الف", "ب"],
            ..a(2, "۲", "سقف تسهیلات به شرح زیر است:")
        },
        A {
            chapter: REPAYMENT,
            ..a(3, "۳", "مدت بازپرداخت")
        },
        A {
            chapter: REPAYMENT,
            notes: &[
                n(Some(1), "در صورت بازنشستگی"),
                n(Some(2), "تأخیر بیش از سه قسط"),
            ],
            ..a(4, "۴", "اقساط از حقوق ماهانه")
        },
        A {
            chapter: APPENDIX,
            ..a(1, "۱", "درخواست از طریق سامانه")
        },
        A {
            chapter: APPENDIX,
            ..a(2, "۲", "صندوق ظرف ۳۰ روز")
        },
    ];
    check(&doc, EXPECTED);
    assert!(
        doc.preamble
            .as_deref()
            .unwrap()
            .starts_with("مصوبه هیئت‌مدیره صندوق ذخیره فرهنگیان")
    );
    assert!(
        !doc.articles
            .iter()
            .any(|a| a.text.contains('ي') || a.text.contains('ك'))
    );
}

#[test]
fn every_draft_reads_back_the_same_after_rendering() {
    for (name, format) in [
        ("ayinnameh-shoraha.txt", DraftFormat::Text),
        ("dastoorolamal-nazarkhahi.md", DraftFormat::Markdown),
        ("bakhshnameh-sabtenam.txt", DraftFormat::Text),
        ("layeheh-eslah.txt", DraftFormat::Text),
        ("mosavabeh-sandogh.txt", DraftFormat::Text),
    ] {
        let mut doc = parse(&read(name), format);
        // Plain text has no article titles.
        doc.articles.iter_mut().for_each(|a| a.heading = None);
        let again = parse(&render(&doc, Markers::Persian), DraftFormat::Text);
        assert_eq!(again.articles, doc.articles, "{name}");
        assert_eq!(again.preamble, doc.preamble, "{name}");
    }
    let en = parse(&read("ayinnameh-shoraha.en.txt"), DraftFormat::Text);
    let again = parse(&render(&en, Markers::English), DraftFormat::Text);
    assert_eq!(again, en);
}
