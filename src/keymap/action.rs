//! What a key can do: the actions, the keymap sections that group them, and the contexts
//! (pane, dialog, text field) that decide which sections are consulted.

use serde::de::IntoDeserializer;
use serde::{Deserialize, Serialize};

/// Declares the action enum once, with its file name next to each variant, so the serde name,
/// `name()` and `ALL` cannot drift apart (a test checks serde agrees with `name()`).
macro_rules! actions {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// Something the user asks the console to do. Keymap files name these in snake_case.
        ///
        /// The same action may appear in several sections (`reject` in `[queue]`, `[rationale]`
        /// and `[certificates]`); the pane that receives it gives it its meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Action {
            /// Every action, in declaration order.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The name used in keymap files and as the locale key suffix (`action.<name>`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }
        }
    };
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
    GoQueue = "go_queue",
    GoTallies = "go_tallies",
    GoDeadlines = "go_deadlines",
    GoRationale = "go_rationale",
    GoReports = "go_reports",
    GoCertificates = "go_certificates",
    GoOutbox = "go_outbox",
    GoRanking = "go_ranking",
    /// Fetch the current pane's data again from the backend.
    Refresh = "refresh",
    /// Repaint the whole screen (after line noise on a slow SSH link).
    Redraw = "redraw",
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
    /// Looks an action up by its file name, through serde so the names are the enum's own.
    pub fn from_name(name: &str) -> Option<Action> {
        let deserializer: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            name.into_deserializer();
        Action::deserialize(deserializer).ok()
    }

    /// The pane a `go_*` action jumps to.
    pub fn target_pane(self) -> Option<Pane> {
        Some(match self {
            Action::GoQueue => Pane::Queue,
            Action::GoTallies => Pane::Tallies,
            Action::GoDeadlines => Pane::Deadlines,
            Action::GoRationale => Pane::Rationale,
            Action::GoReports => Pane::Reports,
            Action::GoCertificates => Pane::Certificates,
            Action::GoOutbox => Pane::Outbox,
            Action::GoRanking => Pane::Ranking,
            _ => return None,
        })
    }
}

/// The console's panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pane {
    Queue,
    Tallies,
    Deadlines,
    Rationale,
    Reports,
    Certificates,
    Outbox,
    Ranking,
}

impl Pane {
    pub const ALL: [Pane; 8] = [
        Pane::Queue,
        Pane::Tallies,
        Pane::Deadlines,
        Pane::Rationale,
        Pane::Reports,
        Pane::Certificates,
        Pane::Outbox,
        Pane::Ranking,
    ];

    /// Stable lower-case name; also the locale key stem (`pane.<name>.title`).
    pub fn name(self) -> &'static str {
        self.section().name()
    }

    /// The keymap section holding this pane's own actions.
    pub fn section(self) -> Section {
        match self {
            Pane::Queue => Section::Queue,
            Pane::Tallies => Section::Tallies,
            Pane::Deadlines => Section::Deadlines,
            Pane::Rationale => Section::Rationale,
            Pane::Reports => Section::Reports,
            Pane::Certificates => Section::Certificates,
            Pane::Outbox => Section::Outbox,
            Pane::Ranking => Section::Ranking,
        }
    }

    /// The pane after this one in tab order, wrapping around.
    pub fn next(self) -> Pane {
        let i = Pane::ALL.iter().position(|&p| p == self).unwrap_or(0);
        Pane::ALL[(i + 1) % Pane::ALL.len()]
    }

    /// The pane before this one in tab order, wrapping around.
    pub fn prev(self) -> Pane {
        let i = Pane::ALL.iter().position(|&p| p == self).unwrap_or(0);
        Pane::ALL[(i + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// A `[section]` of a keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Global,
    List,
    Queue,
    Tallies,
    Deadlines,
    Rationale,
    Reports,
    Certificates,
    Outbox,
    Ranking,
    Dialog,
    TextField,
}

impl Section {
    pub const ALL: [Section; 12] = [
        Section::Global,
        Section::List,
        Section::Queue,
        Section::Tallies,
        Section::Deadlines,
        Section::Rationale,
        Section::Reports,
        Section::Certificates,
        Section::Outbox,
        Section::Ranking,
        Section::Dialog,
        Section::TextField,
    ];

    /// The section's name in keymap files; also the locale key stem (`help.section.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Section::Global => "global",
            Section::List => "list",
            Section::Queue => "queue",
            Section::Tallies => "tallies",
            Section::Deadlines => "deadlines",
            Section::Rationale => "rationale",
            Section::Reports => "reports",
            Section::Certificates => "certificates",
            Section::Outbox => "outbox",
            Section::Ranking => "ranking",
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
            Section::Global => &[
                Quit,
                Help,
                ToggleLanguage,
                NextPane,
                PrevPane,
                GoQueue,
                GoTallies,
                GoDeadlines,
                GoRationale,
                GoReports,
                GoCertificates,
                GoOutbox,
                GoRanking,
                Refresh,
                Redraw,
            ],
            Section::List => &[
                NextItem, PrevItem, PageDown, PageUp, FirstItem, LastItem, ToggleMark, ScrollDown,
                ScrollUp,
            ],
            Section::Queue => &[
                Approve,
                Reject,
                Hide,
                Tag,
                Note,
                ActOnGroup,
                ClaimNext,
                Release,
                Undo,
                ToggleThread,
            ],
            Section::Tallies => &[NextPoll, PrevPoll, CycleBreakdown],
            Section::Deadlines => &[CycleSort, CycleFilter],
            Section::Rationale => &[
                Accept,
                PartiallyAccept,
                Reject,
                EditRationaleFa,
                EditRationaleEn,
                EditLegalBasis,
                Save,
                Publish,
                ChooseConsultation,
                TakeTheirs,
            ],
            Section::Reports => &[Generate, Publish, Export],
            Section::Certificates => &[
                Approve,
                Reject,
                ApproveAll,
                Revoke,
                ShowQr,
                CycleFilter,
                Propose,
            ],
            Section::Outbox => &[Retry, CycleFilter],
            Section::Ranking => &[
                CyclePeriod,
                CycleProvince,
                CycleCategory,
                CycleConsultation,
                Explain,
            ],
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
            Context::Pane(pane) => match pane {
                Pane::Queue => &[Section::Queue, Section::List, Section::Global],
                Pane::Tallies => &[Section::Tallies, Section::List, Section::Global],
                Pane::Deadlines => &[Section::Deadlines, Section::List, Section::Global],
                Pane::Rationale => &[Section::Rationale, Section::List, Section::Global],
                Pane::Reports => &[Section::Reports, Section::List, Section::Global],
                Pane::Certificates => &[Section::Certificates, Section::List, Section::Global],
                Pane::Outbox => &[Section::Outbox, Section::List, Section::Global],
                Pane::Ranking => &[Section::Ranking, Section::List, Section::Global],
            },
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
    fn serde_names_agree_with_name() {
        for &action in Action::ALL {
            let json = serde_json::to_value(action).unwrap();
            assert_eq!(json, serde_json::Value::String(action.name().into()));
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        for section in Section::ALL {
            let json = serde_json::to_value(section).unwrap();
            assert_eq!(json, serde_json::Value::String(section.name().into()));
        }
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
        assert_eq!(Action::GoOutbox.target_pane(), Some(Pane::Outbox));
        assert_eq!(Action::Approve.target_pane(), None);
        let targets: Vec<_> = Action::ALL.iter().filter_map(|a| a.target_pane()).collect();
        assert_eq!(targets, Pane::ALL);
    }
}
