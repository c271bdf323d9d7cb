//! Participants: the public who comment and vote. Every demographic field is optional.

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

use crate::Province;

/// Who a participant takes part as. The policy asks that all four be heard without discrimination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    ScientificElite,
    Ngo,
    PrivateSector,
    Public,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::ScientificElite,
        Category::Ngo,
        Category::PrivateSector,
        Category::Public,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::ScientificElite => "scientific_elite",
            Category::Ngo => "ngo",
            Category::PrivateSector => "private_sector",
            Category::Public => "public",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    pub const ALL: [Gender; 3] = [Gender::Female, Gender::Male, Gender::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

/// A domestic messenger (or a webhook) through which a participant gets feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Bale,
    Eitaa,
    Webhook,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Bale, Channel::Eitaa, Channel::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Bale => "bale",
            Channel::Eitaa => "eitaa",
            Channel::Webhook => "webhook",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

/// The language a participant wants feedback in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Fa,
    En,
}

impl Language {
    /// The built-in locale file of this language (labels, digits, calendar).
    pub fn catalogue(self) -> &'static mosharekat_locale::Catalogue {
        mosharekat_locale::Catalogue::builtin(self.as_str())
            .unwrap_or_else(|| unreachable!("a locale file is built in for every Language"))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Fa => "fa",
            Language::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "fa" => Some(Language::Fa),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// Age bands used in every breakdown. `Unknown` is the explicit "not stated" bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgeBand {
    #[serde(rename = "under_18")]
    Under18,
    #[serde(rename = "18_24")]
    From18To24,
    #[serde(rename = "25_34")]
    From25To34,
    #[serde(rename = "35_44")]
    From35To44,
    #[serde(rename = "45_54")]
    From45To54,
    #[serde(rename = "55_64")]
    From55To64,
    #[serde(rename = "65_plus")]
    From65,
    #[serde(rename = "unknown")]
    Unknown,
}

impl AgeBand {
    pub const ALL: [AgeBand; 8] = [
        AgeBand::Under18,
        AgeBand::From18To24,
        AgeBand::From25To34,
        AgeBand::From35To44,
        AgeBand::From45To54,
        AgeBand::From55To64,
        AgeBand::From65,
        AgeBand::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Under18 => "under_18",
            AgeBand::From18To24 => "18_24",
            AgeBand::From25To34 => "25_34",
            AgeBand::From35To44 => "35_44",
            AgeBand::From45To54 => "45_54",
            AgeBand::From55To64 => "55_64",
            AgeBand::From65 => "65_plus",
            AgeBand::Unknown => "unknown",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The band of someone born in `birth_year`, as of `at`. Age is counted as `at.year - birth_year`:
    /// a birth year alone cannot say whether the birthday has passed, and the bands are for statistics.
    pub fn of(birth_year: Option<i32>, at: DateTime<Utc>) -> AgeBand {
        let Some(year) = birth_year else {
            return AgeBand::Unknown;
        };
        match at.year() - year {
            i32::MIN..=-1 => AgeBand::Unknown,
            0..=17 => AgeBand::Under18,
            18..=24 => AgeBand::From18To24,
            25..=34 => AgeBand::From25To34,
            35..=44 => AgeBand::From35To44,
            45..=54 => AgeBand::From45To54,
            55..=64 => AgeBand::From55To64,
            _ => AgeBand::From65,
        }
    }
}

/// `POST /api/v1/public/participants`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewParticipant {
    pub display_name: String,
    pub category: Category,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// The participant's handle (or URL, for a webhook) on `channel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    /// Consent to the processing of what they send; required to take part.
    pub consent: bool,
    /// Consent to have the display name shown in public recognition lists. Off unless given.
    #[serde(default)]
    pub name_public: bool,
    #[serde(default)]
    pub language: Language,
}

/// `201` answer to a registration (`200` to a sign-in with a verified number): keep the token,
/// it is shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantCreated {
    pub participant_id: i64,
    pub token: String,
    /// Whether the participant has verified a phone number (only they may vote and earn
    /// certificates).
    #[serde(default)]
    pub verified: bool,
}

/// `POST /api/v1/public/verification`: send a one-time code to an Iranian mobile number (any
/// everyday spelling: `09…`, `+989…`, `00989…`, Persian or Arabic-Indic digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationRequest {
    pub phone: String,
}

/// `202` answer: the code is on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationSent {
    /// When the code stops working.
    pub expires_at: DateTime<Utc>,
    /// When another code may be asked for this number.
    pub resend_at: DateTime<Utc>,
    /// The number as the code was sent to it, all but its last two digits hidden.
    pub phone_masked: String,
    /// Only on a demonstration server with no SMS gateway: the code itself, to be shown with a
    /// "demo only" notice. Never present on a real deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo_code: Option<String>,
}

/// The fields `POST /api/v1/public/participants` takes besides the registration fields: a
/// number and the code sent to it. A number already registered (in any spelling) signs its
/// participant in (`200`, a fresh token) and needs no other field; a new number needs the
/// registration fields and makes a verified participant (`201`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneProof {
    pub phone: String,
    pub code: String,
}

/// `POST /api/v1/public/messenger-links` (participant token): a code that links a chat to the
/// participant. Only `bale` has a bot that can be linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessengerLinkRequest {
    pub channel: Channel,
}

/// `201` answer: the deep link that opens the bot with the code (`https://ble.ir/<bot>?start=<code>`),
/// the code itself (to send as `/start <code>`), and when it stops working. One use only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessengerLink {
    pub channel: Channel,
    pub url: String,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// What staff see of a participant next to a comment: never the handle or token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantSummary {
    pub id: i64,
    pub display_name: String,
    pub category: Category,
    pub age_band: AgeBand,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn age_bands() {
        let at = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        assert_eq!(AgeBand::of(None, at), AgeBand::Unknown);
        assert_eq!(AgeBand::of(Some(2010), at), AgeBand::Under18);
        assert_eq!(AgeBand::of(Some(2008), at), AgeBand::From18To24);
        assert_eq!(AgeBand::of(Some(2002), at), AgeBand::From18To24);
        assert_eq!(AgeBand::of(Some(2001), at), AgeBand::From25To34);
        assert_eq!(AgeBand::of(Some(1961), at), AgeBand::From65);
        assert_eq!(AgeBand::of(Some(2030), at), AgeBand::Unknown);
        for band in AgeBand::ALL {
            assert_eq!(
                serde_json::to_value(band).unwrap(),
                serde_json::Value::from(band.as_str())
            );
        }
    }

    #[test]
    fn registration_needs_only_name_category_and_consent() {
        let p: NewParticipant = serde_json::from_str(
            r#"{"display_name": "مریم", "category": "public", "consent": true}"#,
        )
        .unwrap();
        assert_eq!(p.birth_year, None);
        assert_eq!(p.language, Language::Fa);
        assert!(!p.name_public);
    }
}
