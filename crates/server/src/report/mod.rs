//! The comprehensive post-deadline report: generated from aggregate reads of the store, then
//! rendered as JSON, Markdown, HTML or CSV.
//!
//! Who counts as a participant: everyone who sent a comment (whatever its moderation outcome) or cast
//! a ballot in one of the consultation's polls. Ages are counted at the consultation's close (poll
//! breakdowns use the buckets frozen on each ballot when it was cast). Days are Tehran days.
//! Every count of people under 5 is published as `"<5"`; totals stay exact.

mod csv;
mod html;
mod markdown;
pub mod terms;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mosharekat_api::poll::UNKNOWN_BUCKET;
use mosharekat_api::report::document::{self, Block, DIMENSIONS};
use mosharekat_api::report::{
    ArticleConcern, Breakdowns, Campaign, Cell, ConsultationSummary, DecisionSummary, Excerpt,
    KeyConcerns, OptionCount, PartConcern, PollGroup, PollReport, TAGS_PER_ARTICLE, TagConcern,
    TagCount, TurnoutDay, bucket_keys,
};
use mosharekat_api::{
    AgeBand, ArticleRef, Breakdown, CellCount, ConcernTag, Consultation, Language, Outcome, Report,
    ReportFormat, Tally,
};

use crate::store::{Store, StoreResult};

/// Asia/Tehran is UTC+03:30 all year (no daylight saving since 2022).
pub const TEHRAN_OFFSET_MS: i64 = mosharekat_locale::calendar::TEHRAN_OFFSET_SECONDS as i64 * 1000;

/// How many terms, campaigns and examples per tag a report lists.
pub const TOP_TERMS: usize = 30;
pub const TOP_CAMPAIGNS: u32 = 10;
pub const EXAMPLES_PER_TAG: usize = 3;
/// Examples per article (and of the comments on the whole draft), chosen as a tag's are.
pub const EXAMPLES_PER_ARTICLE: usize = EXAMPLES_PER_TAG;

/// Approved comments read per page while counting terms.
const BODY_PAGE: u32 = 5_000;

/// Generate a report of a closed consultation (the caller checks that it is closed). Its version
/// is set when it is saved.
pub async fn generate(
    store: &dyn Store,
    consultation: &Consultation,
    generated_by: &str,
    now: DateTime<Utc>,
) -> StoreResult<Report> {
    let id = consultation.id;
    let closed_at = consultation.closed_at();
    // One scan of the comments gives the counts by outcome and the concerns per article.
    let article_rows = store
        .report_articles(id, EXAMPLES_PER_ARTICLE as u32)
        .await?;
    let comments = crate::store::comment_counts(
        &article_rows
            .comments
            .iter()
            .map(|r| (r.status.clone(), r.is_proposal, r.comments))
            .collect::<Vec<_>>(),
    );
    let participants = participants(&store.report_participant_cells(id).await?, closed_at);
    let turnout = turnout(&store.report_turnout(id, TEHRAN_OFFSET_MS).await?);
    let key_concerns = key_concerns(store, id, &article_rows).await?;
    let mut polls = Vec::new();
    for poll in store.list_polls(id).await? {
        let mut tallies = Vec::new();
        for by in DIMENSIONS {
            tallies.push(
                store
                    .tally(poll.id, Some(by))
                    .await?
                    .unwrap_or_else(|| Tally {
                        poll_id: poll.id,
                        ballots: 0,
                        counts: Vec::new(),
                        by: Some(by),
                        groups: Vec::new(),
                        turnout: Vec::new(),
                    }),
            );
        }
        polls.push(poll_report(poll, &tallies));
    }
    let items = store.public_decisions(id).await?;
    let count = |o: Outcome| items.iter().filter(|d| d.outcome == o).count() as i64;
    let decisions = DecisionSummary {
        accepted: count(Outcome::Accepted),
        partially_accepted: count(Outcome::PartiallyAccepted),
        rejected: count(Outcome::Rejected),
        items,
    };
    let top_participants = crate::incentives::public_top(store, id).await?;
    Ok(Report {
        consultation: ConsultationSummary {
            id,
            kind: consultation.kind,
            title_fa: consultation.title_fa.clone(),
            title_en: consultation.title_en.clone(),
            summary_fa: consultation.summary_fa.clone(),
            summary_en: consultation.summary_en.clone(),
            drafting_unit: consultation.drafting_unit.clone(),
            opens_at: consultation.opens_at,
            closes_at: consultation.closes_at,
            closed_at,
            portal_url: consultation.portal_url.clone(),
        },
        version: 0,
        generated_at: now,
        generated_by: generated_by.to_owned(),
        published_at: None,
        published_by: None,
        comments,
        key_concerns,
        participants,
        turnout,
        polls,
        decisions,
        top_participants,
    })
}

