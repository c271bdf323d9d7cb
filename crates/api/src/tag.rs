//! Concern tags: each consultation's bilingual list of the topics moderators attach to comments.
//! `GET|PUT /api/v1/consultations/{id}/tags`; once a consultation has a list, moderation decisions
//! may only use its codes (`422 unknown_tag`).

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConcernTag {
    /// Stable code: 1 to 64 of `a-z`, `0-9`, `_`.
    pub code: String,
    pub label_fa: String,
    pub label_en: String,
}

/// Most tags one consultation may list, and the longest label.
pub const MAX_TAGS_PER_CONSULTATION: usize = 100;
pub const MAX_TAG_LABEL_CHARS: usize = 200;

/// Whether `code` is a valid tag code.
pub fn is_tag_code(code: &str) -> bool {
    (1..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Check a whole list as `PUT` replaces it: valid unique codes, both labels present.
pub fn validate_tag_list(tags: &[ConcernTag]) -> Result<(), (ErrorCode, String)> {
    if tags.len() > MAX_TAGS_PER_CONSULTATION {
        return Err((
            ErrorCode::Validation,
            format!("at most {MAX_TAGS_PER_CONSULTATION} tags"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for tag in tags {
        if !is_tag_code(&tag.code) {
            return Err((
                ErrorCode::Validation,
                format!(
                    "`{}` is not a tag code: use 1 to 64 of a-z, 0-9 and _",
                    tag.code
                ),
            ));
        }
        if !seen.insert(tag.code.as_str()) {
            return Err((
                ErrorCode::Validation,
                format!("the code `{}` is listed twice", tag.code),
            ));
        }
        for (name, label) in [("label_fa", &tag.label_fa), ("label_en", &tag.label_en)] {
            if label.trim().is_empty() {
                let code = if name == "label_en" {
                    ErrorCode::MissingTranslation
                } else {
                    ErrorCode::Validation
                };
                return Err((code, format!("the tag `{}` needs a {name}", tag.code)));
            }
            if label.chars().count() > MAX_TAG_LABEL_CHARS || label.contains('\0') {
                return Err((
                    ErrorCode::Validation,
                    format!("a tag label is at most {MAX_TAG_LABEL_CHARS} characters of text"),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(code: &str, fa: &str, en: &str) -> ConcernTag {
        ConcernTag {
            code: code.into(),
            label_fa: fa.into(),
            label_en: en.into(),
        }
    }

    #[test]
    fn lists_are_checked() {
        assert!(validate_tag_list(&[]).is_ok());
        assert!(
            validate_tag_list(&[
                tag("tuition", "شهریه", "Tuition"),
                tag("teachers_pay", "حقوق معلمان", "Teachers' pay")
            ])
            .is_ok()
        );
        let bad = [
            tag("Tuition", "شهریه", "Tuition"),
            tag("", "شهریه", "Tuition"),
            tag("a b", "شهریه", "Tuition"),
            tag(&"a".repeat(65), "شهریه", "Tuition"),
            tag("x", " ", "X"),
        ];
        for t in bad {
            assert_eq!(
                validate_tag_list(std::slice::from_ref(&t)).unwrap_err().0,
                ErrorCode::Validation,
                "{t:?}"
            );
        }
        assert_eq!(
            validate_tag_list(&[tag("x", "ایکس", "")]).unwrap_err().0,
            ErrorCode::MissingTranslation
        );
        assert!(validate_tag_list(&[tag("x", "ا", "X"), tag("x", "ب", "Y")]).is_err());
    }
}
