//! Reading the console's plain TOML files (keymaps, themes, locales, settings) with positions,
//! so that a mistake in a hand-edited file is reported as `file:line: what was expected`.

use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::DeTable;

/// A file the console could not use, with the place and the reason in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// Where the text came from: a path, or `embedded keymaps/default.toml` for built-in files.
    pub file: String,
    /// 1-based line of the offending text, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for FileError {}

/// A TOML document being read, remembering its origin so errors can point into it.
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl<'a> Source<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Self { file, text }
    }

    /// Parses the document, keeping the byte span of every key and value.
    pub fn parse(&self) -> Result<Spanned<DeTable<'a>>, FileError> {
        DeTable::parse(self.text).map_err(|err| FileError {
            file: self.file.to_owned(),
            line: err.span().map(|span| self.line_of(span.start)),
            message: format!("not valid TOML: {}", err.message()),
        })
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// An error located at `span`.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> FileError {
        FileError {
            file: self.file.to_owned(),
            line: Some(self.line_of(span.start)),
            message: message.into(),
        }
    }

    /// An error about the file as a whole.
    pub fn file_error(&self, message: impl Into<String>) -> FileError {
        FileError {
            file: self.file.to_owned(),
            line: None,
            message: message.into(),
        }
    }
}

pub use mosharekat_locale::diagnostics::{suggestion, type_name};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_names_file_and_line() {
        let src = Source::new("x.toml", "a = 1\nb = = 2\n");
        let err = src.parse().unwrap_err();
        assert_eq!(err.file, "x.toml");
        assert_eq!(err.line, Some(2));
        assert!(err.to_string().starts_with("x.toml:2: not valid TOML"));
    }

    #[test]
    fn line_of_counts_newlines_before_offset() {
        let src = Source::new("x", "ab\ncd\nef");
        assert_eq!(src.line_of(0), 1);
        assert_eq!(src.line_of(3), 2);
        assert_eq!(src.line_of(7), 3);
        assert_eq!(src.line_of(999), 3);
    }
}
