//! The demo dataset: eleven consultations on real kinds of Ministry of Education drafts, thousands of
//! participants across the 31 provinces, tens of thousands of comments in natural Persian (with
//! English, numbers, dates, links, campaigns, spam and terminal attacks mixed in), polls and
//! ballots, and the text of some drafts (`drafts/`, Persian and English), all placed in time around
//! a given `now`.
//!
//! [`generate`] is pure data, no I/O; [`seed`] writes what it returns into a store in one
//! transaction (`mosharekat demo seed`, and the console's first run).
//! The comments are composed from a hand-written library of fragments per draft (`corpus`), so
//! they read like citizens commenting, not like filler.
//!
//! The server never depends on this crate: the console's embedded default, `mosharekat demo …` and
//! the benchmarks do. It seeds through the server's store, as any client of the store would.

mod campaigns;
mod comments;
mod compose;
mod consultations;
mod corpus;
mod dataset;
mod drafts;
mod hostile;
mod names;
mod participants;
mod polls;
mod seed;
mod timeline;

pub use dataset::{
    CommentSource, DEMO_MODERATORS, DEMO_REASON_CODES, DeadlineState, DemoBallot, DemoComment,
    DemoConfig, DemoConsultation, DemoDataset, DemoDraft, DemoModeration, DemoParticipant,
    DemoPoll, EarlyClose, Flaw, HostileKind, generate,
};
pub use seed::{
    DEMO_ADMIN, DEMO_OPERATOR, SeedOptions, SeedPhase, SeedProgress, SeedSummary, SeededIds, seed,
};
