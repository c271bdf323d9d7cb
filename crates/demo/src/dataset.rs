//! The demo dataset as plain data, and [`generate`], which assembles it.
//!
//! Everything refers to everything else by position: a comment names its consultation, its author
//! and its parent by index into the dataset's vectors, so the seeder can bulk-insert each vector in
//! order and map positions to the ids the database hands out. Vectors are ordered so that a row
//! only ever refers to rows before it (comments by time, parents first).

use chrono::{DateTime, Utc};
use mosharekat_api::{
    ConsultationStatus, ModerationAction, NewComment, NewConsultation, NewParticipant, NewPoll,
};
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::{comments, consultations, drafts, participants, polls};

/// How large a dataset to make, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    /// Registered participants (the last few are throwaway spam accounts).
    pub participants: usize,
    /// Comments over all consultations, campaigns and hostile ones included.
    pub comments: usize,
    /// The same seed and `now` give the same dataset.
    pub seed: u64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            participants: 5_000,
            comments: 20_000,
            seed: 1403,
        }
    }
}

/// Everything the seeder writes.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoDataset {
    /// Oldest first; every deadline state appears (see [`DeadlineState`]).
    pub consultations: Vec<DemoConsultation>,
    /// Ordinary participants first, the throwaway accounts that post spam and attacks last.
    pub participants: Vec<DemoParticipant>,
    /// By `created_at` (ties keep generation order); a parent always comes before its replies.
    pub comments: Vec<DemoComment>,
    /// Grouped by consultation, in consultation order.
    pub polls: Vec<DemoPoll>,
    /// At most one per participant per poll, grouped by poll.
    pub ballots: Vec<DemoBallot>,
    /// The draft texts imported, in consultation order (not every consultation has one).
    pub drafts: Vec<DemoDraft>,
}

/// The text of a consultation's draft, as its operator imported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDraft {
    /// Index into [`DemoDataset::consultations`].
    pub consultation: usize,
    pub imported_at: DateTime<Utc>,
    pub text_fa: String,
    pub text_en: Option<String>,
    pub format: mosharekat_api::DraftFormat,
}

/// The situation a consultation shows the deadline view, relative to `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineState {
    /// Open, weeks left.
    OpenPlentyOfTime,
    /// Open, closing within 3 days (`closing_soon`).
    OpenClosingSoon,
    /// Open with a window under 30 days and the admin's recorded reason (`short_window`).
    OpenShortWindow,
    /// A draft with empty English title and summary: publishing it must fail with
    /// `missing_translation`.
    MissingTranslation,
    /// A complete draft, not yet published.
    Draft,
    /// Published, opens in the future.
    Scheduled,
    /// Closed within the last 30 days; the report is not due yet.
    ClosedAwaitingReport,
    /// Closed more than 30 days ago, no report published (`report_overdue`).
    ReportOverdue,
    /// Closed by an admin before `closes_at`, with a reason.
    ClosedEarly,
    /// Closed long ago and its report is published: nothing left to do.
    ReportPublished,
}

impl DeadlineState {
    pub const ALL: [DeadlineState; 10] = [
        DeadlineState::OpenPlentyOfTime,
        DeadlineState::OpenClosingSoon,
        DeadlineState::OpenShortWindow,
        DeadlineState::MissingTranslation,
        DeadlineState::Draft,
        DeadlineState::Scheduled,
        DeadlineState::ClosedAwaitingReport,
        DeadlineState::ReportOverdue,
        DeadlineState::ClosedEarly,
        DeadlineState::ReportPublished,
    ];
}

/// A consultation and its life so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConsultation {
    /// What the operator entered (`short_window_reason` is the admin's, where set).
    pub consultation: NewConsultation,
    /// Which deadline situation this one demonstrates.
    pub state: DeadlineState,
    /// Its status at `now`.
    pub status: ConsultationStatus,
    /// When the draft was created.
    pub created_at: DateTime<Utc>,
    /// When it was published; `None` for drafts.
    pub published_at: Option<DateTime<Utc>>,
    /// Set when an admin closed it before `closes_at`.
    pub closed_early: Option<EarlyClose>,
    /// When the post-deadline report was published, if it was.
    pub report_published_at: Option<DateTime<Utc>>,
}

