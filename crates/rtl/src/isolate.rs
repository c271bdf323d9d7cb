//! Which stretches of a paragraph are laid out as left-to-right isolates.
//!
//! Inside a Persian sentence the bidi algorithm scrambles tokens whose ends are neutral
//! characters: `https://medu.ir/` shows as `/https://medu.ir`, `-۵` as `۵-`, a path `/etc/x/` as
//! `/etc/x/` flipped. Wrapping such a token in LRI … PDI for the analysis (the isolate characters
//! never reach the screen) keeps it whole and left to right, and makes it a neutral for the text
//! around it. Isolated: URLs, e-mail addresses, file paths, signed numbers (and `+98 21 …` phone
//! numbers), neutralised escape sequences, and the sanitiser's markers. Plain numbers are left to the algorithm: it never
//! reverses digits, and isolating them would split "ISO 9001" or "Windows 11" in two.

use std::ops::Range;

/// Byte ranges of `text` to isolate, sorted and disjoint.
pub(crate) fn isolated_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    if !may_hold_token(text) {
        return ranges;
    }
    let mut words = words(text).peekable();
    while let Some(word) = words.next() {
        if !may_hold_token(&text[word.clone()]) {
            continue;
        }
        let core = trim_punctuation(text, word.clone());
        if core.is_empty() {
            continue;
        }
        let token = &text[core.clone()];
        if is_url(token) || is_email(token) || is_path(token) || is_escape_sequence(token) {
            ranges.push(core);
        } else if is_signed_number(token) {
            let mut end = core.end;
            // "+98 21 6123 4567": digit groups after a leading plus belong to the number.
            if token.starts_with('+') && core.end == word.end {
                while let Some(next) = words.peek() {
                    let gap = &text[end..next.start];
                    let next_core = trim_punctuation(text, next.clone());
                    if gap == " "
                        && next_core.start == next.start
                        && is_digits(&text[next_core.clone()])
                    {
                        end = next_core.end;
                        let whole_word = next_core.end == next.end;
                        words.next();
                        if !whole_word {
                            break;
                        }
                    } else {
                        break;
                    }
                }
            }
            ranges.push(core.start..end);
        }
    }
    ranges.extend(marker_ranges(text));
    ranges.sort_by_key(|r| r.start);
    // Markers can sit inside a URL-like word; keep the outer range.
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// False when the text cannot hold anything isolated: every kind of token needs one of these
/// (a URL `:` or `www.`, an address `@`, a path `/` or `:`, a signed number `+`, `-` or `−`,
/// an escape sequence a Control Picture, a marker `⟦`), so most Persian prose is skipped whole.
fn may_hold_token(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes[from..]
        .iter()
        .position(|&b| TOKEN_LEAD[usize::from(b)])
    {
        let i = from + offset;
        let hit = match bytes[i] {
            b'w' | b'W' => bytes
                .get(i..i + 4)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"www.")),
            // U+2212 minus, U+2400–U+2421 Control Pictures, U+27E6 ⟦.
            0xe2 => matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0x88), Some(0x92))
                    | (Some(0x90), Some(0x80..=0xa1))
                    | (Some(0x9f), Some(0xa6))
            ),
            _ => true,
        };
        if hit {
            return true;
        }
        from = i + 1;
    }
    false
}

/// The bytes [`may_hold_token`] stops at.
const TOKEN_LEAD: [bool; 256] = {
    let mut lead = [false; 256];
    let bytes = [b':', b'/', b'@', b'+', b'-', b'w', b'W', 0xe2];
    let mut i = 0;
    while i < bytes.len() {
        lead[bytes[i] as usize] = true;
        i += 1;
    }
    lead
};

/// The text with LRI … PDI around its isolated ranges: what the paragraph direction is taken
/// from (so a paragraph that opens with a URL takes its direction from the words after it).
/// Only the editor needs it as a string: the layout isolates while it analyses.
#[cfg(feature = "editor")]
pub(crate) fn analysis_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for range in isolated_ranges(text) {
        out.push_str(&text[at..range.start]);
        out.push('\u{2066}');
        out.push_str(&text[range.clone()]);
        out.push('\u{2069}');
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Maximal runs of non-whitespace.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    let mut iter = text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')));
    std::iter::from_fn(move || {
        for (i, c) in iter.by_ref() {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    start = None;
                    return Some(s..i);
                }
                _ => {}
            }
        }
        None
    })
}

/// The word without sentence punctuation and quotes around it; a closing bracket stays when the
/// word opens it too (`https://fa.wikipedia.org/wiki/X_(Y)`).
fn trim_punctuation(text: &str, word: Range<usize>) -> Range<usize> {
    const LEADING: &[char] = &['(', '[', '{', '«', '"', '\'', '“', '‘', '<'];
    const TRAILING: &[char] = &[
        '.', ',', ';', ':', '!', '?', ')', ']', '}', '»', '"', '\'', '”', '’', '>', '،', '؛', '؟',
    ];
    let mut s = &text[word.clone()];
    let mut start = word.start;
    while let Some(c) = s.chars().next().filter(|c| LEADING.contains(c)) {
        start += c.len_utf8();
        s = &s[c.len_utf8()..];
    }
    while let Some(c) = s.chars().next_back().filter(|c| TRAILING.contains(c)) {
        let opener = match c {
            ')' => Some('('),
            ']' => Some('['),
            '}' => Some('{'),
            _ => None,
        };
        if let Some(opener) = opener
            && s.matches(opener).count() >= s.matches(c).count()
        {
            break;
        }
        s = &s[..s.len() - c.len_utf8()];
    }
    start..start + s.len()
}

