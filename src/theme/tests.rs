use std::fs;

use ratatui::style::{Color, Modifier, Style};

use super::*;

fn parse(text: &str) -> Result<Theme, FileError> {
    Theme::from_toml("t", "t.toml", text)
}

fn colours(style: Style) -> [Option<Color>; 2] {
    [style.fg, style.bg]
}

#[test]
fn every_embedded_theme_is_complete_and_parses() {
    // from_toml refuses a theme without `base` that leaves a slot undefined.
    for (name, text) in EMBEDDED_THEMES {
        let theme = Theme::from_toml(name, name, text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(theme.name(), *name);
        assert!(!text.contains("base ="), "{name} must stand alone");
    }
}

#[test]
fn dark_theme_reads_named_hex_and_modifiers() {
    let dark = Theme::embedded("dark").unwrap();
    let overdue = dark.style(Slot::DeadlineOverdue);
    assert_eq!(overdue.fg, Some(Color::White));
    assert_eq!(overdue.bg, Some(Color::Red));
    assert!(overdue.add_modifier.contains(Modifier::BOLD));
    assert_eq!(
        dark.style(Slot::DeadlineClosingSoon).fg,
        Some(Color::Rgb(0xff, 0xaf, 0x00))
    );
    assert_eq!(dark.style(Slot::TextMuted).fg, Some(Color::DarkGray));
    assert_eq!(dark.style(Slot::TextNormal).fg, Some(Color::Reset));
    assert!(
        dark.style(Slot::TextRtlMarker)
            .add_modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn mono_has_no_colour_and_still_distinguishes_states() {
    let mono = Theme::embedded("mono").unwrap();
    for &slot in Slot::ALL {
        assert_eq!(colours(mono.style(slot)), [None, None], "{}", slot.name());
    }
    assert_ne!(mono.style(Slot::Selection), mono.style(Slot::TextNormal));
    assert_ne!(
        mono.style(Slot::StatusApproved),
        mono.style(Slot::StatusRejected)
    );
    assert_ne!(
        mono.style(Slot::StatusBarOffline),
        mono.style(Slot::StatusBarNormal)
    );
}

#[test]
fn no_color_selects_mono_whatever_was_asked() {
    let terminal = TerminalColors::detect(|name| match name {
        "NO_COLOR" => Some("1".into()),
        "COLORTERM" => Some("truecolor".into()),
        _ => None,
    });
    assert!(terminal.no_color);
    let theme = Theme::select("dark", None, terminal).unwrap();
    assert_eq!(theme.name(), "mono");
    // An empty NO_COLOR does not count (no-color.org).
    let terminal = TerminalColors::detect(|name| (name == "NO_COLOR").then(String::new));
    assert!(!terminal.no_color);
    assert_eq!(
        Theme::select("dark", None, terminal).unwrap().name(),
        "dark"
    );
}

#[test]
fn select_fits_colours_to_the_terminal() {
    let ansi16 = TerminalColors {
        no_color: false,
        depth: ColorDepth::Ansi16,
    };
    let theme = Theme::select("dark", None, ansi16).unwrap();
    for &slot in Slot::ALL {
        for colour in colours(theme.style(slot)).into_iter().flatten() {
            assert!(
                !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
                "{} kept {colour:?}",
                slot.name()
            );
        }
    }
    assert_eq!(
        theme.style(Slot::StatusBarNormal).bg,
        Some(Color::Black),
        "#262626 is nearest to black"
    );
    let ansi256 = TerminalColors {
        no_color: false,
        depth: ColorDepth::Ansi256,
    };
    let theme = Theme::select("dark", None, ansi256).unwrap();
    assert_eq!(
        theme.style(Slot::StatusBarNormal).bg,
        Some(Color::Indexed(235))
    );
    assert_eq!(theme.style(Slot::Title).fg, Some(Color::Cyan));
}

#[test]
fn accepts_every_colour_form_and_both_slot_spellings() {
    let theme = parse(
        "base = \"dark\"\n\
         selection = { fg = \"light-red\", bg = 208 }\n\
         \"status.approved\" = { fg = \"#00ff00\", bold = false }\n\
         [deadline]\n\
         ok = { fg = \"reset\", bg = \"Blue\", italic = true, underline = true, dim = true }\n",
    )
    .unwrap();
    assert_eq!(
        colours(theme.style(Slot::Selection)),
        [Some(Color::LightRed), Some(Color::Indexed(208))]
    );
    assert_eq!(
        theme.style(Slot::StatusApproved).fg,
        Some(Color::Rgb(0, 255, 0))
    );
    let ok = theme.style(Slot::DeadlineOk);
    assert_eq!(colours(ok), [Some(Color::Reset), Some(Color::Blue)]);
    assert!(
        ok.add_modifier
            .contains(Modifier::ITALIC | Modifier::UNDERLINED | Modifier::DIM)
    );
    // slots not named come from the base
    let dark = Theme::embedded("dark").unwrap();
    assert_eq!(theme.style(Slot::Bar), dark.style(Slot::Bar));
}

#[test]
fn bad_files_get_clear_errors_with_lines() {
    for (text, line, needle) in [
        (
            "base = \"dark\"\nselection = { fg = \"cyn\" }\n",
            2,
            "`selection` fg: `cyn` is not a colour: expected a colour name",
        ),
        (
            "base = \"dark\"\nselection = { fg = 300 }\n",
            2,
            "`300` is not a colour",
        ),
        (
            "base = \"dark\"\nselection = { fg = \"#12345\" }\n",
            2,
            "is not a colour",
        ),
        (
            "base = \"dark\"\nselection = { fg = true }\n",
            2,
            "true/false is not a colour",
        ),
        (
            "base = \"dark\"\n\n[status]\napprovd = { fg = \"green\" }\n",
            4,
            "unknown slot `status.approvd` (did you mean `status.approved`?)",
        ),
        (
            "base = \"dark\"\nselection = { fg = \"red\", blink = true }\n",
            2,
            "`selection` has no attribute `blink`",
        ),
        (
            "base = \"dark\"\nselection = { bold = \"yes\" }\n",
            2,
            "bold must be true or false",
        ),
        ("base = \"drak\"\n", 1, "did you mean `dark`"),
        (
            "base = \"dark\"\nselection = \"red\"\n",
            2,
            "must be a style",
        ),
    ] {
        let err = parse(text).unwrap_err();
        assert_eq!(err.line, Some(line), "{text:?}: {err}");
        assert!(err.message.contains(needle), "{text:?}: {err}");
    }
}

#[test]
fn a_theme_without_base_must_define_every_slot() {
    let err = parse("selection = { reversed = true }\n").unwrap_err();
    assert!(err.message.contains("missing slots: text.normal"), "{err}");
    assert!(err.message.contains("base = \"dark\""), "{err}");
}

#[test]
fn load_prefers_user_themes_and_refuses_unknown_names() {
    let dir = std::env::temp_dir().join(format!("mosharekat-theme-test-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("themes")).unwrap();
    fs::write(
        dir.join("themes").join("solar.toml"),
        "base = \"light\"\ntitle = { fg = \"#b58900\" }\n",
    )
    .unwrap();
    let theme = Theme::load("solar", Some(&dir)).unwrap();
    assert_eq!(theme.style(Slot::Title).fg, Some(Color::Rgb(0xb5, 0x89, 0)));
    assert_eq!(
        theme.style(Slot::Selection),
        Theme::embedded("light").unwrap().style(Slot::Selection)
    );
    let err = Theme::load("solr", Some(&dir)).unwrap_err();
    assert!(
        err.message
            .contains("expected dark, light, high-contrast, mono"),
        "{err}"
    );
    assert!(Theme::load("../x", Some(&dir)).is_err());
    fs::write(dir.join("themes").join("broken.toml"), "title = [\n").unwrap();
    let err = Theme::load("broken", Some(&dir)).unwrap_err();
    assert!(err.file.ends_with("broken.toml"), "{err}");
    fs::remove_dir_all(&dir).unwrap();
}
