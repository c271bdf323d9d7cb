//! The one error shape every route answers with: `{error: {code, message}}`.

use serde::{Deserialize, Serialize};

/// Body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A machine-readable code and a message that is safe to show a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code: code.as_str().to_owned(),
                message: message.into(),
            },
        }
    }
}

macro_rules! error_codes {
    ($($variant:ident => $code:literal, $status:literal;)*) => {
        /// Every error code the protocol defines, with the HTTP status it travels with.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant,)* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as it appears on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            /// The HTTP status code this error is sent with.
            pub fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(ErrorCode::$variant),)* _ => None }
            }
        }
    };
}

error_codes! {
    BadRequest => "bad_request", 400;
    MalformedJson => "malformed_json", 400;
    Unauthorized => "unauthorized", 401;
    Forbidden => "forbidden", 403;
    VerificationRequired => "verification_required", 403;
    NotFound => "not_found", 404;
    MethodNotAllowed => "method_not_allowed", 405;
    Conflict => "conflict", 409;
    ConsultationNotOpen => "consultation_not_open", 409;
    InvalidState => "invalid_state", 409;
    ClaimInvalid => "claim_invalid", 409;
    AlreadyDecided => "already_decided", 409;
    UsernameTaken => "username_taken", 409;
    VersionConflict => "version_conflict", 409;
    ConsultationNotClosed => "consultation_not_closed", 409;
    PayloadTooLarge => "payload_too_large", 413;
    UnsupportedMediaType => "unsupported_media_type", 415;
    Validation => "validation_failed", 422;
    EmptyBody => "empty_body", 422;
    BodyTooLong => "body_too_long", 422;
    InvalidText => "invalid_text", 422;
    WindowTooShort => "window_too_short", 422;
    MissingTranslation => "missing_translation", 422;
    IdempotencyKeyReused => "idempotency_key_reused", 422;
    ReasonRequired => "reason_required", 422;
    UnknownReason => "unknown_reason", 422;
    ConsentRequired => "consent_required", 422;
    UnknownTag => "unknown_tag", 422;
    NoArticles => "no_articles", 422;
    DraftMismatch => "draft_mismatch", 422;
    UnknownArticle => "unknown_article", 422;
    InvalidPhone => "invalid_phone", 422;
    WrongCode => "wrong_code", 422;
    CodeExpired => "code_expired", 422;
    NoCode => "no_code", 422;
    RegistrationRequired => "registration_required", 422;
    RateLimited => "rate_limited", 429;
    Internal => "internal", 500;
    SmsFailed => "sms_failed", 502;
    Unavailable => "unavailable", 503;
    SmsNotConfigured => "sms_not_configured", 503;
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert_eq!(ErrorCode::from_code(code.as_str()), Some(*code));
            assert!((400..600).contains(&code.status()));
        }
    }

    #[test]
    fn body_shape() {
        let body = ErrorBody::new(ErrorCode::WindowTooShort, "too short");
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "window_too_short", "message": "too short"}})
        );
    }
}
