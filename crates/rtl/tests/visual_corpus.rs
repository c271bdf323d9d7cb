//! Realistic consultation comments with their expected screen rows, written by hand.
//!
//! How the expectations were written: for each comment I decided, as a reader of Persian would,
//! where the rows break (greedy, at spaces, by display width: letters, digits and punctuation
//! one column, ZWNJ and harakat none) and how each row looks on screen from left to right. An
//! RTL paragraph shows its runs from right to left: the first words of the row are at the right
//! edge. Each expected row is a list of pieces in screen order, left to right:
//!
//! * a piece starting with `<` is right-to-left text, written here in reading order and flipped
//!   by `flip`, a plain grapheme reversal with no bidi logic in it (so harakat and ZWNJ stay on
//!   their letter); brackets and quotes inside such a piece are written as they appear on
//!   screen, i.e. already mirrored (`)` where the comment has `(`);
//! * any other piece is left-to-right text (English, numbers, URLs) exactly as on screen.
//!
//! The rules I applied, all from UAX #9: numbers after Persian letters become Arabic numbers
//! (W2), so `/ : , .` between digits join them (W4) but `-` and `٪` do not: `1403-27` reads
//! `27-1403` on screen and `۲۰٪` has its percent sign on the left; brackets take the
//! direction of the text around them (N0) and mirror in RTL runs; spaces between Persian and
//! English take the paragraph direction. URLs, e-mail addresses, paths, signed numbers and phone
//! numbers are kept whole and left to right (the engine isolates them). Rows are compared
//! without their padding; alignment is checked separately (RTL rows flush right).

use mosharekat_rtl::{BaseDirection, LayoutOptions, TextLayout};
use ratatui::layout::Alignment;
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;

/// Screen pieces, left to right, joined into the expected row.
fn row(pieces: &[&str]) -> String {
    pieces
        .iter()
        .map(|p| match p.strip_prefix('<') {
            Some(rtl) => flip(rtl),
            None => (*p).to_owned(),
        })
        .collect()
}

/// Reverses grapheme clusters; nothing else.
fn flip(text: &str) -> String {
    text.graphemes(true).rev().collect()
}