impl DemoConsultation {
    /// When comments stopped (or will stop) being accepted: the early close, else `closes_at`.
    pub fn effective_close(&self) -> DateTime<Utc> {
        self.closed_early
            .as_ref()
            .map_or(self.consultation.closes_at, |c| c.at)
    }
}

/// An admin's early close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlyClose {
    /// When the admin closed it; before `closes_at` and before `now`.
    pub at: DateTime<Utc>,
    /// The admin's reason, in Persian.
    pub reason: String,
}

/// A participant and when they registered (before their first comment or ballot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoParticipant {
    /// The registration form as the citizen filled it in; `consent` is always true.
    pub participant: NewParticipant,
    /// Before the participant's first comment or ballot, before `now`.
    pub registered_at: DateTime<Utc>,
}

/// A comment as it should stand at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoComment {
    /// Index into [`DemoDataset::consultations`]; the consultation was open at `created_at`.
    pub consultation: usize,
    /// Index into [`DemoDataset::participants`].
    pub participant: usize,
    /// Inside the consultation's open window, before `now`.
    pub created_at: DateTime<Utc>,
    /// Exactly as the citizen typed it; untrusted.
    pub body: String,
    /// Index into [`DemoDataset::comments`] of the comment answered: earlier, same consultation.
    pub parent: Option<usize>,
    /// A concrete proposal to change the draft.
    pub is_proposal: bool,
    /// The decision already taken; `None` means the comment is pending in the queue.
    pub moderation: Option<DemoModeration>,
    /// Why this comment exists (for the seeder's log and for tests; not stored).
    pub source: CommentSource,
    /// The number of the article of the consultation's draft (its only version) the comment is
    /// about; `None`: the whole draft.
    pub article: Option<u32>,
}

impl DemoComment {
    /// The protocol form of this comment, given the database ids its parent and its article
    /// received.
    pub fn to_new_comment(&self, parent_id: Option<i64>, article_id: Option<i64>) -> NewComment {
        NewComment {
            body: self.body.clone(),
            parent_id,
            is_proposal: self.is_proposal,
            article_id,
        }
    }
}

/// Where a comment comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommentSource {
    /// An ordinary citizen's opinion, proposal or reply.
    Citizen,
    /// A citizen's comment a moderator would not approve as it stands.
    Flawed(Flaw),
    /// A copy, exact or near, of mass-campaign text number `n`; all copies of one campaign
    /// normalise to the same text.
    Campaign(usize),
    /// The same participant submitting the same text again a few minutes later.
    Repost,
    /// Input crafted to abuse the queue or the terminal.
    Hostile(HostileKind),
}

/// Why a citizen's comment would not be approved as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flaw {
    /// About something else entirely.
    OffTopic,
    /// Insults officials or other participants.
    Offensive,
    /// Exposes a phone number, national id, address or a named person.
    PersonalData,
    /// Nothing to read: "test", a greeting, a row of dots.
    Gibberish,
}

/// The kinds of hostile input in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostileKind {
    /// Advertising with links.
    Spam,
    /// Terminal control: clear screen, window title (OSC 0), hyperlinks (OSC 8), colours.
    TerminalEscape,
    /// Bidirectional overrides and isolates (U+202E, U+2066…) that reorder what is shown.
    BidiOverride,
    /// Letters buried under stacks of combining marks.
    CombiningFlood,
    /// One word of well over a thousand characters.
    Unbroken,
    /// Zero-width and other invisible characters around a few letters.
    Invisible,
}

/// Usernames of the moderators whose decisions the dataset records; the seeder creates these staff
/// accounts (role `moderator`).
pub const DEMO_MODERATORS: [&str; 4] = ["m.rahimi", "z.karimi", "a.sadeghi", "n.hosseini"];

/// Reason codes the dataset uses, all from the server's list.
pub const DEMO_REASON_CODES: [&str; 6] = [
    "spam",
    "offensive",
    "off_topic",
    "personal_data",
    "duplicate",
    "other",
];

