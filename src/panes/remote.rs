//! Where data a pane fetches from the backend stands — idle, loading, loaded, failed or stale —
//! one type for every pane. The pane keeps the data itself, so what was loaded stays on screen
//! while a reload runs, after it fails and while the console is offline.

use chrono::{DateTime, Duration, Utc};

/// The state of one remote list or document of a pane.
#[derive(Debug, Clone, Default)]
pub struct Remote {
    loaded: bool,
    loading: bool,
    error: Option<String>,
    stale: bool,
    requested_at: Option<DateTime<Utc>>,
}

/// What [`Remote::state`] reports, most pressing first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Never asked for.
    Idle,
    /// A request is in flight.
    Loading,
    /// The last request failed.
    Failed,
    /// Loaded, and changed on the backend since: to be loaded again.
    Stale,
    Loaded,
}

impl Remote {
    pub fn state(&self) -> State {
        if self.loading {
            State::Loading
        } else if self.error.is_some() {
            State::Failed
        } else if self.stale {
            State::Stale
        } else if self.loaded {
            State::Loaded
        } else {
            State::Idle
        }
    }

    /// A request starts at `now` (whatever is in flight is superseded).
    pub fn start(&mut self, now: DateTime<Utc>) {
        self.loading = true;
        self.stale = false;
        self.requested_at = Some(now);
    }

    /// A request starts at `now` unless one is in flight. Returns whether it starts.
    pub fn try_start(&mut self, now: DateTime<Utc>) -> bool {
        if self.loading {
            return false;
        }
        self.start(now);
        true
    }

    /// The answer came with the data.
    pub fn succeeded(&mut self) {
        self.loading = false;
        self.loaded = true;
        self.error = None;
    }

    /// The answer was an error, `message` to show (what was loaded stays).
    pub fn failed(&mut self, message: String) {
        self.loading = false;
        self.error = Some(message);
    }

    /// The answer came for something the pane no longer shows: nothing is in flight now, and
    /// what was loaded or failed before stays as it was.
    pub fn abandoned(&mut self) {
        self.loading = false;
    }

    /// Forget the last failure, keeping any request in flight: the pane now shows something
    /// else, which has not failed yet.
    pub fn clear_error(&mut self) {
        self.error = None;
    }

    /// Forget what was loaded and any request in flight: the pane now asks for something else
    /// (another filter), and nothing loaded before is what it shows.
    pub fn reset(&mut self) {
        self.loaded = false;
        self.loading = false;
        self.error = None;
    }

    /// The data changed on the backend: load it again ([`Remote::reload_due`]).
    pub fn mark_stale(&mut self) {
        self.stale = true;
    }

    /// Whether a stale load should run now: nothing in flight, online, and at least `every`
    /// since the last request.
    pub fn reload_due(&self, now: DateTime<Utc>, every: Duration, online: bool) -> bool {
        self.stale && !self.loading && online && self.since_request(now) >= every
    }

    /// How long ago the last request started (forever when none has).
    pub fn since_request(&self, now: DateTime<Utc>) -> Duration {
        self.requested_at.map_or(Duration::MAX, |at| now - at)
    }

    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// Whether data arrived at least once (since the last [`Remote::reset`]).
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// The message of the last failed load, until a load succeeds.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_goes_through_every_state() {
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let mut remote = Remote::default();
        assert_eq!(remote.state(), State::Idle);
        assert!(remote.try_start(t0));
        assert!(!remote.try_start(t0), "one request at a time");
        assert_eq!(remote.state(), State::Loading);
        remote.failed("unreachable".into());
        assert_eq!(
            (remote.state(), remote.error()),
            (State::Failed, Some("unreachable"))
        );
        remote.start(t0);
        remote.succeeded();
        assert_eq!((remote.state(), remote.error()), (State::Loaded, None));
        remote.mark_stale();
        assert_eq!(remote.state(), State::Stale);
        let every = Duration::seconds(2);
        assert!(!remote.reload_due(t0 + Duration::seconds(1), every, true));
        assert!(
            !remote.reload_due(t0 + every, every, false),
            "not while offline"
        );
        assert!(remote.reload_due(t0 + every, every, true));
        remote.reset();
        assert!(!remote.is_loaded() && remote.is_stale());
    }
}
