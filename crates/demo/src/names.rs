//! Names people register under: Persian given names and surnames with their usual Latin
//! transliteration, regional surnames, towns per province, pseudonyms, organisations, and the few
//! foreign researchers who follow Iranian education policy.

use mosharekat_api::Province;

/// Women's given names: (Persian, Latin transliteration).
pub(crate) const FEMALE_NAMES: &[(&str, &str)] = &[
    ("مریم", "Maryam"),
    ("فاطمه", "Fatemeh"),
    ("زهرا", "Zahra"),
    ("زینب", "Zeynab"),
    ("سارا", "Sara"),
    ("نرگس", "Narges"),
    ("مهسا", "Mahsa"),
    ("الهام", "Elham"),
    ("لیلا", "Leila"),
    ("نازنین", "Nazanin"),
    ("سمیرا", "Samira"),
    ("شیما", "Shima"),
    ("راضیه", "Razieh"),
    ("معصومه", "Masoumeh"),
    ("طاهره", "Tahereh"),
    ("ریحانه", "Reyhaneh"),
    ("هانیه", "Haniyeh"),
    ("فرزانه", "Farzaneh"),
    ("پریسا", "Parisa"),
    ("مینا", "Mina"),
    ("آزاده", "Azadeh"),
    ("سپیده", "Sepideh"),
    ("نسرین", "Nasrin"),
    ("اعظم", "Azam"),
    ("سمانه", "Samaneh"),
    ("ثریا", "Soraya"),
    ("حدیث", "Hadis"),
    ("فرشته", "Fereshteh"),
    ("رقیه", "Roghayeh"),
    ("شیرین", "Shirin"),
    ("یگانه", "Yeganeh"),
    ("محدثه", "Mohaddeseh"),
    ("کوثر", "Kowsar"),
    ("آیدا", "Aida"),
    ("ترانه", "Taraneh"),
    ("هستی", "Hasti"),
    ("نیلوفر", "Niloufar"),
    ("بهاره", "Bahareh"),
    ("ژیلا", "Zhila"),
    ("شیلان", "Shilan"),
    ("آیسان", "Aysan"),
    ("آیلار", "Aylar"),
    ("گلاره", "Gelareh"),
    ("منیژه", "Manijeh"),
    ("صدیقه", "Sedigheh"),
];

/// Men's given names: (Persian, Latin transliteration).
pub(crate) const MALE_NAMES: &[(&str, &str)] = &[
    ("علی", "Ali"),
    ("محمد", "Mohammad"),
    ("حسین", "Hossein"),
    ("رضا", "Reza"),
    ("مهدی", "Mehdi"),
    ("امیر", "Amir"),
    ("حمید", "Hamid"),
    ("سعید", "Saeed"),
    ("مجید", "Majid"),
    ("جواد", "Javad"),
    ("احمد", "Ahmad"),
    ("محمدرضا", "Mohammadreza"),
    ("علیرضا", "Alireza"),
    ("مصطفی", "Mostafa"),
    ("مرتضی", "Morteza"),
    ("ابوالفضل", "Abolfazl"),
    ("حسن", "Hassan"),
    ("کاظم", "Kazem"),
    ("یوسف", "Yousef"),
    ("فرهاد", "Farhad"),
    ("بهروز", "Behrouz"),
    ("کیوان", "Keyvan"),
    ("آرش", "Arash"),
    ("بابک", "Babak"),
    ("داریوش", "Dariush"),
    ("ناصر", "Naser"),
    ("هادی", "Hadi"),
    ("وحید", "Vahid"),
    ("یاسر", "Yaser"),
    ("سجاد", "Sajjad"),
    ("امید", "Omid"),
    ("پیمان", "Peyman"),
    ("کامران", "Kamran"),
    ("صادق", "Sadegh"),
    ("اسماعیل", "Esmaeil"),
    ("عباس", "Abbas"),
    ("کریم", "Karim"),
    ("میلاد", "Milad"),
    ("کاوه", "Kaveh"),
    ("آسو", "Aso"),
    ("توحید", "Tohid"),
    ("دادشاه", "Dadshah"),
    ("عبدالله", "Abdollah"),
    ("جاسم", "Jasem"),
    ("خلیل", "Khalil"),
];

