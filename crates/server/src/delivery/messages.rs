//! The texts of feedback messages, in the participant's language. Messengers cap a message at
//! about 4,000 characters, so long rationales are cut and point to the portal for the rest.

use mosharekat_api::{Language, ProposalDecision};

/// Longest rationale or legal basis quoted in a message, in characters.
const QUOTE_CHARS: usize = 1_500;

fn quote(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= QUOTE_CHARS {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(QUOTE_CHARS).collect();
        cut.push('…');
        cut
    }
}

/// Where a message sends a participant: `{public base URL}/{fa|en}{path}` when the server has a
/// public address, else the consultation's own `portal_url`.
pub fn portal_link(
    public_base_url: Option<&str>,
    portal_url: &str,
    language: Language,
    path: &str,
) -> String {
    match public_base_url {
        Some(base) => format!("{}/{}{path}", base.trim_end_matches('/'), language.as_str()),
        None => portal_url.to_owned(),
    }
}

/// A consultation's title in the participant's language (English falls back to Persian).
fn title_in<'t>(title_fa: &'t str, title_en: &'t str, language: Language) -> &'t str {
    match language {
        Language::En if !title_en.trim().is_empty() => title_en.trim(),
        _ => title_fa.trim(),
    }
}

/// The answer to a proposal, for every author in its campaign group.
pub fn decision_text(
    title_fa: &str,
    title_en: &str,
    portal_url: &str,
    decision: &ProposalDecision,
    language: Language,
) -> String {
    let cat = language.catalogue();
    let title = title_in(title_fa, title_en, language);
    let mut lines = vec![cat.format("message.decision.title", &[("title", title)])];
    if let Some(outcome) = decision.outcome {
        let outcome = cat
            .text(&format!("message.outcome.{}", outcome.as_str()))
            .to_owned();
        lines.push(cat.format("message.decision.outcome", &[("outcome", &outcome)]));
    }
    let rationale = match language {
        Language::Fa => &decision.rationale_fa,
        Language::En => &decision.rationale_en,
    };
    lines.push(cat.format("message.decision.reason", &[("reason", &quote(rationale))]));
    if !decision.legal_basis.trim().is_empty() {
        lines.push(cat.format(
            "message.decision.legal_basis",
            &[("basis", &quote(&decision.legal_basis))],
        ));
    }
    if !portal_url.is_empty() {
        lines.push(cat.format("message.decision.full_text", &[("url", portal_url)]));
    }
    lines.join("\n")
}

/// Word that the comprehensive report of a consultation the participant took part in is out.
pub fn report_text(title_fa: &str, title_en: &str, portal_url: &str, language: Language) -> String {
    let cat = language.catalogue();
    let mut text = cat.format(
        "message.report",
        &[("title", title_in(title_fa, title_en, language))],
    );
    if !portal_url.is_empty() {
        text.push_str(&format!("\n{portal_url}"));
    }
    text
}

/// The text a messenger delivers: the message and its reference (the idempotency key), which a
/// citizen can quote in a follow-up and which tells a repeated delivery apart.
pub fn with_reference(text: &str, idempotency_key: &str, language: Language) -> String {
    let reference = language
        .catalogue()
        .format("message.reference", &[("reference", idempotency_key)]);
    format!("{text}\n\n{reference}")
}

/// Why a participant's comment was not published (rejected) or was taken down (hidden): the
/// reason from the reason catalogue in their language, the moderator's note when there is one,
/// and where they can see their comments.
pub fn declined_text(
    title_fa: &str,
    title_en: &str,
    hidden: bool,
    reason: Option<&str>,
    note: Option<&str>,
    url: &str,
    language: Language,
) -> String {
    let cat = language.catalogue();
    let title = title_in(title_fa, title_en, language);
    let key = if hidden {
        "message.comment_hidden"
    } else {
        "message.comment_rejected"
    };
    let mut lines = vec![cat.format(key, &[("title", title)])];
    if let Some(reason) = reason {
        lines.push(cat.format("message.comment_reason", &[("reason", reason)]));
    }
    if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
        lines.push(cat.format("message.comment_note", &[("note", &quote(note))]));
    }
    if !url.is_empty() {
        lines.push(cat.format("message.comment_where", &[("url", url)]));
    }
    lines.join("\n")
}

/// An approved proposal's author: it is published, and where its answer will appear.
pub fn proposal_approved_text(
    title_fa: &str,
    title_en: &str,
    url: &str,
    language: Language,
) -> String {
    language.catalogue().format(
        "message.proposal_approved",
        &[
            ("title", title_in(title_fa, title_en, language)),
            ("url", url),
        ],
    )
}

/// The message announcing an issued certificate, in the participant's language: what it is for,
/// its verification code, and where anyone can check it.
pub fn certificate_text(
    kind: mosharekat_api::CertificateKind,
    title_fa: &str,
    title_en: &str,
    code: &str,
    verify_url: &str,
    language: Language,
) -> String {
    let cat = language.catalogue();
    cat.format(
        "message.certificate",
        &[
            (
                "kind",
                cat.text(&format!("message.certificate_kind.{}", kind.as_str())),
            ),
            ("title", title_in(title_fa, title_en, language)),
            ("code", code),
            ("url", verify_url),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use mosharekat_api::Outcome;

    fn decision() -> ProposalDecision {
        ProposalDecision {
            proposal_id: 4,
            consultation_id: 1,
            outcome: Some(Outcome::PartiallyAccepted),
            rationale_fa: "ماده ۱۲ اصلاح شد.".into(),
            rationale_en: "Article 12 was amended.".into(),
            legal_basis: "قانون اساسی، اصل ۳۰".into(),
            version: 2,
            decided_by: "op".into(),
            decided_at: DateTime::from_timestamp(0, 0).unwrap(),
            published_at: None,
        }
    }

    #[test]
    fn each_language_reads_in_itself() {
        let fa = decision_text(
            "آیین‌نامه",
            "Regulation",
            "https://x.ir/1",
            &decision(),
            Language::Fa,
        );
        assert!(fa.contains("«آیین‌نامه»") && fa.contains("بخشی از آن پذیرفته شد"));
        assert!(
            fa.contains("ماده ۱۲ اصلاح شد.")
                && fa.contains("اصل ۳۰")
                && fa.contains("https://x.ir/1")
        );
        let en = decision_text("آیین‌نامه", "Regulation", "", &decision(), Language::En);
        assert!(en.contains("“Regulation”") && en.contains("Partially accepted"));
        assert!(en.contains("Article 12 was amended.") && !en.contains("Full text"));
        let report = report_text("آیین‌نامه", "", "", Language::En);
        assert!(
            report.contains("“آیین‌نامه”"),
            "English falls back to the Persian title"
        );
    }

    #[test]
    fn long_rationales_are_cut() {
        let mut d = decision();
        d.rationale_fa = "ب".repeat(5_000);
        let text = decision_text("ع", "T", "", &d, Language::Fa);
        assert!(text.chars().count() < 2_000);
        assert!(text.contains('…'));
        assert!(with_reference(&text, "key-1", Language::Fa).ends_with("شناسهٔ پیام: key-1"));
    }
}