/// A moderation decision taken before `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoModeration {
    /// Approve, reject or hide.
    pub action: ModerationAction,
    /// One of [`DEMO_REASON_CODES`]; always set for reject and hide.
    pub reason_code: Option<&'static str>,
    /// The moderator's note, in Persian, when they left one.
    pub note: Option<&'static str>,
    /// One of [`DEMO_MODERATORS`].
    pub decided_by: &'static str,
    /// After `created_at`, before `now`.
    pub decided_at: DateTime<Utc>,
}

/// A poll of a consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPoll {
    /// Index into [`DemoDataset::consultations`].
    pub consultation: usize,
    /// When the operator created it (before the consultation was published).
    pub created_at: DateTime<Utc>,
    /// Options always listed, also for kinds with fixed options, so positions are explicit.
    pub poll: NewPoll,
}

/// One participant's ballot in one poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoBallot {
    /// Index into [`DemoDataset::polls`].
    pub poll: usize,
    /// Index into [`DemoDataset::participants`].
    pub participant: usize,
    /// Positions in the poll's `options`, ascending, distinct; exactly one unless the poll is
    /// `multiple_choice`.
    pub options: Vec<usize>,
    /// Inside the consultation's open window, before `now`.
    pub cast_at: DateTime<Utc>,
}

