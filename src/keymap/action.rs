//! What a key can do: the actions, the keymap sections that group them, and the contexts
//! (pane, dialog, text field) that decide which sections are consulted.

pub use crate::panes::Pane;

/// Declares the action enum once, with its file name next to each variant, so `name()` and
/// `ALL` cannot drift apart. The `go_<pane>` actions come from the pane table.
macro_rules! actions {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// Something the user asks the console to do. Keymap files name these in snake_case.
        ///
        /// The same action may appear in several sections (`reject` in `[queue]`, `[rationale]`
        /// and `[certificates]`); the pane that receives it gives it its meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($(#[doc = $doc])* $variant,)*
            /// Show a pane (`go_<pane>`; one for every row of the pane table).
            Go(Pane),
        }

        impl Action {
            /// Every action: those declared here, then a `go_<pane>` for each pane.
            pub const ALL: &'static [Action] = {
                const DECLARED: &[Action] = &[$(Action::$variant,)*];
                &with_go_actions::<{ DECLARED.len() + Pane::COUNT }>(DECLARED, &[])
            };

            /// The name used in keymap files and as the locale key suffix (`action.<name>`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                    Action::Go(pane) => pane.go_action_name(),
                }
            }
        }
    };
}

/// `head`, then a `go_<pane>` action for every pane in tab order, then `tail` (`N` is their
/// total length; a wrong one stops the build).
const fn with_go_actions<const N: usize>(head: &[Action], tail: &[Action]) -> [Action; N] {
    let mut all = [Action::Quit; N];
    let mut i = 0;
    while i < head.len() {
        all[i] = head[i];
        i += 1;
    }
    let mut p = 0;
    while p < Pane::COUNT {
        all[head.len() + p] = Action::Go(Pane::ALL[p]);
        p += 1;
    }
    let mut t = 0;
    while t < tail.len() {
        all[head.len() + Pane::COUNT + t] = tail[t];
        t += 1;
    }
    all
}

actions! {
    // global
    /// Leave the console (asks first while decisions are still unsent).
    Quit = "quit",
    /// Show or hide the overlay of active key bindings.
    Help = "help",
    /// Switch the interface language (Persian ⇄ English).
    ToggleLanguage = "toggle_language",
    NextPane = "next_pane",
    PrevPane = "prev_pane",
    /// Fetch the current pane's data again from the backend.
    Refresh = "refresh",
    /// Repaint the whole screen (after line noise on a slow SSH link).
    Redraw = "redraw",
    /// Open the citizen portal in the system browser (where there is a graphical session).
    OpenPortal = "open_portal",
    // lists
    NextItem = "next_item",
    PrevItem = "prev_item",
    PageDown = "page_down",
    PageUp = "page_up",
    FirstItem = "first_item",
    LastItem = "last_item",
    /// Mark or unmark the selected item for a bulk action.
    ToggleMark = "toggle_mark",
    /// Scroll the detail view (the selected item's full text) down.
    ScrollDown = "scroll_down",
    ScrollUp = "scroll_up",
    // queue
    Approve = "approve",
    Reject = "reject",
    Hide = "hide",
    /// Attach concern tags to the selected comment.
    Tag = "tag",
    /// Apply the next decision to the whole duplicate (campaign) group.
    ActOnGroup = "act_on_group",
    ClaimNext = "claim_next",
    Release = "release",
    /// Take back the last decision while its grace time lasts.
    Undo = "undo",
    /// Show or hide the thread a comment replies to.
    ToggleThread = "toggle_thread",
    /// Write a note to go with the next decision.
    Note = "note",
    // tallies
    NextPoll = "next_poll",
    PrevPoll = "prev_poll",
    /// Cycle the breakdown: none, age band, gender, province, participant category.
    CycleBreakdown = "cycle_breakdown",
    // deadlines, outbox
    CycleSort = "cycle_sort",
    /// Cycle the list filter (e.g. by delivery status in the outbox, flagged only in deadlines).
    CycleFilter = "cycle_filter",
    // rationale
    Accept = "accept",
    PartiallyAccept = "partially_accept",
    EditRationaleFa = "edit_rationale_fa",
    EditRationaleEn = "edit_rationale_en",
    EditLegalBasis = "edit_legal_basis",
    Save = "save",
    Publish = "publish",
    // reports
    Generate = "generate",
    Export = "export",
    // certificates
    ApproveAll = "approve_all",
    Revoke = "revoke",
    ShowQr = "show_qr",
    // outbox
    Retry = "retry",
    // ranking
    CyclePeriod = "cycle_period",
    /// Show the contributions behind the selected participant's score.
    Explain = "explain",
    // dialogs and text fields
    Submit = "submit",
    Cancel = "cancel",
    NextField = "next_field",
    PrevField = "prev_field",
    // rationale (pane)
    /// Pick the consultation whose proposals the Rationale pane shows.
    ChooseConsultation = "choose_consultation",
    /// After a save conflict, add the other editor's text under yours, to merge.
    TakeTheirs = "take_theirs",
    // certificates and ranking (issue 6)
    /// Run the certificate proposal rules now.
    Propose = "propose",
    /// Cycle the ranking's province filter (all, then each province).
    CycleProvince = "cycle_province",
    /// Cycle the ranking's participant category filter.
    CycleCategory = "cycle_category",
    /// Cycle the ranking's consultation filter (all, then each consultation).
    CycleConsultation = "cycle_consultation",
}

