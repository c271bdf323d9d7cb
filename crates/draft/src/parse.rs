//! Recognising a draft's structure, line by line: each line is a marker (an article, a note, a
//! clause, a chapter heading, the closing statement) or text that continues whatever came last.

use mosharekat_api::DraftFormat;

use crate::fold::fold;
use crate::markers::{self, ClauseStyle};

/// A draft in one language, as recognised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The lines before the first article (the title, the preamble), one per line.
    pub preamble: Option<String>,
    pub articles: Vec<ParsedArticle>,
    /// The closing statement after the last article and what follows it (signatures), one per line.
    pub closing: Option<String>,
}

/// An article as recognised. Text lines wrapped inside a paragraph are joined with a space;
/// paragraphs (separated by a blank line) with `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedArticle {
    pub number: u32,
    /// The number as printed (`۳`, `12`, `اول`, `واحده`, `Sole`).
    pub label: String,
    /// The chapter heading the article sits under.
    pub chapter: Option<String>,
    /// The article's title (Markdown headings only: `## ماده ۳ - تعاریف`).
    pub heading: Option<String>,
    pub text: String,
    pub clauses: Vec<ParsedClause>,
    pub notes: Vec<ParsedNote>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNote {
    pub number: Option<u32>,
    pub text: String,
    pub clauses: Vec<ParsedClause>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedClause {
    /// The marker as printed, without its punctuation: `الف`, `۲`, `b`.
    pub label: String,
    pub text: String,
}

impl ParsedClause {
    fn style(&self) -> ClauseStyle {
        if markers::number_value(&self.label).is_some() {
            ClauseStyle::Number
        } else if self.label.is_ascii() {
            ClauseStyle::LatinLetter
        } else {
            ClauseStyle::PersianLetter
        }
    }
}

impl Parsed {
    /// How many notes the articles have.
    pub fn note_count(&self) -> usize {
        self.articles.iter().map(|a| a.notes.len()).sum()
    }

    /// How many clauses there are, those of notes included.
    pub fn clause_count(&self) -> usize {
        self.articles
            .iter()
            .map(|a| a.clauses.len() + a.notes.iter().map(|n| n.clauses.len()).sum::<usize>())
            .sum()
    }
}

/// Where a text line goes: after whatever marker came last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Preamble,
    Chapter,
    Article,
    ArticleClause,
    Note,
    NoteClause,
    Closing,
}

/// One line, ready to classify.
struct Line<'a> {
    text: std::borrow::Cow<'a, str>,
    /// A Markdown heading (`## …`).
    heading: bool,
}

/// Strips a Markdown line down to its text: block quotes, heading hashes, list bullets, strong
/// emphasis and backslash escapes. A thematic break (`---`) is a blank line.
fn markdown_line(raw: &str) -> Line<'_> {
    let mut s = raw.trim();
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    if s.len() >= 3 && s.chars().all(|c| matches!(c, '-' | '*' | '_' | ' ')) {
        return Line {
            text: "".into(),
            heading: false,
        };
    }
    let mut heading = false;
    let hashes = s.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && s[hashes..].starts_with([' ', '\t']) {
        heading = true;
        s = s[hashes..].trim().trim_end_matches('#').trim_end();
    } else if let Some(rest) = ["- ", "* ", "+ "].iter().find_map(|b| s.strip_prefix(b)) {
        s = rest.trim_start();
    }
    let mut text = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => {
                text.extend(chars.next());
            }
            '*' | '_' if chars.peek() == Some(&c) => {
                chars.next();
            }
            _ => text.push(c),
        }
    }
    Line {
        text: text.trim().to_owned().into(),
        heading,
    }
}

fn text_line(raw: &str) -> Line<'_> {
    let s = raw.trim();
    let s = s.strip_prefix('•').map_or(s, str::trim_start);
    Line {
        text: s.into(),
        heading: false,
    }
}

/// The line machine.
#[derive(Default)]
struct Builder {
    doc: Parsed,
    preamble: Vec<String>,
    closing: Vec<String>,
    chapter: Option<String>,
    target: Option<Target>,
    /// A blank line since the last text: the next line starts a paragraph.
    paragraph_break: bool,
    /// Short lines after a blank line under the last article, held back: at the end of the text
    /// they are its signature (the closing), before anything else they are text after all.
    tail: Vec<(String, bool)>,
}

impl Builder {
    fn article(&mut self) -> Option<&mut ParsedArticle> {
        self.doc.articles.last_mut()
    }

