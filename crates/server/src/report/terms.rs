//! The most frequent terms of a consultation's comments: each comment is normalised as campaign
//! groups are (`mosharekat_api::text::normalize_for_duplicates`: Arabic letter variants, digits,
//! diacritics, ZWNJ), split at anything that is not a letter or digit, and stripped of Persian and
//! English stop words, numbers and one-letter pieces. A term counts once per comment that uses it,
//! so one long comment repeating a word does not outweigh many people saying it once.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use mosharekat_api::report::TermCount;
use mosharekat_api::text::normalize_for_duplicates;

/// Function words of everyday Persian, with the pieces a ZWNJ split leaves (`می`, `ها`, `ترین`…).
const PERSIAN_STOP_WORDS: &str = "
و در به از که این را با برای است آن یک تا می نمی شود ها های هم یا بر نیز باید شده اما هر خود ما شما
من او وی ایشان آنها اینها اینکه آنکه چون اگر پس بین کرد کرده کند کنند کنیم کنید کنم شد شوند شده‌اند بود
بوده باشد باشند باشیم هست هستند هستیم نیست نیستند دارد دارند داریم داشته داشت ای اند ام ایم اید اش تر
ترین همه همین همان آنچه چه چرا بی نه دیگر جهت طی روی زیر پیش بعد قبل توسط بدون مورد وجود صورت حال
لطفا بسیار خیلی فقط حتی البته چند کدام آیا وقتی زیرا ولی لذا درباره سوی نیز بنابراین یعنی مثل مانند
همچنین چنین چنان آنان اینجا آنجا کنار میان دیگری دیگران است؟ ی بیش کم ان اینه رو هستش بشه شده است
";

const ENGLISH_STOP_WORDS: &str = "
the a an and or of to in on for is are was were be been being it its this that these those with as at by
from not no but if we i you he she they them our your their my me us have has had do does did will would
should can could may might must shall there here which who whom what when where why how all any some more
most such than then so also very just about into over under after before please than too only own same
";

fn stop_words() -> &'static HashSet<String> {
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        PERSIAN_STOP_WORDS
            .split_whitespace()
            .chain(ENGLISH_STOP_WORDS.split_whitespace())
            .flat_map(|w| {
                normalize_for_duplicates(w)
                    .split(|c: char| !c.is_alphanumeric())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .filter(|w| !w.is_empty())
            .collect()
    })
}

/// The distinct terms of one text, in first-use order.
pub fn terms(text: &str) -> Vec<String> {
    let normalised = normalize_for_duplicates(text);
    let stop = stop_words();
    let mut seen = HashSet::new();
    normalised
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().nth(1).is_some())
        .filter(|w| !w.chars().all(|c| c.is_numeric()))
        .filter(|w| !stop.contains(*w))
        .filter(|w| seen.insert(*w))
        .map(str::to_owned)
        .collect()
}

/// Counts terms over a stream of comments.
#[derive(Debug, Default)]
pub struct TermCounter {
    counts: HashMap<String, i64>,
}

impl TermCounter {
    pub fn add(&mut self, text: &str) {
        for term in terms(text) {
            *self.counts.entry(term).or_insert(0) += 1;
        }
    }

    /// The `n` most used terms, most first (ties in alphabetical order, so the list is stable).
    pub fn top(self, n: usize) -> Vec<TermCount> {
        let mut all: Vec<TermCount> = self
            .counts
            .into_iter()
            .map(|(term, count)| TermCount { term, count })
            .collect();
        all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.term.cmp(&b.term)));
        all.truncate(n);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_numbers_and_variants() {
        // Arabic yeh and kaf fold into the Persian letters; «در», «را», «به» and numbers go.
        assert_eq!(
            terms("شهريه مدارس در سال ۱۴۰۳ را به شدت افزايش داد؛ شهریه!"),
            vec!["شهریه", "مدارس", "سال", "شدت", "افزایش", "داد"]
        );
        // A ZWNJ splits like a space: the pieces «می» and «ها» are stop words.
        assert_eq!(terms("کتاب‌ها را می‌خوانند"), vec!["کتاب", "خوانند"]);
        assert_eq!(
            terms("The FEES of the schools, and the fees."),
            vec!["fees", "schools"]
        );
        assert!(terms("  و  در  ").is_empty());
    }

    #[test]
    fn a_term_counts_once_per_comment() {
        let mut counter = TermCounter::default();
        counter.add("شهریه شهریه شهریه");
        counter.add("شهریه و کتاب");
        counter.add("کتاب");
        counter.add("معلم");
        let top = counter.top(2);
        assert_eq!(
            top,
            vec![
                TermCount {
                    term: "شهریه".into(),
                    count: 2
                },
                TermCount {
                    term: "کتاب".into(),
                    count: 2
                },
            ]
        );
    }
}
