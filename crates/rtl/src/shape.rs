//! Arabic-script shaping for terminals that do not shape: each letter takes its contextual
//! presentation form (isolated, initial, medial, final), lam-alef becomes one ligature cell,
//! harakat stay on their letter, ZWNJ stops joining and ZWJ forces it.
//!
//! The letter forms come from `ar-reshaper`'s table (`letters_db::LETTERS_ARABIC`). Its
//! `ArabicReshaper::reshape` works on whole strings and loses the link between input and output
//! characters (and panics in debug builds on text that starts with a haraka), while the layout
//! needs to know which grapheme became which cell for its cursor maps; so the joining pass runs
//! here, one grapheme cluster at a time, and a test checks it against `reshape`.
//! Shaping is applied per wrapped line, after wrapping, for display only.

use std::ops::Range;
use std::sync::OnceLock;

use ar_reshaper::form::Forms;
use ar_reshaper::letters::letters_db::LETTERS_ARABIC;

const ZWNJ: char = '\u{200c}';
const ZWJ: char = '\u{200d}';
const LAM: char = '\u{644}';

/// One shaped cell group: the units it came from and what to draw.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shaped {
    /// Indices (into the slice given to [`shape_clusters`]) of the clusters drawn as this text.
    pub units: Range<usize>,
    pub text: String,
}

/// Shapes a run of grapheme clusters in logical order. `joinable[i]` is false for clusters that
/// must not take part in joining (markers, tab spaces); `same_level(i, j)` says whether two
/// clusters sit at the same bidi level (a ligature never spans a level change).
#[cfg(test)]
pub(crate) fn shape_clusters(
    clusters: &[&str],
    joinable: &[bool],
    same_level: impl Fn(usize, usize) -> bool,
) -> Vec<Shaped> {
    let mut text = String::new();
    let mut groups = Vec::new();
    shape_into(
        clusters.len(),
        |i| clusters[i],
        |i| joinable[i],
        same_level,
        &mut text,
        &mut groups,
    );
    groups
        .into_iter()
        .map(|g| Shaped {
            units: g.units,
            text: text[g.text].to_owned(),
        })
        .collect()
}

/// One shaped cell group written by [`shape_into`]: the clusters it came from and where its
/// text is in the output buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShapedGroup {
    pub units: Range<usize>,
    pub text: Range<usize>,
    /// The text when it is one character (most groups: a letter's form).
    pub single: Option<char>,
}

/// A cluster as shaping sees it.
struct Look<'a> {
    text: &'a str,
    base: char,
    /// The letter's forms, for a joinable cluster of an Arabic letter.
    forms: Option<&'static Forms>,
}