/// Cells of a breakdown in the fixed bucket order, from true counts per key.
fn cells(dimension: Breakdown, counts: &HashMap<String, i64>) -> Vec<Cell> {
    bucket_keys(dimension)
        .into_iter()
        .map(|key| Cell {
            key: key.to_owned(),
            count: CellCount::of(counts.get(key).copied().unwrap_or(0)),
        })
        .collect()
}

fn participants(rows: &[crate::store::ParticipantCell], closed_at: DateTime<Utc>) -> Breakdowns {
    let mut by: [HashMap<String, i64>; 4] = Default::default();
    let mut total = 0;
    let mut verified = 0;
    for row in rows {
        total += row.participants;
        verified += row.verified;
        let keys = [
            AgeBand::of(row.birth_year.map(|y| y as i32), closed_at)
                .as_str()
                .to_owned(),
            row.gender.clone().unwrap_or_else(|| UNKNOWN_BUCKET.into()),
            row.province
                .clone()
                .unwrap_or_else(|| UNKNOWN_BUCKET.into()),
            row.category.clone(),
        ];
        for (map, key) in by.iter_mut().zip(keys) {
            *map.entry(key).or_insert(0) += row.participants;
        }
    }
    let [age, gender, province, category] = by;
    Breakdowns {
        total,
        verified,
        by_age_band: cells(Breakdown::AgeBand, &age),
        by_gender: cells(Breakdown::Gender, &gender),
        by_province: cells(Breakdown::Province, &province),
        by_category: cells(Breakdown::Category, &category),
    }
}

/// Every day from the first with activity to the last, quiet days included.
fn turnout(rows: &[crate::store::TurnoutRow]) -> Vec<TurnoutDay> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Vec::new();
    };
    let by_day: HashMap<i64, &crate::store::TurnoutRow> = rows.iter().map(|r| (r.day, r)).collect();
    (first.day..=last.day)
        .filter_map(|day| {
            let date = DateTime::from_timestamp(day * 86_400, 0)?.date_naive();
            let row = by_day.get(&day);
            Some(TurnoutDay {
                day: date,
                comments: row.map_or(0, |r| r.comments),
                ballots: row.map_or(0, |r| r.ballots),
                participants: CellCount::of(row.map_or(0, |r| r.participants)),
            })
        })
        .collect()
}