    /// Appends a text line to what came last.
    fn text(&mut self, line: &str) {
        let joiner = if self.paragraph_break { '\n' } else { ' ' };
        self.paragraph_break = false;
        let push = |text: &mut String| {
            if !text.is_empty() {
                text.push(joiner);
            }
            text.push_str(line);
        };
        match self.target.unwrap_or(Target::Preamble) {
            Target::Preamble => self.preamble.push(line.to_owned()),
            Target::Closing => self.closing.push(line.to_owned()),
            Target::Chapter => {
                if let Some(chapter) = &mut self.chapter {
                    chapter.push(' ');
                    chapter.push_str(line);
                }
            }
            Target::Article => self.article().into_iter().for_each(|a| push(&mut a.text)),
            Target::ArticleClause => {
                if let Some(c) = self.article().and_then(|a| a.clauses.last_mut()) {
                    push(&mut c.text);
                }
            }
            Target::Note => {
                if let Some(n) = self.article().and_then(|a| a.notes.last_mut()) {
                    push(&mut n.text);
                }
            }
            Target::NoteClause => {
                if let Some(c) = self
                    .article()
                    .and_then(|a| a.notes.last_mut())
                    .and_then(|n| n.clauses.last_mut())
                {
                    push(&mut c.text);
                }
            }
        }
    }

    fn start(&mut self, target: Target) {
        self.target = Some(target);
        self.paragraph_break = false;
    }

    /// Whether an article numbered `number` may start here: the first, a later number, or a
    /// numbering that starts again at 1.
    fn article_may_start(&self, number: u32) -> bool {
        self.doc
            .articles
            .last()
            .is_none_or(|last| number >= last.number || number == 1)
    }

    /// Places a clause marker: in the open note's list when it continues (or opens) it, else in the
    /// article's list when it continues (or opens) that. `false` when it fits neither (it is text).
    fn clause(&mut self, marker: &markers::ClauseMarker<'_>) -> bool {
        let in_note = self
            .target
            .is_some_and(|t| matches!(t, Target::Note | Target::NoteClause));
        let Some(article) = self.doc.articles.last_mut() else {
            return false;
        };
        let clause = ParsedClause {
            label: marker.label.to_owned(),
            text: marker.rest.to_owned(),
        };
        if in_note && let Some(note) = article.notes.last_mut() {
            let last = note.clauses.last().map(|c| (c.style(), c.label.as_str()));
            if marker.successor_of(last) {
                note.clauses.push(clause);
                self.start(Target::NoteClause);
                return true;
            }
        }
        let last = article
            .clauses
            .last()
            .map(|c| (c.style(), c.label.as_str()));
        // A list of the article's own opens before its first note only.
        if marker.successor_of(last) && (last.is_some() || article.notes.is_empty()) {
            article.clauses.push(clause);
            self.start(Target::ArticleClause);
            return true;
        }
        false
    }

    /// The text a continuation line would go to.
    fn current_text(&self) -> Option<&str> {
        let article = self.doc.articles.last()?;
        let note = article.notes.last();
        Some(match self.target? {
            Target::Article => &article.text,
            Target::ArticleClause => &article.clauses.last()?.text,
            Target::Note => &note?.text,
            Target::NoteClause => &note?.clauses.last()?.text,
            _ => return None,
        })
    }

    /// Whether a line may be part of a signature under the last article: a short line after a
    /// blank one, under a text that ended its sentence.
    fn may_be_tail(&self, line: &Line<'_>) -> bool {
        let text = line.text.as_ref();
        !line.heading
            && (!self.tail.is_empty()
                || self.paragraph_break
                    && self
                        .current_text()
                        .is_some_and(|t| t.ends_with(['.', '!', '?', '؟'])))
            && matches!(
                self.target,
                Some(Target::Article | Target::ArticleClause | Target::Note | Target::NoteClause)
            )
            && markers::signature_like(text)
            && markers::article(text).is_none()
            && markers::note(text).is_none()
            && markers::clause(text).is_none()
            && markers::chapter(text).is_none()
            && markers::appendix(text).is_none()
    }

    /// Gives held-back lines to the text they continue.
    fn flush_tail(&mut self) {
        for (line, paragraph_break) in std::mem::take(&mut self.tail) {
            self.paragraph_break = paragraph_break;
            self.text(&line);
        }
    }

