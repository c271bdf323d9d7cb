//! A report laid out once per language as headings, paragraphs, lists and tables; the Markdown,
//! HTML and CSV renderers write these blocks out. Text here is plain: each renderer escapes it.

use chrono::{DateTime, NaiveDate, Utc};
use mosharekat_api::report::{PollReport, bucket_keys};
use mosharekat_api::{Language, Report};

use super::count_text;
use super::labels::{self, DIMENSIONS, digits};
use mosharekat_locale::calendar::{jalali_at, tehran_time};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(String),
    /// Bullet points.
    Items(Vec<String>),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// A stable name for the table (CSV section name), the same in both languages.
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The first column holds machine codes (bucket and tag codes): kept in CSV, not shown to
    /// readers.
    pub coded: bool,
}

fn t(language: Language, fa: &str, en: &str) -> String {
    match language {
        Language::Fa => fa.to_owned(),
        Language::En => en.to_owned(),
    }
}

/// A date as a reader of the language writes it: Jalali with Persian digits, or ISO.
pub fn date(at: DateTime<Utc>, language: Language) -> String {
    match language {
        Language::Fa => {
            let d = jalali_at(at);
            digits(format!("{}/{:02}/{:02}", d.year, d.month, d.day), language)
        }
        Language::En => tehran_time(at).format("%Y-%m-%d").to_string(),
    }
}

/// A Tehran day.
pub fn day(day: NaiveDate, language: Language) -> String {
    match language {
        // Noon UTC is the same day in Tehran.
        Language::Fa => date(
            day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc(),
            language,
        ),
        Language::En => day.to_string(),
    }
}

