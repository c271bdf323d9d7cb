//! Building one comment from the text library: pick fragments for the draft and the author, fill
//! their placeholders (numbers in Persian or Latin digits, Jalali dates, the author's town), arrange
//! them as a one-liner, a paragraph, or several paragraphs with a numbered list, then type it the
//! way this citizen types (ZWNJ or a space, Arabic or Persian keyboard).

use chrono::{DateTime, Duration, Utc};
use mosharekat_locale::DigitSet;
use mosharekat_locale::calendar::jalali_at;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

use super::consultations::Topic;
use super::corpus::{self, TopicText, topic_text};
use super::dataset::Flaw;
use super::participants::Persona;

/// How the author writes numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Digits {
    Persian,
    Latin,
    /// Each number as it comes: a phone keyboard switched back and forth.
    Mixed,
}

/// Everything a comment's text depends on besides the random draws.
pub(crate) struct Scene<'a> {
    pub topic: Topic,
    pub persona: Persona,
    pub at: DateTime<Utc>,
    pub town: &'a str,
    pub province: &'a str,
    /// A name the text may mention: the author answered (in a reply) or someone named.
    pub name: &'a str,
    /// In a reply, the body of the comment answered.
    pub parent: Option<&'a str>,
}

/// What a comment is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Intent {
    Opinion,
    Proposal,
    Reply,
    Flawed(Flaw),
}

/// Write a comment in Persian (or in English for authors who write in English).
pub(crate) fn comment(rng: &mut StdRng, scene: &Scene, intent: Intent, english: bool) -> String {
    if english {
        return english_comment(rng, scene, intent);
    }
    let digits = match rng.random_range(0..100) {
        0..70 => Digits::Persian,
        70..95 => Digits::Latin,
        _ => Digits::Mixed,
    };
    let mut writer = Writer {
        rng,
        scene,
        digits,
        text: topic_text(scene.topic),
        used: Vec::new(),
    };
    let body = match intent {
        Intent::Opinion => writer.opinion(),
        Intent::Proposal => writer.proposal(),
        Intent::Reply => writer.reply(),
        Intent::Flawed(flaw) => writer.flawed(flaw),
    };
    let body = if digits == Digits::Latin {
        latin_digits(&body)
    } else {
        body
    };
    typing_habit(rng, body)
}

struct Writer<'r, 's> {
    rng: &'r mut StdRng,
    scene: &'s Scene<'s>,
    digits: Digits,
    text: &'static TopicText,
    /// Fragments already in this comment: nobody makes the same point twice in one go.
    used: Vec<&'static str>,
}

