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

/// The answer to a proposal, for every author in its campaign group.
pub fn decision_text(
    title_fa: &str,
    title_en: &str,
    portal_url: &str,
    decision: &ProposalDecision,
    language: Language,
) -> String {
    let mut lines = Vec::new();
    match language {
        Language::Fa => {
            lines.push(format!(
                "پاسخ به پیشنهاد شما در نظرخواهی «{}»",
                title_fa.trim()
            ));
            if let Some(outcome) = decision.outcome {
                lines.push(format!("نتیجه: {}", outcome.label_fa()));
            }
            lines.push(format!("دلیل: {}", quote(&decision.rationale_fa)));
            if !decision.legal_basis.trim().is_empty() {
                lines.push(format!("مبنای قانونی: {}", quote(&decision.legal_basis)));
            }
            if !portal_url.is_empty() {
                lines.push(format!("متن کامل: {portal_url}"));
            }
        }
        Language::En => {
            let title = if title_en.trim().is_empty() {
                title_fa
            } else {
                title_en
            };
            lines.push(format!("The answer to your proposal on “{}”", title.trim()));
            if let Some(outcome) = decision.outcome {
                lines.push(format!("Outcome: {}", outcome.label_en()));
            }
            lines.push(format!("Reason: {}", quote(&decision.rationale_en)));
            if !decision.legal_basis.trim().is_empty() {
                lines.push(format!("Legal basis: {}", quote(&decision.legal_basis)));
            }
            if !portal_url.is_empty() {
                lines.push(format!("Full text: {portal_url}"));
            }
        }
    }
    lines.join("\n")
}

/// Word that the comprehensive report of a consultation the participant took part in is out.
pub fn report_text(title_fa: &str, title_en: &str, portal_url: &str, language: Language) -> String {
    match language {
        Language::Fa => {
            let mut text = format!(
                "گزارش جامع نظرخواهی «{}» منتشر شد: خلاصهٔ دغدغه‌های اصلی، آمار مشارکت‌کنندگان و پاسخ پیشنهادها. از مشارکت شما سپاسگزاریم.",
                title_fa.trim()
            );
            if !portal_url.is_empty() {
                text.push_str(&format!("\n{portal_url}"));
            }
            text
        }
        Language::En => {
            let title = if title_en.trim().is_empty() {
                title_fa
            } else {
                title_en
            };
            let mut text = format!(
                "The comprehensive report of the consultation “{}” is published: the key concerns, who took part, and the answers to proposals. Thank you for taking part.",
                title.trim()
            );
            if !portal_url.is_empty() {
                text.push_str(&format!("\n{portal_url}"));
            }
            text
        }
    }
}

/// The text a messenger delivers: the message and its reference (the idempotency key), which a
/// citizen can quote in a follow-up and which tells a repeated delivery apart.
pub fn with_reference(text: &str, idempotency_key: &str, language: Language) -> String {
    let label = match language {
        Language::Fa => "شناسهٔ پیام",
        Language::En => "Message ref",
    };
    format!("{text}\n\n{label}: {idempotency_key}")
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
    match language {
        Language::Fa => format!(
            "{} برای مشارکت شما در نظرخواهی «{}» صادر شد.\nکد بررسی: {code}\nبررسی: {verify_url}",
            kind.label_fa(),
            title_fa.trim()
        ),
        Language::En => {
            let title = if title_en.trim().is_empty() {
                title_fa
            } else {
                title_en
            };
            format!(
                "A {} was issued to you for the consultation \"{}\".\nVerification code: {code}\nVerify: {verify_url}",
                kind.label_en().to_lowercase(),
                title.trim()
            )
        }
    }
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
