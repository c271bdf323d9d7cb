//! The comments: who writes on which draft and when, replies threaded onto earlier comments, mass
//! campaigns in waves, double submissions, spam and attacks, and the moderation already done.

use chrono::{DateTime, Duration, Utc};
use mosharekat_api::{ConsultationStatus, Language, ModerationAction, NewParticipant, Province};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

use super::campaigns::{self, CAMPAIGNS};
use super::compose::{self, Intent, Scene};
use super::consultations::Topic;
use super::dataset::{
    CommentSource, DEMO_MODERATORS, DemoComment, DemoConsultation, DemoModeration, Flaw,
    HostileKind,
};
use super::hostile;
use super::names;
use super::participants::{Persona, Profile, throwaway_count};
use super::timeline::{Window, window_of};

/// Each commented draft's share of ordinary comments.
const SHARES: [(Topic, f64); 8] = [
    (Topic::TeacherRanking, 0.24),
    (Topic::DescriptiveAssessment, 0.17),
    (Topic::NonGovSchools, 0.16),
    (Topic::FarhangianAdmission, 0.10),
    (Topic::FinalExams, 0.10),
    (Topic::ForeignStudents, 0.09),
    (Topic::SidaService, 0.09),
    (Topic::SchoolTransport, 0.05),
];

/// Shares of all comments.
const REPLY_SHARE: f64 = 0.15;
const PROPOSAL_SHARE: f64 = 0.10;
const REPOST_SHARE: f64 = 0.004;

/// Provinces with many foreign-national pupils, where the enrolment circular draws more comment.
const MIGRANT_PROVINCES: [Province; 7] = [
    Province::Tehran,
    Province::RazaviKhorasan,
    Province::Isfahan,
    Province::Qom,
    Province::Kerman,
    Province::Alborz,
    Province::Fars,
];

#[derive(Debug, Clone, Copy)]
enum Plan {
    Citizen(Intent),
    Campaign(usize),
    /// Repeats the comment planned in slot `n`.
    Repost(usize),
    /// Index into the hostile texts.
    Hostile(usize),
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    consultation: usize,
    participant: usize,
    at: DateTime<Utc>,
    plan: Plan,
}

/// `total` comments (fewer only when there is no open or closed consultation or no participant).
pub(crate) fn generate(
    rng: &mut StdRng,
    total: usize,
    consultations: &[DemoConsultation],
    topics: &[Topic],
    participants: &[NewParticipant],
    profiles: &[Profile],
    now: DateTime<Utc>,
) -> Vec<DemoComment> {
    let windows: Vec<Option<Window>> = consultations.iter().map(|c| window_of(c, now)).collect();
    let commented: Vec<(usize, f64)> = SHARES
        .iter()
        .filter_map(|(topic, share)| {
            let index = topics.iter().position(|t| t == topic)?;
            windows[index].map(|_| (index, *share))
        })
        .collect();
    let citizens = participants.len() - throwaway_count(participants.len());
    if commented.is_empty() || citizens == 0 || total == 0 {
        return Vec::new();
    }

    let mut slots = Vec::with_capacity(total);
    let hostile_texts = hostile::texts();
    plan_hostile(
        rng,
        &mut slots,
        total,
        consultations,
        &windows,
        participants.len(),
        &hostile_texts,
    );
    plan_campaigns(rng, &mut slots, total, topics, &windows, profiles);
    let reposts = if total >= 250 {
        (total as f64 * REPOST_SHARE).round() as usize
    } else {
        0
    };
    let ordinary = total.saturating_sub(slots.len() + reposts);
    plan_citizens(
        rng, &mut slots, ordinary, total, &commented, topics, &windows, profiles,
    );
    plan_reposts(rng, &mut slots, reposts, &windows);

    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_by_key(|&i| (slots[i].at, i));
    let mut comments = write(
        rng,
        &slots,
        &order,
        topics,
        participants,
        profiles,
        &hostile_texts,
    );
    moderate(rng, &mut comments, consultations, now);
    comments
}