/// The whole report in one language.
pub fn build(report: &Report, language: Language) -> Vec<Block> {
    let l = language;
    let c = &report.consultation;
    let (title, summary) = match l {
        Language::Fa => (&c.title_fa, &c.summary_fa),
        Language::En if c.title_en.trim().is_empty() => (&c.title_fa, &c.summary_fa),
        Language::En => (&c.title_en, &c.summary_en),
    };
    let mut blocks = vec![
        Block::Heading(
            1,
            t(
                l,
                "گزارش جامع نظرخواهی",
                "Comprehensive consultation report",
            ),
        ),
        Block::Heading(2, title.clone()),
    ];
    if !summary.trim().is_empty() {
        blocks.push(Block::Paragraph(summary.clone()));
    }
    let mut facts = vec![
        format!(
            "{}: {}",
            t(l, "نوع پیش‌نویس", "Draft"),
            labels::kind(c.kind, l)
        ),
        format!(
            "{}: {}",
            t(l, "واحد تهیه‌کننده", "Drafting unit"),
            c.drafting_unit
        ),
        format!(
            "{}: {} – {}",
            t(l, "دورهٔ نظرخواهی", "Comment period"),
            date(c.opens_at, l),
            date(c.closed_at, l)
        ),
        format!(
            "{}: {} ({} {}، {})",
            t(l, "نسخهٔ گزارش", "Report version"),
            digits(report.version, l),
            t(l, "تهیه در", "generated"),
            date(report.generated_at, l),
            report.generated_by
        ),
    ];
    if l == Language::En {
        // The Persian comma reads wrong in English.
        if let Some(last) = facts.last_mut() {
            *last = last.replace('،', ",");
        }
    }
    if let (Some(at), Some(by)) = (report.published_at, &report.published_by) {
        facts.push(format!(
            "{}: {} ({by})",
            t(l, "انتشار", "Published"),
            date(at, l)
        ));
    }
    if !c.portal_url.is_empty() {
        facts.push(format!(
            "{}: {}",
            t(l, "پیوند در درگاه", "On the portal"),
            c.portal_url
        ));
    }
    blocks.push(Block::Items(facts));

    let n = |v: i64| digits(v, l);
    let counts = &report.comments;
    blocks.push(Block::Paragraph(match l {
        Language::Fa => format!(
            "{} نظر دریافت شد: {} منتشر، {} رد، {} پنهان و {} بررسی‌نشده؛ {} پیشنهاد منتشرشده.",
            n(counts.total), n(counts.approved), n(counts.rejected), n(counts.hidden), n(counts.pending), n(counts.proposals)
        ),
        Language::En => format!(
            "{} comments received: {} approved, {} rejected, {} hidden and {} not moderated; {} approved proposals.",
            counts.total, counts.approved, counts.rejected, counts.hidden, counts.pending, counts.proposals
        ),
    }));

    // Key concerns.
    let k = &report.key_concerns;
    blocks.push(Block::Heading(2, t(l, "دغدغه‌های اصلی", "Key concerns")));
    blocks.push(Block::Heading(3, t(l, "موضوع‌ها", "Topics")));
    blocks.push(Block::Table(Table {
        name: "concern_tags".into(),
        coded: true,
        headers: vec![
            t(l, "کد", "code"),
            t(l, "موضوع", "Topic"),
            t(l, "نظرها", "Comments"),
            t(l, "نمونه‌ها", "Examples"),
        ],
        rows: k
            .tags
            .iter()
            .map(|tag| {
                vec![
                    tag.code.clone(),
                    if l == Language::Fa {
                        tag.label_fa.clone()
                    } else {
                        tag.label_en.clone()
                    },
                    n(tag.count),
                    tag.examples
                        .iter()
                        .map(|e| format!("«{}»", e.text))
                        .collect::<Vec<_>>()
                        .join(" "),
                ]
            })
            .collect(),
    }));
    blocks.push(Block::Heading(
        3,
        t(l, "بزرگ‌ترین کارزارها", "Largest campaigns"),
    ));
    blocks.push(Block::Table(Table {
        name: "campaigns".into(),
        coded: false,
        headers: vec![
            t(l, "گروه", "Group"),
            t(l, "تعداد نظر یکسان", "Identical comments"),
            t(l, "متن", "Text"),
        ],
        rows: k
            .campaigns
            .iter()
            .map(|g| vec![n(g.group_id), n(g.size), g.excerpt.text.clone()])
            .collect(),
    }));
    blocks.push(Block::Heading(
        3,
        t(l, "واژه‌های پرتکرار", "Most frequent terms"),
    ));
    blocks.push(Block::Table(Table {
        name: "terms".into(),
        coded: false,
        headers: vec![t(l, "واژه", "Term"), t(l, "نظرها", "Comments")],
        rows: k
            .terms
            .iter()
            .map(|term| vec![term.term.clone(), n(term.count)])
            .collect(),
    }));

    // Participants.
    let p = &report.participants;
    blocks.push(Block::Heading(2, t(l, "مشارکت‌کنندگان", "Participants")));
    blocks.push(Block::Paragraph(match l {
        Language::Fa => format!(
            "{} نفر نظر دادند یا رأی دادند. هر خانهٔ کمتر از ۵ نفر به صورت «<5» نشان داده شده تا کسی شناسایی نشود؛ جمع‌ها دقیق‌اند.",
            n(p.total)
        ),
        Language::En => format!(
            "{} people commented or voted. Any cell of fewer than 5 people is shown as “<5” so that nobody can be singled out; totals are exact.",
            p.total
        ),
    }));
    for dimension in DIMENSIONS {
        blocks.push(Block::Heading(
            3,
            labels::dimension(dimension, l).to_owned(),
        ));
        blocks.push(Block::Table(Table {
            name: format!("participants_by_{}", dimension.as_str()),
            coded: true,
            headers: vec![
                t(l, "کد", "key"),
                labels::dimension(dimension, l).to_owned(),
                t(l, "نفر", "People"),
            ],
            rows: p
                .by(dimension)
                .iter()
                .map(|cell| {
                    vec![
                        cell.key.clone(),
                        labels::bucket(dimension, &cell.key, l),
                        count_text(cell.count, l),
                    ]
                })
                .collect(),
        }));
    }

    blocks.push(Block::Heading(2, t(l, "مشارکت روزانه", "Turnout per day")));
    blocks.push(Block::Table(Table {
        name: "turnout".into(),
        coded: false,
        headers: vec![
            t(l, "روز", "Day"),
            t(l, "نظرها", "Comments"),
            t(l, "آرا", "Ballots"),
            t(l, "مشارکت‌کنندگان", "Participants"),
        ],
        rows: report
            .turnout
            .iter()
            .map(|d| {
                vec![
                    day(d.day, l),
                    n(d.comments),
                    n(d.ballots),
                    count_text(d.participants, l),
                ]
            })
            .collect(),
    }));

    if !report.polls.is_empty() {
        blocks.push(Block::Heading(2, t(l, "نتایج نظرسنجی‌ها", "Poll results")));
        for poll in &report.polls {
            poll_blocks(&mut blocks, poll, l);
        }
    }

    let d = &report.decisions;
    blocks.push(Block::Heading(
        2,
        t(l, "پاسخ به پیشنهادها", "Answers to proposals"),
    ));
    blocks.push(Block::Paragraph(match l {
        Language::Fa => format!(
            "{} پذیرفته، {} بخشی پذیرفته و {} پذیرفته‌نشده.",
            n(d.accepted),
            n(d.partially_accepted),
            n(d.rejected)
        ),
        Language::En => format!(
            "{} accepted, {} partially accepted and {} rejected.",
            d.accepted, d.partially_accepted, d.rejected
        ),
    }));
    blocks.push(Block::Table(Table {
        name: "decisions".into(),
        coded: false,
        headers: vec![
            t(l, "پیشنهاد", "Proposal"),
            t(l, "متن پیشنهاد", "Proposal text"),
            t(l, "هم‌نظران", "Group size"),
            t(l, "نتیجه", "Outcome"),
            t(l, "دلیل", "Reason"),
            t(l, "مبنای قانونی", "Legal basis"),
        ],
        rows: d
            .items
            .iter()
            .map(|item| {
                vec![
                    n(item.proposal_id),
                    mosharekat_api::report::Excerpt::of(item.proposal_id, &item.body).text,
                    n(item.group_size),
                    match l {
                        Language::Fa => item.outcome.label_fa().to_owned(),
                        Language::En => item.outcome.label_en().to_owned(),
                    },
                    match l {
                        Language::Fa => item.rationale_fa.clone(),
                        Language::En => item.rationale_en.clone(),
                    },
                    item.legal_basis.clone(),
                ]
            })
            .collect(),
    }));
    top_participant_blocks(&mut blocks, report, l);
    blocks
}