/// Common surnames across the country: (Persian, Latin).
pub(crate) const SURNAMES: &[(&str, &str)] = &[
    ("احمدی", "Ahmadi"),
    ("محمدی", "Mohammadi"),
    ("حسینی", "Hosseini"),
    ("رضایی", "Rezaei"),
    ("کریمی", "Karimi"),
    ("موسوی", "Mousavi"),
    ("جعفری", "Jafari"),
    ("رحیمی", "Rahimi"),
    ("صادقی", "Sadeghi"),
    ("قاسمی", "Ghasemi"),
    ("کاظمی", "Kazemi"),
    ("هاشمی", "Hashemi"),
    ("نوری", "Nouri"),
    ("مرادی", "Moradi"),
    ("عباسی", "Abbasi"),
    ("اکبری", "Akbari"),
    ("سلطانی", "Soltani"),
    ("حیدری", "Heydari"),
    ("ابراهیمی", "Ebrahimi"),
    ("نجفی", "Najafi"),
    ("یوسفی", "Yousefi"),
    ("طاهری", "Taheri"),
    ("شریفی", "Sharifi"),
    ("امینی", "Amini"),
    ("باقری", "Bagheri"),
    ("زارعی", "Zarei"),
    ("فرهادی", "Farhadi"),
    ("صالحی", "Salehi"),
    ("میرزایی", "Mirzaei"),
    ("قربانی", "Ghorbani"),
    ("عزیزی", "Azizi"),
    ("منصوری", "Mansouri"),
    ("خسروی", "Khosravi"),
    ("نظری", "Nazari"),
    ("رستمی", "Rostami"),
    ("بهرامی", "Bahrami"),
    ("اسدی", "Asadi"),
    ("جلالی", "Jalali"),
    ("توکلی", "Tavakoli"),
    ("دهقانی", "Dehghani"),
    ("عسگری", "Asgari"),
    ("ملکی", "Maleki"),
    ("افشار", "Afshar"),
    ("نیک‌پور", "Nikpour"),
    ("حق‌شناس", "Haghshenas"),
    ("علی‌پور", "Alipour"),
    ("پاک‌نژاد", "Paknejad"),
    ("امیری", "Amiri"),
    ("وکیلی", "Vakili"),
    ("زمانی", "Zamani"),
    ("شجاعی", "Shojaei"),
    ("پورمحمدی", "Pourmohammadi"),
    ("فتحی", "Fathi"),
    ("سبحانی", "Sobhani"),
];

