//! Every case of the Unicode `BidiCharacterTest.txt` (Unicode 15.0, shipped in `tests/data`)
//! through the engine's own line API, `mosharekat_rtl::bidi::reorder_line`: the resolved
//! paragraph level, each character's level after rule L1, and the visual order of rule L2 must
//! all match. The file leaves rules L3 and L4 out of scope (the layout does them on top).

use mosharekat_rtl::Direction;
use mosharekat_rtl::bidi::{BaseDirection, removed_by_x9, reorder_line};

const DATA: &str = include_str!("data/BidiCharacterTest.txt");

#[test]
fn bidi_character_test_passes_in_full() {
    let mut cases = 0usize;
    let mut failures = Vec::new();
    for (number, line) in DATA.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        cases += 1;
        let fields: Vec<&str> = line.split(';').collect();
        assert_eq!(fields.len(), 5, "line {}: {line}", number + 1);
        let text: String = fields[0]
            .split_whitespace()
            .map(|hex| char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap())
            .collect();
        let direction = match fields[1] {
            "0" => Direction::Ltr,
            "1" => Direction::Rtl,
            "2" => Direction::Auto,
            other => panic!("line {}: direction {other}", number + 1),
        };
        let paragraph_level: u8 = fields[2].parse().unwrap();
        let expected_levels: Vec<Option<u8>> = fields[3]
            .split_whitespace()
            .map(|l| {
                if l == "x" {
                    None
                } else {
                    Some(l.parse().unwrap())
                }
            })
            .collect();
        let expected_order: Vec<usize> = fields[4]
            .split_whitespace()
            .map(|i| i.parse().unwrap())
            .collect();

        let line_result = reorder_line(&text, direction, BaseDirection::Ltr);
        let chars: Vec<char> = text.chars().collect();
        let levels: Vec<Option<u8>> = chars
            .iter()
            .zip(&line_result.levels)
            .map(|(&c, &level)| (!removed_by_x9(c)).then_some(level))
            .collect();
        let order: Vec<usize> = line_result
            .visual
            .iter()
            .copied()
            .filter(|&i| !removed_by_x9(chars[i]))
            .collect();
        if line_result.paragraph_level != paragraph_level
            || levels != expected_levels
            || order != expected_order
        {
            failures.push(format!(
                "line {}: {line}\n  got level {} levels {levels:?} order {order:?}",
                number + 1,
                line_result.paragraph_level
            ));
        }
    }
    let passed = cases - failures.len();
    println!("BidiCharacterTest.txt: {passed} of {cases} cases pass");
    assert!(cases > 90_000, "the whole file was read");
    assert!(
        failures.is_empty(),
        "{} failures, first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
