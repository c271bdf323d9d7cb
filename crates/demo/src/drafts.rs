//! The texts of the demo's drafts: for some consultations the draft regulation itself, Persian and
//! English, as an operator would import it (`crates/demo/drafts/`). The rest have none yet, as in
//! practice the text of a survey or a late draft is often not imported.

use mosharekat_api::DraftFormat;

use super::consultations::Topic;
use super::dataset::{DemoConsultation, DemoDraft};

/// The text of a topic's draft, if the demo has one: (Persian, English, format).
fn text_of(topic: Topic) -> Option<(&'static str, &'static str, DraftFormat)> {
    match topic {
        Topic::NonGovSchools => Some((
            include_str!("../drafts/non-gov-schools.fa.txt"),
            include_str!("../drafts/non-gov-schools.en.txt"),
            DraftFormat::Text,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every demo draft is recognised, and its translation matches it article by article.
    #[test]
    fn every_draft_is_recognised_and_paired() {
        for topic in [Topic::NonGovSchools, Topic::DescriptiveAssessment] {
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
