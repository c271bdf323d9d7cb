//! Domain rules the server enforces, as pure functions the store calls inside its transactions.

use chrono::{DateTime, Utc};
use mosharekat_api::consultation::window_is_short;
use mosharekat_api::{ConsultationPatch, ConsultationStatus, ErrorCode, NewConsultation};

pub type RuleResult = Result<(), (ErrorCode, String)>;

/// A consultation's status at `now`, from its stored times: the times are the truth, so a scheduled
/// consultation is open the moment `opens_at` passes even before the scheduler announces it.
pub fn status_at(
    published_at: Option<DateTime<Utc>>,
    closed_early_at: Option<DateTime<Utc>>,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ConsultationStatus {
    if published_at.is_none() {
        ConsultationStatus::Draft
    } else if closed_early_at.is_some() || now >= closes_at {
        ConsultationStatus::Closed
    } else if now < opens_at {
        ConsultationStatus::Scheduled
    } else {
        ConsultationStatus::Open
    }
}

fn invalid(message: impl Into<String>) -> RuleResult {
    Err((ErrorCode::Validation, message.into()))
}

/// Fields every consultation must have, at creation and after every edit.
pub fn check_consultation_fields(
    title_fa: &str,
    drafting_unit: &str,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    portal_url: &str,
) -> RuleResult {
    if title_fa.trim().is_empty() {
        return invalid("title_fa is required");
    }
    if drafting_unit.trim().is_empty() {
        return invalid("drafting_unit is required");
    }
    if closes_at <= opens_at {
        return invalid("closes_at must be after opens_at");
    }
    let is_link = portal_url.starts_with("https://") || portal_url.starts_with("http://");
    if !portal_url.is_empty() && !is_link {
        return invalid("portal_url must be an http(s) link to the official portal");
    }
    Ok(())
}

pub fn check_new_consultation(c: &NewConsultation) -> RuleResult {
    check_consultation_fields(
        &c.title_fa,
        &c.drafting_unit,
        c.opens_at,
        c.closes_at,
        &c.portal_url,
    )
}

/// Publishing needs both languages and a 30-day window, unless an admin recorded why it is shorter.
pub fn check_publish(
    status: ConsultationStatus,
    title_en: &str,
    summary_en: &str,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    short_window_reason: Option<&str>,
    now: DateTime<Utc>,
) -> RuleResult {
    if status != ConsultationStatus::Draft {
        return Err((
            ErrorCode::InvalidState,
            format!("the consultation is already {}", status.as_str()),
        ));
    }
    if title_en.trim().is_empty() || summary_en.trim().is_empty() {
        return Err((
            ErrorCode::MissingTranslation,
            "every call is published in both languages: the English title and summary are required"
                .into(),
        ));
    }
    if window_is_short(opens_at, closes_at)
        && short_window_reason.is_none_or(|r| r.trim().is_empty())
    {
        return Err((
            ErrorCode::WindowTooShort,
            format!(
                "the comment window is {} days; the minimum is {} unless an admin records a reason",
                (closes_at - opens_at).num_days(),
                mosharekat_api::MIN_WINDOW_DAYS
            ),
        ));
    }
    if closes_at <= now {
        return Err((ErrorCode::Validation, "closes_at is already past".into()));
    }
    Ok(())
}

/// What an edit may change in each state. Titles and summaries may always be corrected; the window
/// may move freely before opening; once open, the deadline may only be extended (closing early is
/// its own admin action with a reason); a closed consultation's dates are final.
pub fn check_patch(
    status: ConsultationStatus,
    closes_at: DateTime<Utc>,
    patch: &ConsultationPatch,
    now: DateTime<Utc>,
) -> RuleResult {
    use ConsultationStatus::*;
    let moves_window =
        patch.opens_at.is_some() || patch.closes_at.is_some() || patch.kind.is_some();
    match status {
        Draft | Scheduled => Ok(()),
        Open => {
            if patch.opens_at.is_some() || patch.kind.is_some() {
                return Err((
                    ErrorCode::InvalidState,
                    "an open consultation's opening time and kind are final".into(),
                ));
            }
            match patch.closes_at {
                Some(new) if new < closes_at => Err((
                    ErrorCode::InvalidState,
                    "an open consultation's deadline can only be extended; close it early instead"
                        .into(),
                )),
                Some(new) if new <= now => Err((
                    ErrorCode::Validation,
                    "the new deadline is already past".into(),
                )),
                _ => Ok(()),
            }
        }
        Closed if moves_window => Err((
            ErrorCode::InvalidState,
            "a closed consultation's dates are final".into(),
        )),
        Closed => Ok(()),
    }
}

/// A ballot names only options of its poll, each once, and exactly one unless the poll allows many.
pub fn check_ballot(poll: &mosharekat_api::Poll, option_ids: &[i64]) -> RuleResult {
    if option_ids.is_empty() {
        return invalid("choose at least one option");
    }
    if option_ids
        .iter()
        .any(|id| !poll.options.iter().any(|o| o.id == *id))
    {
        return invalid("an option_id does not belong to this poll");
    }
    let mut unique = option_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != option_ids.len() {
        return invalid("an option is chosen twice");
    }
    if option_ids.len() > 1 && !poll.kind.allows_many() {
        return invalid("this poll takes exactly one option");
    }
    Ok(())
}

/// A new poll has a Persian question and, unless its kind fixes them, at least two labelled options.
pub fn check_new_poll(poll: &mosharekat_api::NewPoll) -> RuleResult {
    if poll.question_fa.trim().is_empty() {
        return invalid("question_fa is required");
    }
    if poll.kind.fixed_options().is_none() {
        if poll.options.len() < 2 {
            return invalid("a choice poll needs at least two options");
        }
        if poll.options.iter().any(|o| o.label_fa.trim().is_empty()) {
            return invalid("every option needs a Persian label");
        }
    } else if !poll.options.is_empty() {
        return invalid(format!(
            "a {} poll has fixed options: leave options empty",
            poll.kind.as_str()
        ));
    }
    Ok(())
}

/// Whether a new version of a consultation's draft text may be imported. Before publication the
/// draft may be replaced freely. While the consultation is scheduled or open a revised draft is a
/// new version (the drafting unit answering early comments is normal practice): earlier versions
/// stay readable and comments keep naming the article (and so the version) they were about. A
/// published consultation is bilingual, so a new version may not drop the English text the
/// current one has. After the close the draft stays the one participants commented on.
pub fn check_draft_import(
    status: ConsultationStatus,
    current_has_english: bool,
    new_has_english: bool,
) -> RuleResult {
    match status {
        ConsultationStatus::Closed => Err((
            ErrorCode::InvalidState,
            "the consultation has closed: its draft stays the one participants commented on"
                .to_owned(),
        )),
        ConsultationStatus::Scheduled | ConsultationStatus::Open
            if current_has_english && !new_has_english =>
        {
            Err((
                ErrorCode::MissingTranslation,
                "the consultation is published in both languages: a new version of its draft needs the English text too (text_en)"
                    .to_owned(),
            ))
        }
        _ => Ok(()),
    }
}

/// Why a registration is refused: each problem names the form field it is about, so the JSON
/// route (first problem, as an error) and the portal (every problem, beside its field) apply the
/// same rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationProblem {
    NameLength,
    NameNul,
    ConsentRequired,
    BirthYear { min: i32, max: i32 },
    ChannelWithoutHandle,
    HandleWithoutChannel,
    HandleTooLong,
    WebhookNotUrl,
}