/// [`shape_clusters`] into reused buffers: the groups' texts go one after the other into
/// `text`, the groups into `groups` (both cleared first). Cluster `i` is `cluster(i)`.
pub(crate) fn shape_into<'a>(
    count: usize,
    cluster: impl Fn(usize) -> &'a str,
    joinable: impl Fn(usize) -> bool,
    same_level: impl Fn(usize, usize) -> bool,
    text: &mut String,
    groups: &mut Vec<ShapedGroup>,
) {
    text.clear();
    groups.clear();
    let table = forms_table();
    let look = |i: usize| -> Look<'a> {
        let text = cluster(i);
        let base = text.chars().next().expect("a cluster is never empty");
        let forms = if joinable(i) { table.get(base) } else { None };
        Look { text, base, forms }
    };
    let mut this = (count > 0).then(|| look(0));
    let mut joined_from_before = false;
    let mut i = 0;
    while let Some(current) = this.take() {
        let next = (i + 1 < count).then(|| look(i + 1));
        let start = text.len();
        let Some(forms) = current.forms else {
            text.push_str(current.text);
            let mut chars = current.text.chars();
            let single = chars.next().filter(|_| chars.next().is_none());
            groups.push(ShapedGroup {
                units: i..i + 1,
                text: start..text.len(),
                single,
            });
            joined_from_before = false;
            i += 1;
            this = next;
            continue;
        };
        let base = current.base;
        // Marks and joiners come after the base; most clusters are the letter alone.
        let alone = current.text.len() == base.len_utf8();
        let joins_before = joined_from_before;
        let can_join_after = if joins_before {
            forms.medial != '\0'
        } else {
            forms.initial != '\0'
        } && (alone || !current.text.contains(ZWNJ));
        let next_joins_before = next.as_ref().is_some_and(|next| {
            next.forms
                .is_some_and(|next| next.end != '\0' || next.medial != '\0')
        });
        let joins_after =
            can_join_after && (next_joins_before || !alone && current.text.contains(ZWJ));

        if base == LAM
            && joins_after
            && next_joins_before
            && same_level(i, i + 1)
            && let Some(alef) = &next
            && let Some(ligature) = lam_alef(alef.text, joins_before)
        {
            text.push(ligature);
            text.extend(marks(current.text));
            text.extend(marks(alef.text));
            let single = (text.len() - start == ligature.len_utf8()).then_some(ligature);
            groups.push(ShapedGroup {
                units: i..i + 2,
                text: start..text.len(),
                single,
            });
            joined_from_before = false;
            i += 2;
            this = (i < count).then(|| look(i));
            continue;
        }

        let form = match (joins_before, joins_after) {
            (false, false) => forms.isolated,
            (false, true) => forms.initial,
            (true, false) => forms.end,
            (true, true) => forms.medial,
        };
        let shown = if form == '\0' { base } else { form };
        text.push(shown);
        if !alone {
            text.extend(marks(current.text));
        }
        let single = (text.len() - start == shown.len_utf8()).then_some(shown);
        groups.push(ShapedGroup {
            units: i..i + 1,
            text: start..text.len(),
            single,
        });
        joined_from_before = joins_after;
        i += 1;
        this = next;
    }
}

/// The cluster's marks after its base, without the joiners (they have done their work).
fn marks(cluster: &str) -> impl Iterator<Item = char> + '_ {
    cluster.chars().skip(1).filter(|&c| c != ZWNJ && c != ZWJ)
}

/// Lam followed by an alef: the ligature in isolated or final form.
fn lam_alef(alef_cluster: &str, joined_before: bool) -> Option<char> {
    let (isolated, end) = match alef_cluster.chars().next()? {
        '\u{622}' => ('\u{FEF5}', '\u{FEF6}'),
        '\u{623}' => ('\u{FEF7}', '\u{FEF8}'),
        '\u{625}' => ('\u{FEF9}', '\u{FEFA}'),
        '\u{627}' => ('\u{FEFB}', '\u{FEFC}'),
        _ => return None,
    };
    Some(if joined_before { end } else { isolated })
}

/// True when the text holds a letter this module would shape.
pub(crate) fn has_shapable(text: &str) -> bool {
    let table = forms_table();
    text.chars().any(|c| table.get(c).is_some())
}

/// Forms indexed by code point for the Arabic block and the ZWJ, built once from ar-reshaper.
struct FormsTable {
    arabic: Vec<Option<Forms>>,
}

const ARABIC_BLOCK: Range<u32> = 0x600..0x700;