async fn key_concerns(
    store: &dyn Store,
    id: i64,
    article_rows: &crate::store::ArticleRows,
) -> StoreResult<KeyConcerns> {
    let list = store.concern_tags(id).await?;
    let rows = store.report_tag_groups(id).await?;
    let mut per_tag: HashMap<&str, Vec<&crate::store::TagGroupRow>> = HashMap::new();
    for row in &rows {
        per_tag.entry(row.tag.as_str()).or_default().push(row);
    }
    // The listed tags, then any used before the list existed (named by their code).
    let mut tags: Vec<(String, String, String)> = list
        .iter()
        .map(|t| (t.code.clone(), t.label_fa.clone(), t.label_en.clone()))
        .collect();
    let mut unlisted: Vec<&str> = per_tag
        .keys()
        .copied()
        .filter(|code| !list.iter().any(|t| t.code == *code))
        .collect();
    unlisted.sort_unstable();
    tags.extend(
        unlisted
            .into_iter()
            .map(|c| (c.to_owned(), c.to_owned(), c.to_owned())),
    );
    let mut concerns = Vec::new();
    let mut wanted = Vec::new();
    for (code, label_fa, label_en) in tags {
        let mut groups = per_tag.remove(code.as_str()).unwrap_or_default();
        let count = groups.iter().map(|g| g.comments).sum();
        groups.sort_by(|a, b| {
            b.group_size
                .cmp(&a.group_size)
                .then(a.first_comment_id.cmp(&b.first_comment_id))
        });
        let examples: Vec<i64> = groups
            .iter()
            .take(EXAMPLES_PER_TAG)
            .map(|g| g.first_comment_id)
            .collect();
        wanted.extend(&examples);
        concerns.push((
            TagConcern {
                code,
                label_fa,
                label_en,
                count,
                examples: Vec::new(),
            },
            examples,
        ));
    }
    let campaigns = store.report_campaigns(id, TOP_CAMPAIGNS).await?;
    wanted.extend(campaigns.iter().map(|c| c.first_comment_id));
    let (articles, whole_draft) = per_article(article_rows, &list);
    for (_, examples) in articles.iter().map(|(_, part)| part).chain([&whole_draft]) {
        wanted.extend(examples);
    }
    let bodies: HashMap<i64, String> = store.comment_bodies(&wanted).await?.into_iter().collect();
    let excerpt = |id: i64| Excerpt::of(id, bodies.get(&id).map_or("", String::as_str));
    let with_examples = |(mut part, examples): (PartConcern, Vec<i64>)| {
        part.examples = examples.into_iter().map(excerpt).collect();
        part
    };
    let articles = articles
        .into_iter()
        .map(|((article, heading_fa, heading_en), part)| ArticleConcern {
            article,
            heading_fa,
            heading_en,
            concerns: with_examples(part),
        })
        .collect();
    let whole_draft = Some(with_examples(whole_draft));
    let mut tags: Vec<TagConcern> = concerns
        .into_iter()
        .map(|(mut concern, examples)| {
            concern.examples = examples.into_iter().map(excerpt).collect();
            concern
        })
        .collect();
    // Most used first; the list's own order among equals.
    tags.sort_by_key(|t| std::cmp::Reverse(t.count));
    let campaigns = campaigns
        .iter()
        .map(|c| Campaign {
            group_id: c.group_id,
            size: c.size,
            excerpt: excerpt(c.first_comment_id),
        })
        .collect();

    let mut counter = terms::TermCounter::default();
    let mut after = 0;
    loop {
        let page = store.report_approved_bodies(id, after, BODY_PAGE).await?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        for (_, body) in &page {
            counter.add(body);
        }
        if page.len() < BODY_PAGE as usize {
            break;
        }
    }
    Ok(KeyConcerns {
        tags,
        campaigns,
        terms: counter.top(TOP_TERMS),
        articles,
        whole_draft,
    })
}

/// An article of the draft as a report row names it: where it sits, and its headings.
type ArticleKey = (ArticleRef, Option<String>, Option<String>);

/// A part's counts and tags, and the ids of its examples (their excerpts are read after).
type PartRows = (PartConcern, Vec<i64>);

