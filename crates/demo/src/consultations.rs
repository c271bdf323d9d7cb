//! The calls for comment: eleven drafts of the kinds the Ministry publishes, placed around `now` so
//! that every deadline state the console shows is present.

use chrono::{DateTime, Utc};
use mosharekat_api::{ConsultationKind, ConsultationStatus, NewConsultation};
use mosharekat_locale::DigitSet;
use mosharekat_locale::calendar::{jalali_at, tehran_day_at};

use super::dataset::{DeadlineState, DemoConsultation, EarlyClose};

/// What a draft is about; selects the text library its comments are built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Topic {
    NonGovSchools,
    DescriptiveAssessment,
    ForeignStudents,
    TeacherRanking,
    FarhangianAdmission,
    SidaService,
    FinalExams,
    SchoolTransport,
    StudentDiscipline,
    CareerGuidance,
    SchoolDonations,
}

/// The school year in progress at `at`, as its two Jalali years; a school year starts on 1 Mehr
/// (month 7).
fn school_year(at: DateTime<Utc>) -> (i32, i32) {
    let today = jalali_at(at);
    if today.month >= 7 {
        (today.year, today.year + 1)
    } else {
        (today.year - 1, today.year)
    }
}

/// The next school year, the one whose registration comes up before the coming Mehr.
fn next_school_year(at: DateTime<Utc>) -> (i32, i32) {
    let (first, second) = school_year(at);
    (first + 1, second + 1)
}

const PORTAL: &str = "https://www.medu.ir/fa/consultations/";

