use std::fs;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::*;

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    press(KeyCode::Char(c))
}

fn default_keymap() -> Keymap {
    Keymap::embedded_default()
}

fn from_text(text: &str) -> Result<Keymap, FileError> {
    Keymap::from_layers(
        &[("default.toml", EMBEDDED_KEYMAPS[0].1), ("user.toml", text)],
        Some(("layout-fa.toml", EMBEDDED_LAYOUT_FA)),
    )
}

/// A fresh, empty config directory for one test.
fn temp_config_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "mosharekat-keymap-test-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("keymaps")).unwrap();
    dir
}

#[test]
fn every_embedded_keymap_loads_and_binds_every_action() {
    for (name, _) in EMBEDDED_KEYMAPS {
        let keymap = Keymap::load(name, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        for section in Section::ALL {
            for &action in section.actions() {
                assert!(
                    !keymap.keys_for(section, action).is_empty(),
                    "{name}: [{}] {} is unbound",
                    section.name(),
                    action.name()
                );
            }
        }
    }
}

#[test]
fn embedded_pane_keys_never_hide_list_or_global_keys() {
    // If a pane bound `q` or `j`, quitting or moving would silently stop working in that pane.
    for (name, _) in EMBEDDED_KEYMAPS {
        let keymap = Keymap::load(name, None).unwrap();
        for pane in Pane::ALL {
            for &action in pane.section().actions() {
                for key in keymap.keys_for(pane.section(), action) {
                    for shared in [Section::List, Section::Global] {
                        let hidden = shared
                            .actions()
                            .iter()
                            .find(|&&a| keymap.keys_for(shared, a).contains(key));
                        assert!(
                            hidden.is_none(),
                            "{name}: [{}] {} on `{key}` hides [{}] {:?}",
                            pane.name(),
                            action.name(),
                            shared.name(),
                            hidden
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn resolves_pane_then_list_then_global() {
    let km = default_keymap();
    let queue = Context::Pane(Pane::Queue);
    assert_eq!(km.resolve(&ch('a'), queue), Some(Action::Approve));
    assert_eq!(km.resolve(&ch('j'), queue), Some(Action::NextItem));
    assert_eq!(
        km.resolve(&press(KeyCode::Down), queue),
        Some(Action::NextItem)
    );
    assert_eq!(km.resolve(&ch('q'), queue), Some(Action::Quit));
    assert_eq!(
        km.resolve(
            &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
            queue
        ),
        Some(Action::Quit)
    );
    assert_eq!(km.resolve(&ch('?'), queue), Some(Action::Help));
    // the same letter means different things in different panes
    assert_eq!(
        km.resolve(&ch('r'), Context::Pane(Pane::Reports)),
        Some(Action::Generate)
    );
    assert_eq!(
        km.resolve(&ch('a'), Context::Pane(Pane::Tallies)),
        None,
        "queue keys must not leak into other panes"
    );
    assert_eq!(
        km.resolve(&ch('G'), Context::Pane(Pane::Deadlines)),
        Some(Action::LastItem)
    );
    assert_eq!(
        km.resolve(
            &KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
            Context::Pane(Pane::Outbox)
        ),
        Some(Action::PrevPane)
    );
}

#[test]
fn pane_section_wins_over_list_and_global() {
    let km = from_text("[queue]\nhide = \"x\"\nundo = \"j\"\n").unwrap();
    assert_eq!(
        km.resolve(&ch('j'), Context::Pane(Pane::Queue)),
        Some(Action::Undo)
    );
    assert_eq!(
        km.resolve(&ch('j'), Context::Pane(Pane::Tallies)),
        Some(Action::NextItem)
    );
}

#[test]
fn dialogs_and_text_fields_see_only_their_sections() {
    let km = default_keymap();
    assert_eq!(km.resolve(&ch('y'), Context::Dialog), Some(Action::Submit));
    assert_eq!(
        km.resolve(&press(KeyCode::Esc), Context::Dialog),
        Some(Action::Cancel)
    );
    assert_eq!(
        km.resolve(&ch('j'), Context::Dialog),
        Some(Action::NextItem)
    );
    assert_eq!(km.resolve(&ch('q'), Context::Dialog), None);
    assert_eq!(km.resolve(&ch('q'), Context::TextField), None);
    assert_eq!(km.resolve(&ch('y'), Context::TextField), None);
    assert_eq!(
        km.resolve(&press(KeyCode::Esc), Context::TextField),
        Some(Action::Cancel)
    );
    assert_eq!(
        km.resolve(
            &KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
            Context::TextField
        ),
        Some(Action::Submit)
    );
}

#[test]
fn persian_layout_characters_fire_latin_bindings() {
    let km = default_keymap();
    let queue = Context::Pane(Pane::Queue);
    assert_eq!(km.resolve(&ch('ت'), queue), Some(Action::NextItem));
    assert_eq!(km.resolve(&ch('ن'), queue), Some(Action::PrevItem));
    assert_eq!(km.resolve(&ch('ش'), queue), Some(Action::Approve));
    assert_eq!(km.resolve(&ch('ق'), queue), Some(Action::Reject));
    assert_eq!(km.resolve(&ch('ض'), queue), Some(Action::Quit));
    assert_eq!(km.resolve(&ch('؟'), queue), Some(Action::Help));
    assert_eq!(km.resolve(&ch('أ'), queue), Some(Action::LastItem));
    assert_eq!(
        km.resolve(&ch('۳'), queue),
        Some(Action::Go(Pane::Deadlines))
    );
    assert_eq!(km.resolve(&ch('غ'), Context::Dialog), Some(Action::Submit));
    // ...but never inside a text field, where ت is a letter being typed
    assert_eq!(km.resolve(&ch('ت'), Context::TextField), None);
}

#[test]
fn a_binding_written_in_persian_wins_over_the_alias() {
    // ت is the alias of j (next_item); bound directly, it does what the file says.
    let km = from_text("[queue]\nundo = [\"u\", \"ت\"]\n").unwrap();
    assert_eq!(
        km.resolve(&ch('ت'), Context::Pane(Pane::Queue)),
        Some(Action::Undo)
    );
    assert_eq!(
        km.resolve(&ch('ت'), Context::Pane(Pane::Tallies)),
        Some(Action::NextItem)
    );
}

#[test]
fn releases_do_not_act() {
    let km = default_keymap();
    let mut event = ch('a');
    event.kind = KeyEventKind::Release;
    assert_eq!(km.resolve(&event, Context::Pane(Pane::Queue)), None);
    event.kind = KeyEventKind::Repeat;
    assert_eq!(
        km.resolve(&event, Context::Pane(Pane::Queue)),
        Some(Action::Approve)
    );
}

#[test]
fn user_patch_replaces_only_the_named_actions() {
    let km = from_text("[queue]\napprove = [\"y\", \"enter\"]\ntoggle_thread = \"v\"\n").unwrap();
    let queue = Context::Pane(Pane::Queue);
    assert_eq!(km.resolve(&ch('y'), queue), Some(Action::Approve));
    assert_eq!(
        km.resolve(&press(KeyCode::Enter), queue),
        Some(Action::Approve)
    );
    assert_eq!(
        km.resolve(&ch('a'), queue),
        None,
        "old key of approve is gone"
    );
    assert_eq!(
        km.resolve(&ch('r'), queue),
        Some(Action::Reject),
        "others kept"
    );
    assert_eq!(
        km.resolve(&ch('a'), Context::Pane(Pane::Certificates)),
        Some(Action::Approve),
        "other sections kept"
    );
}

#[test]
fn empty_list_unbinds() {
    let km = from_text("[global]\nredraw = []\n").unwrap();
    let ctrl_l = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL);
    assert_eq!(km.resolve(&ctrl_l, Context::Pane(Pane::Queue)), None);
    assert!(km.keys_for(Section::Global, Action::Redraw).is_empty());
}

#[test]
fn unknown_action_is_reported_with_file_line_and_choices() {
    let err = from_text("[queue]\napprove = \"a\"\naprove = \"y\"\n").unwrap_err();
    assert_eq!(err.file, "user.toml");
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("`aprove`"), "{err}");
    assert!(err.message.contains("did you mean `approve`"), "{err}");
    assert!(
        err.message.contains("expected one of approve, reject"),
        "{err}"
    );
}

#[test]
fn action_of_another_section_is_refused() {
    let err = from_text("\n[queue]\ngenerate = \"x\"\n").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("is not an action of [queue]"), "{err}");
}

#[test]
fn bad_key_name_is_reported_with_line() {
    let err = from_text("[global]\nquit = [\"q\", \"ctrl-\"]\n").unwrap_err();
    assert_eq!(err.line, Some(2));
    assert!(err.message.contains("`quit`: unknown key `ctrl-`"), "{err}");
    assert!(err.message.contains("expected"), "{err}");
}

#[test]
fn bad_shapes_are_reported() {
    for (text, needle) in [
        ("[globl]\nquit = \"q\"\n", "unknown section `[globl]`"),
        ("queue = 3\n", "must be a section"),
        ("[queue]\napprove = 3\n", "takes a key"),
        (
            "[queue]\napprove = [\"a\", 3]\n",
            "each key must be a string",
        ),
        ("[queue\n", "not valid TOML"),
    ] {
        let err = from_text(text).unwrap_err();
        assert!(err.message.contains(needle), "{text:?}: {err}");
        assert!(err.line.is_some(), "{text:?}: {err}");
    }
}

#[test]
fn conflicting_keys_in_one_section_are_refused_naming_both() {
    let err = from_text("[queue]\nhide = \"a\"\n").unwrap_err();
    assert_eq!(err.file, "user.toml");
    assert_eq!(err.line, Some(2));
    assert!(err.message.contains("`a` is bound to `hide`"), "{err}");
    assert!(err.message.contains("`approve` (default.toml:"), "{err}");
    // Rebinding the other one too makes it valid.
    assert!(from_text("[queue]\nhide = \"a\"\napprove = \"y\"\n").is_ok());
}

#[test]
fn layout_file_errors_are_clear() {
    for (text, needle) in [
        (
            "[aliases]\n\"ت\" = \"jj\"\n",
            "one printable Latin character",
        ),
        ("[aliases]\n\"j\" = \"k\"\n", "non-Latin"),
        ("[other]\n", "only `[aliases]`"),
        ("", "expected an `[aliases]` section"),
    ] {
        let err = Keymap::from_layers(&[("d", EMBEDDED_KEYMAPS[0].1)], Some(("l.toml", text)))
            .unwrap_err();
        assert_eq!(err.file, "l.toml");
        assert!(err.message.contains(needle), "{text:?}: {err}");
    }
}

#[test]
fn help_lists_active_bindings_in_resolution_order() {
    let km = default_keymap();
    let help = km.help(Context::Pane(Pane::Queue));
    let sections: Vec<Section> = help.iter().map(|s| s.section).collect();
    assert_eq!(
        sections,
        [Section::Pane(Pane::Queue), Section::List, Section::Global]
    );
    let approve = &help[0].entries[0];
    assert_eq!(approve.action, Action::Approve);
    assert_eq!(approve.keys, ["a"]);
    assert_eq!(approve.layout_keys, ["ش"]);
    let next = help[1]
        .entries
        .iter()
        .find(|e| e.action == Action::NextItem)
        .unwrap();
    assert_eq!(next.keys, ["j", "down"]);
    assert_eq!(next.layout_keys, ["ت"]);
    // text fields show no layout keys: there the Persian letters are typed
    let field = km.help(Context::TextField);
    assert!(field[0].entries.iter().all(|e| e.layout_keys.is_empty()));
}

#[test]
fn help_drops_keys_shadowed_by_an_earlier_section() {
    let km = from_text("[queue]\nundo = [\"u\", \"j\"]\n").unwrap();
    let help = km.help(Context::Pane(Pane::Queue));
    let next = help[1]
        .entries
        .iter()
        .find(|e| e.action == Action::NextItem)
        .unwrap();
    assert_eq!(next.keys, ["down"], "j goes to undo in the queue");
    assert_eq!(
        km.hint(Section::Pane(Pane::Queue), Action::Undo).as_deref(),
        Some("u")
    );
}

#[test]
fn load_reads_user_keymap_patch_and_layout_from_config_dir() {
    let dir = temp_config_dir("load");
    fs::write(
        dir.join("keymaps").join("mine.toml"),
        "[queue]\napprove = \"y\"\n",
    )
    .unwrap();
    fs::write(dir.join("keymap.toml"), "[queue]\nreject = \"z\"\n").unwrap();
    let km = Keymap::load("mine", Some(&dir)).unwrap();
    let queue = Context::Pane(Pane::Queue);
    assert_eq!(km.resolve(&ch('y'), queue), Some(Action::Approve));
    assert_eq!(km.resolve(&ch('z'), queue), Some(Action::Reject));
    assert_eq!(
        km.resolve(&ch('h'), queue),
        Some(Action::Hide),
        "default layer"
    );
    assert_eq!(km.resolve(&ch('ت'), queue), Some(Action::NextItem));

    // The patch applies over a built-in keymap too.
    let vim = Keymap::load("vim", Some(&dir)).unwrap();
    assert_eq!(vim.resolve(&ch('x'), queue), Some(Action::Hide));
    assert_eq!(vim.resolve(&ch('z'), queue), Some(Action::Reject));

    // A user layout table replaces the embedded one.
    fs::write(
        dir.join("keymaps").join("layout-fa.toml"),
        "[aliases]\n\"ت\" = \"k\"\n",
    )
    .unwrap();
    let km = Keymap::load("default", Some(&dir)).unwrap();
    assert_eq!(km.resolve(&ch('ت'), queue), Some(Action::PrevItem));
    assert_eq!(km.resolve(&ch('ش'), queue), None);

    // A broken patch names its path.
    fs::write(dir.join("keymap.toml"), "[queue]\napprove = \"hyper-a\"\n").unwrap();
    let err = Keymap::load("default", Some(&dir)).unwrap_err();
    assert!(err.file.ends_with("keymap.toml"), "{err}");
    assert_eq!(err.line, Some(2));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn load_refuses_unknown_and_unsafe_names() {
    let err = Keymap::load("vmi", None).unwrap_err();
    assert!(err.message.contains("expected default, vim"), "{err}");
    assert!(err.message.contains("did you mean `vim`"), "{err}");
    assert!(Keymap::load("../etc/passwd", None).is_err());
    assert!(Keymap::load("", None).is_err());
    let err = Keymap::load("layout-fa", None).unwrap_err();
    assert!(err.message.contains("alias table"), "{err}");
}

#[test]
fn every_ascii_letter_key_has_exactly_one_persian_alias_in_the_base_rows() {
    let km = default_keymap();
    for latin in 'a'..='z' {
        let persian: Vec<char> = km
            .aliases
            .iter()
            .filter(|&(_, &l)| l == latin)
            .map(|(&p, _)| p)
            .collect();
        assert_eq!(persian.len(), 1, "{latin}: {persian:?}");
    }
}

#[test]
fn the_pane_table_gives_every_pane_its_go_key_and_the_default_file_agrees() {
    let bare = Keymap::from_layers(&[("empty.toml", "")], None).unwrap();
    let default = Keymap::embedded_default();
    for pane in Pane::ALL {
        let key: Key = pane.go_key().parse().unwrap();
        assert_eq!(
            bare.resolve_key(key, Context::Pane(Pane::Queue)),
            Some(Action::Go(pane))
        );
        assert_eq!(default.keys_for(Section::Global, Action::Go(pane)), [key]);
    }
}

#[test]
fn the_portal_key_works_in_every_pane_and_on_the_persian_layout() {
    for (name, _) in EMBEDDED_KEYMAPS {
        let km = Keymap::load(name, None).unwrap();
        for pane in Pane::ALL {
            let context = Context::Pane(pane);
            for key in [ch('W'), ch('ٌ'), press(KeyCode::F(2))] {
                assert_eq!(
                    km.resolve(&key, context),
                    Some(Action::OpenPortal),
                    "{name}: {key:?} in {pane:?}"
                );
            }
        }
        // Never behind a dialog or while typing.
        assert_eq!(km.resolve(&ch('W'), Context::Dialog), None);
        assert_eq!(km.resolve(&ch('W'), Context::TextField), None);
    }
    let help = default_keymap().help(Context::Pane(Pane::Queue));
    let entry = help
        .iter()
        .flat_map(|s| &s.entries)
        .find(|e| e.action == Action::OpenPortal)
        .expect("in the help overlay");
    assert_eq!(entry.keys, ["W", "f2"]);
    assert_eq!(entry.layout_keys, ["ٌ"]);
}
