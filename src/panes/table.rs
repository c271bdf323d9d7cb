//! The pane table: one row per pane declares all the console knows of it — its name (the keymap
//! section and locale stem), its view and answer types, the role it needs, the default key of its
//! `go_<name>` action and the actions of its keymap section. From it come [`Pane`], the
//! [`PaneAnswer`] the app routes, and the [`View`] that holds a pane of any kind.
//!
//! Adding a pane is one row here, its module (a [`PaneView`] + [`Answers`] that is `Default`),
//! and its locale strings (`pane.<name>.title`, `help.section.<name>`, `action.go_<name>`).

use std::ops::{Deref, DerefMut};

use mosharekat_api::Role;

use super::{Answers, PaneCtx, PaneView};
use super::{certificates, deadlines, outbox, queue, ranking, rationale, reports, tallies};
use crate::keymap::{Action, Section};

macro_rules! panes {
    ($(
        $(#[doc = $doc:literal])*
        $pane:ident = $name:literal {
            view: $view:ty,
            answer: $answer:ty,
            role: $role:ident,
            go_key: $go_key:literal,
            actions: [$($action:ident),* $(,)?],
        }
    )*) => {
        /// The console's panes, in tab order (the order of the number keys).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Pane {
            $($(#[doc = $doc])* $pane,)*
        }

        impl Pane {
            /// How many panes there are.
            pub const COUNT: usize = [$($name),*].len();

            /// Every pane, in tab order.
            pub const ALL: [Pane; Pane::COUNT] = [$(Pane::$pane,)*];

            /// Stable lower-case name: the keymap section of its actions and the locale key stem
            /// (`pane.<name>.title`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Pane::$pane => $name,)*
                }
            }

            /// The name of the action showing this pane in keymap files (`go_<name>`).
            pub fn go_action_name(self) -> &'static str {
                match self {
                    $(Pane::$pane => concat!("go_", $name),)*
                }
            }

            /// The key of `go_<name>` when no keymap file binds it.
            pub fn go_key(self) -> &'static str {
                match self {
                    $(Pane::$pane => $go_key,)*
                }
            }

            /// The actions of the pane's own keymap section, in the order the help lists them.
            pub fn actions(self) -> &'static [Action] {
                match self {
                    $(Pane::$pane => &[$(Action::$action),*],)*
                }
            }

            /// Whether `role` may use the pane (the server enforces; this only hides).
            pub fn allowed(self, role: Role) -> bool {
                match self {
                    $(Pane::$pane => role.allows(Role::$role),)*
                }
            }
        }

        /// An answer to a request a pane started, for that pane (boxed: answers differ
        /// widely in size and travel through the app's channel).
        pub enum PaneAnswer {
            $($pane(Box<$answer>),)*
        }

        impl PaneAnswer {
            /// The pane the answer is for.
            pub fn pane(&self) -> Pane {
                match self {
                    $(PaneAnswer::$pane(_) => Pane::$pane,)*
                }
            }
        }

        $(
            impl From<$answer> for PaneAnswer {
                fn from(answer: $answer) -> PaneAnswer {
                    PaneAnswer::$pane(Box::new(answer))
                }
            }

            impl TryFrom<PaneAnswer> for $answer {
                type Error = PaneAnswer;

                fn try_from(answer: PaneAnswer) -> Result<$answer, PaneAnswer> {
                    match answer {
                        PaneAnswer::$pane(answer) => Ok(*answer),
                        #[allow(unreachable_patterns)]
                        other => Err(other),
                    }
                }
            }
        )*

        /// A pane of any kind, as the app holds it.
        pub enum View {
            $($pane(Box<$view>),)*
        }

        impl View {
            /// A new, empty pane; it loads its data on its first `refresh`.
            pub fn new(pane: Pane) -> View {
                match pane {
                    $(Pane::$pane => View::$pane(Box::default()),)*
                }
            }

            /// Hand `answer` to this pane; an answer for another pane is given back.
            pub fn on_answer(
                &mut self,
                answer: PaneAnswer,
                ctx: &mut PaneCtx,
            ) -> Result<(), PaneAnswer> {
                match (self, answer) {
                    $((View::$pane(view), PaneAnswer::$pane(answer)) => {
                        view.on_answer(*answer, ctx);
                        Ok(())
                    })*
                    #[allow(unreachable_patterns)]
                    (_, answer) => Err(answer),
                }
            }
        }

        impl Deref for View {
            type Target = dyn PaneView;

            fn deref(&self) -> &(dyn PaneView + 'static) {
                match self {
                    $(View::$pane(view) => view.as_ref(),)*
                }
            }
        }

        impl DerefMut for View {
            fn deref_mut(&mut self) -> &mut (dyn PaneView + 'static) {
                match self {
                    $(View::$pane(view) => view.as_mut(),)*
                }
            }
        }
    };
}