/// Build the whole demo dataset. Pure and deterministic: the same `config` and `now` give the same
/// dataset (for the `rand` version in `Cargo.lock`); all times are placed relative to `now`.
pub fn generate(config: &DemoConfig, now: DateTime<Utc>) -> DemoDataset {
    let mut rng = StdRng::seed_from_u64(config.seed);
    let (topics, consultations): (Vec<_>, Vec<_>) =
        consultations::catalogue(now).into_iter().unzip();
    let (new_participants, profiles) = participants::generate(&mut rng, config.participants, now);
    let mut comments = comments::generate(
        &mut rng,
        config.comments,
        &consultations,
        &topics,
        &new_participants,
        &profiles,
        now,
    );
    let (polls, ballots) =
        polls::generate(&mut rng, &consultations, &topics, &profiles, &comments, now);
    let participants =
        participants::with_registration_times(&mut rng, new_participants, &comments, &ballots, now);
    let drafts = drafts::generate(&topics, &consultations);
    drafts::name_articles(&mut comments, &drafts);
    DemoDataset {
        consultations,
        participants,
        comments,
        polls,
        ballots,
        drafts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Duration, TimeZone};
    use mosharekat_api::consultation::window_is_short;
    use mosharekat_api::text::{normalize_for_duplicates, validate_comment_body};
    use mosharekat_api::{ConsultationKind, Language, MAX_COMMENT_CHARS, PollKind, Province};
    use std::collections::{HashMap, HashSet};
    use std::sync::OnceLock;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap()
    }

    /// The full default dataset, generated once for all tests. Generating it at all inside a test
    /// run is the guard against accidental quadratic work: 20,000 comments over 5,000 people would
    /// take minutes, not seconds, if any step compared every comment with every other.
    fn full() -> &'static DemoDataset {
        static FULL: OnceLock<DemoDataset> = OnceLock::new();
        FULL.get_or_init(|| generate(&DemoConfig::default(), now()))
    }

    fn by_state(d: &DemoDataset, state: DeadlineState) -> &DemoConsultation {
        d.consultations
            .iter()
            .find(|c| c.state == state)
            .unwrap_or_else(|| panic!("no consultation in state {state:?}"))
    }

    /// Every kind and every deadline state, each with the facts that make it that state.
    fn check_kinds_and_deadline_states(d: &DemoDataset, now: DateTime<Utc>) {
        assert!(d.consultations.len() >= 8);
        for kind in ConsultationKind::ALL {
            assert!(
                d.consultations.iter().any(|c| c.consultation.kind == kind),
                "{kind:?}"
            );
        }
        for state in DeadlineState::ALL {
            let c = by_state(d, state);
            let n = &c.consultation;
            let to_close = n.closes_at - now;
            match state {
                DeadlineState::OpenPlentyOfTime => {
                    assert_eq!(c.status, ConsultationStatus::Open);
                    assert!(n.opens_at <= now && to_close > Duration::days(20));
                }
                DeadlineState::OpenClosingSoon => {
                    assert_eq!(c.status, ConsultationStatus::Open);
                    assert!(to_close > Duration::zero() && to_close <= Duration::days(3));
                    assert!(!window_is_short(n.opens_at, n.closes_at));
                }
                DeadlineState::OpenShortWindow => {
                    assert_eq!(c.status, ConsultationStatus::Open);
                    assert!(window_is_short(n.opens_at, n.closes_at));
                    assert!(
                        n.short_window_reason
                            .as_deref()
                            .is_some_and(|r| !r.is_empty())
                    );
                }
                DeadlineState::MissingTranslation => {
                    assert_eq!(c.status, ConsultationStatus::Draft);
                    assert!(n.title_en.is_empty() && n.summary_en.is_empty());
                    assert!(!n.title_fa.is_empty() && !n.summary_fa.is_empty());
                    assert_eq!(c.published_at, None);
                }
                DeadlineState::Draft => {
                    assert_eq!(c.status, ConsultationStatus::Draft);
                    assert_eq!(c.published_at, None);
                    assert!(!n.title_en.is_empty());
                }
                DeadlineState::Scheduled => {
                    assert_eq!(c.status, ConsultationStatus::Scheduled);
                    assert!(c.published_at.unwrap() <= now && now < n.opens_at);
                }
                DeadlineState::ClosedAwaitingReport => {
                    assert_eq!(c.status, ConsultationStatus::Closed);
                    assert!(n.closes_at <= now && n.closes_at > now - Duration::days(30));
                    assert_eq!(c.report_published_at, None);
                }
                DeadlineState::ReportOverdue => {
                    assert_eq!(c.status, ConsultationStatus::Closed);
                    assert!(n.closes_at < now - Duration::days(30));
                    assert_eq!(c.report_published_at, None);
                }
                DeadlineState::ClosedEarly => {
                    assert_eq!(c.status, ConsultationStatus::Closed);
                    let early = c.closed_early.as_ref().unwrap();
                    assert!(early.at < n.closes_at && early.at <= now && early.at > n.opens_at);
                    assert!(!early.reason.is_empty());
                }
                DeadlineState::ReportPublished => {
                    assert_eq!(c.status, ConsultationStatus::Closed);
                    let report = c.report_published_at.unwrap();
                    assert!(n.closes_at < report && report <= now);
                }
            }
        }
        for c in &d.consultations {
            let n = &c.consultation;
            assert!(
                n.portal_url
                    .starts_with("https://www.medu.ir/fa/consultations/")
            );
            assert!(!n.drafting_unit.is_empty());
            if let Some(published_at) = c.published_at {
                // Everything published passed the publish rules.
                assert!(!n.title_en.is_empty() && !n.summary_en.is_empty());
                assert!(
                    !window_is_short(n.opens_at, n.closes_at) || n.short_window_reason.is_some()
                );
                assert!(c.created_at <= published_at);
            }
            assert!(c.created_at < now);
        }
    }

    #[test]
    fn every_kind_and_every_deadline_state() {
        check_kinds_and_deadline_states(full(), now());
    }

    #[test]
    fn deadline_states_hold_at_any_time_of_day_and_year() {
        let config = DemoConfig {
            participants: 60,
            comments: 150,
            seed: 3,
        };
        for now in [
            // One second before midnight in Tehran, and just after it.
            Utc.with_ymd_and_hms(2025, 11, 4, 20, 29, 59).unwrap(),
            Utc.with_ymd_and_hms(2025, 11, 4, 20, 30, 1).unwrap(),
            // Nowruz, and the first day of a school year (1 Mehr).
            Utc.with_ymd_and_hms(2026, 3, 20, 21, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2025, 9, 23, 6, 0, 0).unwrap(),
        ] {
            check_kinds_and_deadline_states(&generate(&config, now), now);
        }
    }

    #[test]
    fn participants_cover_the_country_and_withhold_fields() {
        let d = full();
        assert_eq!(d.participants.len(), 5_000);
        let provinces: HashSet<Province> = d
            .participants
            .iter()
            .filter_map(|p| p.participant.province)
            .collect();
        assert_eq!(provinces.len(), 31);
        let share = |f: &dyn Fn(&NewParticipant) -> bool| {
            d.participants.iter().filter(|p| f(&p.participant)).count() as f64 / 5_000.0
        };
        assert!(share(&|p| p.birth_year.is_none()) > 0.15);
        assert!(share(&|p| p.gender.is_none()) > 0.1);
        assert!(share(&|p| p.province.is_none()) > 0.1);
        assert!(share(&|p| p.consent) == 1.0);
        // Registered before doing anything.
        for c in &d.comments {
            assert!(d.participants[c.participant].registered_at < c.created_at);
        }
        for b in &d.ballots {
            assert!(d.participants[b.participant].registered_at < b.cast_at);
        }
        assert!(d.participants.iter().all(|p| p.registered_at < now()));
    }

    #[test]
    fn comments_are_valid_threaded_and_in_their_windows() {
        let d = full();
        let now = now();
        assert_eq!(d.comments.len(), 20_000);
        for (i, c) in d.comments.iter().enumerate() {
            assert!(
                validate_comment_body(&c.body).is_ok(),
                "comment {i}: {:?}",
                c.body
            );
            assert!(c.body.chars().count() <= MAX_COMMENT_CHARS);
            let consultation = &d.consultations[c.consultation];
            assert!(matches!(
                consultation.status,
                ConsultationStatus::Open | ConsultationStatus::Closed
            ));
            assert!(c.created_at >= consultation.consultation.opens_at);
            assert!(c.created_at < consultation.effective_close() && c.created_at < now);
            if i > 0 {
                assert!(
                    d.comments[i - 1].created_at <= c.created_at,
                    "not in time order"
                );
            }
            if let Some(p) = c.parent {
                assert!(p < i, "parent after child");
                assert_eq!(d.comments[p].consultation, c.consultation);
                assert!(d.comments[p].created_at <= c.created_at);
            }
            assert!(c.participant < d.participants.len());
        }
        let share = |f: &dyn Fn(&DemoComment) -> bool| {
            d.comments.iter().filter(|c| f(c)).count() as f64 / d.comments.len() as f64
        };
        let proposals = share(&|c| c.is_proposal);
        let replies = share(&|c| c.parent.is_some());
        assert!((0.08..0.12).contains(&proposals), "{proposals}");
        assert!((0.12..0.18).contains(&replies), "{replies}");
        // Only comments on drafts that have been open; the busiest draft is the ranking bill.
        let mut per: HashMap<usize, usize> = HashMap::new();
        for c in &d.comments {
            *per.entry(c.consultation).or_default() += 1;
        }
        let ranking = d
            .consultations
            .iter()
            .position(|c| c.consultation.kind == ConsultationKind::Bill)
            .unwrap();
        assert_eq!(per.values().max(), per.get(&ranking));
    }

    #[test]
    fn comments_read_like_citizens_wrote_them() {
        let d = full();
        let bodies: Vec<&str> = d.comments.iter().map(|c| c.body.as_str()).collect();
        let some = |what: &str, f: &dyn Fn(&str) -> bool, at_least: usize| {
            let n = bodies.iter().filter(|b| f(b)).count();
            assert!(n >= at_least, "{what}: only {n}");
        };
        some("ZWNJ", &|b| b.contains('\u{200c}'), 10_000);
        some(
            "Persian digits",
            &|b| b.chars().any(|c| ('۰'..='۹').contains(&c)),
            2_000,
        );
        some(
            "Latin digits in Persian text",
            &|b| b.chars().any(|c| c.is_ascii_digit()) && !b.is_ascii(),
            1_000,
        );
        some("Persian percent", &|b| b.contains('٪'), 200);
        some("Latin percent", &|b| b.contains('%'), 100);
        some("links", &|b| b.contains("https://"), 300);
        some("e-mail", &|b| b.contains("@example.org"), 5);
        some("guillemets", &|b| b.contains('«') && b.contains('»'), 1_000);
        some(
            "parentheses",
            &|b| b.contains('(') && b.contains(')'),
            1_000,
        );
        some("articles", &|b| b.contains("ماده"), 2_000);
        some("notes", &|b| b.contains("تبصره"), 100);
        some(
            "numbered lists",
            &|b| b.contains("\n۱- ") || b.contains("\n1- ") || b.contains("\n۱) "),
            100,
        );
        some(
            "harakat",
            &|b| b.chars().any(|c| ('\u{064B}'..='\u{0652}').contains(&c)),
            50,
        );
        some(
            "English terms",
            &|b| {
                ["PISA", "TIMSS", "LMS", "Google Classroom", "OTP", "API"]
                    .iter()
                    .any(|t| b.contains(t))
            },
            300,
        );
        some(
            "Jalali dates",
            &|b| {
                b.contains('/')
                    && b.split_whitespace()
                        .any(|w| w.starts_with("۱۴۰") || w.starts_with("140"))
            },
            50,
        );
        some("short", &|b| b.chars().count() < 20, 500);
        some(
            "several paragraphs",
            &|b| b.chars().count() > 1_000 && b.lines().count() >= 6,
            50,
        );
        some(
            "Arabic keyboard",
            &|b| b.contains('ي') || b.contains('ك'),
            200,
        );
        some(
            "no ZWNJ typed",
            &|b| b.contains("میشود") || b.contains("نمیشود"),
            100,
        );
        some("thumbs up", &|b| b.contains("موافقم. 👍"), 20);
        // English-only comments come from participants who chose English.
        let english: Vec<&DemoComment> = d
            .comments
            .iter()
            .filter(|c| c.source == CommentSource::Citizen && c.body.is_ascii())
            .collect();
        assert!(english.len() >= 20, "{}", english.len());
        assert!(
            english
                .iter()
                .all(|c| d.participants[c.participant].participant.language == Language::En)
        );
        // Varied: ordinary long-enough comments are nearly all different.
        let ordinary: Vec<String> = d
            .comments
            .iter()
            .filter(|c| c.source == CommentSource::Citizen && c.body.chars().count() > 80)
            .map(|c| normalize_for_duplicates(&c.body))
            .collect();
        let distinct: HashSet<&String> = ordinary.iter().collect();
        assert!(
            distinct.len() as f64 > 0.97 * ordinary.len() as f64,
            "{} of {}",
            distinct.len(),
            ordinary.len()
        );
    }

    /// Citizens' comments on the drafts with a text name the article they point at: a good share
    /// on each, more than one article each, only articles the draft has, never a reply, a
    /// campaign copy or hostile input, nothing on consultations without a text.
    #[test]
    fn comments_name_the_articles_of_the_drafts() {
        let d = full();
        let mut per_consultation: HashMap<usize, (usize, usize, HashSet<u32>)> = HashMap::new();
        for c in &d.comments {
            let entry = per_consultation.entry(c.consultation).or_default();
            entry.0 += 1;
            let Some(number) = c.article else { continue };
            entry.1 += 1;
            entry.2.insert(number);
            assert!(c.parent.is_none(), "a reply names no article");
            assert!(
                matches!(c.source, CommentSource::Citizen | CommentSource::Repost),
                "{:?}",
                c.source
            );
            let draft = d
                .drafts
                .iter()
                .find(|x| x.consultation == c.consultation)
                .expect("only comments on a draft with a text name an article");
            let articles = mosharekat_draft::parse(&draft.text_fa, draft.format).articles;
            assert!(articles.iter().any(|a| a.number == number), "{number}");
        }
        for draft in &d.drafts {
            let (all, named, articles) = &per_consultation[&draft.consultation];
            assert!(*named * 20 >= *all, "{named} of {all}");
            assert!(articles.len() >= 2, "{articles:?}");
        }
    }

    #[test]
    fn campaigns_are_hundreds_of_copies_that_normalise_to_one_text() {
        let d = full();
        let mut groups: HashMap<usize, Vec<&DemoComment>> = HashMap::new();
        for c in &d.comments {
            if let CommentSource::Campaign(n) = c.source {
                groups.entry(n).or_default().push(c);
            }
        }
        assert!((3..=4).contains(&groups.len()));
        let mut forms = HashSet::new();
        for members in groups.values() {
            assert!(members.len() >= 200, "{}", members.len());
            let form = normalize_for_duplicates(&members[0].body);
            assert!(
                members
                    .iter()
                    .all(|c| normalize_for_duplicates(&c.body) == form)
            );
            assert!(
                members
                    .iter()
                    .all(|c| c.consultation == members[0].consultation)
            );
            let raw: HashSet<&str> = members.iter().map(|c| c.body.as_str()).collect();
            assert!(raw.len() > 20, "copies should not all be byte-identical");
            assert!(
                raw.len() < members.len(),
                "some copies should be byte-identical"
            );
            let authors: HashSet<usize> = members.iter().map(|c| c.participant).collect();
            assert_eq!(authors.len(), members.len(), "one copy per participant");
            forms.insert(form);
        }
        assert_eq!(forms.len(), groups.len());
        // Reposts are exact duplicates of the same participant's comment.
        let reposts: Vec<&DemoComment> = d
            .comments
            .iter()
            .filter(|c| c.source == CommentSource::Repost)
            .collect();
        assert!(!reposts.is_empty());
        for r in reposts {
            assert!(d.comments.iter().any(|c| c.source != CommentSource::Repost
                && c.participant == r.participant
                && c.body == r.body
                && c.created_at <= r.created_at));
        }
    }

    #[test]
    fn hostile_comments_wait_for_the_sanitiser() {
        let d = full();
        let hostile: Vec<&DemoComment> = d
            .comments
            .iter()
            .filter(|c| matches!(c.source, CommentSource::Hostile(_)))
            .collect();
        let has = |s: &str| hostile.iter().any(|c| c.body.contains(s));
        assert!(has("\u{1b}[2J") && has("\u{1b}]0;") && has("\u{202E}") && has("https://"));
        for c in &hostile {
            let open = d.consultations[c.consultation].status == ConsultationStatus::Open;
            if c.source != CommentSource::Hostile(HostileKind::Spam) {
                assert!(
                    open && c.moderation.is_none(),
                    "attacks stay in an open queue"
                );
            }
            if !open {
                assert_eq!(c.moderation.as_ref().unwrap().reason_code, Some("spam"));
            }
        }
        let spam = hostile
            .iter()
            .filter(|c| c.source == CommentSource::Hostile(HostileKind::Spam))
            .count();
        assert!(spam >= 6);
    }

    #[test]
    fn closed_queues_are_mostly_decided_open_ones_mostly_pending() {
        let d = full();
        let now = now();
        let mut decided = [0usize; 2];
        let mut total = [0usize; 2];
        let mut reasons = HashSet::new();
        let mut actions = HashSet::new();
        for c in &d.comments {
            let open = d.consultations[c.consultation].status == ConsultationStatus::Open;
            total[open as usize] += 1;
            if let Some(m) = &c.moderation {
                decided[open as usize] += 1;
                assert!(m.decided_at > c.created_at && m.decided_at <= now);
                assert_eq!(m.action.needs_reason(), m.reason_code.is_some());
                if let Some(r) = m.reason_code {
                    assert!(DEMO_REASON_CODES.contains(&r));
                    reasons.insert(r);
                }
                assert!(DEMO_MODERATORS.contains(&m.decided_by));
                actions.insert(m.action);
            }
        }
        let closed_share = decided[0] as f64 / total[0] as f64;
        let open_share = decided[1] as f64 / total[1] as f64;
        assert!(closed_share > 0.9, "{closed_share}");
        assert!(
            open_share < 0.6 && total[1] - decided[1] > 2_000,
            "{open_share}"
        );
        assert_eq!(reasons.len(), DEMO_REASON_CODES.len(), "{reasons:?}");
        assert_eq!(actions.len(), 3);
        let approved = d
            .comments
            .iter()
            .filter(|c| {
                c.moderation
                    .as_ref()
                    .is_some_and(|m| m.action == ModerationAction::Approve)
            })
            .count();
        assert!(approved as f64 > 0.9 * (decided[0] + decided[1]) as f64);
    }

    #[test]
    fn polls_and_ballots_are_valid_and_lean_plausibly() {
        let d = full();
        let now = now();
        for (i, c) in d.consultations.iter().enumerate() {
            let polls: Vec<&DemoPoll> = d.polls.iter().filter(|p| p.consultation == i).collect();
            let was_open = matches!(
                c.status,
                ConsultationStatus::Open | ConsultationStatus::Closed
            );
            assert_eq!(was_open, !polls.is_empty(), "{}", c.consultation.title_en);
            if c.consultation.kind == ConsultationKind::ServiceSurvey {
                assert!(polls.iter().all(|p| p.poll.kind == PollKind::Likert5));
            }
        }
        for kind in PollKind::ALL {
            assert!(d.polls.iter().any(|p| p.poll.kind == kind), "{kind:?}");
        }
        let mut seen = HashSet::new();
        let mut per_poll = vec![0usize; d.polls.len()];
        for b in &d.ballots {
            assert!(
                seen.insert((b.poll, b.participant)),
                "two ballots by one participant"
            );
            per_poll[b.poll] += 1;
            let poll = &d.polls[b.poll];
            assert!(!b.options.is_empty());
            assert!(b.options.windows(2).all(|w| w[0] < w[1]));
            assert!(b.options.iter().all(|&o| o < poll.poll.options.len()));
            if !poll.poll.kind.allows_many() {
                assert_eq!(b.options.len(), 1);
            }
            let c = &d.consultations[poll.consultation];
            assert!(b.cast_at >= c.consultation.opens_at && b.cast_at < c.effective_close());
            assert!(b.cast_at < now && poll.created_at < b.cast_at);
        }
        for (poll, n) in per_poll.iter().enumerate() {
            assert!((250..3_500).contains(n), "poll {poll}: {n} ballots");
        }
        assert!(d.polls.iter().all(|p| {
            p.poll.options.len() >= 2
                && !p.poll.question_en.is_empty()
                && p.poll
                    .options
                    .iter()
                    .all(|o| !o.label_fa.is_empty() && !o.label_en.is_empty())
        }));

        // Older participants want numeric marks back more than younger ones.
        let marks = d
            .polls
            .iter()
            .position(|p| p.poll.question_en.starts_with("Should numeric marks"))
            .unwrap();
        let (mut old, mut young) = ((0, 0), (0, 0));
        for b in d.ballots.iter().filter(|b| b.poll == marks) {
            let Some(year) = d.participants[b.participant].participant.birth_year else {
                continue;
            };
            let age = now.year() - year;
            let group = if age >= 45 {
                &mut old
            } else if age < 30 {
                &mut young
            } else {
                continue;
            };
            group.1 += 1;
            if b.options == [0] {
                group.0 += 1;
            }
        }
        let yes = |(y, n): (usize, usize)| y as f64 / n as f64;
        assert!(yes(old) > yes(young) + 0.1, "old {old:?} young {young:?}");
    }

    #[test]
    fn same_seed_same_dataset_other_seed_other_dataset() {
        let config = DemoConfig {
            participants: 600,
            comments: 2_500,
            seed: 7,
        };
        let a = generate(&config, now());
        assert_eq!(a, generate(&config, now()));
        let b = generate(&DemoConfig { seed: 8, ..config }, now());
        assert_ne!(a.comments, b.comments);
        assert_ne!(a.participants, b.participants);
        // Times move with `now`.
        let later = now() + Duration::days(100);
        let c = generate(&config, later);
        assert_eq!(
            c.consultations[0].consultation.opens_at - a.consultations[0].consultation.opens_at,
            Duration::days(100)
        );
    }

    #[test]
    fn small_and_empty_configurations_hold_the_same_rules() {
        for (participants, comments) in [(0, 0), (0, 50), (5, 20), (30, 120), (200, 400)] {
            let d = generate(
                &DemoConfig {
                    participants,
                    comments,
                    seed: 1,
                },
                now(),
            );
            assert_eq!(d.participants.len(), participants);
            if participants > 0 {
                assert_eq!(d.comments.len(), comments, "{participants}/{comments}");
            }
            for (i, c) in d.comments.iter().enumerate() {
                assert!(validate_comment_body(&c.body).is_ok());
                if let Some(p) = c.parent {
                    assert!(p < i && d.comments[p].consultation == c.consultation);
                }
            }
            let mut seen = HashSet::new();
            assert!(
                d.ballots
                    .iter()
                    .all(|b| seen.insert((b.poll, b.participant)))
            );
        }
    }

    #[test]
    fn new_comment_carries_the_ids_given() {
        let d = full();
        let reply = d.comments.iter().find(|c| c.parent.is_some()).unwrap();
        let new = reply.to_new_comment(Some(42), Some(7));
        assert_eq!((new.parent_id, new.article_id), (Some(42), Some(7)));
        assert_eq!(new.body, reply.body);
        assert_eq!(new.is_proposal, reply.is_proposal);
    }
}