/// The consultations, oldest first, each with its topic.
pub(crate) fn catalogue(now: DateTime<Utc>) -> Vec<(Topic, DemoConsultation)> {
    // Calls open at 08:00 and close at 23:59 Tehran time, on days counted from today.
    let opens = |days| tehran_day_at(now, days, 8, 0);
    let closes = |days| tehran_day_at(now, days, 23, 59);
    let at = |days, hour, minute| tehran_day_at(now, days, hour, minute);
    let (first, second) = next_school_year(now);
    let mut number = 30;
    let mut url = || {
        number += 1;
        format!("{PORTAL}{number}")
    };

    vec![
        (
            Topic::SchoolTransport,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::Circular,
                    title_fa: "بخشنامه ساماندهی سرویس مدارس".into(),
                    title_en: "Circular on organising school transport services".into(),
                    summary_fa: "ضوابط صلاحیت رانندگان و خودروهای سرویس مدارس، نرخ‌گذاری، ثبت قرارداد در سامانه و نظارت مدیران مدارس بر ایمنی سرویس‌ها.".into(),
                    summary_en: "Requirements for school transport drivers and vehicles, fares, registering contracts in the system, and principals' oversight of transport safety.".into(),
                    drafting_unit: "معاونت توسعه مدیریت و پشتیبانی".into(),
                    opens_at: opens(-120),
                    closes_at: closes(-84),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::ReportPublished,
                status: ConsultationStatus::Closed,
                created_at: at(-131, 10, 20),
                published_at: Some(at(-121, 12, 5)),
                closed_early: None,
                report_published_at: Some(at(-62, 10, 0)),
            },
        ),
        (
            Topic::FarhangianAdmission,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::BoardResolution,
                    title_fa: "مصوبه هیئت‌امنای دانشگاه فرهنگیان درباره جذب و تربیت معلم از طریق ماده ۲۸".into(),
                    title_en: "Resolution of the Farhangian University Board of Trustees on recruiting and training teachers under Article 28".into(),
                    summary_fa: "شرایط پذیرش دانش‌آموختگان دانشگاه‌ها از طریق آزمون استخدامی و مصاحبه، دوره مهارت‌آموزی یک‌ساله، سهمیه استانی بر اساس کمبود معلم و تعهد خدمت پذیرفته‌شدگان.".into(),
                    summary_en: "Admission of university graduates through a recruitment exam and interview, a one-year teacher-training programme, provincial quotas based on teacher shortages, and the service commitment of those admitted.".into(),
                    drafting_unit: "دبیرخانه هیئت‌امنای دانشگاه فرهنگیان".into(),
                    opens_at: opens(-86),
                    closes_at: closes(-51),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::ReportOverdue,
                status: ConsultationStatus::Closed,
                created_at: at(-95, 9, 40),
                published_at: Some(at(-87, 15, 30)),
                closed_early: None,
                report_published_at: None,
            },
        ),
        (
            Topic::TeacherRanking,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::Bill,
                    title_fa: "لایحه اصلاح قانون نظام رتبه‌بندی معلمان".into(),
                    title_en: "Bill amending the Teachers' Career Ranking System Act".into(),
                    summary_fa: "لایحه پیشنهادی دولت برای اصلاح قانون رتبه‌بندی معلمان: معیارهای امتیازدهی (سابقه، مدرک، صلاحیت حرفه‌ای و عمومی)، سهم هر رتبه، شمول بازنشستگان، سازوکار اعتراض و تأمین اعتبار.".into(),
                    summary_en: "The government's bill to amend the teacher ranking act: scoring criteria (service, degree, professional and general competence), the share of each rank, coverage of retirees, appeals, and funding.".into(),
                    drafting_unit: "دبیرخانه ستاد رتبه‌بندی معلمان".into(),
                    opens_at: opens(-52),
                    closes_at: closes(-12),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::ClosedAwaitingReport,
                status: ConsultationStatus::Closed,
                created_at: at(-60, 11, 0),
                published_at: Some(at(-53, 13, 10)),
                closed_early: None,
                report_published_at: None,
            },
        ),
        (
            Topic::DescriptiveAssessment,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::Instruction,
                    title_fa: "دستورالعمل ارزشیابی کیفی-توصیفی دوره ابتدایی".into(),
                    title_en: "Instruction on qualitative-descriptive assessment in primary education".into(),
                    summary_fa: "بازنگری دستورالعمل ارزشیابی توصیفی پایه‌های اول تا ششم: سطوح چهارگانه عملکرد، ابزارهای ارزشیابی (پوشه کار، فهرست وارسی، آزمون‌های عملکردی)، کارنامه توصیفی و نحوه گزارش پیشرفت تحصیلی به اولیا.".into(),
                    summary_en: "Revision of the descriptive assessment instruction for grades 1–6: the four performance levels, assessment tools (portfolios, checklists, performance tasks), the descriptive report card and how progress is reported to parents.".into(),
                    drafting_unit: "معاونت آموزش ابتدایی".into(),
                    opens_at: opens(-29),
                    closes_at: closes(2),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::OpenClosingSoon,
                status: ConsultationStatus::Open,
                created_at: at(-38, 10, 30),
                published_at: Some(at(-30, 16, 45)),
                closed_early: None,
                report_published_at: None,
            },
        ),
        (
            Topic::FinalExams,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::Instruction,
                    title_fa: "دستورالعمل برگزاری امتحانات نهایی پایه‌های یازدهم و دوازدهم".into(),
                    title_en: "Instruction on the national final examinations for grades 11 and 12".into(),
                    summary_fa: "برنامه زمانی و بارم‌بندی امتحانات نهایی، ترمیم نمره، تصحیح متمرکز، امنیت سؤالات و شرایط ویژه دانش‌آموزان با نیازهای ویژه.".into(),
                    summary_en: "Timetable and mark allocation of the final exams, grade improvement sittings, central marking, exam security and arrangements for pupils with special needs.".into(),
                    drafting_unit: "مرکز ارزشیابی و تضمین کیفیت نظام آموزش و پرورش".into(),
                    opens_at: opens(-27),
                    closes_at: closes(13),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::ClosedEarly,
                status: ConsultationStatus::Closed,
                created_at: at(-33, 9, 0),
                published_at: Some(at(-28, 11, 20)),
                closed_early: Some(EarlyClose {
                    at: at(-6, 14, 20),
                    reason: "قانون جدید سنجش و پذیرش دانشجو پس از انتشار این پیش‌نویس ابلاغ شد و مبنای حقوقی مواد ۳ تا ۷ را تغییر داد؛ پیش‌نویس اصلاح و دوباره به نظرخواهی گذاشته می‌شود.".into(),
                }),
                report_published_at: None,
            },
        ),
        (
            Topic::SidaService,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::ServiceSurvey,
                    title_fa: "نظرسنجی کیفیت خدمات سامانه سیدا (سامانه یکپارچه دانش‌آموزی)".into(),
                    title_en: "Survey on the quality of services of the SIDA integrated student information system".into(),
                    summary_fa: "نظر شما درباره ثبت‌نام و پیش‌ثبت‌نام، مشاهده کارنامه، پشتیبانی و دسترس‌پذیری سامانه سیدا (my.medu.ir) برای بهبود خدمات در سال تحصیلی آینده.".into(),
                    summary_en: "Your views on registration, report cards, support and availability of the SIDA system (my.medu.ir), to improve the service for the coming school year.".into(),
                    drafting_unit: "مرکز فناوری اطلاعات و ارتباطات".into(),
                    opens_at: opens(-20),
                    closes_at: closes(40),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::OpenPlentyOfTime,
                status: ConsultationStatus::Open,
                created_at: at(-24, 8, 50),
                published_at: Some(at(-21, 10, 0)),
                closed_early: None,
                report_published_at: None,
            },
        ),
        (
            Topic::NonGovSchools,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::Regulation,
                    title_fa: "آیین‌نامه اجرایی مدارس و مراکز آموزشی و پرورشی غیردولتی".into(),
                    title_en: "Executive regulation on non-government schools and education centres".into(),
                    summary_fa: "پیش‌نویس بازنگری‌شده آیین‌نامه اجرایی قانون تأسیس و اداره مدارس غیردولتی: شرایط صدور و تمدید مجوز، ضوابط تعیین و اعلام عمومی شهریه، قرارداد و بیمه معلمان، رتبه‌بندی کیفی مدارس و سازوکار رسیدگی به شکایات اولیا.".into(),
                    summary_en: "Revised draft of the executive regulation of the Non-Government Schools Act: licensing and renewal, how fees are set and published, teachers' contracts and insurance, quality grading of schools, and how parents' complaints are handled.".into(),
                    drafting_unit: "سازمان مدارس و مراکز غیردولتی و توسعه مشارکت‌های مردمی".into(),
                    opens_at: opens(-12),
                    closes_at: closes(33),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::OpenPlentyOfTime,
                status: ConsultationStatus::Open,
                created_at: at(-20, 10, 15),
                published_at: Some(at(-13, 11, 40)),
                closed_early: None,
                report_published_at: None,
            },
        ),
        (
            Topic::ForeignStudents,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::Circular,
                    title_fa: format!(
                        "بخشنامه ثبت‌نام دانش‌آموزان اتباع خارجی در سال تحصیلی {}-{}",
                        DigitSet::Persian.number(second),
                        DigitSet::Persian.number(first)
                    ),
                    title_en: format!(
                        "Circular on the enrolment of foreign national pupils for the {first}–{second} school year ({}–{:02})",
                        first + 621,
                        (second + 621) % 100
                    ),
                    summary_fa: "مدارک لازم برای ثبت‌نام دانش‌آموزان اتباع دارای کارت اقامت، گذرنامه یا برگه حمایت تحصیلی، سرانه تحصیلی، آزمون تعیین سطح برای کودکان فاقد مدرک و ظرفیت‌پذیری مدارس.".into(),
                    summary_en: "Documents required to enrol foreign national pupils holding residence cards, passports or education support slips; per-pupil fees; placement tests for children without school records; and school capacity rules.".into(),
                    drafting_unit: "مرکز امور بین‌الملل و مدارس خارج از کشور".into(),
                    opens_at: opens(-9),
                    closes_at: closes(12),
                    portal_url: url(),
                    short_window_reason: Some("ثبت‌نام سال تحصیلی آینده پیش از پایان مهلت ۳۰ روزه آغاز می‌شود و بخشنامه باید پیش از آن به مدارس ابلاغ شود؛ به همین دلیل مهلت نظرخواهی ۲۱ روز تعیین شد (موافقت معاون وزیر).".into()),
                },
                state: DeadlineState::OpenShortWindow,
                status: ConsultationStatus::Open,
                created_at: at(-11, 9, 30),
                published_at: Some(at(-10, 17, 0)),
                closed_early: None,
                report_published_at: None,
            },
        ),
        (
            Topic::SchoolDonations,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::Circular,
                    title_fa: "بخشنامه ضوابط پذیرش کمک‌های داوطلبانه اولیا در مدارس دولتی".into(),
                    title_en: "Circular on voluntary contributions from parents in public schools".into(),
                    summary_fa: "ممنوعیت دریافت هرگونه وجه اجباری هنگام ثبت‌نام، شرایط پذیرش کمک داوطلبانه از طریق حساب رسمی مدرسه، گزارش‌دهی به انجمن اولیا و مربیان و رسیدگی به تخلفات.".into(),
                    summary_en: "A ban on any compulsory payment at registration, rules for voluntary contributions through the school's official account, reporting to the parent–teacher association, and handling of violations.".into(),
                    drafting_unit: "سازمان مدارس و مراکز غیردولتی و توسعه مشارکت‌های مردمی".into(),
                    opens_at: opens(5),
                    closes_at: closes(40),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::Scheduled,
                status: ConsultationStatus::Scheduled,
                created_at: at(-8, 12, 0),
                published_at: Some(at(-2, 12, 5)),
                closed_early: None,
                report_published_at: None,
            },
        ),
        (
            Topic::StudentDiscipline,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::Regulation,
                    title_fa: "آیین‌نامه انضباطی دانش‌آموزان (بازنگری)".into(),
                    title_en: String::new(),
                    summary_fa: "بازنگری آیین‌نامه انضباطی مدارس: حقوق و تکالیف دانش‌آموزان، شورای انضباطی مدرسه، اقدامات تربیتی جایگزین تنبیه، استفاده از تلفن همراه در مدرسه و فرایند تجدیدنظر اولیا.".into(),
                    summary_en: String::new(),
                    drafting_unit: "معاونت پرورشی و فرهنگی".into(),
                    opens_at: opens(10),
                    closes_at: closes(50),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::MissingTranslation,
                status: ConsultationStatus::Draft,
                created_at: at(-4, 10, 45),
                published_at: None,
                closed_early: None,
                report_published_at: None,
            },
        ),
        (
            Topic::CareerGuidance,
            DemoConsultation {
                consultation: NewConsultation {
                    kind: ConsultationKind::Instruction,
                    title_fa: "دستورالعمل هدایت تحصیلی دانش‌آموزان پایه نهم".into(),
                    title_en: "Instruction on educational guidance for grade 9 pupils".into(),
                    summary_fa: "سهم نظر مشاور، آزمون‌های استعداد و رغبت، نمرات و نظر اولیا در انتخاب رشته پایه دهم و نحوه اعتراض به نتیجه هدایت تحصیلی.".into(),
                    summary_en: "How counsellors' advice, aptitude and interest tests, grades and parents' wishes weigh in the choice of a grade-10 track, and how to appeal the guidance result.".into(),
                    drafting_unit: "معاونت آموزش متوسطه".into(),
                    opens_at: opens(20),
                    closes_at: closes(55),
                    portal_url: url(),
                    short_window_reason: None,
                },
                state: DeadlineState::Draft,
                status: ConsultationStatus::Draft,
                created_at: at(-1, 14, 10),
                published_at: None,
                closed_early: None,
                report_published_at: None,
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use mosharekat_api::consultation::window_is_short;

    #[test]
    fn foreign_pupils_title_names_the_coming_school_year() {
        let now = Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap();
        let cat = catalogue(now);
        let (_, c) = cat
            .iter()
            .find(|(t, _)| *t == Topic::ForeignStudents)
            .unwrap();
        assert!(
            c.consultation.title_fa.ends_with("۱۴۰۵-۱۴۰۴"),
            "{}",
            c.consultation.title_fa
        );
        assert!(
            c.consultation
                .title_en
                .contains("1404–1405 school year (2025–26)")
        );
    }

    #[test]
    fn urls_are_distinct_and_windows_ordered() {
        let now = Utc.with_ymd_and_hms(2025, 12, 31, 21, 0, 0).unwrap();
        let cat = catalogue(now);
        let urls: std::collections::HashSet<_> = cat
            .iter()
            .map(|(_, c)| &c.consultation.portal_url)
            .collect();
        assert_eq!(urls.len(), cat.len());
        for (_, c) in &cat {
            let n = &c.consultation;
            assert!(n.opens_at < n.closes_at);
            assert!(c.created_at <= c.published_at.unwrap_or(now));
            assert_eq!(
                n.short_window_reason.is_some(),
                window_is_short(n.opens_at, n.closes_at)
            );
            assert!(n.closes_at - n.opens_at < Duration::days(90));
        }
    }

    #[test]
    fn school_years_turn_over_in_mehr() {
        let utc = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap();
        // 1 Mehr 1404 = 23 September 2025.
        assert_eq!(school_year(utc(2025, 9, 22)), (1403, 1404));
        assert_eq!(school_year(utc(2025, 9, 23)), (1404, 1405));
        assert_eq!(next_school_year(utc(2025, 6, 1)), (1404, 1405));
    }
}