    fn line(&mut self, line: &Line<'_>) {
        let text = line.text.as_ref();
        if self.may_be_tail(line) {
            self.tail.push((text.to_owned(), self.paragraph_break));
            self.paragraph_break = false;
            return;
        }
        self.flush_tail();
        if self.target == Some(Target::Closing) {
            self.text(text);
            return;
        }
        if let Some(m) = markers::article(text).filter(|m| self.article_may_start(m.number)) {
            let (heading, body) = if line.heading && !m.rest.is_empty() {
                (Some(m.rest.to_owned()), String::new())
            } else {
                (None, m.rest.to_owned())
            };
            self.doc.articles.push(ParsedArticle {
                number: m.number,
                label: m.label,
                chapter: self.chapter.clone(),
                heading,
                text: body,
                clauses: Vec::new(),
                notes: Vec::new(),
            });
            self.start(Target::Article);
            return;
        }
        let started = !self.doc.articles.is_empty();
        let heading =
            markers::chapter(text).or_else(|| markers::appendix(text).filter(|_| started));
        if let Some(chapter) = heading {
            self.chapter = Some(chapter.to_owned());
            self.start(Target::Chapter);
            return;
        }
        if started && markers::closing(text) {
            self.start(Target::Closing);
            self.text(text);
            return;
        }
        if started && let Some(m) = markers::note(text) {
            if let Some(article) = self.article() {
                article.notes.push(ParsedNote {
                    number: m.number,
                    text: m.rest.to_owned(),
                    clauses: Vec::new(),
                });
            }
            self.start(Target::Note);
            return;
        }
        if let Some(m) = markers::clause(text)
            && self.clause(&m)
        {
            return;
        }
        if line.heading && started {
            // Any other heading between articles names a section of them.
            self.chapter = Some(text.to_owned());
            self.start(Target::Chapter);
            return;
        }
        self.text(text);
    }

    fn finish(mut self) -> Parsed {
        self.closing
            .extend(std::mem::take(&mut self.tail).into_iter().map(|(l, _)| l));
        let lines = |v: Vec<String>| (!v.is_empty()).then(|| v.join("\n"));
        self.doc.preamble = lines(self.preamble);
        self.doc.closing = lines(self.closing);
        self.doc
    }
}

