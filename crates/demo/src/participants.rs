//! The citizens: who they are (teachers, parents, students, researchers, NGO staff, school founders),
//! where they live (roughly by population), what they chose to tell and what they withheld.

use chrono::{DateTime, Datelike, Duration, Utc};
use mosharekat_api::{Category, Channel, Gender, Language, NewParticipant, Province};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

use super::consultations::Topic;
use super::dataset::{DemoBallot, DemoComment, DemoParticipant};
use super::names;

/// What a participant is in life; drives their category, age, what they write and what interests them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Persona {
    Teacher,
    Principal,
    Parent,
    Student,
    StudentTeacher,
    RetiredTeacher,
    Researcher,
    ForeignResearcher,
    NgoStaff,
    SchoolOwner,
    EdtechStaff,
    /// An account registered to spam or to probe the system.
    Throwaway,
}

/// Relative frequency of each persona among ordinary participants.
const PERSONA_WEIGHTS: [(Persona, f64); 11] = [
    (Persona::Teacher, 30.0),
    (Persona::Parent, 27.0),
    (Persona::Principal, 6.0),
    (Persona::Student, 7.0),
    (Persona::StudentTeacher, 4.0),
    (Persona::RetiredTeacher, 4.0),
    (Persona::Researcher, 8.0),
    (Persona::ForeignResearcher, 0.8),
    (Persona::NgoStaff, 6.0),
    (Persona::SchoolOwner, 3.0),
    (Persona::EdtechStaff, 3.0),
];

impl Persona {
    /// How much a draft on `topic` concerns this persona (1.0 = average interest).
    pub fn affinity(self, topic: Topic) -> f64 {
        use Topic::*;
        // Columns: non-government schools, descriptive assessment, foreign pupils, teacher ranking,
        // Farhangian admission, SIDA service, final exams, school transport.
        let row: [f64; 8] = match self {
            Persona::Teacher => [1.0, 1.6, 0.8, 3.0, 1.2, 0.8, 0.9, 0.3],
            Persona::Principal => [1.2, 1.3, 1.5, 1.5, 0.8, 2.0, 0.9, 0.8],
            Persona::Parent => [2.2, 1.6, 0.8, 0.3, 0.3, 1.5, 1.2, 1.6],
            Persona::Student => [0.3, 0.2, 0.4, 0.1, 0.6, 0.8, 3.5, 0.5],
            Persona::StudentTeacher => [0.3, 0.6, 0.3, 1.2, 3.5, 0.4, 0.4, 0.1],
            Persona::RetiredTeacher => [0.6, 1.0, 0.5, 2.5, 0.8, 0.3, 0.4, 0.2],
            Persona::Researcher => [1.2, 1.8, 1.2, 1.0, 1.5, 0.6, 1.0, 0.3],
            Persona::ForeignResearcher => [1.0, 1.5, 1.5, 1.0, 1.0, 0.5, 0.8, 0.3],
            Persona::NgoStaff => [1.0, 0.8, 3.0, 0.5, 0.5, 0.6, 0.5, 1.0],
            Persona::SchoolOwner => [3.0, 0.8, 0.6, 0.5, 0.3, 1.0, 0.5, 0.8],
            Persona::EdtechStaff => [0.8, 0.6, 0.3, 0.3, 0.3, 2.5, 0.6, 0.3],
            Persona::Throwaway => return 0.0,
        };
        let column = match topic {
            NonGovSchools => 0,
            DescriptiveAssessment => 1,
            ForeignStudents => 2,
            TeacherRanking => 3,
            FarhangianAdmission => 4,
            SidaService => 5,
            FinalExams => 6,
            SchoolTransport => 7,
            StudentDiscipline | CareerGuidance | SchoolDonations => return 1.0,
        };
        row[column]
    }

    /// (youngest, oldest) true age.
    fn age_range(self) -> (i32, i32) {
        match self {
            Persona::Teacher => (24, 58),
            Persona::Principal => (35, 60),
            Persona::Parent => (28, 55),
            Persona::Student => (13, 17),
            Persona::StudentTeacher => (18, 24),
            Persona::RetiredTeacher => (58, 76),
            Persona::Researcher => (27, 66),
            Persona::ForeignResearcher => (28, 62),
            Persona::NgoStaff => (22, 62),
            Persona::SchoolOwner => (34, 68),
            Persona::EdtechStaff => (23, 45),
            Persona::Throwaway => (20, 40),
        }
    }