panes! {
    /// Moderators: claims, decisions through the journal, tags, campaign groups.
    Queue = "queue" {
        view: queue::QueuePane,
        answer: queue::Answer,
        role: Moderator,
        go_key: "1",
        actions: [
            Approve, Reject, Hide, Tag, Note, ActOnGroup, ClaimNext, Release, Undo, ToggleThread,
        ],
    }
    /// Polls, breakdowns, turnout.
    Tallies = "tallies" {
        view: tallies::TalliesPane,
        answer: tallies::Answer,
        role: Operator,
        go_key: "2",
        actions: [NextPoll, PrevPoll, CycleBreakdown],
    }
    /// Consultations by closing time.
    Deadlines = "deadlines" {
        view: deadlines::DeadlinesPane,
        answer: deadlines::Answer,
        role: Operator,
        go_key: "3",
        actions: [CycleSort, CycleFilter],
    }
    /// After the deadline: a decision and rationale for each proposal.
    Rationale = "rationale" {
        view: rationale::RationalePane,
        answer: rationale::Answer,
        role: Operator,
        go_key: "4",
        actions: [
            Accept, PartiallyAccept, Reject, EditRationaleFa, EditRationaleEn, EditLegalBasis,
            Save, Publish, ChooseConsultation, TakeTheirs,
        ],
    }
    /// Generate, preview, publish and export the report.
    Reports = "reports" {
        view: reports::ReportsPane,
        answer: reports::Answer,
        role: Operator,
        go_key: "5",
        actions: [Generate, Publish, Export],
    }
    /// Admins: evidence, approve / reject / revoke, the verification QR.
    Certificates = "certificates" {
        view: certificates::CertificatesPane,
        answer: certificates::Answer,
        role: Admin,
        go_key: "6",
        actions: [Approve, Reject, ApproveAll, Revoke, ShowQr, CycleFilter, Propose],
    }
    /// Delivery status of messages to participants, retry of dead ones.
    Outbox = "outbox" {
        view: outbox::OutboxPane,
        answer: outbox::Answer,
        role: Operator,
        go_key: "7",
        actions: [Retry, CycleFilter],
    }
    /// Admins: the leaderboard and the contributions behind a score.
    Ranking = "ranking" {
        view: ranking::RankingPane,
        answer: ranking::Answer,
        role: Admin,
        go_key: "8",
        actions: [CyclePeriod, CycleProvince, CycleCategory, CycleConsultation, Explain],
    }
}

impl Pane {
    /// The keymap section holding this pane's own actions.
    pub fn section(self) -> Section {
        Section::Pane(self)
    }

    /// The action showing this pane.
    pub fn go_action(self) -> Action {
        Action::Go(self)
    }

    /// The pane after this one in tab order, wrapping around.
    pub fn next(self) -> Pane {
        Pane::ALL[(self as usize + 1) % Pane::COUNT]
    }

    /// The pane before this one in tab order, wrapping around.
    pub fn prev(self) -> Pane {
        Pane::ALL[(self as usize + Pane::COUNT - 1) % Pane::COUNT]
    }
}