/// Surnames that are common in one province, so a Tabriz teacher is not always an «احمدی».
pub(crate) fn regional_surnames(province: Province) -> &'static [(&'static str, &'static str)] {
    match province {
        Province::EastAzerbaijan
        | Province::WestAzerbaijan
        | Province::Ardabil
        | Province::Zanjan => &[
            ("قلی‌زاده", "Gholizadeh"),
            ("عباس‌زاده", "Abbaszadeh"),
            ("اصغرزاده", "Asgharzadeh"),
            ("خدابنده‌لو", "Khodabandehloo"),
            ("رحیمی‌نژاد", "Rahiminejad"),
        ],
        Province::Kurdistan | Province::Kermanshah => &[
            ("سنندجی", "Sanandaji"),
            ("اردلان", "Ardalan"),
            ("مرادیانی", "Moradiani"),
            ("بابانی", "Babani"),
        ],
        Province::SistanBaluchestan => &[
            ("ریگی", "Rigi"),
            ("شهنوازی", "Shahnavazi"),
            ("براهویی", "Brahui"),
            ("بلوچ‌زهی", "Baluchzehi"),
        ],
        Province::Khuzestan => &[
            ("عساکره", "Asakereh"),
            ("چنانی", "Chenani"),
            ("سواری", "Savari"),
            ("دشتی‌زاده", "Dashtizadeh"),
        ],
        Province::Lorestan | Province::Ilam => &[
            ("بیرانوند", "Beiranvand"),
            ("سپهوند", "Sepahvand"),
            ("دالوند", "Dalvand"),
            ("ملکشاهی", "Malekshahi"),
        ],
        Province::KohgiluyehBoyerAhmad | Province::ChaharmahalBakhtiari => &[
            ("بویراحمدی", "Boyerahmadi"),
            ("دهداری", "Dehdari"),
            ("بختیاری", "Bakhtiari"),
        ],
        Province::Gilan | Province::Mazandaran | Province::Golestan => &[
            ("پورشعبان", "Pourshaban"),
            ("جعفرپور", "Jafarpour"),
            ("طبری", "Tabari"),
            ("نیک‌نام", "Niknam"),
        ],
        Province::Fars | Province::Bushehr | Province::Hormozgan => &[
            ("شیرازی", "Shirazi"),
            ("قشقایی", "Ghashghaei"),
            ("تنگستانی", "Tangestani"),
            ("دشتی", "Dashti"),
        ],
        Province::RazaviKhorasan | Province::NorthKhorasan | Province::SouthKhorasan => &[
            ("خراسانی", "Khorasani"),
            ("یزدان‌پناه", "Yazdanpanah"),
            ("مشهدی", "Mashhadi"),
            ("قائنی", "Ghaeni"),
        ],
        Province::Kerman | Province::Yazd => &[
            ("کرمانی", "Kermani"),
            ("دهقان", "Dehghan"),
            ("رفسنجانی", "Rafsanjani"),
            ("یزدی", "Yazdi"),
        ],
        Province::Isfahan | Province::Markazi | Province::Qom | Province::Semnan => &[
            ("اصفهانی", "Esfahani"),
            ("نصر", "Nasr"),
            ("فراهانی", "Farahani"),
            ("قمی", "Ghomi"),
        ],
        Province::Tehran | Province::Alborz | Province::Qazvin | Province::Hamadan => &[
            ("تهرانی", "Tehrani"),
            ("شمیرانی", "Shemirani"),
            ("قزوینی", "Ghazvini"),
            ("همدانی", "Hamedani"),
        ],
    }
}

/// Towns of a province, its capital first.
pub(crate) fn towns(province: Province) -> &'static [&'static str] {
    match province {
        Province::Alborz => &["کرج", "فردیس", "نظرآباد"],
        Province::Ardabil => &["اردبیل", "مشگین‌شهر", "پارس‌آباد"],
        Province::Bushehr => &["بوشهر", "برازجان", "کنگان"],
        Province::ChaharmahalBakhtiari => &["شهرکرد", "بروجن", "فارسان"],
        Province::EastAzerbaijan => &["تبریز", "مراغه", "مرند", "اهر"],
        Province::Fars => &["شیراز", "مرودشت", "کازرون", "لار"],
        Province::Gilan => &["رشت", "لاهیجان", "بندر انزلی"],
        Province::Golestan => &["گرگان", "گنبد کاووس", "علی‌آباد کتول"],
        Province::Hamadan => &["همدان", "ملایر", "نهاوند"],
        Province::Hormozgan => &["بندرعباس", "میناب", "قشم"],
        Province::Ilam => &["ایلام", "دهلران", "ایوان"],
        Province::Isfahan => &["اصفهان", "کاشان", "نجف‌آباد", "خمینی‌شهر"],
        Province::Kerman => &["کرمان", "رفسنجان", "بم", "جیرفت"],
        Province::Kermanshah => &["کرمانشاه", "اسلام‌آباد غرب", "هرسین"],
        Province::Khuzestan => &["اهواز", "دزفول", "آبادان", "شوشتر"],
        Province::KohgiluyehBoyerAhmad => &["یاسوج", "دهدشت", "گچساران"],
        Province::Kurdistan => &["سنندج", "سقز", "مریوان"],
        Province::Lorestan => &["خرم‌آباد", "بروجرد", "کوهدشت"],
        Province::Markazi => &["اراک", "ساوه", "خمین"],
        Province::Mazandaran => &["ساری", "بابل", "آمل", "قائم‌شهر"],
        Province::NorthKhorasan => &["بجنورد", "شیروان", "اسفراین"],
        Province::Qazvin => &["قزوین", "تاکستان", "الوند"],
        Province::Qom => &["قم"],
        Province::RazaviKhorasan => &["مشهد", "نیشابور", "سبزوار", "تربت حیدریه"],
        Province::Semnan => &["سمنان", "شاهرود", "دامغان"],
        Province::SistanBaluchestan => &["زاهدان", "چابهار", "زابل", "ایرانشهر"],
        Province::SouthKhorasan => &["بیرجند", "قائن", "فردوس"],
        Province::Tehran => &["تهران", "اسلامشهر", "ورامین", "شهریار"],
        Province::WestAzerbaijan => &["ارومیه", "خوی", "مهاباد", "میاندوآب"],
        Province::Yazd => &["یزد", "میبد", "اردکان"],
        Province::Zanjan => &["زنجان", "ابهر", "خرمدره"],
    }
}