    /// Share of women among people of this persona.
    fn female_share(self) -> f64 {
        match self {
            Persona::Teacher | Persona::Parent => 0.62,
            Persona::NgoStaff => 0.6,
            Persona::StudentTeacher => 0.55,
            Persona::Principal | Persona::RetiredTeacher => 0.45,
            Persona::Researcher => 0.4,
            Persona::SchoolOwner => 0.35,
            Persona::EdtechStaff => 0.3,
            Persona::Student | Persona::ForeignResearcher | Persona::Throwaway => 0.5,
        }
    }

    fn category(self, rng: &mut StdRng) -> Category {
        let roll: f64 = rng.random();
        match self {
            Persona::Teacher if roll < 0.04 => Category::ScientificElite,
            Persona::Teacher if roll < 0.07 => Category::Ngo,
            Persona::Principal if roll < 0.05 => Category::Ngo,
            Persona::Parent if roll < 0.03 => Category::PrivateSector,
            Persona::Parent if roll < 0.05 => Category::Ngo,
            Persona::RetiredTeacher if roll < 0.1 => Category::Ngo,
            Persona::Researcher if roll < 0.9 => Category::ScientificElite,
            Persona::ForeignResearcher => Category::ScientificElite,
            Persona::NgoStaff => Category::Ngo,
            Persona::SchoolOwner | Persona::EdtechStaff => Category::PrivateSector,
            _ => Category::Public,
        }
    }
}

/// What the generator knows about a participant beyond the registration form: the truth behind the
/// withheld fields, so that what they write and how they vote stays consistent.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub persona: Persona,
    pub age: i32,
    pub female: bool,
    /// The participant's province, even when not stated.
    pub home: Province,
    /// The town they write from.
    pub town: &'static str,
    /// How much this person comments, relative to others (0: reads and votes only).
    pub activity: f64,
}

/// Population in thousands (2016 census), the weight of each province among participants.
fn population(p: Province) -> f64 {
    match p {
        Province::Tehran => 13_267.0,
        Province::RazaviKhorasan => 6_434.0,
        Province::Isfahan => 5_120.0,
        Province::Fars => 4_851.0,
        Province::Khuzestan => 4_710.0,
        Province::EastAzerbaijan => 3_909.0,
        Province::Mazandaran => 3_283.0,
        Province::WestAzerbaijan => 3_265.0,
        Province::Kerman => 3_164.0,
        Province::SistanBaluchestan => 2_775.0,
        Province::Alborz => 2_712.0,
        Province::Gilan => 2_530.0,
        Province::Kermanshah => 1_952.0,
        Province::Golestan => 1_868.0,
        Province::Hormozgan => 1_776.0,
        Province::Lorestan => 1_760.0,
        Province::Hamadan => 1_738.0,
        Province::Kurdistan => 1_603.0,
        Province::Markazi => 1_429.0,
        Province::Qom => 1_292.0,
        Province::Qazvin => 1_273.0,
        Province::Ardabil => 1_270.0,
        Province::Bushehr => 1_163.0,
        Province::Yazd => 1_138.0,
        Province::Zanjan => 1_057.0,
        Province::ChaharmahalBakhtiari => 947.0,
        Province::NorthKhorasan => 863.0,
        Province::SouthKhorasan => 768.0,
        Province::KohgiluyehBoyerAhmad => 713.0,
        Province::Semnan => 702.0,
        Province::Ilam => 580.0,
    }
}

/// How many of `count` accounts are throwaways (spam, probes); they come last.
pub(crate) fn throwaway_count(count: usize) -> usize {
    if count < 10 {
        0
    } else {
        (count / 50).clamp(1, names::THROWAWAY_NAMES.len())
    }
}

