//! The 31 provinces of Iran, by a stable lowercase code.

use serde::{Deserialize, Serialize};

macro_rules! provinces {
    ($($variant:ident => $code:literal, $en:literal, $fa:literal;)*) => {
        /// A province of Iran. The wire form is the stable code (`tehran`, `razavi_khorasan`, …).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Province { $($variant,)* }

        impl Province {
            pub const ALL: &'static [Province] = &[$(Province::$variant,)*];

            pub fn code(self) -> &'static str {
                match self { $(Province::$variant => $code,)* }
            }

            pub fn name_en(self) -> &'static str {
                match self { $(Province::$variant => $en,)* }
            }

            pub fn name_fa(self) -> &'static str {
                match self { $(Province::$variant => $fa,)* }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Province::$variant),)* _ => None }
            }
        }
    };
}

provinces! {
    Alborz => "alborz", "Alborz", "البرز";
    Ardabil => "ardabil", "Ardabil", "اردبیل";
    Bushehr => "bushehr", "Bushehr", "بوشهر";
    ChaharmahalBakhtiari => "chaharmahal_bakhtiari", "Chaharmahal and Bakhtiari", "چهارمحال و بختیاری";
    EastAzerbaijan => "east_azerbaijan", "East Azerbaijan", "آذربایجان شرقی";
    Fars => "fars", "Fars", "فارس";
    Gilan => "gilan", "Gilan", "گیلان";
    Golestan => "golestan", "Golestan", "گلستان";
    Hamadan => "hamadan", "Hamadan", "همدان";
    Hormozgan => "hormozgan", "Hormozgan", "هرمزگان";
    Ilam => "ilam", "Ilam", "ایلام";
    Isfahan => "isfahan", "Isfahan", "اصفهان";
    Kerman => "kerman", "Kerman", "کرمان";
    Kermanshah => "kermanshah", "Kermanshah", "کرمانشاه";
    Khuzestan => "khuzestan", "Khuzestan", "خوزستان";
    KohgiluyehBoyerAhmad => "kohgiluyeh_boyer_ahmad", "Kohgiluyeh and Boyer-Ahmad", "کهگیلویه و بویراحمد";
    Kurdistan => "kurdistan", "Kurdistan", "کردستان";
    Lorestan => "lorestan", "Lorestan", "لرستان";
    Markazi => "markazi", "Markazi", "مرکزی";
    Mazandaran => "mazandaran", "Mazandaran", "مازندران";
    NorthKhorasan => "north_khorasan", "North Khorasan", "خراسان شمالی";
    Qazvin => "qazvin", "Qazvin", "قزوین";
    Qom => "qom", "Qom", "قم";
    RazaviKhorasan => "razavi_khorasan", "Razavi Khorasan", "خراسان رضوی";
    Semnan => "semnan", "Semnan", "سمنان";
    SistanBaluchestan => "sistan_baluchestan", "Sistan and Baluchestan", "سیستان و بلوچستان";
    SouthKhorasan => "south_khorasan", "South Khorasan", "خراسان جنوبی";
    Tehran => "tehran", "Tehran", "تهران";
    WestAzerbaijan => "west_azerbaijan", "West Azerbaijan", "آذربایجان غربی";
    Yazd => "yazd", "Yazd", "یزد";
    Zanjan => "zanjan", "Zanjan", "زنجان";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_one_provinces_with_unique_codes() {
        assert_eq!(Province::ALL.len(), 31);
        let codes: std::collections::HashSet<_> = Province::ALL.iter().map(|p| p.code()).collect();
        assert_eq!(codes.len(), 31);
        for p in Province::ALL {
            assert_eq!(Province::from_code(p.code()), Some(*p));
            assert_eq!(
                serde_json::to_value(p).unwrap(),
                serde_json::Value::from(p.code())
            );
            assert!(!p.name_fa().is_empty() && !p.name_en().is_empty());
        }
    }
}