impl Action {
    /// Looks an action up by its file name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// The pane a `go_*` action jumps to.
    pub fn target_pane(self) -> Option<Pane> {
        match self {
            Action::Go(pane) => Some(pane),
            _ => None,
        }
    }
}

/// A `[section]` of a keymap file: the app's own, and one per pane (named after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Global,
    List,
    /// A pane's own actions (`[queue]`, `[tallies]`, …).
    Pane(Pane),
    Dialog,
    TextField,
}

/// The actions of `[global]`: a `go_<pane>` for every pane between the pane switching and the
/// refresh, redraw and portal.
static GLOBAL_ACTIONS: [Action; 8 + Pane::COUNT] = {
    use Action::*;
    with_go_actions(
        &[Quit, Help, ToggleLanguage, NextPane, PrevPane],
        &[Refresh, Redraw, OpenPortal],
    )
};

/// The sections a pane's context consults: its own, then list movement, then global keys.
static PANE_SECTIONS: [[Section; 3]; Pane::COUNT] = {
    let mut all = [[Section::Global; 3]; Pane::COUNT];
    let mut p = 0;
    while p < Pane::COUNT {
        all[p] = [Section::Pane(Pane::ALL[p]), Section::List, Section::Global];
        p += 1;
    }
    all
};

impl Section {
    /// Every section, in the order of the help overlay and the default keymap file.
    pub const ALL: [Section; 4 + Pane::COUNT] = {
        let mut all = [Section::Global; 4 + Pane::COUNT];
        all[1] = Section::List;
        let mut p = 0;
        while p < Pane::COUNT {
            all[2 + p] = Section::Pane(Pane::ALL[p]);
            p += 1;
        }
        all[2 + Pane::COUNT] = Section::Dialog;
        all[3 + Pane::COUNT] = Section::TextField;
        all
    };

    /// The section's name in keymap files; also the locale key stem (`help.section.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Section::Global => "global",
            Section::List => "list",
            Section::Pane(pane) => pane.name(),
            Section::Dialog => "dialog",
            Section::TextField => "text_field",
        }
    }

    pub fn from_name(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The actions a file may bind in this section, in the order the help overlay lists them.
    pub fn actions(self) -> &'static [Action] {
        use Action::*;
        match self {
            Section::Global => &GLOBAL_ACTIONS,
            Section::List => &[
                NextItem, PrevItem, PageDown, PageUp, FirstItem, LastItem, ToggleMark, ScrollDown,
                ScrollUp,
            ],
            Section::Pane(pane) => pane.actions(),
            Section::Dialog | Section::TextField => &[Submit, Cancel, NextField, PrevField],
        }
    }
}

/// Where the keyboard focus is; decides which sections are asked, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// A pane has focus: its own section, then list movement, then global keys.
    Pane(Pane),
    /// A modal dialog (confirmation, reason picker, help overlay): its keys, then list movement.
    /// Global keys do not fire behind a dialog.
    Dialog,
    /// A text field has focus: only `[text_field]`; every other key is typed text, and the
    /// Persian-layout aliases are off.
    TextField,
}

impl Context {
    /// The sections consulted for a key, first match wins.
    pub fn sections(self) -> &'static [Section] {
        match self {
            Context::Pane(pane) => &PANE_SECTIONS[pane as usize],
            Context::Dialog => &[Section::Dialog, Section::List],
            Context::TextField => &[Section::TextField],
        }
    }

    /// Whether Persian-layout characters stand for their Latin keys here.
    pub fn uses_layout_aliases(self) -> bool {
        !matches!(self, Context::TextField)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_again() {
        for &action in Action::ALL {
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        for section in Section::ALL {
            assert_eq!(Section::from_name(section.name()), Some(section));
        }
        assert_eq!(
            Action::from_name("go_ranking"),
            Some(Action::Go(Pane::Ranking))
        );
        assert_eq!(
            Section::from_name("outbox"),
            Some(Section::Pane(Pane::Outbox))
        );
    }

    #[test]
    fn from_name_rejects_unknown() {
        assert_eq!(Action::from_name("aprove"), None);
        assert_eq!(Action::from_name("Approve"), None);
    }

    #[test]
    fn every_action_belongs_to_some_section() {
        for &action in Action::ALL {
            assert!(
                Section::ALL.iter().any(|s| s.actions().contains(&action)),
                "{action:?} is in no section"
            );
        }
    }

    #[test]
    fn pane_order_wraps_both_ways() {
        assert_eq!(Pane::Queue.next(), Pane::Tallies);
        assert_eq!(Pane::Ranking.next(), Pane::Queue);
        assert_eq!(Pane::Queue.prev(), Pane::Ranking);
        for pane in Pane::ALL {
            assert_eq!(pane.next().prev(), pane);
            assert_eq!(Context::Pane(pane).sections()[0], pane.section());
        }
    }

    #[test]
    fn go_actions_target_their_pane() {
        assert_eq!(Action::Go(Pane::Outbox).target_pane(), Some(Pane::Outbox));
        assert_eq!(Action::Approve.target_pane(), None);
        let targets: Vec<_> = Action::ALL.iter().filter_map(|a| a.target_pane()).collect();
        assert_eq!(targets, Pane::ALL);
    }
}