fn is_url(token: &str) -> bool {
    [
        "http://", "https://", "ftp://", "ftps://", "mailto:", "file://", "www.",
    ]
    .iter()
    .any(|scheme| {
        token.len() > scheme.len()
            && token.as_bytes()[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes())
    })
}

fn is_email(token: &str) -> bool {
    let Some((local, domain)) = token.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    local_ok && domain_ok
}

fn is_path(token: &str) -> bool {
    let bytes = token.as_bytes();
    let unix = (token.starts_with('/')
        || token.starts_with("~/")
        || token.starts_with("./")
        || token.starts_with("../"))
        && token.chars().filter(|&c| c == '/').count() >= 1
        && token.chars().any(|c| c.is_alphanumeric());
    let windows = bytes.len() > 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && (bytes[2] == b'\\' || bytes[2] == b'/');
    // A lone "/" or a fraction "/۲" is not a path.
    unix && token.len() > 1 && !token[1..].chars().all(is_digit) || windows
}

/// A neutralised escape sequence ("␛]0;title␇", "␛[2J"): ASCII with Control Pictures in it.
/// Isolated, it reads in the order it was sent even inside Persian text.
fn is_escape_sequence(token: &str) -> bool {
    let picture = |c: char| ('\u{2400}'..='\u{2421}').contains(&c);
    token.chars().any(picture)
        && token
            .chars()
            .all(|c| c.is_ascii() || picture(c) || c == '⟦' || c == '⟧')
}

fn is_signed_number(token: &str) -> bool {
    let mut chars = token.chars();
    let Some(sign) = chars.next() else {
        return false;
    };
    if !matches!(sign, '+' | '-' | '−') {
        return false;
    }
    let rest = chars.as_str();
    let rest = rest.strip_suffix(['%', '٪', '‰']).unwrap_or(rest);
    rest.chars().next().is_some_and(is_digit)
        && rest.chars().next_back().is_some_and(is_digit)
        && rest
            .chars()
            .all(|c| is_digit(c) || matches!(c, '.' | ',' | '٫' | '٬' | '/' | ':' | '-'))
}

fn is_digits(token: &str) -> bool {
    !token.is_empty() && token.chars().all(is_digit)
}

/// ASCII, Arabic-Indic and Extended Arabic-Indic (Persian) digits.
pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{660}'..='\u{669}').contains(&c)
        || ('\u{6f0}'..='\u{6f9}').contains(&c)
}

/// The sanitiser's `⟦NAME⟧` markers.
fn marker_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    text.match_indices('⟦').filter_map(move |(start, _)| {
        let rest = &text[start + '⟦'.len_utf8()..];
        let len = rest.find('⟧')?;
        let name = &rest[..len];
        (!name.is_empty() && name.len() <= 5 && name.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| start..start + '⟦'.len_utf8() + len + '⟧'.len_utf8())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isolated(text: &str) -> Vec<&str> {
        isolated_ranges(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn urls_lose_sentence_punctuation() {
        assert_eq!(
            isolated("به https://medu.ir/fa/ بروید."),
            vec!["https://medu.ir/fa/"]
        );
        assert_eq!(isolated("(www.medu.ir)."), vec!["www.medu.ir"]);
        assert_eq!(
            isolated("«https://fa.wikipedia.org/wiki/A_(B)»،"),
            vec!["https://fa.wikipedia.org/wiki/A_(B)"]
        );
    }

    #[test]
    fn emails_and_paths() {
        assert_eq!(isolated("نامه به info@medu.ir:"), vec!["info@medu.ir"]);
        assert_eq!(
            isolated("فایل /etc/hosts و C:\\Users\\x"),
            vec!["/etc/hosts", "C:\\Users\\x"]
        );
        assert!(isolated("نسبت ۱/۲ و a@b").is_empty());
    }

    #[test]
    fn signed_numbers_and_phones() {
        assert_eq!(isolated("دمای -۵ درجه"), vec!["-۵"]);
        assert_eq!(
            isolated("تلفن +98 21 6123 4567 است"),
            vec!["+98 21 6123 4567"]
        );
        assert_eq!(isolated("رشد +۲۰٪،"), vec!["+۲۰٪"]);
        assert!(isolated("ماده ۱۲ و ISO 9001 و ۱۴۰۳/۳/۱۵").is_empty());
    }

    #[test]
    fn the_prefilter_lets_every_kind_of_token_through() {
        for token in [
            "http://a",
            "HTTPS://a",
            "mailto:x",
            "Www.a",
            "a@b.c",
            "/etc",
            "C:\\x",
            "+1",
            "-۵",
            "\u{2212}۵",
            "\u{241b}[2J",
            "⟦RLO⟧",
        ] {
            assert!(may_hold_token(token), "{token}");
        }
        assert!(!may_hold_token("این سند ۳۰ روز، «تدوین» شد. (ww.x)"));
    }

    #[test]
    fn markers() {
        assert_eq!(isolated("a⟦RLO⟧b ⟦not a marker⟧"), vec!["⟦RLO⟧"]);
    }
}