/// The concerns per article from the store's rows: every article that comments named, most
/// commented first, then by number and version; and those of the comments naming none.
fn per_article(
    rows: &crate::store::ArticleRows,
    list: &[ConcernTag],
) -> (Vec<(ArticleKey, PartRows)>, PartRows) {
    // Per article (`None`: the whole draft): counts, and tag use on approved comments.
    let mut parts: HashMap<Option<i64>, (PartConcern, HashMap<String, i64>)> = HashMap::new();
    for row in &rows.comments {
        let (part, tags) = parts.entry(row.article_id).or_default();
        part.comments += row.comments;
        if row.status != "approved" {
            continue;
        }
        part.approved += row.comments;
        if row.is_proposal {
            part.proposals += row.comments;
        }
        // A list that does not read is skipped, not fatal: it can only come from outside the
        // moderation route, which writes a JSON list of codes.
        let codes = serde_json::from_str::<Vec<String>>(&row.tags).unwrap_or_default();
        // A code listed twice on one comment counts once.
        let mut seen = std::collections::HashSet::new();
        for code in codes {
            if seen.insert(code.clone()) {
                *tags.entry(code).or_insert(0) += row.comments;
            }
        }
    }
    let top_tags = |counts: &HashMap<String, i64>| -> Vec<TagCount> {
        let mut tags: Vec<(usize, TagCount)> = counts
            .iter()
            .map(|(code, count)| {
                let place = list.iter().position(|t| t.code == *code);
                let (label_fa, label_en) = place.map_or_else(
                    || (code.clone(), code.clone()),
                    |i| (list[i].label_fa.clone(), list[i].label_en.clone()),
                );
                (
                    place.unwrap_or(usize::MAX),
                    TagCount {
                        code: code.clone(),
                        label_fa,
                        label_en,
                        count: *count,
                    },
                )
            })
            .collect();
        // Most used first; the list's order among equals, then tags no longer listed by code.
        tags.sort_by(|(a_place, a), (b_place, b)| {
            b.count
                .cmp(&a.count)
                .then(a_place.cmp(b_place))
                .then_with(|| a.code.cmp(&b.code))
        });
        tags.into_iter()
            .take(TAGS_PER_ARTICLE)
            .map(|(_, tag)| tag)
            .collect()
    };
    // Examples: from the largest groups, then the earliest comments.
    let mut examples: HashMap<Option<i64>, Vec<&crate::store::ArticleExampleRow>> = HashMap::new();
    for row in &rows.examples {
        examples.entry(row.article_id).or_default().push(row);
    }
    let mut examples_of = |article_id: Option<i64>| -> Vec<i64> {
        let mut candidates = examples.remove(&article_id).unwrap_or_default();
        candidates.sort_by(|a, b| {
            b.group_size
                .cmp(&a.group_size)
                .then(a.comment_id.cmp(&b.comment_id))
        });
        candidates
            .into_iter()
            .take(EXAMPLES_PER_ARTICLE)
            .map(|c| c.comment_id)
            .collect()
    };
    let (whole, whole_tags) = parts.remove(&None).unwrap_or_default();
    let whole = (
        PartConcern {
            tags: top_tags(&whole_tags),
            ..whole
        },
        examples_of(None),
    );
    let mut articles: Vec<(ArticleKey, PartRows)> = Vec::with_capacity(parts.len());
    for (article_id, (part, tags)) in parts {
        let Some(article_id) = article_id else {
            continue;
        };
        let at = rows.articles.iter().find(|a| a.id == article_id);
        let article = ArticleRef {
            article_id,
            number: at
                .and_then(|a| u32::try_from(a.number).ok())
                .unwrap_or_default(),
            label: at.map(|a| a.label.clone()).unwrap_or_default(),
            version: at.map_or(0, |a| a.version),
        };
        let key = (
            article,
            at.and_then(|a| a.heading_fa.clone()),
            at.and_then(|a| a.heading_en.clone()),
        );
        let part = PartConcern {
            tags: top_tags(&tags),
            ..part
        };
        articles.push((key, (part, examples_of(Some(article_id)))));
    }
    articles.sort_by(|((a, ..), (a_part, _)), ((b, ..), (b_part, _))| {
        b_part
            .comments
            .cmp(&a_part.comments)
            .then(a.number.cmp(&b.number))
            .then(a.version.cmp(&b.version))
            .then(a.article_id.cmp(&b.article_id))
    });
    (articles, whole)
}

fn option_counts(
    options: &[mosharekat_api::PollOption],
    cells: &[mosharekat_api::TallyCell],
) -> Vec<OptionCount> {
    options
        .iter()
        .map(|o| OptionCount {
            option_id: o.id,
            count: CellCount::of(
                cells
                    .iter()
                    .find(|c| c.option_id == o.id)
                    .map_or(0, |c| c.count),
            ),
        })
        .collect()
}