impl RegistrationProblem {
    /// The `NewParticipant` field the problem is about.
    pub fn field(self) -> &'static str {
        match self {
            Self::NameLength | Self::NameNul => "display_name",
            Self::ConsentRequired => "consent",
            Self::BirthYear { .. } => "birth_year",
            Self::ChannelWithoutHandle | Self::HandleTooLong | Self::WebhookNotUrl => "handle",
            Self::HandleWithoutChannel => "channel",
        }
    }

    /// The protocol's error code and its (English) message.
    pub fn error(self) -> (ErrorCode, String) {
        match self {
            Self::NameLength => (
                ErrorCode::Validation,
                "display_name is 1 to 100 characters".into(),
            ),
            Self::NameNul => (
                ErrorCode::InvalidText,
                "the name contains a NUL character".into(),
            ),
            Self::ConsentRequired => (
                ErrorCode::ConsentRequired,
                "taking part needs consent to the processing of what you send".into(),
            ),
            Self::BirthYear { min, max } => (
                ErrorCode::Validation,
                format!("birth_year must be between {min} and {max}"),
            ),
            Self::ChannelWithoutHandle => (
                ErrorCode::Validation,
                "a messenger channel needs a handle".into(),
            ),
            Self::HandleWithoutChannel => {
                (ErrorCode::Validation, "a handle needs its channel".into())
            }
            Self::HandleTooLong => (
                ErrorCode::Validation,
                "the handle is at most 200 characters".into(),
            ),
            Self::WebhookNotUrl => (
                ErrorCode::Validation,
                "a webhook handle is an http(s) URL".into(),
            ),
        }
    }
}

