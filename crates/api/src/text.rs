//! Rules on comment text that every implementation of the protocol applies the same way.

use crate::{ErrorCode, MAX_COMMENT_CHARS};

/// Check a comment body. A stored body keeps every character as typed (it is a public record)
/// except NUL, which is refused; showing it safely is the console's job.
pub fn validate_comment_body(body: &str) -> Result<(), (ErrorCode, String)> {
    if body.contains('\0') {
        return Err((
            ErrorCode::InvalidText,
            "the text contains a NUL character".into(),
        ));
    }
    if body.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err((ErrorCode::EmptyBody, "the comment is empty".into()));
    }
    let chars = body.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err((
            ErrorCode::BodyTooLong,
            format!("the comment has {chars} characters; at most {MAX_COMMENT_CHARS} are accepted"),
        ));
    }
    Ok(())
}

/// Characters that show nothing by themselves: a body of only these is empty.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}'
    ) || c.is_control()
}

/// The normalised form used to find identical comments (campaign groups): Arabic letters unified with
/// their Persian forms (ي→ی, ك→ک, ى→ی, ة→ه, أ/إ/آ kept as-is except hamza forms of alef folded to ا),
/// Persian and Arabic-Indic digits folded to ASCII, ZWNJ/ZWJ read as a space, other invisible characters and
/// Arabic diacritics (harakat, tatweel) removed, Latin case folded, punctuation at the ends dropped,
/// whitespace collapsed.
pub fn normalize_for_duplicates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let mapped = match c {
            'ي' | 'ى' | 'ئ' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            'أ' | 'إ' | 'ٱ' => 'ا',
            'ؤ' => 'و',
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => continue,
            // A ZWNJ and a space are interchangeable in everyday Persian typing («آیین‌نامه», «آیین نامه»).
            c if c.is_whitespace() || c == '\u{200C}' || c == '\u{200D}' => {
                pending_space = !out.is_empty();
                continue;
            }
            c if is_invisible(c) => continue,
            c => c,
        };
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        for lower in mapped.to_lowercase() {
            out.push(lower);
        }
    }
    let trimmed = out.trim_matches(|c: char| {
        c.is_ascii_punctuation() || "،؛؟«»!.".contains(c) || c.is_whitespace()
    });
    trimmed.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_rules() {
        assert!(validate_comment_body("نظر من این است").is_ok());
        assert_eq!(
            validate_comment_body("").unwrap_err().0,
            ErrorCode::EmptyBody
        );
        assert_eq!(
            validate_comment_body(" \n\t\u{200c} ").unwrap_err().0,
            ErrorCode::EmptyBody
        );
        assert_eq!(
            validate_comment_body("a\0b").unwrap_err().0,
            ErrorCode::InvalidText
        );
        assert!(validate_comment_body(&"ب".repeat(MAX_COMMENT_CHARS)).is_ok());
        assert_eq!(
            validate_comment_body(&"ب".repeat(MAX_COMMENT_CHARS + 1))
                .unwrap_err()
                .0,
            ErrorCode::BodyTooLong
        );
        // Control characters other than NUL are kept: the record is what the citizen typed.
        assert!(validate_comment_body("abc\u{1b}[2J").is_ok());
    }

    #[test]
    fn duplicates_fold_script_variants_digits_zwnj_and_spacing() {
        let a = "این آيين‌نامه در ماده ۱۲ مشكل دارد.";
        let b = "  اين آیین نامه در  ماده 12 مشکل دارد ";
        // ZWNJ reads as a space, so «آیین‌نامه» and «آیین نامه» match; no separator at all does not.
        assert_eq!(normalize_for_duplicates(a), normalize_for_duplicates(b));
        let c = "اين آیيننامه در ماده ١٢ مشکل دارد!";
        assert_ne!(normalize_for_duplicates(a), normalize_for_duplicates(c));
        assert_eq!(normalize_for_duplicates("\u{202E}abc\u{202C}"), "abc");
        assert_eq!(normalize_for_duplicates("Hello   WORLD."), "hello world");
        assert_eq!(normalize_for_duplicates("کِتابْ"), "کتاب");
    }
}