/// A poll's results from its tallies by each dimension (in [`DIMENSIONS`] order).
fn poll_report(poll: mosharekat_api::Poll, tallies: &[Tally]) -> PollReport {
    let overall = tallies.first();
    let groups = |dimension: Breakdown| -> Vec<PollGroup> {
        let tally = tallies.iter().find(|t| t.by == Some(dimension));
        bucket_keys(dimension)
            .into_iter()
            .map(|key| {
                let group = tally.and_then(|t| t.groups.iter().find(|g| g.key == key));
                PollGroup {
                    key: key.to_owned(),
                    ballots: CellCount::of(group.map_or(0, |g| g.ballots)),
                    counts: option_counts(&poll.options, group.map_or(&[], |g| &g.counts)),
                }
            })
            .collect()
    };
    PollReport {
        poll_id: poll.id,
        kind: poll.kind,
        question_fa: poll.question_fa.clone(),
        question_en: poll.question_en.clone(),
        ballots: overall.map_or(poll.total_ballots, |t| t.ballots),
        counts: option_counts(&poll.options, overall.map_or(&[], |t| &t.counts)),
        by_age_band: groups(Breakdown::AgeBand),
        by_gender: groups(Breakdown::Gender),
        by_province: groups(Breakdown::Province),
        by_category: groups(Breakdown::Category),
        options: poll.options,
    }
}

/// A report in a format: the body to send.
pub fn render(report: &Report, format: ReportFormat) -> String {
    match format {
        ReportFormat::Json => serde_json::to_string_pretty(report).unwrap_or_default(),
        ReportFormat::Markdown => markdown::render(report),
        ReportFormat::Html => html::render(report),
        ReportFormat::Csv => csv::render(report),
    }
}