/// Every problem of a registration, in the order the fields are checked (empty: acceptable).
pub fn registration_problems(
    new: &mosharekat_api::NewParticipant,
    now: DateTime<Utc>,
) -> Vec<RegistrationProblem> {
    use RegistrationProblem as P;
    let mut problems = Vec::new();
    let name = new.display_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        problems.push(P::NameLength);
    } else if name.contains('\0') {
        problems.push(P::NameNul);
    }
    if !new.consent {
        problems.push(P::ConsentRequired);
    }
    if let Some(year) = new.birth_year {
        let this_year = chrono::Datelike::year(&now);
        if !(this_year - 120..=this_year).contains(&year) {
            problems.push(P::BirthYear {
                min: this_year - 120,
                max: this_year,
            });
        }
    }
    let handle_problem = match (&new.channel, new.handle.as_deref().map(str::trim)) {
        (Some(_), None | Some("")) => Some(P::ChannelWithoutHandle),
        (None, Some(h)) if !h.is_empty() => Some(P::HandleWithoutChannel),
        (_, Some(h)) if h.chars().count() > 200 || h.contains('\0') => Some(P::HandleTooLong),
        _ => None,
    };
    if let Some(problem) = handle_problem {
        problems.push(problem);
    } else if new.channel == Some(mosharekat_api::Channel::Webhook)
        && !new
            .handle
            .as_deref()
            .is_some_and(|h| h.trim().starts_with("https://") || h.trim().starts_with("http://"))
    {
        problems.push(P::WebhookNotUrl);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap()
    }

    #[test]
    fn status_follows_the_clock() {
        let (o, c) = (t(10), t(10) + Duration::days(30));
        assert_eq!(
            status_at(None, None, o, c, t(20)),
            ConsultationStatus::Draft
        );
        assert_eq!(
            status_at(Some(t(1)), None, o, c, t(5)),
            ConsultationStatus::Scheduled
        );
        assert_eq!(
            status_at(Some(t(1)), None, o, c, o),
            ConsultationStatus::Open
        );
        assert_eq!(
            status_at(Some(t(1)), None, o, c, c),
            ConsultationStatus::Closed
        );
        assert_eq!(
            status_at(Some(t(1)), Some(t(12)), o, c, t(12)),
            ConsultationStatus::Closed
        );
    }

    #[test]
    fn publish_rules() {
        let (o, c) = (t(10), t(10) + Duration::days(30));
        let draft = ConsultationStatus::Draft;
        assert!(check_publish(draft, "T", "S", o, c, None, t(1)).is_ok());
        assert_eq!(
            check_publish(draft, "", "S", o, c, None, t(1))
                .unwrap_err()
                .0,
            ErrorCode::MissingTranslation
        );
        assert_eq!(
            check_publish(draft, "T", " ", o, c, None, t(1))
                .unwrap_err()
                .0,
            ErrorCode::MissingTranslation
        );
        let short = o + Duration::days(29);
        assert_eq!(
            check_publish(draft, "T", "S", o, short, None, t(1))
                .unwrap_err()
                .0,
            ErrorCode::WindowTooShort
        );
        assert_eq!(
            check_publish(draft, "T", "S", o, short, Some(" "), t(1))
                .unwrap_err()
                .0,
            ErrorCode::WindowTooShort
        );
        assert!(
            check_publish(
                draft,
                "T",
                "S",
                o,
                short,
                Some("urgent ministerial order"),
                t(1)
            )
            .is_ok()
        );
        assert_eq!(
            check_publish(ConsultationStatus::Open, "T", "S", o, c, None, t(1))
                .unwrap_err()
                .0,
            ErrorCode::InvalidState
        );
    }

    #[test]
    fn open_consultations_may_only_be_extended() {
        let c = t(20);
        let extend = ConsultationPatch {
            closes_at: Some(t(25)),
            ..Default::default()
        };
        let shorten = ConsultationPatch {
            closes_at: Some(t(15)),
            ..Default::default()
        };
        let retitle = ConsultationPatch {
            title_en: Some("x".into()),
            ..Default::default()
        };
        assert!(check_patch(ConsultationStatus::Open, c, &extend, t(12)).is_ok());
        assert!(check_patch(ConsultationStatus::Open, c, &shorten, t(12)).is_err());
        assert!(check_patch(ConsultationStatus::Closed, c, &extend, t(22)).is_err());
        assert!(check_patch(ConsultationStatus::Closed, c, &retitle, t(22)).is_ok());
        assert!(check_patch(ConsultationStatus::Draft, c, &shorten, t(12)).is_ok());
    }

    #[test]
    fn a_draft_may_be_revised_until_the_close_but_not_lose_its_english() {
        use ConsultationStatus::*;
        assert!(check_draft_import(Draft, true, false).is_ok());
        assert!(check_draft_import(Open, false, false).is_ok());
        assert!(check_draft_import(Open, true, true).is_ok());
        assert_eq!(
            check_draft_import(Scheduled, true, false).unwrap_err().0,
            ErrorCode::MissingTranslation
        );
        assert_eq!(
            check_draft_import(Closed, false, false).unwrap_err().0,
            ErrorCode::InvalidState
        );
    }
}