impl FormsTable {
    fn get(&'static self, c: char) -> Option<&'static Forms> {
        let code = c as u32;
        if ARABIC_BLOCK.contains(&code) {
            self.arabic[(code - ARABIC_BLOCK.start) as usize].as_ref()
        } else {
            None
        }
    }
}

fn forms_table() -> &'static FormsTable {
    static TABLE: OnceLock<FormsTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut arabic = vec![None; ARABIC_BLOCK.len()];
        for (letter, forms) in LETTERS_ARABIC.iter() {
            let code = *letter as u32;
            if ARABIC_BLOCK.contains(&code) {
                arabic[(code - ARABIC_BLOCK.start) as usize] = Some(*forms);
            }
        }
        FormsTable { arabic }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    /// Shapes a plain string the way the layout does and joins the result.
    pub(crate) fn shape_str(text: &str) -> String {
        let clusters: Vec<&str> = text.graphemes(true).collect();
        let joinable = vec![true; clusters.len()];
        shape_clusters(&clusters, &joinable, |_, _| true)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    /// Expected forms, one row per letter, written from the Unicode chart of the Arabic
    /// presentation forms: (letter, isolated, initial, medial, final); `None` where the letter has
    /// no such form (it joins only to the letter before it).
    type Row = (char, char, Option<char>, Option<char>, char);
    const FORMS: &[Row] = &[
        (
            '\u{67e}',
            '\u{fb56}',
            Some('\u{fb58}'),
            Some('\u{fb59}'),
            '\u{fb57}',
        ), // پ
        (
            '\u{686}',
            '\u{fb7a}',
            Some('\u{fb7c}'),
            Some('\u{fb7d}'),
            '\u{fb7b}',
        ), // چ
        ('\u{698}', '\u{fb8a}', None, None, '\u{fb8b}'), // ژ
        (
            '\u{6af}',
            '\u{fb92}',
            Some('\u{fb94}'),
            Some('\u{fb95}'),
            '\u{fb93}',
        ), // گ
        (
            '\u{6a9}',
            '\u{fb8e}',
            Some('\u{fb90}'),
            Some('\u{fb91}'),
            '\u{fb8f}',
        ), // ک
        (
            '\u{6cc}',
            '\u{fbfc}',
            Some('\u{fbfe}'),
            Some('\u{fbff}'),
            '\u{fbfd}',
        ), // ی
        (
            '\u{628}',
            '\u{fe8f}',
            Some('\u{fe91}'),
            Some('\u{fe92}'),
            '\u{fe90}',
        ), // ب
        (
            '\u{647}',
            '\u{fee9}',
            Some('\u{feeb}'),
            Some('\u{feec}'),
            '\u{feea}',
        ), // ه
        (
            '\u{639}',
            '\u{fec9}',
            Some('\u{fecb}'),
            Some('\u{fecc}'),
            '\u{feca}',
        ), // ع
        (
            '\u{644}',
            '\u{fedd}',
            Some('\u{fedf}'),
            Some('\u{fee0}'),
            '\u{fede}',
        ), // ل
        ('\u{62f}', '\u{fea9}', None, None, '\u{feaa}'), // د
        ('\u{648}', '\u{feed}', None, None, '\u{feee}'), // و
    ];
    const BEH_INITIAL: char = '\u{fe91}';
    const BEH_ISOLATED: char = '\u{fe8f}';
    const DAL_FINAL: char = '\u{feaa}';

    #[test]
    fn every_letter_takes_the_right_form_in_every_position() {
        // Contexts built with beh (joins both ways) and dal (joins only to the letter before; not
        // alef, which would make a ligature with lam).
        for &(letter, isolated, initial, medial, end) in FORMS {
            assert_eq!(
                shape_str(&letter.to_string()),
                isolated.to_string(),
                "{letter} isolated"
            );
            match (initial, medial) {
                (Some(initial), Some(medial)) => {
                    assert_eq!(
                        shape_str(&format!("{letter}د")),
                        format!("{initial}{DAL_FINAL}")
                    );
                    assert_eq!(
                        shape_str(&format!("ب{letter}د")),
                        format!("{BEH_INITIAL}{medial}{DAL_FINAL}")
                    );
                }
                _ => {
                    // A right-joining letter ends the joined group: what follows starts afresh.
                    assert_eq!(
                        shape_str(&format!("{letter}ب")),
                        format!("{isolated}{BEH_ISOLATED}")
                    );
                    assert_eq!(
                        shape_str(&format!("ب{letter}ب")),
                        format!("{BEH_INITIAL}{end}{BEH_ISOLATED}")
                    );
                }
            }
            assert_eq!(
                shape_str(&format!("ب{letter}")),
                format!("{BEH_INITIAL}{end}"),
                "{letter} final"
            );
        }
    }

    #[test]
    fn lam_alef_is_one_cell() {
        assert_eq!(shape_str("لا"), "\u{fefb}");
        // seen initial, lam-alef final, meem isolated.
        assert_eq!(shape_str("سلام"), "\u{feb3}\u{fefc}\u{fee1}");
        // alef isolated, lam with alef-madda isolated, noon isolated.
        assert_eq!(shape_str("الآن"), "\u{fe8d}\u{fef5}\u{fee5}");
        assert_eq!(shape_str("لأ"), "\u{fef7}");
        assert_eq!(shape_str("بلإ"), "\u{fe91}\u{fefa}");
        let clusters = ["ك", "ل", "ا"];
        let shaped = shape_clusters(&clusters, &[true; 3], |_, _| true);
        assert_eq!(shaped.len(), 2);
        assert_eq!(shaped[1].units, 1..3);
        // Never across a change of bidi level.
        let split = shape_clusters(&["ل", "ا"], &[true; 2], |_, _| false);
        assert_eq!(split.len(), 2);
    }

    #[test]
    fn zwnj_stops_joining_and_is_not_drawn() {
        // می‌شود: meem initial, yeh final (ZWNJ), sheen initial, waw final, dal isolated.
        assert_eq!(
            shape_str("می\u{200c}شود"),
            "\u{fee3}\u{fbfd}\u{feb7}\u{feee}\u{fea9}"
        );
        // Without the ZWNJ the yeh joins on: medial yeh, medial sheen.
        assert_eq!(
            shape_str("میشود"),
            "\u{fee3}\u{fbff}\u{feb8}\u{feee}\u{fea9}"
        );
        // نیم‌فاصله: noon ini, yeh med, meem fin | feh ini, alef fin, sad ini, lam med, heh fin.
        assert_eq!(
            shape_str("نیم\u{200c}فاصله"),
            "\u{fee7}\u{fbff}\u{fee2}\u{fed3}\u{fe8e}\u{febb}\u{fee0}\u{feea}"
        );
    }

    #[test]
    fn zwj_forces_joining() {
        assert_eq!(shape_str("ک\u{200d}"), "\u{fb90}");
    }

    #[test]
    fn harakat_stay_on_their_letter() {
        // بَر: beh initial with its fatha, reh final.
        assert_eq!(shape_str("بَر"), "\u{fe91}\u{64e}\u{feae}");
        // Shadda on the lam of a lam-alef: kept after the ligature.
        assert_eq!(shape_str("لّا"), "\u{fefb}\u{651}");
        // A haraka at the very start has nothing to sit on and is left alone.
        assert_eq!(shape_str("\u{64e}ب"), "\u{64e}\u{fe8f}");
    }

    #[test]
    fn non_joinable_clusters_break_joining() {
        let clusters = ["ب", "⟦RLO⟧", "ب"];
        let shaped = shape_clusters(&clusters, &[true, false, true], |_, _| true);
        let texts: Vec<&str> = shaped.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, vec!["\u{fe8f}", "⟦RLO⟧", "\u{fe8f}"]);
    }

    #[test]
    fn agrees_with_ar_reshaper() {
        use ar_reshaper::prelude::LigatureNames;
        use ar_reshaper::{ArabicReshaper, ReshaperConfig};
        let mut config = ReshaperConfig {
            delete_harakat: false,
            ..ReshaperConfig::default()
        };
        // Only the lam-alef ligatures: ar-reshaper's default also turns "الله" into one glyph.
        config.update_ligature(LigatureNames::ARABIC_LIGATURE_ALLAH, false);
        let reshaper = ArabicReshaper::new(config);
        for text in [
            "آیین‌نامه اجرایی مشارکت الکترونیکی",
            "پیشنهاد می‌کنم ماده ۱۲ اصلاح شود",
            "کلاس‌های چندپایه در مدارس روستایی",
            "گزارش ژوئن: سلامِ مُعلّمان",
            "لاله و الا و لأن و إلى",
        ] {
            let expected: String = reshaper
                .reshape(text)
                .chars()
                .filter(|&c| c != ZWNJ)
                .collect();
            assert_eq!(shape_str(text), expected, "{text}");
        }
    }
}