/// The report's blocks for readers of `language`, labelled from the built-in locale files.
pub(crate) fn document_in(report: &Report, language: Language) -> Vec<Block> {
    document::build(report, language.catalogue())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::{ParticipantCell, TurnoutRow};
    use chrono::TimeZone;

    #[test]
    fn participants_are_bucketed_and_small_cells_suppressed() {
        let closed = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        let cell = |birth_year, gender: Option<&str>, province: Option<&str>, n| ParticipantCell {
            birth_year,
            gender: gender.map(Into::into),
            province: province.map(Into::into),
            category: "public".into(),
            participants: n,
            verified: n - 1,
        };
        let b = participants(
            &[
                cell(Some(1990), Some("female"), Some("tehran"), 6),
                cell(Some(1991), Some("female"), Some("tehran"), 1),
                cell(None, None, None, 3),
            ],
            closed,
        );
        assert_eq!(b.total, 10);
        assert_eq!(b.verified, 7);
        let get = |cells: &[Cell], key: &str| cells.iter().find(|c| c.key == key).unwrap().count;
        assert_eq!(get(&b.by_age_band, "35_44"), CellCount::Exact(7));
        assert_eq!(get(&b.by_age_band, "unknown"), CellCount::Suppressed);
        assert_eq!(get(&b.by_gender, "female"), CellCount::Exact(7));
        assert_eq!(get(&b.by_gender, "male"), CellCount::Suppressed);
        assert_eq!(get(&b.by_province, "tehran"), CellCount::Exact(7));
        assert_eq!(get(&b.by_category, "public"), CellCount::Exact(10));
        assert_eq!(b.by_province.len(), 32);
    }

    #[test]
    fn articles_are_ordered_and_their_tags_counted() {
        use crate::store::{ArticleCommentRow, ArticleExampleRow, ArticleRows, DraftArticleRow};
        let row = |article_id, status: &str, is_proposal, tags: &str, comments| ArticleCommentRow {
            article_id,
            status: status.into(),
            is_proposal,
            tags: tags.into(),
            comments,
        };
        let article = |id, number, version| DraftArticleRow {
            id,
            number,
            label: number.to_string(),
            version,
            heading_fa: (number == 1).then(|| "هدف".into()),
            heading_en: None,
        };
        let example = |article_id, group_size, comment_id| ArticleExampleRow {
            article_id,
            group_size,
            comment_id,
            approved: 1,
        };
        let rows = ArticleRows {
            comments: vec![
                row(Some(30), "approved", false, "[]", 2),
                row(None, "approved", false, r#"["teachers"]"#, 4),
                row(None, "pending", false, "[]", 3),
                row(Some(11), "approved", true, r#"["fees","safety"]"#, 2),
                row(
                    Some(11),
                    "approved",
                    false,
                    r#"["safety","fees","safety"]"#,
                    1,
                ),
                row(Some(11), "approved", false, r#"["old"]"#, 3),
                // Tags on comments not approved do not count.
                row(Some(11), "rejected", false, r#"["teachers"]"#, 5),
                // Article 3 of version 1: the same number, a row of its own, after version 2's
                // when they drew as many comments.
                row(Some(3), "hidden", false, "[]", 2),
                row(Some(12), "approved", false, "not json", 4),
                row(Some(12), "pending", false, "[]", 7),
            ],
            articles: vec![
                article(3, 3, 1),
                article(11, 1, 1),
                article(12, 2, 1),
                article(30, 3, 2),
                article(31, 4, 2),
            ],
            examples: vec![
                example(Some(11), 1, 2),
                example(Some(11), 4, 8),
                example(Some(11), 1, 9),
                example(Some(11), 4, 5),
                example(None, 1, 1),
            ],
        };
        let list: Vec<ConcernTag> = [
            ("fees", "شهریه", "Fees"),
            ("safety", "ایمنی", "Safety"),
            ("teachers", "معلمان", "Teachers"),
        ]
        .into_iter()
        .map(|(code, fa, en)| ConcernTag {
            code: code.into(),
            label_fa: fa.into(),
            label_en: en.into(),
        })
        .collect();
        let (articles, (whole, whole_examples)) = per_article(&rows, &list);
        let order: Vec<(u32, i64, i64, i64, i64)> = articles
            .iter()
            .map(|((a, ..), (p, _))| (a.number, a.version, p.comments, p.approved, p.proposals))
            .collect();
        assert_eq!(
            order,
            [
                (1, 1, 11, 6, 2),
                (2, 1, 11, 4, 0),
                (3, 1, 2, 0, 0),
                (3, 2, 2, 2, 0)
            ]
        );
        let ((first, heading_fa, _), (part, examples)) = &articles[0];
        assert_eq!((first.article_id, heading_fa.as_deref()), (11, Some("هدف")));
        let top: Vec<(&str, &str, i64)> = part
            .tags
            .iter()
            .map(|t| (t.code.as_str(), t.label_en.as_str(), t.count))
            .collect();
        // Three at most: most used first, the list's order among equals, an unlisted tag by its
        // code; a code twice on one comment counts once.
        assert_eq!(
            top,
            [
                ("fees", "Fees", 3),
                ("safety", "Safety", 3),
                ("old", "old", 3)
            ]
        );
        // The largest groups first, then the earliest.
        assert_eq!(examples, &[5, 8, 2]);
        assert!(
            articles[1].1.0.tags.is_empty(),
            "an unreadable list is skipped"
        );
        assert_eq!(
            (whole.comments, whole.approved, whole_examples),
            (7, 4, vec![1])
        );
        assert_eq!((whole.tags.len(), whole.tags[0].count), (1, 4));
    }

    #[test]
    fn turnout_fills_quiet_days() {
        let row = |day, comments, participants| TurnoutRow {
            day,
            comments,
            ballots: 1,
            participants,
        };
        let days = turnout(&[row(20_000, 9, 7), row(20_002, 2, 2)]);
        assert_eq!(days.len(), 3);
        assert_eq!(days[0].day.to_string(), "2024-10-04");
        assert_eq!(days[0].participants, CellCount::Exact(7));
        assert_eq!((days[1].comments, days[1].ballots), (0, 0));
        assert_eq!(days[2].participants, CellCount::Suppressed);
    }
}