struct Comment {
    text: &'static str,
    rtl: bool,
    at_80: &'static [&'static [&'static str]],
    at_40: &'static [&'static [&'static str]],
}

const COMMENTS: &[Comment] = &[
    Comment {
        text: "پیشنهاد می‌کنم مهلت ۳۰ روزه نظرخواهی برای آیین‌نامه‌ها به ۴۵ روز افزایش یابد تا معلمان فرصت کافی داشته باشند.",
        rtl: true,
        at_80: &[
            &[
                "< روز افزایش یابد تا ",
                "۴۵",
                "< روزه نظرخواهی برای آیین‌نامه‌ها به ",
                "۳۰",
                "<پیشنهاد می‌کنم مهلت ",
            ],
            &["<معلمان فرصت کافی داشته باشند."],
        ],
        at_40: &[
            &["< روزه نظرخواهی برای ", "۳۰", "<پیشنهاد می‌کنم مهلت "],
            &["< روز افزایش یابد تا ", "۴۵", "<آیین‌نامه‌ها به "],
            &["<معلمان فرصت کافی داشته باشند."],
        ],
    },
    Comment {
        text: "متن انگلیسی (English version) این بخشنامه هنوز در portal رسمی منتشر نشده است.",
        rtl: true,
        at_80: &[&[
            "< رسمی منتشر نشده است.",
            "portal",
            "<( این بخشنامه هنوز در ",
            "English version",
            "<متن انگلیسی )",
        ]],
        at_40: &[
            &["<( این ", "English version", "<متن انگلیسی )"],
            &["< رسمی منتشر نشده ", "portal", "<بخشنامه هنوز در "],
            &["<است."],
        ],
    },
    Comment {
        text: "طبق ماده ۱۲ آیین‌نامه، گزارش جامع باید تا تاریخ ۱۴۰۳/۳/۱۵ در سامانه منتشر شود.",
        rtl: true,
        at_80: &[&[
            "< در سامانه منتشر شود.",
            "۱۴۰۳/۳/۱۵",
            "< آیین‌نامه، گزارش جامع باید تا تاریخ ",
            "۱۲",
            "<طبق ماده ",
        ]],
        at_40: &[
            &["< آیین‌نامه، گزارش جامع باید تا ", "۱۲", "<طبق ماده "],
            &["< در سامانه منتشر شود.", "۱۴۰۳/۳/۱۵", "<تاریخ "],
        ],
    },
    Comment {
        text: "نرخ مشارکت معلمان در استان فارس ۲۰٪ کمتر از میانگین کشوری بوده است.",
        rtl: true,
        at_80: &[&[
            "<٪ کمتر از میانگین کشوری بوده است.",
            "۲۰",
            "<نرخ مشارکت معلمان در استان فارس ",
        ]],
        at_40: &[
            &["<٪ کمتر ", "۲۰", "<نرخ مشارکت معلمان در استان فارس "],
            &["<از میانگین کشوری بوده است."],
        ],
    },
    Comment {
        text: "لطفاً پیوند https://medu.ir/fa/news را در متن اطلاعیه اصلاح کنید.",
        rtl: true,
        at_80: &[&[
            "< را در متن اطلاعیه اصلاح کنید.",
            "https://medu.ir/fa/news",
            "<لطفاً پیوند ",
        ]],
        at_40: &[
            &["< را در ", "https://medu.ir/fa/news", "<لطفاً پیوند "],
            &["<متن اطلاعیه اصلاح کنید."],
        ],
    },
    Comment {
        text: "برای پیگیری با نشانی info@medu.ir مکاتبه کردم ولی هنوز پاسخی نگرفته‌ام.",
        rtl: true,
        at_80: &[&[
            "< مکاتبه کردم ولی هنوز پاسخی نگرفته‌ام.",
            "info@medu.ir",
            "<برای پیگیری با نشانی ",
        ]],
        at_40: &[
            &["< مکاتبه ", "info@medu.ir", "<برای پیگیری با نشانی "],
            &["<کردم ولی هنوز پاسخی نگرفته‌ام."],
        ],
    },
    Comment {
        text: "«سامانه مشارکت الکترونیکی» باید نسخه مناسب موبایل هم داشته باشد.",
        rtl: true,
        at_80: &[&["<»سامانه مشارکت الکترونیکی« باید نسخه مناسب موبایل هم داشته باشد."]],
        at_40: &[
            &["<»سامانه مشارکت الکترونیکی« باید نسخه "],
            &["<مناسب موبایل هم داشته باشد."],
        ],
    },
    Comment {
        text: "در شاخص EPI رتبه ایران بهبود یافته ولی داده‌های Open Data هنوز کافی نیست.",
        rtl: true,
        at_80: &[&[
            "< هنوز کافی نیست.",
            "Open Data",
            "< رتبه ایران بهبود یافته ولی داده‌های ",
            "EPI",
            "<در شاخص ",
        ]],
        at_40: &[
            &["< رتبه ایران بهبود یافته ولی ", "EPI", "<در شاخص "],
            &["< هنوز کافی نیست.", "Open Data", "<داده‌های "],
        ],
    },
    Comment {
        text: "جلسه هیئت‌امنا ساعت ۱۰:۳۰ برگزار شد و مصوبه شماره 1403-27 به تأیید رسید.",
        rtl: true,
        at_80: &[&[
            "< به تأیید رسید.",
            "27",
            "-",
            "1403",
            "< برگزار شد و مصوبه شماره ",
            "۱۰:۳۰",
            "<جلسه هیئت‌امنا ساعت ",
        ]],
        at_40: &[
            &["< برگزار شد و ", "۱۰:۳۰", "<جلسه هیئت‌امنا ساعت "],
            &["< به تأیید رسید.", "27-1403", "<مصوبه شماره "],
        ],
    },
    Comment {
        text: "مدرسهٔ ما (دبستان شهید بهشتی) هنوز به اینترنت پرسرعت دسترسی ندارد.",
        rtl: true,
        at_80: &[&["<مدرسهٔ ما )دبستان شهید بهشتی( هنوز به اینترنت پرسرعت دسترسی ندارد."]],
        at_40: &[
            &["<مدرسهٔ ما )دبستان شهید بهشتی( هنوز به "],
            &["<اینترنت پرسرعت دسترسی ندارد."],
        ],
    },
    Comment {
        text: "بودجهٔ پیشنهادی ۲٫۵ میلیارد تومان است که برای ۱۲۰ مدرسه کافی نیست.",
        rtl: true,
        at_80: &[&[
            "< مدرسه کافی نیست.",
            "۱۲۰",
            "< میلیارد تومان است که برای ",
            "۲٫۵",
            "<بودجهٔ پیشنهادی ",
        ]],
        at_40: &[
            &["< میلیارد تومان است که ", "۲٫۵", "<بودجهٔ پیشنهادی "],
            &["< مدرسه کافی نیست.", "۱۲۰", "<برای "],
        ],
    },
    Comment {
        text: "عَلَمِ آموزش را بالا نگه داریم؛ مشارکتِ دانش‌آموزان در تصمیم‌ها مهم است.",
        rtl: true,
        at_80: &[&["<عَلَمِ آموزش را بالا نگه داریم؛ مشارکتِ دانش‌آموزان در تصمیم‌ها مهم است."]],
        at_40: &[
            &["<عَلَمِ آموزش را بالا نگه داریم؛ مشارکتِ "],
            &["<دانش‌آموزان در تصمیم‌ها مهم است."],
        ],
    },
    Comment {
        text: "نسخه 2.1 نرم‌افزار SAMA هنوز هنگام ورود کاربران خطا می‌دهد.",
        rtl: true,
        at_80: &[&[
            "< هنوز هنگام ورود کاربران خطا می‌دهد.",
            "SAMA",
            "< نرم‌افزار ",
            "2.1",
            "<نسخه ",
        ]],
        at_40: &[
            &["< هنوز هنگام ورود ", "SAMA", "< نرم‌افزار ", "2.1", "<نسخه "],
            &["<کاربران خطا می‌دهد."],
        ],
    },
    Comment {
        text: "دمای کلاس‌ها در زمستان به -۵ درجه می‌رسد و بخاری مناسب نداریم.",
        rtl: true,
        at_80: &[&[
            "< درجه می‌رسد و بخاری مناسب نداریم.",
            "-۵",
            "<دمای کلاس‌ها در زمستان به ",
        ]],
        at_40: &[
            &["< درجه می‌رسد و ", "-۵", "<دمای کلاس‌ها در زمستان به "],
            &["<بخاری مناسب نداریم."],
        ],
    },
    Comment {
        text: "شماره پشتیبانی +98 21 8888 1234 در ساعات اداری پاسخگو نیست.",
        rtl: true,
        at_80: &[&[
            "< در ساعات اداری پاسخگو نیست.",
            "+98 21 8888 1234",
            "<شماره پشتیبانی ",
        ]],
        at_40: &[
            &["< در ساعات ", "+98 21 8888 1234", "<شماره پشتیبانی "],
            &["<اداری پاسخگو نیست."],
        ],
    },
    Comment {
        text: "اینجانب با بند ۳ موافقم ولی بند ۴ نیاز به بازنگری جدی دارد.",
        rtl: true,
        at_80: &[&[
            "< نیاز به بازنگری جدی دارد.",
            "۴",
            "< موافقم ولی بند ",
            "۳",
            "<اینجانب با بند ",
        ]],
        at_40: &[
            &["< نیاز ", "۴", "< موافقم ولی بند ", "۳", "<اینجانب با بند "],
            &["<به بازنگری جدی دارد."],
        ],
    },
    Comment {
        text: "فایل پیوست در مسیر /docs/draft-v2.pdf روی سامانه قرار دارد.",
        rtl: true,
        at_80: &[&[
            "< روی سامانه قرار دارد.",
            "/docs/draft-v2.pdf",
            "<فایل پیوست در مسیر ",
        ]],
        at_40: &[
            &["/docs/draft-v2.pdf", "<فایل پیوست در مسیر "],
            &["<روی سامانه قرار دارد."],
        ],
    },
    Comment {
        text: "آیا Teachers Union هم در تدوین این لایحه مشارکت داشته است؟",
        rtl: true,
        at_80: &[&[
            "< هم در تدوین این لایحه مشارکت داشته است؟",
            "Teachers Union",
            "<آیا ",
        ]],
        at_40: &[
            &["< هم در تدوین این لایحه ", "Teachers Union", "<آیا "],
            &["<مشارکت داشته است؟"],
        ],
    },
    Comment {
        text: "۷۵ درصد اولیا با افزایش ساعات آموزشی در روزهای پنجشنبه مخالف‌اند.",
        rtl: true,
        at_80: &[&[
            "< درصد اولیا با افزایش ساعات آموزشی در روزهای پنجشنبه مخالف‌اند.",
            "۷۵",
        ]],
        at_40: &[
            &["< درصد اولیا با افزایش ساعات آموزشی در ", "۷۵"],
            &["<روزهای پنجشنبه مخالف‌اند."],
        ],
    },
    Comment {
        text: "متن ماده ۵ را با عبارت «ضوابط اجرایی» جایگزین کنید.",
        rtl: true,
        at_80: &[&[
            "< را با عبارت »ضوابط اجرایی« جایگزین کنید.",
            "۵",
            "<متن ماده ",
        ]],
        at_40: &[
            &["< را با عبارت »ضوابط اجرایی« ", "۵", "<متن ماده "],
            &["<جایگزین کنید."],
        ],
    },
    Comment {
        text: "به نظرم مصوبه [۱۴۰۲/۱۱/۲۰] با قانون اساسی مغایرت دارد.",
        rtl: true,
        at_80: &[&[
            "<[ با قانون اساسی مغایرت دارد.",
            "۱۴۰۲/۱۱/۲۰",
            "<به نظرم مصوبه ]",
        ]],
        at_40: &[
            &["<[ با قانون ", "۱۴۰۲/۱۱/۲۰", "<به نظرم مصوبه ]"],
            &["<اساسی مغایرت دارد."],
        ],
    },
    Comment {
        text: "The draft regulation ignores rural schools entirely (see Article 7 and the annex).",
        rtl: false,
        at_80: &[
            &["The draft regulation ignores rural schools entirely (see Article 7 and the"],
            &["annex)."],
        ],
        at_40: &[
            &["The draft regulation ignores rural"],
            &["schools entirely (see Article 7 and the"],
            &["annex)."],
        ],
    },
    Comment {
        text: "Please translate «آیین‌نامه» into English before 2024-06-05 so we can comment.",
        rtl: false,
        at_80: &[&[
            "Please translate «",
            "<آیین‌نامه",
            "» into English before 2024-06-05 so we can comment.",
        ]],
        at_40: &[
            &["Please translate «", "<آیین‌نامه", "» into English"],
            &["before 2024-06-05 so we can comment."],
        ],
    },
    Comment {
        text: "ارزشیابی توصیفی در پایه‌های اول تا سوم (Grades 1-3) موفق بوده است.",
        rtl: true,
        at_80: &[&[
            "<( موفق بوده است.",
            "Grades 1-3",
            "<ارزشیابی توصیفی در پایه‌های اول تا سوم )",
        ]],
        at_40: &[
            &["<ارزشیابی توصیفی در پایه‌های اول تا سوم "],
            &["<( موفق بوده است.", "Grades 1-3", ")"],
        ],
    },
    Comment {
        text: "هزینه سرویس مدارس از ۱,۵۰۰,۰۰۰ ریال به 2,000,000 ریال رسیده است.",
        rtl: true,
        at_80: &[&[
            "< ریال رسیده است.",
            "2,000,000",
            "< ریال به ",
            "۱,۵۰۰,۰۰۰",
            "<هزینه سرویس مدارس از ",
        ]],
        at_40: &[
            &["< ریال به ", "۱,۵۰۰,۰۰۰", "<هزینه سرویس مدارس از "],
            &["< ریال رسیده است.", "2,000,000"],
        ],
    },
    Comment {
        text: "لطفاً گزارش نهایی را به صورت PDF و CSV روی portal منتشر کنید.",
        rtl: true,
        at_80: &[&[
            "< منتشر کنید.",
            "portal",
            "< روی ",
            "CSV",
            "< و ",
            "PDF",
            "<لطفاً گزارش نهایی را به صورت ",
        ]],
        at_40: &[
            &["CSV", "< و ", "PDF", "<لطفاً گزارش نهایی را به صورت "],
            &["< منتشر کنید.", "portal", "<روی "],
        ],
    },
    Comment {
        text: "١٢ مدرسه در این منطقه به دلیل کمبود معلم تعطیل شده‌اند.",
        rtl: true,
        at_80: &[&[
            "< مدرسه در این منطقه به دلیل کمبود معلم تعطیل شده‌اند.",
            "١٢",
        ]],
        at_40: &[
            &["< مدرسه در این منطقه به دلیل کمبود معلم ", "١٢"],
            &["<تعطیل شده‌اند."],
        ],
    },
    Comment {
        text: "بدون نیم‌فاصله نوشته‌اند میشود ولی شکل درستش می‌شود است.",
        rtl: true,
        at_80: &[&["<بدون نیم‌فاصله نوشته‌اند میشود ولی شکل درستش می‌شود است."]],
        at_40: &[
            &["<بدون نیم‌فاصله نوشته‌اند میشود ولی شکل "],
            &["<درستش می‌شود است."],
        ],
    },
    Comment {
        text: "رأی‌گیری تا ساعت ۲۳:۵۹ روز ۱۴۰۳/۴/۱ ادامه دارد.",
        rtl: true,
        at_80: &[&[
            "< ادامه دارد.",
            "۱۴۰۳/۴/۱",
            "< روز ",
            "۲۳:۵۹",
            "<رأی‌گیری تا ساعت ",
        ]],
        at_40: &[
            &[
                "< ادامه ",
                "۱۴۰۳/۴/۱",
                "< روز ",
                "۲۳:۵۹",
                "<رأی‌گیری تا ساعت ",
            ],
            &["<دارد."],
        ],
    },
    Comment {
        text: "سهم زنان از شرکت‌کنندگان ۴۸٪ و سهم استان تهران ۲۱٪ بود (گزارش Q2).",
        rtl: true,
        at_80: &[&[
            "<(.",
            "Q2",
            "<٪ بود )گزارش ",
            "۲۱",
            "<٪ و سهم استان تهران ",
            "۴۸",
            "<سهم زنان از شرکت‌کنندگان ",
        ]],
        at_40: &[
            &["<٪ و سهم استان ", "۴۸", "<سهم زنان از شرکت‌کنندگان "],
            &["<(.", "Q2", "<٪ بود )گزارش ", "۲۱", "<تهران "],
        ],
    },
    Comment {
        // A list: every line is a paragraph of its own; the numbers lead on the right.
        text: "پیشنهادهای من:\n۱. افزایش مهلت به ۴۵ روز\n۲. انتشار دوزبانه (فارسی/English)\n۳. گزارش آماری بر اساس استان",
        rtl: true,
        at_80: &[
            &["<پیشنهادهای من:"],
            &["< روز", "۴۵", "<. افزایش مهلت به ", "۱"],
            &["<(", "English", "<. انتشار دوزبانه )فارسی/", "۲"],
            &["<. گزارش آماری بر اساس استان", "۳"],
        ],
        at_40: &[
            &["<پیشنهادهای من:"],
            &["< روز", "۴۵", "<. افزایش مهلت به ", "۱"],
            &["<(", "English", "<. انتشار دوزبانه )فارسی/", "۲"],
            &["<. گزارش آماری بر اساس استان", "۳"],
        ],
    },
];

fn check(comment: &Comment, width: u16, expected: &[&[&str]]) {
    let layout = TextLayout::from_str(comment.text, Style::new(), width, &LayoutOptions::default());
    let got: Vec<String> = layout
        .lines
        .iter()
        .map(|l| l.line.to_string().trim().to_owned())
        .collect();
    let want: Vec<String> = expected
        .iter()
        .map(|pieces| row(pieces).trim().to_owned())
        .collect();
    assert_eq!(got, want, "\n{} at width {width}", comment.text);
    for line in &layout.lines {
        let direction = if comment.rtl {
            BaseDirection::Rtl
        } else {
            BaseDirection::Ltr
        };
        assert_eq!(line.direction, direction, "{}", comment.text);
        if comment.rtl {
            assert_eq!(line.alignment, Alignment::Right);
            assert_eq!(
                line.indent + line.width,
                width,
                "flush right: {}",
                comment.text
            );
        } else {
            assert_eq!(line.indent, 0);
        }
    }
}

#[test]
fn comments_at_width_80() {
    assert!(COMMENTS.len() >= 30);
    for comment in COMMENTS {
        check(comment, 80, comment.at_80);
    }
}

#[test]
fn comments_at_width_40() {
    for comment in COMMENTS {
        check(comment, 40, comment.at_40);
    }
}