/// Names people choose when they would rather not give theirs.
pub(crate) const PSEUDONYMS_TEACHER: &[&str] = &[
    "معلم خسته",
    "همکار فرهنگی",
    "یک معلم",
    "دبیر ریاضی",
    "آموزگار روستا",
    "معلم حق‌التدریس",
];
pub(crate) const PSEUDONYMS_PARENT: &[&str] = &[
    "یک مادر نگران",
    "ولی دانش‌آموز",
    "پدر دو دانش‌آموز",
    "مادر",
    "یک شهروند",
];
pub(crate) const PSEUDONYMS_STUDENT: &[&str] =
    &["دانش‌آموز دهمی", "کنکوری ۱۴۰۵", "یک دانش‌آموز", "student_12"];
pub(crate) const PSEUDONYMS_ANY: &[&str] = &["ناشناس", "یک شهروند", "شهروند", "بی‌نام"];

/// Organisations that take part as such (NGOs); `{}` is filled with a town or province.
pub(crate) const NGO_NAMES: &[&str] = &[
    "انجمن حمایت از حقوق کودکان {}",
    "مؤسسه خیریه آموزشی مهر {}",
    "انجمن اولیا و مربیان ناحیه ۲ {}",
    "جمعیت داوطلبان سوادآموزی {}",
    "انجمن علمی آموزش ابتدایی",
    "شبکه سازمان‌های مردم‌نهاد آموزشی {}",
    "کانون کودک و نوجوان مهرآفرین",
];

/// Companies and school founders that take part as such (private sector).
pub(crate) const COMPANY_NAMES: &[&str] = &[
    "شرکت دانش‌بنیان آموزش‌یار",
    "کانون مؤسسان مدارس غیردولتی {}",
    "مجتمع آموزشی غیردولتی فرزانگان نو",
    "شرکت نرم‌افزاری مدرسه‌یار",
    "استارتاپ کلاس‌آنلاین",
    "گروه آموزشی اندیشه {}",
];

/// Researchers abroad who write in English (display name, institution or empty).
pub(crate) const FOREIGN_RESEARCHERS: &[&str] = &[
    "Anna Keller",
    "Dr. James Whitfield",
    "Sofia Lindqvist",
    "Marco Bianchi",
    "Yuki Tanaka",
    "Hannah Schmidt",
    "Prof. Daniel Okafor",
    "Claire Dubois",
    "Leyla Aliyeva",
    "Dr. Omar Haddad",
];

/// Display names of throwaway accounts that spammers and pranksters register.
pub(crate) const THROWAWAY_NAMES: &[&str] = &[
    "تخفیف ویژه کنکور",
    "user48213",
    "پشتیبانی سامانه",
    "Admin",
    "کسب درآمد دلاری",
    "\u{202E}nimdA",
    "mosharekat-bot",
    "وام فوری",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_province_has_towns_and_regional_surnames() {
        for p in Province::ALL {
            assert!(!towns(*p).is_empty(), "{p:?}");
            assert!(!regional_surnames(*p).is_empty(), "{p:?}");
        }
    }

    #[test]
    fn transliterations_are_plain_latin() {
        for (_, en) in FEMALE_NAMES.iter().chain(MALE_NAMES).chain(SURNAMES) {
            assert!(en.chars().all(|c| c.is_ascii_alphabetic()), "{en}");
        }
        for p in Province::ALL {
            for (_, en) in regional_surnames(*p) {
                assert!(en.chars().all(|c| c.is_ascii_alphabetic()), "{en}");
            }
        }
    }
}