/// `count` participants with their hidden profiles. Throwaway accounts are the last
/// [`throwaway_count`] entries.
pub(crate) fn generate(
    rng: &mut StdRng,
    count: usize,
    now: DateTime<Utc>,
) -> (Vec<NewParticipant>, Vec<Profile>) {
    let personas = WeightedIndex::new(PERSONA_WEIGHTS.iter().map(|(_, w)| *w))
        .expect("persona weights are positive");
    let provinces = WeightedIndex::new(Province::ALL.iter().map(|p| population(*p)))
        .expect("populations are positive");
    let throwaways = throwaway_count(count);
    let mut participants = Vec::with_capacity(count);
    let mut profiles = Vec::with_capacity(count);
    for i in 0..count {
        let persona = if i >= count - throwaways {
            Persona::Throwaway
        } else {
            PERSONA_WEIGHTS[personas.sample(rng)].0
        };
        let home = Province::ALL[provinces.sample(rng)];
        let (participant, profile) = one(rng, persona, home, now);
        let participant = if persona == Persona::Throwaway {
            NewParticipant {
                display_name: names::THROWAWAY_NAMES[i % names::THROWAWAY_NAMES.len()].to_owned(),
                ..participant
            }
        } else {
            participant
        };
        participants.push(participant);
        profiles.push(profile);
    }
    (participants, profiles)
}

fn one(
    rng: &mut StdRng,
    persona: Persona,
    home: Province,
    now: DateTime<Utc>,
) -> (NewParticipant, Profile) {
    let (youngest, oldest) = persona.age_range();
    let age = rng.random_range(youngest..=oldest);
    let female = rng.random_bool(persona.female_share());
    let town = *names::towns(home)
        .choose(rng)
        .expect("every province has towns");
    let (first, surname) = person_name(rng, female, home);
    let foreign = persona == Persona::ForeignResearcher;

    // Withheld fields: about a quarter give no birth year, a fifth no gender, a sixth no province.
    let birth_year =
        (!rng.random_bool(0.25)).then(|| now.year() - age - i32::from(rng.random_bool(0.4)));
    let gender = (!rng.random_bool(0.2)).then(|| {
        if rng.random_bool(0.012) {
            Gender::Other
        } else if female {
            Gender::Female
        } else {
            Gender::Male
        }
    });
    let province = (!foreign && !rng.random_bool(0.15)).then_some(home);

    let (display_name, latin) = display_name(rng, persona, female, first, surname, home, town);
    let (channel, handle) = messenger(rng, persona, latin.as_deref(), birth_year);
    let activity = match persona {
        Persona::Throwaway => 0.0,
        // Three in ten only read and vote; the rest comment with a long tail of very active people.
        _ if rng.random_bool(0.3) => 0.0,
        Persona::ForeignResearcher => 0.5,
        _ => rng.random::<f64>().max(0.02).powf(-0.7).min(25.0),
    };
    let participant = NewParticipant {
        display_name,
        category: persona.category(rng),
        birth_year,
        gender,
        province,
        channel,
        handle,
        consent: true,
        name_public: rng.random_bool(0.4),
        language: if foreign || (persona == Persona::Researcher && rng.random_bool(0.02)) {
            Language::En
        } else {
            Language::Fa
        },
    };
    let profile = Profile {
        persona,
        age,
        female,
        home,
        town,
        activity,
    };
    (participant, profile)
}

type NamePair = (&'static str, &'static str);

fn person_name(rng: &mut StdRng, female: bool, home: Province) -> (NamePair, NamePair) {
    let firsts = if female {
        names::FEMALE_NAMES
    } else {
        names::MALE_NAMES
    };
    let first = *firsts.choose(rng).expect("names");
    let surnames = if rng.random_bool(0.3) {
        names::regional_surnames(home)
    } else {
        names::SURNAMES
    };
    (first, *surnames.choose(rng).expect("surnames"))
}

