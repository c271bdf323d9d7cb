//! Whatever structure a draft has, writing it out as text and recognising it again gives the same
//! structure: parse(render(doc)) == doc.

use mosharekat_api::DraftFormat;
use mosharekat_draft::{Markers, Parsed, ParsedArticle, ParsedClause, ParsedNote, parse, render};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "وزارت",
    "آموزش",
    "مدرسه",
    "دانش‌آموزان",
    "شورا",
    "موظف",
    "است",
    "گزارش",
    "۱۴۰۳",
    "سال",
    "تحصیلی",
    "پیشنهاد",
    "می‌شود",
    "و",
    "در",
    "(۳۰ روز)",
    "«مشارکت»",
    "بند",
    "ماده",
    "تبصره",
];
const LETTERS: &[&str] = &["الف", "ب", "پ", "ت", "ث", "ج"];

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..8).prop_map(|w| {
        // A text never starts with a word that could be a marker («ماده ۱۴۰۳ …»).
        let mut w = w;
        if ["ماده", "تبصره", "۱۴۰۳"].contains(&w[0]) {
            w.insert(0, "متن");
        }
        w.join(" ").replace(['«', '»'], "\"")
    })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(sentence(), 1..3).prop_map(|p| p.join("\n"))
}

fn clauses(letters: bool) -> impl Strategy<Value = Vec<ParsedClause>> {
    prop::collection::vec(text(), 0..4).prop_map(move |texts| {
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| ParsedClause {
                label: if letters {
                    LETTERS[i].to_owned()
                } else {
                    char::from_u32(0x06F1 + i as u32).unwrap().to_string()
                },
                text,
            })
            .collect()
    })
}

fn article() -> impl Strategy<Value = ParsedArticle> {
    (
        prop_oneof![text(), Just(String::new())],
        any::<bool>(),
        clauses(true),
        prop::collection::vec((text(), clauses(false)), 0..3),
    )
        .prop_map(|(text, ordinal, clauses, notes)| {
            let single = notes.len() == 1;
            ParsedArticle {
                number: 0,
                label: if ordinal {
                    "اول".into()
                } else {
                    String::new()
                },
                chapter: None,
                heading: None,
                text,
                clauses,
                notes: notes
                    .into_iter()
                    .enumerate()
                    .map(|(i, (text, clauses))| ParsedNote {
                        number: (!single).then_some(i as u32 + 1),
                        text,
                        clauses,
                    })
                    .collect(),
            }
        })
}

fn draft() -> impl Strategy<Value = Parsed> {
    (
        prop::option::of(prop::collection::vec(sentence(), 1..3)),
        prop::collection::vec((article(), any::<bool>()), 1..6),
        any::<bool>(),
    )
        .prop_map(|(preamble, articles, closing)| {
            let count = articles.len();
            let mut chapter = 0;
            Parsed {
                preamble: preamble.map(|p| format!("عنوان {}", p.join("\n"))),
                articles: articles
                    .into_iter()
                    .enumerate()
                    .map(|(i, (mut a, new_chapter))| {
                        a.number = i as u32 + 1;
                        a.label = if a.label.is_empty() || i > 0 {
                            char::from_u32(0x06F1 + i as u32).unwrap().to_string()
                        } else {
                            a.label
                        };
                        if new_chapter {
                            chapter += 1;
                        }
                        a.chapter = (chapter > 0).then(|| format!("فصل {chapter} - بخش"));
                        a
                    })
                    .collect(),
                closing: closing
                    .then(|| format!("این آیین‌نامه در {count} ماده به تصویب رسید.\nوزیر")),
            }
        })
}

proptest! {
    #[test]
    fn parse_reads_back_what_render_wrote(doc in draft()) {
        let text = render(&doc, Markers::Persian);
        prop_assert_eq!(parse(&text, DraftFormat::Text), doc, "{}", text);
    }
}

/// Pieces of drafts, markers and the characters that trip parsers up, for arbitrary texts.
const PIECES: &[&str] = &[
    "ماده",
    "تبصره",
    "فصل",
    "پیوست",
    "Article",
    "Note",
    "الف",
    "ب",
    "پ",
    "۱",
    "2",
    "٣",
    "۱۴۰۳",
    "اول",
    "بیست و یکم",
    "واحده",
    " ",
    " ",
    "\n",
    "\n\n",
    "-",
    "ـ",
    ":",
    ")",
    "(",
    ".",
    "«",
    "»",
    "#",
    "## ",
    "**",
    "- ",
    "\\",
    "\u{200C}",
    "\u{200F}",
    "\u{202E}",
    "ي",
    "ك",
    "a",
    "(a)",
    "\r\n",
    "این آیین‌نامه در ۲ ماده به تصویب رسید.",
    "متن",
    "\u{0}",
    "😀",
];

proptest! {
    /// Any text at all is recognised without a panic, in both formats, and what is recognised
    /// is well formed: articles numbered, clauses labelled.
    #[test]
    fn any_text_parses(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..80)) {
        let text: String = pieces.concat();
        for format in [DraftFormat::Text, DraftFormat::Markdown] {
            let doc = parse(&text, format);
            for article in &doc.articles {
                prop_assert!(!article.label.is_empty());
                for clause in article.clauses.iter().chain(article.notes.iter().flat_map(|n| &n.clauses)) {
                    prop_assert!(!clause.label.is_empty());
                }
            }
        }
    }
}