impl Writer<'_, '_> {
    fn pick(&mut self, list: &[&'static str]) -> &'static str {
        list.choose(self.rng).expect("fragment lists are not empty")
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    /// Pick a fragment not yet used in this comment (if the list allows) and fill its placeholders.
    fn say(&mut self, list: &[&'static str]) -> String {
        let mut fragment = self.pick(list);
        for _ in 0..8 {
            if !self.used.contains(&fragment) {
                break;
            }
            fragment = self.pick(list);
        }
        self.used.push(fragment);
        self.fill(fragment)
    }

    /// A closing line; colleagues also sign off as colleagues.
    fn closing(&mut self) -> String {
        let colleague = matches!(
            self.scene.persona,
            Persona::Teacher | Persona::Principal | Persona::RetiredTeacher
        );
        if colleague && self.chance(0.2) {
            self.say(corpus::COLLEAGUE_CLOSINGS)
        } else {
            self.say(corpus::CLOSINGS)
        }
    }

    /// A concern from this draft's list most of the time, otherwise one any draft draws.
    fn concern(&mut self) -> String {
        if self.chance(0.85) {
            self.say(self.text.concerns)
        } else {
            self.say(corpus::GENERIC_CONCERNS)
        }
    }

    fn evidence(&mut self) -> String {
        if self.chance(0.8) {
            self.say(self.text.evidence)
        } else {
            self.say(corpus::GENERIC_EVIDENCE)
        }
    }

    /// Greeting and self-introduction, each optional.
    fn introduction(&mut self, sentences: &mut Vec<String>, greet: f64, introduce: f64) {
        if self.chance(greet) {
            sentences.push(self.say(corpus::GREETINGS));
        }
        if self.chance(introduce) {
            sentences.push(self.say(corpus::persona_openings(self.scene.persona)));
        }
    }

    /// `count` concerns, the later ones often tied on with a connector.
    fn concerns(&mut self, count: usize, sentences: &mut Vec<String>) {
        for i in 0..count {
            let mut next = self.concern();
            if i > 0 && self.chance(0.6) {
                next = format!("{}{next}", self.pick(corpus::CONNECTORS));
            }
            sentences.push(next);
        }
    }

    fn opinion(&mut self) -> String {
        match self.rng.random_range(0..1000) {
            0..200 => self.short(),
            200..815 => self.paragraph(),
            815..995 => self.long(3),
            _ => self.long(6),
        }
    }

    fn short(&mut self) -> String {
        let line = if self.chance(0.5) {
            self.say(self.text.short)
        } else {
            self.say(corpus::SHORT_REACTIONS)
        };
        if self.chance(0.1) {
            format!("{} {line}", self.pick(corpus::GREETINGS))
        } else {
            line
        }
    }

    fn paragraph(&mut self) -> String {
        let mut s = Vec::new();
        self.introduction(&mut s, 0.4, 0.55);
        if self.chance(0.45) {
            s.push(self.say(self.text.openings));
        }
        match self.rng.random_range(0..100) {
            0..25 => s.push(self.say(self.text.support)),
            25..70 => {
                let n = self.rng.random_range(1..=2);
                self.concerns(n, &mut s);
            }
            _ => {
                s.push(self.say(self.text.support));
                s.push(format!("اما {}", self.concern()));
            }
        }
        if self.chance(0.4) {
            s.push(self.evidence());
        }
        if self.chance(0.55) {
            s.push(self.closing());
        }
        s.join(" ")
    }

    /// Several paragraphs with a numbered list; `extra` more paragraphs for the very long ones.
    fn long(&mut self, extra: usize) -> String {
        let mut paragraphs = Vec::new();
        let mut first = Vec::new();
        self.introduction(&mut first, 0.7, 0.9);
        first.push(self.say(self.text.openings));
        first.push(self.say(self.text.support));
        paragraphs.push(first.join(" "));

        let mut items = Vec::new();
        let count = self.rng.random_range(2..=4);
        self.concerns(count, &mut items);
        let style = self.rng.random_range(0..4);
        let list: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let n = self.number(i as u32 + 1);
                // Drop the connector a list item does not need.
                let item = corpus::CONNECTORS
                    .iter()
                    .find_map(|c| item.strip_prefix(c))
                    .unwrap_or(item);
                match style {
                    0 => format!("{n}- {item}"),
                    1 => format!("{n}) {item}"),
                    2 => format!("{n}. {item}"),
                    _ => format!("- {item}"),
                }
            })
            .collect();
        paragraphs.push(format!(
            "{}\n{}",
            self.pick(corpus::LIST_LEADS),
            list.join("\n")
        ));

        let mut evidence = vec![self.evidence()];
        if self.chance(0.5) {
            evidence.push(self.evidence());
        }
        paragraphs.push(evidence.join(" "));
        for _ in 3..extra {
            let mut more = Vec::new();
            self.concerns(2, &mut more);
            more.push(self.evidence());
            paragraphs.push(more.join(" "));
        }
        paragraphs.push(self.closing());
        let separator = if self.chance(0.7) { "\n\n" } else { "\n" };
        paragraphs.join(separator)
    }

    fn proposal(&mut self) -> String {
        let mut s = Vec::new();
        self.introduction(&mut s, 0.3, 0.5);
        if self.chance(0.3) {
            s.push(self.pick(corpus::PROPOSAL_LEADS).to_owned());
        }
        s.push(self.say(self.text.proposals));
        if self.chance(0.25) {
            let second = self.say(self.text.proposals);
            s.push(format!("همچنین {second}"));
        }
        match self.rng.random_range(0..100) {
            0..40 => s.push(self.concern()),
            40..70 => s.push(self.pick(corpus::PROPOSAL_REASONS).to_owned()),
            70..90 => s.push(self.evidence()),
            _ => {}
        }
        if self.chance(0.5) {
            s.push(self.closing());
        }
        s.join(" ")
    }

    fn reply(&mut self) -> String {
        let mut s = vec![self.say(corpus::REPLY_OPENERS)];
        match self.rng.random_range(0..100) {
            0..30 => s.push(self.concern()),
            30..50 => s.push(self.say(self.text.support)),
            _ => s.push(self.say(corpus::REPLY_LINES)),
        }
        if self.chance(0.15) {
            s.push(self.evidence());
        }
        if self.chance(0.1) {
            s.push(self.closing());
        }
        s.join(" ")
    }

    fn flawed(&mut self, flaw: Flaw) -> String {
        match flaw {
            Flaw::OffTopic => {
                let mut s = Vec::new();
                self.introduction(&mut s, 0.4, 0.2);
                s.push(self.say(corpus::OFF_TOPIC));
                s.join(" ")
            }
            Flaw::Offensive => {
                let mut s = Vec::new();
                if self.chance(0.6) {
                    s.push(self.concern());
                }
                s.push(self.say(corpus::OFFENSIVE));
                s.join(" ")
            }
            Flaw::PersonalData => {
                let mut s = vec![self.paragraph()];
                s.push(self.say(corpus::PERSONAL_DATA));
                s.join(" ")
            }
            Flaw::Gibberish => {
                const NOISE: &[&str] = &["تست", "test", "سلام", "...", "ااااا", "؟", "asdf"];
                self.pick(NOISE).to_owned()
            }
        }
    }

    /// A number in the author's digits.
    fn number(&mut self, n: u32) -> String {
        let persian = match self.digits {
            Digits::Persian => true,
            Digits::Latin => false,
            Digits::Mixed => self.chance(0.5),
        };
        if persian {
            DigitSet::Persian.number(n)
        } else {
            n.to_string()
        }
    }

    /// Replace every `{…}` placeholder of a fragment.
    fn fill(&mut self, fragment: &str) -> String {
        let mut out = String::with_capacity(fragment.len() + 16);
        let mut rest = fragment;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}').map(|c| c + open) else {
                break;
            };
            let token = &rest[open + 1..close];
            let (name, range) = token.split_once(':').unwrap_or((token, ""));
            let value = |rng: &mut StdRng| -> u32 {
                let (a, b) = range.split_once('-').unwrap_or(("1", "9"));
                let (a, b): (u32, u32) = (a.parse().unwrap_or(1), b.parse().unwrap_or(9));
                rng.random_range(a..=b.max(a))
            };
            match name {
                "n" | "art" | "tab" => {
                    let v = value(self.rng);
                    out.push_str(&self.number(v));
                }
                "pct" => {
                    let v = value(self.rng);
                    let digits = self.number(v);
                    let persian = digits.chars().all(|c| !c.is_ascii_digit());
                    out.push_str(&digits);
                    out.push(if persian { '٪' } else { '%' });
                }
                "years" => {
                    let v = self.rng.random_range(3..=29);
                    out.push_str(&self.number(v));
                }
                "jdate" => {
                    let days = self.rng.random_range(1..=40);
                    let date = jalali_at(self.scene.at - Duration::days(days));
                    let (y, m, d) = (date.year as u32, date.month as u32, date.day as u32);
                    let (y, m, d) = (self.number(y), self.number(m), self.number(d));
                    out.push_str(&format!("{y}/{m}/{d}"));
                }
                "jy" => {
                    let year = jalali_at(self.scene.at).year as u32;
                    out.push_str(&self.number(year));
                }
                "city" => out.push_str(self.scene.town),
                "province" => out.push_str(self.scene.province),
                "grade" => {
                    let grade = self.pick(corpus::GRADES);
                    out.push_str(grade);
                }
                "name" => out.push_str(self.scene.name),
                "quote" => out.push_str(&quote(self.scene.parent.unwrap_or(""))),
                _ => out.push_str(&rest[open..=close]),
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// The first words of the comment answered, as a reply quotes them.
fn quote(parent: &str) -> String {
    // Nobody quotes the greeting.
    let parent = corpus::GREETINGS
        .iter()
        .find_map(|g| parent.strip_prefix(g))
        .unwrap_or(parent);
    let words: Vec<&str> = parent.split_whitespace().collect();
    let take = words.len().min(7);
    let mut quoted = words[..take].join(" ");
    let trimmed = quoted
        .trim_end_matches(['.', '،', '؛', ':', '!', '؟', '«', '»'])
        .len();
    quoted.truncate(trimmed);
    // Drop any quotation marks inside so the reply's own «» stay balanced.
    let quoted: String = quoted.chars().filter(|c| !matches!(c, '«' | '»')).collect();
    if take < words.len() {
        format!("{quoted}…")
    } else {
        quoted
    }
}

fn english_comment(rng: &mut StdRng, scene: &Scene, intent: Intent) -> String {
    const PROPOSALS: &[&str] = &[
        "I would propose adding a note to the relevant article requiring an annual public report on implementation, with figures broken down by province.",
        "My concrete proposal: pilot the new rules in a few provinces for one school year before the national roll-out, with an independent evaluation.",
        "I propose that the final text define measurable indicators (KPIs) and publish them as open data.",
    ];
    const REPLIES: &[&str] = &[
        "I agree with the previous comment.",
        "With respect, the evidence points the other way.",
        "This matches what we saw in our fieldwork.",
    ];
    let text = topic_text(scene.topic);
    let pick = |rng: &mut StdRng, list: &[&'static str]| *list.choose(rng).expect("not empty");
    let mut s = Vec::new();
    let openings = if scene.persona == Persona::ForeignResearcher {
        corpus::ENGLISH_OPENINGS
    } else {
        corpus::ENGLISH_OPENINGS_AT_HOME
    };
    match intent {
        Intent::Reply => s.push(pick(rng, REPLIES)),
        _ => s.push(pick(rng, openings)),
    }
    s.push(pick(rng, text.english));
    if intent == Intent::Proposal {
        s.push(pick(rng, PROPOSALS));
    } else if rng.random_bool(0.3) {
        let other = pick(rng, text.english);
        if !s.contains(&other) {
            s.push(other);
        }
    }
    if rng.random_bool(0.35) {
        s.push(pick(rng, corpus::ENGLISH_GENERIC));
    }
    if rng.random_bool(0.6) {
        s.push(pick(rng, corpus::ENGLISH_CLOSINGS));
    }
    // English fragments use `{art:A-B}` only: fill it with Latin digits.
    let mut out = s.join(" ");
    while let Some(open) = out.find("{art:") {
        let Some(close) = out[open..].find('}').map(|c| c + open) else {
            break;
        };
        let n = rng.random_range(3..=9).to_string();
        out.replace_range(open..=close, &n);
    }
    out
}

/// ASCII digits in place of Persian ones (Arabic-Indic digits stay as they are).
pub(crate) fn latin_digits(s: &str) -> String {
    DigitSet::Latin.convert_from(DigitSet::Persian, s)
}

/// Type the text the way this citizen does: most use ZWNJ («می‌شود»), some a space («می شود»),
/// some nothing («میشود»), a few an Arabic keyboard layout (ي and ك).
fn typing_habit(rng: &mut StdRng, text: String) -> String {
    match rng.random_range(0..100) {
        0..72 => text,
        72..87 => text.replace('\u{200c}', " "),
        87..93 => text.replace('\u{200c}', ""),
        93..97 => text.replace('ی', "ي").replace('ک', "ك"),
        _ => {
            // No full stop at the end, unless the dots are all there is («...»).
            let trimmed = text.trim_end_matches(['.', '۔']);
            if trimmed.trim().is_empty() {
                text
            } else {
                trimmed.to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use mosharekat_api::text::validate_comment_body;
    use rand::SeedableRng;

    fn scene(topic: Topic) -> Scene<'static> {
        Scene {
            topic,
            persona: Persona::Teacher,
            at: Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap(),
            town: "شیراز",
            province: "فارس",
            name: "مریم رضایی",
            parent: Some("در مدرسه ما هم «دقیقاً» همین اتفاق افتاد و کسی پاسخ نداد."),
        }
    }

    #[test]
    fn fills_every_placeholder() {
        let mut rng = StdRng::seed_from_u64(3);
        for topic in [
            Topic::NonGovSchools,
            Topic::DescriptiveAssessment,
            Topic::ForeignStudents,
            Topic::TeacherRanking,
            Topic::FarhangianAdmission,
            Topic::SidaService,
            Topic::FinalExams,
            Topic::SchoolTransport,
        ] {
            let s = scene(topic);
            for intent in [
                Intent::Opinion,
                Intent::Proposal,
                Intent::Reply,
                Intent::Flawed(Flaw::OffTopic),
                Intent::Flawed(Flaw::Offensive),
                Intent::Flawed(Flaw::PersonalData),
                Intent::Flawed(Flaw::Gibberish),
            ] {
                for english in [false, true] {
                    for _ in 0..40 {
                        let body = comment(&mut rng, &s, intent, english);
                        assert!(!body.contains('{') && !body.contains('}'), "{body}");
                        assert!(validate_comment_body(&body).is_ok(), "{body}");
                        if english {
                            assert!(
                                !body.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                                "{body}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn digits_and_quotes() {
        assert_eq!(latin_digits("۱۴۰۳/۳/۱۵"), "1403/3/15");
        assert_eq!(
            quote("در مدرسه ما هم «دقیقاً» همین اتفاق افتاد و کسی پاسخ نداد."),
            "در مدرسه ما هم دقیقاً همین اتفاق…"
        );
        assert_eq!(quote("موافقم."), "موافقم");
        assert_eq!(quote("سلام. سامانه کند است."), "سامانه کند است");
    }

    #[test]
    fn shapes_vary() {
        let mut rng = StdRng::seed_from_u64(5);
        let s = scene(Topic::TeacherRanking);
        let bodies: Vec<String> = (0..2_000)
            .map(|_| comment(&mut rng, &s, Intent::Opinion, false))
            .collect();
        let lengths: Vec<usize> = bodies.iter().map(|b| b.chars().count()).collect();
        assert!(lengths.iter().any(|&n| n < 30));
        assert!(lengths.iter().any(|&n| n > 1_000));
        assert!(
            bodies
                .iter()
                .any(|b| b.contains("\n۱- ") || b.contains("\n1- "))
        );
        assert!(bodies.iter().any(|b| b.contains('\u{200c}')));
        assert!(
            bodies
                .iter()
                .any(|b| b.contains("می شود") || b.contains("نمی شود"))
        );
        assert!(bodies.iter().any(|b| b.contains('ي')));
        let distinct: std::collections::HashSet<_> = bodies.iter().collect();
        assert!(distinct.len() > 1_600, "{}", distinct.len());
    }
}
