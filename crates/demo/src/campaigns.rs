//! Mass campaigns: one text forwarded in messenger groups and posted by hundreds of people, some
//! pasting it exactly, some retyping it with another keyboard layout, other digits or spacing. The
//! protocol's duplicate normalisation folds every such copy to one form, so a campaign lands in one
//! group.

use mosharekat_locale::DigitSet;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

use super::compose::latin_digits;
use super::consultations::Topic;
use super::participants::Persona;

/// One campaign text and who spreads it.
pub(crate) struct Campaign {
    pub topic: Topic,
    /// Copies as a share of all comments (0.03 of 20,000 = 600).
    pub share: f64,
    pub text: &'static str,
    /// The people in whose groups the text circulates; others join only now and then.
    pub spreaders: &'static [Persona],
}

pub(crate) const CAMPAIGNS: [Campaign; 4] = [
    Campaign {
        topic: Topic::TeacherRanking,
        share: 0.03,
        text: "اینجانب به عنوان معلم، خواستار حذف سهمیه‌بندی رتبه‌ها و اجرای کامل و بدون تبعیض قانون رتبه‌بندی از ابتدای سال تحصیلی هستم. مطالبات معوق همکاران شاغل و بازنشسته باید در همین لایحه و با جدول زمانی مشخص (حداکثر ۶ ماه) تعیین تکلیف شود.",
        spreaders: &[
            Persona::Teacher,
            Persona::RetiredTeacher,
            Persona::Principal,
        ],
    },
    Campaign {
        topic: Topic::NonGovSchools,
        share: 0.018,
        text: "شهریه مدارس غیردولتی باید پیش از ثبت‌نام به‌طور شفاف در سامانه اعلام شود و هرگونه دریافت وجه خارج از مصوبه ممنوع گردد. ما اولیا خواستار سقف ۲۰٪ برای افزایش سالانه شهریه هستیم.",
        spreaders: &[Persona::Parent],
    },
    Campaign {
        topic: Topic::DescriptiveAssessment,
        share: 0.015,
        text: "ارزشیابی توصیفی در عمل به بی‌انگیزگی دانش‌آموزان و ناآگاهی اولیا از وضعیت تحصیلی فرزندانشان منجر شده است. خواهشمندیم نمره‌دهی در پایه‌های چهارم تا ششم بازگردانده شود.",
        spreaders: &[Persona::Parent, Persona::Teacher],
    },
    Campaign {
        topic: Topic::FarhangianAdmission,
        share: 0.012,
        text: "پذیرش از طریق ماده ۲۸ فقط باید با آزمون و مصاحبه شفاف انجام شود و سهمیه هر استان متناسب با کمبود واقعی معلم در همان استان تعیین گردد. تربیت معلم با دوره کوتاه‌مدت ممکن نیست.",
        spreaders: &[Persona::StudentTeacher, Persona::Teacher],
    },
];

/// One participant's copy of a campaign text: a third paste it as received, the rest retype or
/// reformat it in ways the duplicate normalisation folds (Arabic ي/ك, ZWNJ as a space, Latin or
/// Arabic-Indic digits, doubled spaces, line breaks, a tatweel or a vowel mark, end punctuation).
pub(crate) fn copy(rng: &mut StdRng, text: &str) -> String {
    if rng.random_bool(0.35) {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    let mut changed = false;
    while !changed {
        if rng.random_bool(0.35) {
            out = out.replace('ی', "ي").replace('ک', "ك");
            changed = true;
        }
        if rng.random_bool(0.35) {
            out = out.replace('\u{200c}', " ");
            changed = true;
        }
        match rng.random_range(0..10) {
            0..3 => {
                out = latin_digits(&out);
                changed = true;
            }
            3 => {
                out = DigitSet::Arabic.convert_from(DigitSet::Persian, &out);
                changed = true;
            }
            _ => {}
        }
        if rng.random_bool(0.25) {
            out = out.replacen(". ", if rng.random_bool(0.5) { ".  " } else { ".\n" }, 1);
            out = out.replacen(" و ", "  و ", 1);
            changed = true;
        }
        if rng.random_bool(0.08) {
            // A tatweel stretching a word, as some type for emphasis.
            out = out
                .replacen("مطالبات", "مطالبـــات", 1)
                .replacen("شفاف", "شفـــاف", 1);
            out = out.replacen("معلم", "مُعلّم", 1);
            changed = true;
        }
        if rng.random_bool(0.3) {
            let end = *["", "!!", " .", "...", "!"].choose(rng).expect("endings");
            out = format!("{}{end}", out.trim_end_matches('.'));
            changed = true;
        }
        if rng.random_bool(0.15) {
            out = format!("{}\n", out);
            changed = true;
        }
        if rng.random_bool(0.1) {
            out = format!(" {out}");
            changed = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use mosharekat_api::text::normalize_for_duplicates;
    use rand::SeedableRng;
    use std::collections::HashSet;

    #[test]
    fn every_copy_folds_to_the_original() {
        let mut rng = StdRng::seed_from_u64(21);
        for campaign in &CAMPAIGNS {
            let target = normalize_for_duplicates(campaign.text);
            let mut raw = HashSet::new();
            for _ in 0..500 {
                let c = copy(&mut rng, campaign.text);
                assert_eq!(normalize_for_duplicates(&c), target, "{c:?}");
                raw.insert(c);
            }
            // Near-identical, not identical: many distinct raw forms.
            assert!(raw.len() > 40, "{}", raw.len());
        }
        let forms: HashSet<_> = CAMPAIGNS
            .iter()
            .map(|c| normalize_for_duplicates(c.text))
            .collect();
        assert_eq!(forms.len(), CAMPAIGNS.len());
    }
}