/// The name shown next to a comment, and its Latin form when the name has one (for handles).
fn display_name(
    rng: &mut StdRng,
    persona: Persona,
    female: bool,
    (first_fa, first_en): NamePair,
    (last_fa, last_en): NamePair,
    home: Province,
    town: &str,
) -> (String, Option<String>) {
    let latin = Some(format!("{first_en} {last_en}"));
    let place = if rng.random_bool(0.5) {
        town
    } else {
        home.name_fa()
    };
    let organisation =
        |list: &[&str], rng: &mut StdRng| list.choose(rng).expect("names").replace("{}", place);
    match persona {
        Persona::ForeignResearcher => {
            let name = *names::FOREIGN_RESEARCHERS.choose(rng).expect("names");
            return (
                name.to_owned(),
                Some(name.replace("Dr. ", "").replace("Prof. ", "")),
            );
        }
        Persona::NgoStaff if rng.random_bool(0.35) => {
            return (organisation(names::NGO_NAMES, rng), None);
        }
        Persona::SchoolOwner | Persona::EdtechStaff if rng.random_bool(0.3) => {
            return (organisation(names::COMPANY_NAMES, rng), None);
        }
        Persona::Researcher if rng.random_bool(0.3) => {
            return (format!("دکتر {first_fa} {last_fa}"), latin);
        }
        _ => {}
    }
    let initial = |s: &str| s.chars().next().expect("non-empty name");
    let roll: f64 = rng.random();
    let name = if roll < 0.52 {
        format!("{first_fa} {last_fa}")
    } else if roll < 0.62 {
        format!("{first_fa} {}.", initial(last_fa))
    } else if roll < 0.66 {
        format!("{}. {}.", initial(first_fa), initial(last_fa))
    } else if roll < 0.74 {
        format!("{first_en} {last_en}")
    } else if roll < 0.77 {
        format!("{}. {last_en}", initial(first_en))
    } else if roll < 0.85 {
        first_fa.to_owned()
    } else if roll < 0.91 {
        let title = if female { "خانم" } else { "آقای" };
        format!("{title} {last_fa}")
    } else {
        let list = match persona {
            Persona::Teacher | Persona::RetiredTeacher | Persona::Principal => {
                names::PSEUDONYMS_TEACHER
            }
            Persona::Parent => names::PSEUDONYMS_PARENT,
            Persona::Student => names::PSEUDONYMS_STUDENT,
            _ => names::PSEUDONYMS_ANY,
        };
        return ((*list.choose(rng).expect("names")).to_owned(), None);
    };
    (name, latin)
}

/// A Bale or Eitaa handle for about four in ten participants, built the way people pick usernames.
fn messenger(
    rng: &mut StdRng,
    persona: Persona,
    latin: Option<&str>,
    birth_year: Option<i32>,
) -> (Option<Channel>, Option<String>) {
    if matches!(persona, Persona::Throwaway | Persona::ForeignResearcher) {
        return (None, None);
    }
    let roll: f64 = rng.random();
    let channel = if roll < 0.28 {
        Channel::Bale
    } else if roll < 0.40 {
        Channel::Eitaa
    } else {
        return (None, None);
    };
    let base = match latin {
        Some(name) => {
            let mut parts = name.split(' ').map(str::to_ascii_lowercase);
            let first = parts.next().unwrap_or_default();
            let last = parts.next().unwrap_or_default();
            match rng.random_range(0..3) {
                0 => format!("{first}_{last}"),
                1 => format!("{}_{last}", &first[..1]),
                _ => format!("{first}{last}"),
            }
        }
        None => format!("user{}", rng.random_range(1000..99_999)),
    };
    let handle = match birth_year {
        // Many add their Jalali birth year (1360 ≈ 1981).
        Some(year) if rng.random_bool(0.3) => format!("@{base}{}", year - 621),
        _ => format!("@{base}"),
    };
    (Some(channel), Some(handle))
}

