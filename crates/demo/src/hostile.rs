//! What a moderation queue also receives: spam with links, and text built to attack the terminal
//! that shows it (escape sequences, bidi overrides, combining-mark floods, invisible characters,
//! one endless word). These are here for the console's sanitiser to prove itself on.

use super::dataset::HostileKind;

/// Spam, as it arrives: promotions with links (on reserved `.example` domains).
const SPAM: &[&str] = &[
    "🔥 تخفیف ویژه کلاس‌های کنکور! قبولی تضمینی پزشکی 🔥 همین حالا ثبت‌نام کنید: https://konkur-vip.example.com/?ref=mosharekat",
    "خرید فالوور و لایک واقعی با کمترین قیمت 👇👇 https://followers-shop.example.net تماس: ۰۹۱۲۰۰۰۰۰۰۰",
    "Best essay writing service!!! Cheap & fast, 100% plagiarism free → https://essays-cheap.example.org/promo",
    "دانلود رایگان گام‌به‌گام همه پایه‌ها + نمونه سؤال امتحان نهایی 👈 https://gam-be-gam.example.com/dl?id=7741 👈 https://gam-be-gam.example.com/dl?id=7742",
    "وام فوری بدون ضامن برای فرهنگیان!!! فقط با کارت ملی. واتساپ: +98 912 000 0000 https://vam-farhangian.example.com",
    "کسب درآمد دلاری از خانه 💵💵 روزانه ۵۰۰ دلار! عضو کانال شوید: https://earn-dollar.example.net/join",
];

/// Every hostile text with its kind: each spam once (the generator posts some more than once),
/// then one of each attack.
pub(crate) fn texts() -> Vec<(HostileKind, String)> {
    let mut out: Vec<(HostileKind, String)> = SPAM
        .iter()
        .map(|s| (HostileKind::Spam, (*s).to_owned()))
        .collect();
    out.push((
        HostileKind::TerminalEscape,
        // Clear the screen, home the cursor, retitle the window (OSC 0), then shout in bold red.
        "\u{1b}[2J\u{1b}[H\u{1b}]0;سامانه مشارکت هک شد\u{7}نظر من: این آیین‌نامه \u{1b}[31;1mکاملاً غیرقانونی\u{1b}[0m است."
            .to_owned(),
    ));
    out.push((
        HostileKind::TerminalEscape,
        // An OSC 8 hyperlink whose visible text is the ministry's site but whose target is not,
        // and a line hidden with SGR 8 (conceal).
        "متن کامل پیش‌نویس را اینجا ببینید: \u{1b}]8;;https://phish.example.com/login\u{1b}\\https://www.medu.ir\u{1b}]8;;\u{1b}\\\n\u{1b}[8mاین خط نباید دیده شود\u{1b}[0m"
            .to_owned(),
    ));
    out.push((
        HostileKind::BidiOverride,
        // A right-to-left override that makes «fdp.exe» read as «exe.pdf».
        "لطفاً فایل پیوست را باز کنید: مستندات_شکایت\u{202E}fdp.exe".to_owned(),
    ));
    out.push((
        HostileKind::BidiOverride,
        // The Trojan Source "stretched string": the comment markers render inside the quotes.
        "if access_level != \"user\u{202E} \u{2066}// Check if admin\u{2069} \u{2066}\" { grant_all(); }"
            .to_owned(),
    ));
    out.push((
        HostileKind::CombiningFlood,
        combining_flood("اعتراض دارم ", "HE COMES"),
    ));
    out.push((
        HostileKind::Unbroken,
        format!("چرا{}؟؟؟", "ا".repeat(1_500)),
    ));
    out.push((
        HostileKind::Invisible,
        "\u{200b}\u{2060}\u{feff}م\u{200b}و\u{200b}ا\u{200b}ف\u{200b}ق\u{200b}م\u{200b}\u{200b}\u{2063}".to_owned(),
    ));
    out
}

/// `prefix` followed by `word` with a stack of combining marks on every letter ("zalgo" text).
fn combining_flood(prefix: &str, word: &str) -> String {
    let mut out = prefix.to_owned();
    for (i, c) in word.chars().enumerate() {
        out.push(c);
        for k in 0..12u32 {
            let mark = 0x0300 + (i as u32 * 7 + k * 5) % 0x70;
            out.push(char::from_u32(mark).expect("a combining mark"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use mosharekat_api::text::validate_comment_body;

    #[test]
    fn hostile_texts_are_valid_bodies_with_their_payload() {
        let all = texts();
        for (kind, text) in &all {
            assert!(validate_comment_body(text).is_ok(), "{kind:?}");
            match kind {
                HostileKind::Spam => assert!(text.contains("https://")),
                HostileKind::TerminalEscape => assert!(text.contains('\u{1b}')),
                HostileKind::BidiOverride => assert!(text.contains('\u{202E}')),
                HostileKind::CombiningFlood => {
                    assert!(
                        text.chars()
                            .filter(|c| ('\u{0300}'..='\u{036F}').contains(c))
                            .count()
                            > 50
                    )
                }
                HostileKind::Unbroken => {
                    assert!(!text.contains(' ') && text.chars().count() > 1_000)
                }
                HostileKind::Invisible => assert!(text.contains('\u{200b}')),
            }
        }
        assert!(all.iter().any(|(_, t)| t.contains("\u{1b}[2J")));
        assert!(all.iter().any(|(_, t)| t.contains("\u{1b}]0;")));
    }
}
