//! Polls and ballots: at least one poll per consultation that has been open, in all four kinds
//! (the service survey asks five-point agreement questions), and ballots whose answers lean the way
//! real groups lean: parents and teachers, older and younger people, provinces with many migrants,
//! school founders on fees.

use chrono::{DateTime, Duration, Utc};
use mosharekat_api::{NewPoll, NewPollOption, PollKind, Province};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;

use super::consultations::Topic;
use super::dataset::{DemoBallot, DemoComment, DemoConsultation, DemoPoll};
use super::participants::{Persona, Profile};
use super::timeline::window_of;

/// A group of people who answer differently from the rest.
#[derive(Debug, Clone, Copy)]
enum Trait {
    AgeAtLeast(i32),
    AgeBelow(i32),
    Is(Persona),
    Female,
    LivesIn(&'static [Province]),
}

impl Trait {
    fn holds(self, p: &Profile) -> bool {
        match self {
            Trait::AgeAtLeast(age) => p.age >= age,
            Trait::AgeBelow(age) => p.age < age,
            Trait::Is(persona) => p.persona == persona,
            Trait::Female => p.female,
            Trait::LivesIn(provinces) => provinces.contains(&p.home),
        }
    }
}

/// How a group's answers differ: each option's weight (or, in multiple choice, its chance of being
/// ticked) is multiplied by the factor at the same position.
struct Lean {
    group: Trait,
    factors: &'static [f64],
}

struct PollSpec {
    topic: Topic,
    kind: PollKind,
    question_fa: &'static str,
    question_en: &'static str,
    /// Empty for kinds with fixed options.
    options: &'static [(&'static str, &'static str)],
    /// Relative weight of each option; in multiple choice, the chance each is ticked.
    base: &'static [f64],
    leans: &'static [Lean],
}

const DEPRIVED: &[Province] = &[
    Province::SistanBaluchestan,
    Province::KohgiluyehBoyerAhmad,
    Province::Ilam,
    Province::SouthKhorasan,
    Province::NorthKhorasan,
    Province::Kurdistan,
    Province::Lorestan,
    Province::Hormozgan,
];

const MIGRANT_PROVINCES: &[Province] = &[
    Province::Tehran,
    Province::RazaviKhorasan,
    Province::Isfahan,
    Province::Qom,
    Province::Kerman,
    Province::Alborz,
];

const POLLS: &[PollSpec] = &[
    PollSpec {
        topic: Topic::SchoolTransport,
        kind: PollKind::YesNoAbstain,
        question_fa: "آیا نصب ردیاب (GPS) روی همه سرویس‌های مدارس الزامی شود؟",
        question_en: "Should GPS trackers be compulsory on all school transport?",
        options: &[],
        base: &[0.74, 0.16, 0.10],
        leans: &[
            Lean {
                group: Trait::Is(Persona::Parent),
                factors: &[1.15, 0.7, 1.0],
            },
            Lean {
                group: Trait::Female,
                factors: &[1.1, 0.85, 1.0],
            },
        ],
    },
    PollSpec {
        topic: Topic::FarhangianAdmission,
        kind: PollKind::SingleChoice,
        question_fa: "بهترین مسیر تأمین معلم مورد نیاز مدارس کدام است؟",
        question_en: "What is the best way to meet schools' need for teachers?",
        options: &[
            (
                "پذیرش چهارساله دانشگاه فرهنگیان از طریق کنکور",
                "Four-year Farhangian programme via the national entrance exam",
            ),
            (
                "جذب دانش‌آموختگان از طریق ماده ۲۸ با دوره یک‌ساله",
                "Recruiting graduates under Article 28 with a one-year course",
            ),
            (
                "ترکیبی از هر دو با سهمیه استانی",
                "A mix of both with provincial quotas",
            ),
            (
                "استخدام نیروهای حق‌التدریس باسابقه",
                "Hiring experienced hourly-paid teachers",
            ),
        ],
        base: &[0.38, 0.14, 0.33, 0.15],
        leans: &[
            Lean {
                group: Trait::Is(Persona::StudentTeacher),
                factors: &[1.8, 0.5, 0.8, 0.4],
            },
            Lean {
                group: Trait::Is(Persona::Teacher),
                factors: &[1.0, 0.8, 1.0, 1.5],
            },
            Lean {
                group: Trait::LivesIn(DEPRIVED),
                factors: &[0.8, 1.0, 1.4, 1.1],
            },
        ],
    },
    PollSpec {
        topic: Topic::TeacherRanking,
        kind: PollKind::YesNoAbstain,
        question_fa: "آیا با کلیات لایحه اصلاح قانون رتبه‌بندی معلمان موافقید؟",
        question_en: "Do you support the bill amending the teacher ranking act as a whole?",
        options: &[],
        base: &[0.42, 0.45, 0.13],
        leans: &[
            Lean {
                group: Trait::Is(Persona::Teacher),
                factors: &[0.8, 1.3, 1.0],
            },
            Lean {
                group: Trait::Is(Persona::RetiredTeacher),
                factors: &[0.6, 1.5, 1.0],
            },
            Lean {
                group: Trait::AgeAtLeast(45),
                factors: &[0.85, 1.2, 1.0],
            },
            Lean {
                group: Trait::Is(Persona::Researcher),
                factors: &[1.2, 0.9, 1.2],
            },
        ],
    },
    PollSpec {
        topic: Topic::TeacherRanking,
        kind: PollKind::MultipleChoice,
        question_fa: "کدام معیارها باید در امتیاز رتبه‌بندی وزن بیشتری داشته باشند؟ (چند گزینه)",
        question_en: "Which criteria should weigh most in the ranking score? (choose any)",
        options: &[
            ("سابقه خدمت", "Years of service"),
            ("مدرک تحصیلی", "Academic degree"),
            ("مشاهده کلاس درس", "Classroom observation"),
            ("تولید محتوا و مقاله", "Teaching materials and papers"),
            ("رضایت دانش‌آموزان و اولیا", "Pupil and parent satisfaction"),
            ("خدمت در مناطق محروم", "Service in deprived areas"),
        ],
        base: &[0.62, 0.35, 0.48, 0.12, 0.25, 0.40],
        leans: &[
            Lean {
                group: Trait::AgeAtLeast(45),
                factors: &[1.3, 1.0, 0.8, 0.6, 1.0, 1.0],
            },
            Lean {
                group: Trait::AgeBelow(35),
                factors: &[0.6, 1.1, 1.2, 1.4, 1.1, 1.0],
            },
            Lean {
                group: Trait::Is(Persona::Researcher),
                factors: &[0.7, 1.2, 1.5, 1.3, 1.2, 1.0],
            },
            Lean {
                group: Trait::LivesIn(DEPRIVED),
                factors: &[1.0, 1.0, 1.0, 1.0, 1.0, 1.8],
            },
        ],
    },
    PollSpec {
        topic: Topic::DescriptiveAssessment,
        kind: PollKind::YesNoAbstain,
        question_fa: "آیا با درج نمره عددی در کارنامه پایه‌های چهارم تا ششم موافقید؟",
        question_en: "Should numeric marks return to report cards in grades 4 to 6?",
        options: &[],
        base: &[0.55, 0.35, 0.10],
        leans: &[
            Lean {
                group: Trait::Is(Persona::Parent),
                factors: &[1.25, 0.8, 1.0],
            },
            Lean {
                group: Trait::Is(Persona::Researcher),
                factors: &[0.6, 1.6, 1.0],
            },
            Lean {
                group: Trait::AgeAtLeast(45),
                factors: &[1.4, 0.7, 1.0],
            },
            Lean {
                group: Trait::AgeBelow(30),
                factors: &[0.7, 1.4, 1.0],
            },
        ],
    },
    PollSpec {
        topic: Topic::DescriptiveAssessment,
        kind: PollKind::MultipleChoice,
        question_fa: "پیشرفت تحصیلی دانش‌آموزان چگونه به اولیا گزارش شود؟ (چند گزینه)",
        question_en: "How should pupils' progress be reported to parents? (choose any)",
        options: &[
            ("کارنامه توصیفی", "Descriptive report card"),
            ("نمره عددی", "Numeric marks"),
            ("پوشه کار (Portfolio)", "Portfolio"),
            ("جلسه حضوری با معلم", "Parent–teacher meeting"),
            ("پیام در شبکه شاد", "Messages on the SHAD network"),
        ],
        base: &[0.35, 0.50, 0.20, 0.55, 0.30],
        leans: &[
            Lean {
                group: Trait::AgeBelow(35),
                factors: &[1.1, 0.8, 1.3, 0.9, 1.5],
            },
            Lean {
                group: Trait::Female,
                factors: &[1.1, 0.95, 1.1, 1.15, 1.0],
            },
        ],
    },
    PollSpec {
        topic: Topic::FinalExams,
        kind: PollKind::SingleChoice,
        question_fa: "ترمیم نمره امتحانات نهایی چند بار مجاز باشد؟",
        question_en: "How many times may pupils resit a final exam to improve their mark?",
        options: &[
            ("فقط یک بار (مطابق پیش‌نویس)", "Once (as drafted)"),
            ("دو بار", "Twice"),
            (
                "بدون محدودیت تا پایان پایه دوازدهم",
                "Any number of times until the end of grade 12",
            ),
            ("ترمیم نمره حذف شود", "No resits"),
        ],
        base: &[0.18, 0.40, 0.30, 0.12],
        leans: &[
            Lean {
                group: Trait::Is(Persona::Student),
                factors: &[0.4, 1.0, 2.2, 0.3],
            },
            Lean {
                group: Trait::AgeAtLeast(40),
                factors: &[1.3, 1.0, 0.7, 1.5],
            },
            Lean {
                group: Trait::Is(Persona::Teacher),
                factors: &[1.3, 1.1, 0.6, 1.3],
            },
        ],
    },
    PollSpec {
        topic: Topic::FinalExams,
        kind: PollKind::YesNoAbstain,
        question_fa: "آیا امتحان نهایی پایه یازدهم باید ادامه یابد؟",
        question_en: "Should the grade 11 final exam be kept?",
        options: &[],
        base: &[0.40, 0.48, 0.12],
        leans: &[Lean {
            group: Trait::Is(Persona::Student),
            factors: &[0.5, 1.6, 0.8],
        }],
    },
    PollSpec {
        topic: Topic::SidaService,
        kind: PollKind::Likert5,
        question_fa: "ثبت‌نام در سامانه سیدا ساده و سریع بود.",
        question_en: "Registering in SIDA was simple and quick.",
        options: &[],
        base: &[0.12, 0.22, 0.18, 0.33, 0.15],
        leans: &[
            Lean {
                group: Trait::AgeAtLeast(45),
                factors: &[1.4, 1.3, 1.0, 0.8, 0.6],
            },
            Lean {
                group: Trait::AgeBelow(30),
                factors: &[0.7, 0.8, 1.0, 1.2, 1.4],
            },
            Lean {
                group: Trait::Is(Persona::Principal),
                factors: &[1.4, 1.3, 1.0, 0.8, 0.8],
            },
            Lean {
                group: Trait::LivesIn(DEPRIVED),
                factors: &[1.5, 1.3, 1.0, 0.8, 0.7],
            },
        ],
    },
    PollSpec {
        topic: Topic::SidaService,
        kind: PollKind::Likert5,
        question_fa: "سامانه در روزهای اوج ثبت‌نام در دسترس بود.",
        question_en: "SIDA was available on peak registration days.",
        options: &[],
        base: &[0.28, 0.32, 0.15, 0.18, 0.07],
        leans: &[Lean {
            group: Trait::LivesIn(DEPRIVED),
            factors: &[1.4, 1.2, 1.0, 0.8, 0.6],
        }],
    },
    PollSpec {
        topic: Topic::SidaService,
        kind: PollKind::Likert5,
        question_fa: "پشتیبانی سامانه به‌موقع و مؤثر پاسخ داد.",
        question_en: "Support answered promptly and effectively.",
        options: &[],
        base: &[0.30, 0.30, 0.22, 0.13, 0.05],
        leans: &[Lean {
            group: Trait::Is(Persona::Principal),
            factors: &[1.3, 1.2, 0.8, 0.8, 0.8],
        }],
    },
    PollSpec {
        topic: Topic::SidaService,
        kind: PollKind::Likert5,
        question_fa: "کارنامه و غیبت‌ها به‌موقع در سامانه به‌روز می‌شود.",
        question_en: "Report cards and absences are updated in SIDA on time.",
        options: &[],
        base: &[0.10, 0.18, 0.25, 0.35, 0.12],
        leans: &[Lean {
            group: Trait::Is(Persona::Parent),
            factors: &[0.9, 0.9, 0.9, 1.1, 1.2],
        }],
    },
    PollSpec {
        topic: Topic::NonGovSchools,
        kind: PollKind::SingleChoice,
        question_fa: "سقف افزایش سالانه شهریه مدارس غیردولتی چه باشد؟",
        question_en: "What should cap the yearly fee increase of non-government schools?",
        options: &[
            ("نرخ تورم رسمی", "The official inflation rate"),
            ("۱۰ تا ۲۰ درصد", "10 to 20 per cent"),
            ("۲۰ تا ۳۰ درصد", "20 to 30 per cent"),
            (
                "بدون سقف؛ بر اساس رتبه کیفی مدرسه",
                "No cap; by the school's quality grade",
            ),
        ],
        base: &[0.45, 0.28, 0.12, 0.15],
        leans: &[
            Lean {
                group: Trait::Is(Persona::SchoolOwner),
                factors: &[0.3, 0.8, 2.0, 4.0],
            },
            Lean {
                group: Trait::Is(Persona::Parent),
                factors: &[1.3, 1.0, 0.8, 0.5],
            },
            Lean {
                group: Trait::LivesIn(&[Province::Tehran]),
                factors: &[1.0, 1.0, 1.1, 1.3],
            },
        ],
    },
    PollSpec {
        topic: Topic::NonGovSchools,
        kind: PollKind::YesNoAbstain,
        question_fa: "آیا انتشار عمومی شهریه و همه هزینه‌های هر مدرسه پیش از ثبت‌نام الزامی شود؟",
        question_en: "Should every school publish its fees and all other charges before registration?",
        options: &[],
        base: &[0.82, 0.10, 0.08],
        leans: &[Lean {
            group: Trait::Is(Persona::SchoolOwner),
            factors: &[0.6, 3.0, 1.0],
        }],
    },
    PollSpec {
        topic: Topic::ForeignStudents,
        kind: PollKind::YesNoAbstain,
        question_fa: "آیا ثبت‌نام کودکان اتباع فاقد مدرک اقامت با برگه حمایت تحصیلی ادامه یابد؟",
        question_en: "Should foreign children without residence papers keep being enrolled with an education support slip?",
        options: &[],
        base: &[0.58, 0.30, 0.12],
        leans: &[
            Lean {
                group: Trait::Is(Persona::NgoStaff),
                factors: &[1.6, 0.4, 1.0],
            },
            Lean {
                group: Trait::LivesIn(MIGRANT_PROVINCES),
                factors: &[0.9, 1.25, 1.0],
            },
            Lean {
                group: Trait::Is(Persona::Researcher),
                factors: &[1.3, 0.7, 1.0],
            },
        ],
    },
    PollSpec {
        topic: Topic::ForeignStudents,
        kind: PollKind::SingleChoice,
        question_fa: "مهلت مناسب ثبت‌نام دانش‌آموزان اتباع چقدر است؟",
        question_en: "How long should the enrolment window for foreign pupils be?",
        options: &[
            ("۲۱ روز (مطابق پیش‌نویس)", "21 days (as drafted)"),
            ("یک ماه", "One month"),
            ("تا پایان شهریور", "Until the end of Shahrivar"),
            (
                "در طول سال با ثبت‌نام مشروط",
                "All year, with conditional enrolment",
            ),
        ],
        base: &[0.15, 0.30, 0.35, 0.20],
        leans: &[
            Lean {
                group: Trait::Is(Persona::NgoStaff),
                factors: &[0.5, 0.8, 1.1, 2.0],
            },
            Lean {
                group: Trait::Is(Persona::Principal),
                factors: &[1.6, 1.2, 0.9, 0.6],
            },
        ],
    },
];

/// Polls for every consultation that has been open, and the ballots cast in them so far.
pub(crate) fn generate(
    rng: &mut StdRng,
    consultations: &[DemoConsultation],
    topics: &[Topic],
    profiles: &[Profile],
    comments: &[DemoComment],
    now: DateTime<Utc>,
) -> (Vec<DemoPoll>, Vec<DemoBallot>) {
    let mut commented = vec![vec![false; profiles.len()]; consultations.len()];
    for c in comments {
        commented[c.consultation][c.participant] = true;
    }
    let mut polls = Vec::new();
    let mut ballots = Vec::new();
    for (index, consultation) in consultations.iter().enumerate() {
        let Some(window) = window_of(consultation, now) else {
            continue;
        };
        let topic = topics[index];
        let specs: Vec<&PollSpec> = POLLS.iter().filter(|p| p.topic == topic).collect();
        let first_poll = polls.len();
        let created_at = consultation
            .published_at
            .unwrap_or(consultation.consultation.opens_at)
            - Duration::minutes(45);
        for spec in &specs {
            polls.push(DemoPoll {
                consultation: index,
                created_at,
                poll: NewPoll {
                    kind: spec.kind,
                    question_fa: spec.question_fa.to_owned(),
                    question_en: spec.question_en.to_owned(),
                    options: options(spec),
                },
            });
        }
        let mut by_poll: Vec<Vec<DemoBallot>> = vec![Vec::new(); specs.len()];
        for (participant, profile) in profiles.iter().enumerate() {
            if profile.persona == Persona::Throwaway {
                continue;
            }
            // Those who commented usually vote too; others in proportion to their interest.
            let turnout = if commented[index][participant] {
                0.75
            } else {
                (0.16 * profile.persona.affinity(topic)).min(0.6)
            };
            if !rng.random_bool(turnout) {
                continue;
            }
            // One visit: the questions are answered a little apart.
            let mut at = window.sample(rng);
            for (k, spec) in specs.iter().enumerate() {
                if !rng.random_bool(0.88) {
                    continue;
                }
                at = (at + Duration::seconds(rng.random_range(8..90))).min(window.end);
                by_poll[k].push(DemoBallot {
                    poll: first_poll + k,
                    participant,
                    options: choose(rng, spec, profile),
                    cast_at: at,
                });
            }
        }
        ballots.extend(by_poll.into_iter().flatten());
    }
    (polls, ballots)
}

fn options(spec: &PollSpec) -> Vec<NewPollOption> {
    spec.kind.fixed_options().unwrap_or_else(|| {
        spec.options
            .iter()
            .map(|(fa, en)| NewPollOption {
                label_fa: (*fa).to_owned(),
                label_en: (*en).to_owned(),
            })
            .collect()
    })
}

/// The options this person ticks.
fn choose(rng: &mut StdRng, spec: &PollSpec, profile: &Profile) -> Vec<usize> {
    let mut weights = spec.base.to_vec();
    for lean in spec.leans {
        if lean.group.holds(profile) {
            for (w, f) in weights.iter_mut().zip(lean.factors) {
                *w *= f;
            }
        }
    }
    let one = |rng: &mut StdRng, weights: &[f64]| {
        WeightedIndex::new(weights)
            .expect("poll weights are positive")
            .sample(rng)
    };
    if spec.kind.allows_many() {
        let ticked: Vec<usize> = weights
            .iter()
            .enumerate()
            .filter(|(_, w)| rng.random_bool(w.clamp(0.0, 0.95)))
            .map(|(i, _)| i)
            .collect();
        if ticked.is_empty() {
            vec![one(rng, &weights)]
        } else {
            ticked
        }
    } else {
        vec![one(rng, &weights)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_consistent() {
        for spec in POLLS {
            let options = options(spec);
            assert!(options.len() >= 2, "{}", spec.question_en);
            assert_eq!(spec.base.len(), options.len(), "{}", spec.question_en);
            for lean in spec.leans {
                assert_eq!(lean.factors.len(), options.len(), "{}", spec.question_en);
            }
            assert_eq!(spec.options.is_empty(), spec.kind.fixed_options().is_some());
            assert!(!spec.question_fa.is_empty() && !spec.question_en.is_empty());
        }
        for kind in PollKind::ALL {
            assert!(POLLS.iter().any(|p| p.kind == kind), "{kind:?}");
        }
        assert!(
            POLLS
                .iter()
                .filter(|p| p.topic == Topic::SidaService)
                .all(|p| p.kind == PollKind::Likert5)
        );
    }
}