/// Recognises the structure of a draft's text. The text is folded first ([`crate::fold`]).
/// Never fails: a text without a recognisable article gives no articles (and all of it as the
/// preamble), which the caller refuses.
pub fn parse(text: &str, format: DraftFormat) -> Parsed {
    let folded = fold(text);
    let mut builder = Builder::default();
    // Lines inside an open quotation («…») are text: a bill quotes the articles it amends.
    let mut quote_depth: i64 = 0;
    for raw in folded.lines() {
        let line = match format {
            DraftFormat::Text => text_line(raw),
            DraftFormat::Markdown => markdown_line(raw),
        };
        if line.text.is_empty() {
            builder.paragraph_break = builder.target.is_some() || !builder.tail.is_empty();
            quote_depth = 0;
            continue;
        }
        if quote_depth > 0 {
            builder.flush_tail();
            builder.text(&line.text);
        } else {
            builder.line(&line);
        }
        let opened = line.text.matches('«').count() as i64;
        let closed = line.text.matches('»').count() as i64;
        quote_depth = (quote_depth + opened - closed).max(0);
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Parsed {
        parse(s, DraftFormat::Text)
    }

    #[test]
    fn preamble_articles_and_closing() {
        let d = text(
            "آیین‌نامه اجرایی نمونه\nمقدمه: به استناد ماده ۵ قانون\n\nماده ۱ - یک\nماده ۲ - دو\nاین آیین‌نامه در ۲ ماده به تصویب رسید.\nوزیر",
        );
        assert_eq!(
            d.preamble.as_deref(),
            Some("آیین‌نامه اجرایی نمونه\nمقدمه: به استناد ماده ۵ قانون")
        );
        assert_eq!(d.articles.len(), 2);
        assert_eq!(d.articles[1].text, "دو");
        assert_eq!(
            d.closing.as_deref(),
            Some("این آیین‌نامه در ۲ ماده به تصویب رسید.\nوزیر")
        );
    }

    #[test]
    fn wrapped_lines_join_and_paragraphs_stay() {
        let d = text("ماده ۱ - آغاز متن\nادامه متن\n\nبند دوم متن");
        assert_eq!(d.articles[0].text, "آغاز متن ادامه متن\nبند دوم متن");
    }

    #[test]
    fn a_clause_out_of_order_is_text() {
        let d = text("ماده ۱ - متن\nالف - یک\n۱۴۰۳ - سال\nپ - سه");
        assert_eq!(d.articles[0].clauses.len(), 1);
        assert_eq!(d.articles[0].clauses[0].text, "یک ۱۴۰۳ - سال پ - سه");
    }

    #[test]
    fn clauses_under_a_note_restart_their_numbering() {
        let d = text(
            "ماده ۱ - متن\n۱ - یک\n۲ - دو\nتبصره ۱ - متن\n۱ - الف\n۲ - ب\nتبصره ۲ - متن\n۱ - ج",
        );
        let a = &d.articles[0];
        assert_eq!(a.clauses.len(), 2);
        assert_eq!(a.notes.len(), 2);
        assert_eq!(a.notes[0].clauses.len(), 2);
        assert_eq!(a.notes[1].clauses.len(), 1);
    }

    #[test]
    fn an_article_clause_after_a_note_goes_back_to_the_article() {
        let d = text("ماده ۱ - متن\nالف - یک\nتبصره - درباره بند الف\nب - دو");
        let a = &d.articles[0];
        assert_eq!(a.clauses.len(), 2);
        assert_eq!(a.notes[0].text, "درباره بند الف");
        assert!(a.notes[0].clauses.is_empty());
    }

    #[test]
    fn an_article_list_does_not_open_after_its_notes() {
        // «الف» after a note's numbered list is a sub-list of its last clause, not the article's.
        let d = text("ماده ۱ - متن\nتبصره - شرایط:\n۱ - یک\n۲ - دو:\nالف - زیربند");
        let a = &d.articles[0];
        assert!(a.clauses.is_empty());
        assert_eq!(a.notes[0].clauses.len(), 2);
        assert_eq!(a.notes[0].clauses[1].text, "دو: الف - زیربند");
    }

    #[test]
    fn an_earlier_article_number_is_a_mention() {
        let d = text("ماده ۳ - متن\nماده ۲: همان که گفته شد\nماده ۴ - متن");
        assert_eq!(d.articles.len(), 2);
        assert!(d.articles[0].text.ends_with("همان که گفته شد"));
    }

    #[test]
    fn numbering_may_start_again() {
        let d = text("ماده ۱ - الف\nماده ۲ - ب\nپیوست\nماده ۱ - ج");
        assert_eq!(
            d.articles.iter().map(|a| a.number).collect::<Vec<_>>(),
            [1, 2, 1]
        );
    }

    #[test]
    fn quoted_amendments_are_text() {
        let d = text(
            "ماده ۱ - ماده (۵) قانون به شرح زیر اصلاح می‌شود:\n«ماده ۵ - دستگاه‌ها موظفند\nتبصره - متن تبصره قانون»\nماده ۲ - متن",
        );
        assert_eq!(d.articles.len(), 2);
        assert!(d.articles[0].notes.is_empty());
    }

    #[test]
    fn chapters_label_their_articles() {
        let d = text("فصل اول - کلیات\nماده ۱ - یک\nفصل دوم\nشرایط\nماده ۲ - دو");
        assert_eq!(d.preamble, None);
        assert_eq!(d.articles[0].chapter.as_deref(), Some("فصل اول - کلیات"));
        assert_eq!(d.articles[1].chapter.as_deref(), Some("فصل دوم شرایط"));
    }

    #[test]
    fn markdown_headings_emphasis_and_lists() {
        let d = parse(
            "# دستورالعمل\n\n## ماده ۱ - تعاریف\n\nمتن **مهم** ماده\n\n- الف) یک\n- ب) دو\n\n**تبصره ۱ -** متن\n1\\. بند تبصره\n\n### فصل دوم\n\n## ماده ۲\nمتن دو",
            DraftFormat::Markdown,
        );
        assert_eq!(d.preamble.as_deref(), Some("دستورالعمل"));
        let a = &d.articles[0];
        assert_eq!(a.heading.as_deref(), Some("تعاریف"));
        assert_eq!(a.text, "متن مهم ماده");
        assert_eq!(a.clauses.len(), 2);
        assert_eq!(a.notes[0].text, "متن");
        // «1.» (escaped in Markdown) under a note opens the note's list.
        assert_eq!(a.notes[0].clauses[0].text, "بند تبصره");
        assert_eq!(d.articles[1].chapter.as_deref(), Some("فصل دوم"));
        assert_eq!(d.articles[1].text, "متن دو");
    }

    #[test]
    fn a_signature_under_the_last_article_is_the_closing() {
        let d = text("ماده ۱ - متن.\n\nمعاون آموزش ابتدایی\nعلی رضایی");
        assert_eq!(d.articles[0].text, "متن.");
        assert_eq!(d.closing.as_deref(), Some("معاون آموزش ابتدایی\nعلی رضایی"));
        // Short lines followed by more of the draft were text after all.
        let d = text("ماده ۱ - متن.\n\nبند کوتاه\nماده ۲ - دو");
        assert_eq!(d.articles[0].text, "متن.\nبند کوتاه");
        assert_eq!(d.closing, None);
    }

    #[test]
    fn no_article_means_everything_is_preamble() {
        let d = text("نامه‌ای بدون ماده\nدو خط");
        assert!(d.articles.is_empty());
        assert_eq!(d.preamble.as_deref(), Some("نامه‌ای بدون ماده\nدو خط"));
    }
}