fn plan_hostile(
    rng: &mut StdRng,
    slots: &mut Vec<Slot>,
    total: usize,
    consultations: &[DemoConsultation],
    windows: &[Option<Window>],
    participant_count: usize,
    texts: &[(HostileKind, String)],
) {
    let throwaways = throwaway_count(participant_count);
    if throwaways == 0 || total < 300 {
        return;
    }
    let any: Vec<usize> = (0..windows.len())
        .filter(|&i| windows[i].is_some())
        .collect();
    let open: Vec<usize> = any
        .iter()
        .copied()
        .filter(|&i| consultations[i].status == ConsultationStatus::Open)
        .collect();
    let mut spam_seen = 0;
    for (index, (kind, _)) in texts.iter().enumerate() {
        // Spammers post the same advert on several drafts; attacks wait in open queues.
        let (copies, targets) = if *kind == HostileKind::Spam {
            spam_seen += 1;
            (1 + spam_seen % 3, &any)
        } else {
            (1, if open.is_empty() { &any } else { &open })
        };
        for _ in 0..copies {
            let consultation = *targets.choose(rng).expect("a commented consultation");
            let window = windows[consultation].expect("targets have windows");
            slots.push(Slot {
                consultation,
                participant: participant_count - 1 - rng.random_range(0..throwaways),
                at: window.sample(rng),
                plan: Plan::Hostile(index),
            });
        }
    }
}