/// Give every participant a registration time: shortly before their first comment or ballot, or
/// some day in the last five months for those who have done nothing yet.
pub(crate) fn with_registration_times(
    rng: &mut StdRng,
    participants: Vec<NewParticipant>,
    comments: &[DemoComment],
    ballots: &[DemoBallot],
    now: DateTime<Utc>,
) -> Vec<DemoParticipant> {
    let mut first: Vec<Option<DateTime<Utc>>> = vec![None; participants.len()];
    let acts = comments
        .iter()
        .map(|c| (c.participant, c.created_at))
        .chain(ballots.iter().map(|b| (b.participant, b.cast_at)));
    for (who, at) in acts {
        let slot = &mut first[who];
        *slot = Some(slot.map_or(at, |t| t.min(at)));
    }
    participants
        .into_iter()
        .zip(first)
        .map(|(participant, first)| {
            let registered_at = match first {
                Some(at) => at - Duration::seconds(rng.random_range(120..=3 * 86_400)),
                None => now - Duration::seconds(rng.random_range(3_600..=150 * 86_400)),
            };
            DemoParticipant {
                participant,
                registered_at,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rand::SeedableRng;
    use std::collections::HashMap;

    fn sample(n: usize) -> (Vec<NewParticipant>, Vec<Profile>) {
        let now = Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap();
        generate(&mut StdRng::seed_from_u64(11), n, now)
    }

    #[test]
    fn provinces_follow_population() {
        let (ps, _) = sample(5_000);
        let mut by_province: HashMap<Province, usize> = HashMap::new();
        for p in &ps {
            if let Some(province) = p.province {
                *by_province.entry(province).or_default() += 1;
            }
        }
        assert_eq!(by_province.len(), 31);
        let tehran = by_province[&Province::Tehran];
        for p in Province::ALL {
            assert!(by_province[p] <= tehran);
        }
        for small in [
            Province::Ilam,
            Province::Semnan,
            Province::KohgiluyehBoyerAhmad,
        ] {
            assert!(by_province[&small] * 8 < tehran, "{small:?}");
            assert!(by_province[&small] * 3 < by_province[&Province::Isfahan]);
        }
    }

    #[test]
    fn withheld_fields_and_categories_are_realistic() {
        let (ps, profiles) = sample(5_000);
        let share = |n: usize| n as f64 / ps.len() as f64;
        let no_birth_year = share(ps.iter().filter(|p| p.birth_year.is_none()).count());
        let no_gender = share(ps.iter().filter(|p| p.gender.is_none()).count());
        let no_province = share(ps.iter().filter(|p| p.province.is_none()).count());
        assert!((0.2..0.3).contains(&no_birth_year), "{no_birth_year}");
        assert!((0.16..0.24).contains(&no_gender), "{no_gender}");
        assert!((0.12..0.2).contains(&no_province), "{no_province}");
        assert!(ps.iter().all(|p| p.consent));
        let count = |c: Category| ps.iter().filter(|p| p.category == c).count();
        let (public, elite, ngo, private) = (
            count(Category::Public),
            count(Category::ScientificElite),
            count(Category::Ngo),
            count(Category::PrivateSector),
        );
        assert!(public > elite && elite > ngo && ngo > private && private > 100);
        let named = share(ps.iter().filter(|p| p.name_public).count());
        assert!((0.35..0.45).contains(&named), "{named}");
        assert!(ps.iter().any(|p| p.gender == Some(Gender::Other)));
        assert!(ps.iter().any(|p| p.language == Language::En));
        assert!(share(ps.iter().filter(|p| p.language == Language::Fa).count()) > 0.95);
        for p in &ps {
            assert_eq!(p.channel.is_some(), p.handle.is_some());
            assert!(!p.display_name.trim().is_empty());
            if let Some(h) = &p.handle {
                assert!(
                    h.starts_with('@')
                        && h[1..]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "{h}"
                );
            }
        }
        assert!(ps.iter().any(|p| p.channel == Some(Channel::Bale)));
        assert!(ps.iter().any(|p| p.channel == Some(Channel::Eitaa)));
        assert_eq!(
            profiles
                .iter()
                .filter(|p| p.persona == Persona::Throwaway)
                .count(),
            throwaway_count(5_000)
        );
    }

    #[test]
    fn display_names_vary() {
        let (ps, _) = sample(2_000);
        let distinct: std::collections::HashSet<_> = ps.iter().map(|p| &p.display_name).collect();
        assert!(distinct.len() > 1_200, "{}", distinct.len());
        assert!(ps.iter().any(|p| p.display_name.is_ascii()));
        assert!(ps.iter().any(|p| p.display_name.ends_with('.')));
    }
}
