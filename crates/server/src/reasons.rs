//! The moderation reasons the server owns, bilingual. Rejecting or hiding must give one of them.

use mosharekat_api::{DecisionRequest, ErrorCode, ModerationAction, ReasonCode};

use crate::error::ApiError;

const REASONS: &[(&str, &str, &str, &[ModerationAction])] = {
    use ModerationAction::{Hide, Reject};
    &[
        (
            "spam",
            "هرزنامه یا پیوند تبلیغاتی",
            "Spam or promotional links",
            &[Reject, Hide],
        ),
        (
            "offensive",
            "توهین‌آمیز یا ناسزا",
            "Offensive or abusive",
            &[Reject, Hide],
        ),
        (
            "off_topic",
            "نامرتبط با پیش‌نویس",
            "Off topic for this draft",
            &[Reject],
        ),
        (
            "personal_data",
            "دارای اطلاعات شخصی دیگران",
            "Contains someone's personal data",
            &[Reject, Hide],
        ),
        (
            "duplicate",
            "تکراری",
            "Duplicate of an earlier comment",
            &[Reject],
        ),
        (
            "unlawful",
            "محتوای خلاف قانون",
            "Unlawful content",
            &[Reject, Hide],
        ),
        (
            "advertising",
            "آگهی تجاری",
            "Commercial advertising",
            &[Reject, Hide],
        ),
        (
            "other",
            "سایر (با توضیح)",
            "Other (explain in the note)",
            &[Reject, Hide],
        ),
    ]
};

/// A reason's name in `language`, or `None` for a code the catalogue does not have.
pub fn label(code: &str, language: mosharekat_api::Language) -> Option<&'static str> {
    REASONS
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(_, fa, en, _)| match language {
            mosharekat_api::Language::Fa => *fa,
            mosharekat_api::Language::En => *en,
        })
}

pub fn all() -> Vec<ReasonCode> {
    REASONS
        .iter()
        .map(|(code, fa, en, actions)| ReasonCode {
            code: (*code).into(),
            label_fa: (*fa).into(),
            label_en: (*en).into(),
            actions: actions.to_vec(),
        })
        .collect()
}

/// Largest note and tag list a decision may carry.
const MAX_NOTE_CHARS: usize = 2_000;
const MAX_TAGS: usize = 20;
const MAX_TAG_CHARS: usize = 64;

/// Check a decision's reason, note and tags before it reaches the store.
pub fn check_decision(request: &DecisionRequest) -> Result<(), ApiError> {
    match request.reason_code.as_deref() {
        None if request.action.needs_reason() => {
            return Err(ApiError::new(
                ErrorCode::ReasonRequired,
                format!(
                    "to {} a comment, give a reason code",
                    request.action.as_str()
                ),
            ));
        }
        None => {}
        Some(code) => {
            let Some((_, _, _, actions)) = REASONS.iter().find(|(c, ..)| *c == code) else {
                return Err(ApiError::new(
                    ErrorCode::UnknownReason,
                    format!("unknown reason code `{code}`"),
                ));
            };
            if !actions.contains(&request.action) {
                return Err(ApiError::new(
                    ErrorCode::UnknownReason,
                    format!(
                        "the reason `{code}` does not go with {}",
                        request.action.as_str()
                    ),
                ));
            }
            if code == "other" && request.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return Err(ApiError::new(
                    ErrorCode::ReasonRequired,
                    "the reason `other` needs a note",
                ));
            }
        }
    }
    if request
        .note
        .as_deref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS || n.contains('\0'))
    {
        return Err(ApiError::validation(format!(
            "the note is at most {MAX_NOTE_CHARS} characters of text"
        )));
    }
    if request.tags.len() > MAX_TAGS
        || request
            .tags
            .iter()
            .any(|t| t.trim().is_empty() || t.chars().count() > MAX_TAG_CHARS || t.contains('\0'))
    {
        return Err(ApiError::validation(format!(
            "at most {MAX_TAGS} tags of 1 to {MAX_TAG_CHARS} characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(action: ModerationAction, reason: Option<&str>, note: Option<&str>) -> DecisionRequest {
        DecisionRequest {
            action,
            reason_code: reason.map(Into::into),
            note: note.map(Into::into),
            tags: vec![],
            claim_token: None,
        }
    }

    #[test]
    fn reasons_are_checked() {
        use ModerationAction::*;
        assert!(check_decision(&req(Approve, None, None)).is_ok());
        assert_eq!(
            check_decision(&req(Reject, None, None)).unwrap_err().code,
            ErrorCode::ReasonRequired
        );
        assert!(check_decision(&req(Reject, Some("spam"), None)).is_ok());
        assert_eq!(
            check_decision(&req(Hide, Some("nope"), None))
                .unwrap_err()
                .code,
            ErrorCode::UnknownReason
        );
        assert_eq!(
            check_decision(&req(Hide, Some("off_topic"), None))
                .unwrap_err()
                .code,
            ErrorCode::UnknownReason
        );
        assert_eq!(
            check_decision(&req(Reject, Some("other"), None))
                .unwrap_err()
                .code,
            ErrorCode::ReasonRequired
        );
        assert!(check_decision(&req(Reject, Some("other"), Some("نامفهوم"))).is_ok());
    }

    #[test]
    fn every_reason_is_bilingual() {
        for r in all() {
            assert!(!r.label_fa.is_empty() && !r.label_en.is_empty() && !r.actions.is_empty());
        }
    }
}
