//! The texts of the demo's drafts: for some consultations the draft regulation itself, Persian and
//! English, as an operator would import it (`crates/demo/drafts/`). The rest have none yet, as in
//! practice the text of a survey or a late draft is often not imported.
//!
//! A citizen's comment on a consultation with a text names the article it is about when its text
//! points at one the draft has («در ماده ۵ …», "Article 7 …"): what the portal's "comment on this
//! article" link would have recorded. Replies, campaign copies and flawed or hostile input name
//! none.

use mosharekat_api::DraftFormat;

use super::consultations::Topic;
use super::dataset::{CommentSource, DemoComment, DemoConsultation, DemoDraft};

/// The text of a topic's draft, if the demo has one: (Persian, English, format).
fn text_of(topic: Topic) -> Option<(&'static str, &'static str, DraftFormat)> {
    match topic {
        Topic::NonGovSchools => Some((
            include_str!("../drafts/non-gov-schools.fa.txt"),
            include_str!("../drafts/non-gov-schools.en.txt"),
            DraftFormat::Text,
        )),
        Topic::TeacherRanking => Some((
            include_str!("../drafts/teacher-ranking.fa.md"),
            include_str!("../drafts/teacher-ranking.en.md"),
            DraftFormat::Markdown,
        )),
        Topic::DescriptiveAssessment => Some((
            include_str!("../drafts/descriptive-assessment.fa.md"),
            include_str!("../drafts/descriptive-assessment.en.md"),
            DraftFormat::Markdown,
        )),
        _ => None,
    }
}

/// The drafts of the consultations that have one, imported an hour after each was created (before
/// it was published).
pub(crate) fn generate(topics: &[Topic], consultations: &[DemoConsultation]) -> Vec<DemoDraft> {
    topics
        .iter()
        .zip(consultations)
        .enumerate()
        .filter_map(|(consultation, (topic, c))| {
            let (text_fa, text_en, format) = text_of(*topic)?;
            Some(DemoDraft {
                consultation,
                imported_at: c.created_at + chrono::Duration::hours(1),
                text_fa: text_fa.to_owned(),
                text_en: Some(text_en.to_owned()),
                format,
            })
        })
        .collect()
}

/// Name the article each citizen's comment points at, when the consultation's draft has it.
pub(crate) fn name_articles(comments: &mut [DemoComment], drafts: &[DemoDraft]) {
    let numbers: Vec<(usize, Vec<u32>)> = drafts
        .iter()
        .map(|d| {
            let parsed = mosharekat_draft::parse(&d.text_fa, d.format);
            let numbers = parsed.articles.iter().map(|a| a.number).collect();
            (d.consultation, numbers)
        })
        .collect();
    for comment in comments.iter_mut() {
        let Some((_, articles)) = numbers.iter().find(|(c, _)| *c == comment.consultation) else {
            continue;
        };
        let citizen = matches!(
            comment.source,
            CommentSource::Citizen | CommentSource::Repost
        );
        if !citizen || comment.parent.is_some() {
            continue;
        }
        comment.article = article_mentioned(&comment.body).filter(|n| articles.contains(n));
    }
}

/// The number of the first article a text points at: «ماده ۵» (any digits), "Article 7".
fn article_mentioned(text: &str) -> Option<u32> {
    ["ماده", "Article", "article"].iter().find_map(|word| {
        text.match_indices(word).find_map(|(at, _)| {
            let rest = text[at + word.len()..].trim_start_matches([' ', '\u{a0}']);
            let digits: String = rest
                .chars()
                .map_while(|c| match c {
                    '0'..='9' => Some(c),
                    '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10),
                    '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10),
                    _ => None,
                })
                .collect();
            digits.parse().ok()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_a_text_points_at() {
        assert_eq!(article_mentioned("در تبصره ۲ ماده ۵ آمده"), Some(5));
        assert_eq!(article_mentioned("ماده 11 را"), Some(11));
        assert_eq!(article_mentioned("ماده ٧ و ماده ۸"), Some(7));
        assert_eq!(
            article_mentioned("the fee rule (Article 6) is fine"),
            Some(6)
        );
        assert_eq!(article_mentioned("ماده‌ها خوب‌اند؛ بدون شماره"), None);
        assert_eq!(article_mentioned("no article here"), None);
    }

    /// Every demo draft is recognised, and its translation matches it article by article.
    #[test]
    fn every_draft_is_recognised_and_paired() {
        for topic in [
            Topic::NonGovSchools,
            Topic::DescriptiveAssessment,
            Topic::TeacherRanking,
        ] {
            let (fa, en, format) = text_of(topic).unwrap();
            let fa = mosharekat_draft::parse(fa, format);
            let en = mosharekat_draft::parse(en, format);
            assert!(fa.articles.len() >= 5, "{topic:?}");
            let content = mosharekat_draft::pair(fa, Some(en), format)
                .unwrap_or_else(|e| panic!("{topic:?}: {e}"));
            assert!(
                content
                    .articles
                    .iter()
                    .all(|a| a.text_en.as_deref().is_some_and(|t| !t.is_empty()))
            );
        }
    }
}