fn plan_campaigns(
    rng: &mut StdRng,
    slots: &mut Vec<Slot>,
    total: usize,
    topics: &[Topic],
    windows: &[Option<Window>],
    profiles: &[Profile],
) {
    // Campaigns never crowd out ordinary comments: at most a third of all.
    let wanted: f64 = CAMPAIGNS.iter().map(|c| c.share).sum::<f64>() * total as f64;
    let scale = (total as f64 / 3.0 / wanted).min(1.0);
    for (number, campaign) in CAMPAIGNS.iter().enumerate() {
        let Some(consultation) = topics.iter().position(|t| *t == campaign.topic) else {
            continue;
        };
        let Some(window) = windows[consultation] else {
            continue;
        };
        let weight = |i: usize| {
            let persona = profiles[i].persona;
            if campaign.spreaders.contains(&persona) {
                1.0
            } else if matches!(persona, Persona::Throwaway | Persona::ForeignResearcher) {
                0.0
            } else {
                0.05
            }
        };
        let eligible = (0..profiles.len()).filter(|&i| weight(i) > 0.0).count();
        let size = ((total as f64 * campaign.share * scale).round() as usize).min(eligible);
        let Ok(members) = rand::seq::index::sample_weighted(rng, profiles.len(), weight, size)
        else {
            continue;
        };
        // The text spreads in two waves: the first forward, and a reminder some days later.
        let span = (window.end - window.start).num_seconds() as f64;
        let first = window.start + Duration::seconds((span * rng.random_range(0.1..0.6)) as i64);
        let second = (first + Duration::seconds((span * rng.random_range(0.2..0.35)) as i64))
            .min(window.end);
        for participant in members.into_vec() {
            let wave = if rng.random_bool(0.75) { first } else { second };
            slots.push(Slot {
                consultation,
                participant,
                at: window.after(rng, wave, 9.0),
                plan: Plan::Campaign(number),
            });
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn plan_citizens(
    rng: &mut StdRng,
    slots: &mut Vec<Slot>,
    count: usize,
    total: usize,
    commented: &[(usize, f64)],
    topics: &[Topic],
    windows: &[Option<Window>],
    profiles: &[Profile],
) {
    let drafts =
        WeightedIndex::new(commented.iter().map(|(_, share)| *share)).expect("shares are positive");
    // Who comments on a draft: the active, and those it concerns.
    let authors: Vec<Option<WeightedIndex<f64>>> = commented
        .iter()
        .map(|&(consultation, _)| {
            let topic = topics[consultation];
            WeightedIndex::new(profiles.iter().map(|p| {
                let regional =
                    if topic == Topic::ForeignStudents && MIGRANT_PROVINCES.contains(&p.home) {
                        2.5
                    } else {
                        1.0
                    };
                p.activity * p.persona.affinity(topic) * regional
            }))
            .ok()
        })
        .collect();
    let citizens: Vec<usize> = (0..profiles.len())
        .filter(|&i| profiles[i].persona != Persona::Throwaway)
        .collect();
    let share = |s: f64| (s * total as f64 / count.max(1) as f64).min(0.9);
    let (reply, proposal) = (share(REPLY_SHARE), share(PROPOSAL_SHARE));
    for _ in 0..count {
        let draft = drafts.sample(rng);
        let consultation = commented[draft].0;
        let participant = match &authors[draft] {
            Some(authors) => authors.sample(rng),
            None => *citizens.choose(rng).expect("there are citizens"),
        };
        let roll: f64 = rng.random();
        let intent = if roll < reply {
            Intent::Reply
        } else if roll < reply + proposal {
            Intent::Proposal
        } else {
            match rng.random_range(0..1000) {
                0..12 => Intent::Flawed(Flaw::OffTopic),
                12..20 => Intent::Flawed(Flaw::Offensive),
                20..26 => Intent::Flawed(Flaw::PersonalData),
                26..31 => Intent::Flawed(Flaw::Gibberish),
                _ => Intent::Opinion,
            }
        };
        slots.push(Slot {
            consultation,
            participant,
            at: windows[consultation].expect("commented").sample(rng),
            plan: Plan::Citizen(intent),
        });
    }
}

/// A few citizens press "send" twice: the same text a few minutes later.
fn plan_reposts(rng: &mut StdRng, slots: &mut Vec<Slot>, count: usize, windows: &[Option<Window>]) {
    let originals: Vec<usize> = (0..slots.len())
        .filter(|&i| {
            matches!(
                slots[i].plan,
                Plan::Citizen(Intent::Opinion | Intent::Proposal)
            )
        })
        .collect();
    for _ in 0..count {
        let Some(&original) = originals.choose(rng) else {
            return;
        };
        let slot = slots[original];
        let end = windows[slot.consultation].expect("commented").end;
        slots.push(Slot {
            at: (slot.at + Duration::seconds(rng.random_range(40..1_200))).min(end),
            plan: Plan::Repost(original),
            ..slot
        });
    }
}

/// Write every comment in time order, so that a reply can quote the comment it answers.
fn write(
    rng: &mut StdRng,
    slots: &[Slot],
    order: &[usize],
    topics: &[Topic],
    participants: &[NewParticipant],
    profiles: &[Profile],
    hostile_texts: &[(HostileKind, String)],
) -> Vec<DemoComment> {
    let mut comments: Vec<DemoComment> = Vec::with_capacity(slots.len());
    let mut position_of_slot = vec![usize::MAX; slots.len()];
    // Per consultation, the positions of ordinary citizens' comments a reply may answer.
    let mut answerable: Vec<Vec<usize>> = vec![Vec::new(); topics.len()];
    for &slot_index in order {
        let slot = slots[slot_index];
        let author = &profiles[slot.participant];
        let mut plan = slot.plan;
        let mut parent = None;
        if let Plan::Citizen(Intent::Reply) = plan {
            parent = pick_parent(
                rng,
                &answerable[slot.consultation],
                &comments,
                slot.participant,
            );
            if parent.is_none() {
                plan = Plan::Citizen(Intent::Opinion);
            }
        }
        let (body, source, is_proposal) = match plan {
            Plan::Citizen(intent) => {
                let surname = names::SURNAMES.choose(rng).expect("surnames").0;
                let name = match parent {
                    Some(p) => participants[comments[p].participant].display_name.as_str(),
                    None => surname,
                };
                let scene = Scene {
                    topic: topics[slot.consultation],
                    persona: author.persona,
                    at: slot.at,
                    town: author.town,
                    province: author.home.name_fa(),
                    name,
                    parent: parent.map(|p| comments[p].body.as_str()),
                };
                let english = participants[slot.participant].language == Language::En;
                let body = compose::comment(rng, &scene, intent, english);
                let source = match intent {
                    Intent::Flawed(flaw) => CommentSource::Flawed(flaw),
                    _ => CommentSource::Citizen,
                };
                (body, source, intent == Intent::Proposal)
            }
            Plan::Campaign(number) => (
                campaigns::copy(rng, CAMPAIGNS[number].text),
                CommentSource::Campaign(number),
                false,
            ),
            Plan::Repost(original) => {
                let first = &comments[position_of_slot[original]];
                parent = first.parent;
                (first.body.clone(), CommentSource::Repost, first.is_proposal)
            }
            Plan::Hostile(index) => {
                let (kind, text) = &hostile_texts[index];
                (text.clone(), CommentSource::Hostile(*kind), false)
            }
        };
        position_of_slot[slot_index] = comments.len();
        if source == CommentSource::Citizen {
            answerable[slot.consultation].push(comments.len());
        }
        comments.push(DemoComment {
            consultation: slot.consultation,
            participant: slot.participant,
            created_at: slot.at,
            body,
            parent,
            is_proposal,
            moderation: None,
            source,
            article: None,
        });
    }
    comments
}

/// A comment to answer: often one of the latest, sometimes any earlier one; rarely one's own.
fn pick_parent(
    rng: &mut StdRng,
    answerable: &[usize],
    comments: &[DemoComment],
    author: usize,
) -> Option<usize> {
    let mut choice = None;
    for _ in 0..2 {
        let pool = if answerable.len() > 30 && rng.random_bool(0.55) {
            &answerable[answerable.len() - 30..]
        } else {
            answerable
        };
        choice = pool.choose(rng).copied();
        if choice.is_some_and(|c| comments[c].participant != author) {
            break;
        }
    }
    choice
}

/// Decide what moderators have already decided by `now`: nearly everything on closed
/// consultations, the older part of the open queues, nothing of the open campaigns and attacks.
fn moderate(
    rng: &mut StdRng,
    comments: &mut [DemoComment],
    consultations: &[DemoConsultation],
    now: DateTime<Utc>,
) {
    // Campaigns on closed consultations were approved in one bulk decision after the close.
    let bulk: Vec<(DateTime<Utc>, &'static str)> = consultations
        .iter()
        .map(|c| {
            let at = c.effective_close() + Duration::hours(rng.random_range(20..60));
            (
                at.min(now - Duration::hours(1)),
                *DEMO_MODERATORS.choose(rng).expect("moderators"),
            )
        })
        .collect();
    for comment in comments.iter_mut() {
        let consultation = &consultations[comment.consultation];
        let closed = consultation.status == ConsultationStatus::Closed;
        let (action, reason_code, note): (
            ModerationAction,
            Option<&'static str>,
            Option<&'static str>,
        ) = match comment.source {
            CommentSource::Campaign(_) => {
                if closed {
                    let (at, by) = bulk[comment.consultation];
                    comment.moderation = Some(DemoModeration {
                        action: ModerationAction::Approve,
                        reason_code: None,
                        note: Some("کارزار؛ تأیید گروهی"),
                        decided_by: by,
                        decided_at: at.max(comment.created_at + Duration::minutes(30)),
                    });
                }
                continue;
            }
            CommentSource::Hostile(_) if !closed => continue,
            CommentSource::Hostile(HostileKind::Spam) => {
                (ModerationAction::Reject, Some("spam"), None)
            }
            CommentSource::Hostile(_) => (
                ModerationAction::Reject,
                Some("other"),
                Some("نویسه‌های کنترلی و مخرب"),
            ),
            CommentSource::Citizen => (ModerationAction::Approve, None, None),
            CommentSource::Repost => (
                ModerationAction::Reject,
                Some("duplicate"),
                Some("ارسال تکراری همان شرکت‌کننده"),
            ),
            CommentSource::Flawed(Flaw::OffTopic) => {
                (ModerationAction::Reject, Some("off_topic"), None)
            }
            CommentSource::Flawed(Flaw::Offensive) => {
                if rng.random_bool(0.65) {
                    (ModerationAction::Reject, Some("offensive"), None)
                } else {
                    (
                        ModerationAction::Hide,
                        Some("offensive"),
                        Some("توهین به مسئولان"),
                    )
                }
            }
            CommentSource::Flawed(Flaw::PersonalData) => (
                ModerationAction::Hide,
                Some("personal_data"),
                Some("شامل شماره تماس یا نشانی"),
            ),
            CommentSource::Flawed(Flaw::Gibberish) => {
                (ModerationAction::Reject, Some("other"), Some("متن نامفهوم"))
            }
        };
        let age = now - comment.created_at;
        let decided_share = if closed {
            0.95
        } else if age > Duration::days(3) {
            0.6
        } else if age > Duration::days(1) {
            0.3
        } else {
            0.05
        };
        if !rng.random_bool(decided_share) {
            continue;
        }
        // Most decisions come within a day; the exponential tail reaches a few days.
        let u: f64 = rng.random::<f64>().max(1e-9);
        let delay = Duration::minutes(10 + (-u.ln() * 18.0 * 60.0) as i64);
        let mut decided_at = comment.created_at + delay;
        if decided_at > now - Duration::minutes(2) {
            if !closed {
                continue;
            }
            decided_at = now - Duration::minutes(rng.random_range(60..360));
        }
        comment.moderation = Some(DemoModeration {
            action,
            reason_code,
            note,
            decided_by: DEMO_MODERATORS.choose(rng).expect("moderators"),
            decided_at: decided_at.max(comment.created_at + Duration::minutes(1)),
        });
    }
}
