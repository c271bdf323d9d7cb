//! The bilingual words of a rendered report: bucket names, kinds, headings, and Persian digits.

use mosharekat_api::poll::UNKNOWN_BUCKET;
use mosharekat_api::{AgeBand, Breakdown, Category, ConsultationKind, Gender, Language, Province};
use mosharekat_locale::DigitSet;

/// A bucket of a breakdown, in a language.
pub fn bucket(dimension: Breakdown, key: &str, language: Language) -> String {
    let fa = language == Language::Fa;
    if key == UNKNOWN_BUCKET {
        return if fa {
            "اعلام نشده"
        } else {
            "Not stated"
        }
        .into();
    }
    let known = match dimension {
        Breakdown::AgeBand => AgeBand::from_code(key).map(|b| {
            let (fa_label, en_label) = match b {
                AgeBand::Under18 => ("زیر ۱۸ سال", "Under 18"),
                AgeBand::From18To24 => ("۱۸ تا ۲۴ سال", "18–24"),
                AgeBand::From25To34 => ("۲۵ تا ۳۴ سال", "25–34"),
                AgeBand::From35To44 => ("۳۵ تا ۴۴ سال", "35–44"),
                AgeBand::From45To54 => ("۴۵ تا ۵۴ سال", "45–54"),
                AgeBand::From55To64 => ("۵۵ تا ۶۴ سال", "55–64"),
                AgeBand::From65 => ("۶۵ سال و بیشتر", "65 and over"),
                AgeBand::Unknown => ("اعلام نشده", "Not stated"),
            };
            if fa { fa_label } else { en_label }.to_owned()
        }),
        Breakdown::Gender => Gender::from_code(key).map(|g| {
            let (fa_label, en_label) = match g {
                Gender::Female => ("زن", "Female"),
                Gender::Male => ("مرد", "Male"),
                Gender::Other => ("سایر", "Other"),
            };
            if fa { fa_label } else { en_label }.to_owned()
        }),
        Breakdown::Province => {
            Province::from_code(key).map(|p| if fa { p.name_fa() } else { p.name_en() }.to_owned())
        }
        Breakdown::Category => Category::from_code(key).map(|c| {
            let (fa_label, en_label) = match c {
                Category::ScientificElite => ("نخبگان علمی", "Scientific elites"),
                Category::Ngo => ("سازمان‌های مردم‌نهاد", "NGOs"),
                Category::PrivateSector => ("بخش خصوصی", "Private sector"),
                Category::Public => ("عموم مردم", "General public"),
            };
            if fa { fa_label } else { en_label }.to_owned()
        }),
    };
    known.unwrap_or_else(|| key.to_owned())
}

/// The title of a breakdown.
pub fn dimension(dimension: Breakdown, language: Language) -> &'static str {
    match (dimension, language) {
        (Breakdown::AgeBand, Language::Fa) => "گروه سنی",
        (Breakdown::Gender, Language::Fa) => "جنسیت",
        (Breakdown::Province, Language::Fa) => "استان",
        (Breakdown::Category, Language::Fa) => "گروه مشارکت‌کننده",
        (Breakdown::AgeBand, Language::En) => "Age band",
        (Breakdown::Gender, Language::En) => "Gender",
        (Breakdown::Province, Language::En) => "Province",
        (Breakdown::Category, Language::En) => "Participant group",
    }
}

pub fn kind(kind: ConsultationKind, language: Language) -> &'static str {
    let (fa, en) = match kind {
        ConsultationKind::Regulation => ("آیین‌نامه", "Regulation"),
        ConsultationKind::Bill => ("لایحه", "Bill"),
        ConsultationKind::Instruction => ("دستورالعمل", "Instruction"),
        ConsultationKind::Circular => ("بخشنامه", "Circular"),
        ConsultationKind::BoardResolution => ("مصوبه هیئت‌امنا", "Board of trustees resolution"),
        ConsultationKind::ServiceSurvey => ("نظرسنجی خدمات", "Service survey"),
    };
    if language == Language::Fa { fa } else { en }
}

/// A number (or any short text with digits) in the language's digits.
pub fn digits(text: impl std::fmt::Display, language: Language) -> String {
    match language {
        Language::Fa => DigitSet::Persian.number(text),
        Language::En => text.to_string(),
    }
}

/// The breakdowns in the order a report shows them.
pub const DIMENSIONS: [Breakdown; 4] = [
    Breakdown::AgeBand,
    Breakdown::Gender,
    Breakdown::Province,
    Breakdown::Category,
];

#[cfg(test)]
mod tests {
    use super::*;
    use mosharekat_api::report::bucket_keys;

    #[test]
    fn every_bucket_has_a_name_in_both_languages() {
        for d in DIMENSIONS {
            for key in bucket_keys(d) {
                for lang in [Language::Fa, Language::En] {
                    let label = bucket(d, key, lang);
                    assert!(!label.is_empty() && label != key, "{d:?} {key} {lang:?}");
                }
            }
        }
        assert_eq!(digits("2026-05-01 <5", Language::Fa), "۲۰۲۶-۰۵-۰۱ <۵");
        assert_eq!(digits(1234, Language::En), "1234");
    }
}