/// Public recognition: the named top participants (only those who consented to be named).
fn top_participant_blocks(blocks: &mut Vec<Block>, report: &Report, l: Language) {
    if report.top_participants.is_empty() {
        return;
    }
    let n = |v: i64| digits(v, l);
    blocks.push(Block::Heading(
        2,
        t(l, "برترین مشارکت‌کنندگان", "Top participants"),
    ));
    blocks.push(Block::Paragraph(t(
        l,
        "رتبه بر پایه امتیاز شهروند دیجیتال در این نظرخواهی؛ تنها نام کسانی آمده است که به نمایش عمومی نام خود رضایت داده‌اند.",
        "Ranked by the digital-citizen score earned in this consultation; only participants who consented to be named are listed.",
    )));
    blocks.push(Block::Table(Table {
        name: "top_participants".into(),
        coded: false,
        headers: vec![
            t(l, "رتبه", "Rank"),
            t(l, "نام", "Name"),
            t(l, "امتیاز", "Points"),
        ],
        rows: report
            .top_participants
            .iter()
            .map(|p| vec![n(p.rank), p.display_name.clone(), n(p.points)])
            .collect(),
    }));
}

fn poll_blocks(blocks: &mut Vec<Block>, poll: &PollReport, l: Language) {
    let question = match l {
        Language::En if !poll.question_en.trim().is_empty() => &poll.question_en,
        _ => &poll.question_fa,
    };
    let option_label = |i: usize| {
        poll.options
            .get(i)
            .map(|o| match l {
                Language::En if !o.label_en.trim().is_empty() => o.label_en.clone(),
                _ => o.label_fa.clone(),
            })
            .unwrap_or_default()
    };
    blocks.push(Block::Heading(3, question.clone()));
    blocks.push(Block::Paragraph(match l {
        Language::Fa => format!("{} رأی", digits(poll.ballots, l)),
        Language::En => format!("{} ballots", poll.ballots),
    }));
    blocks.push(Block::Table(Table {
        name: format!("poll_{}", poll.poll_id),
        coded: false,
        headers: vec![t(l, "گزینه", "Option"), t(l, "نفر", "People")],
        rows: poll
            .counts
            .iter()
            .enumerate()
            .map(|(i, c)| vec![option_label(i), count_text(c.count, l)])
            .collect(),
    }));
    for dimension in DIMENSIONS {
        blocks.push(Block::Heading(
            4,
            labels::dimension(dimension, l).to_owned(),
        ));
        let mut headers = vec![
            t(l, "کد", "key"),
            labels::dimension(dimension, l).to_owned(),
            t(l, "رأی", "Ballots"),
        ];
        headers.extend((0..poll.options.len()).map(option_label));
        let groups = poll.by(dimension);
        debug_assert_eq!(groups.len(), bucket_keys(dimension).len());
        blocks.push(Block::Table(Table {
            name: format!("poll_{}_by_{}", poll.poll_id, dimension.as_str()),
            coded: true,
            headers,
            rows: groups
                .iter()
                .map(|g| {
                    let mut row = vec![
                        g.key.clone(),
                        labels::bucket(dimension, &g.key, l),
                        count_text(g.ballots, l),
                    ];
                    row.extend(g.counts.iter().map(|c| count_text(c.count, l)));
                    row
                })
                .collect(),
        }));
    }
}
