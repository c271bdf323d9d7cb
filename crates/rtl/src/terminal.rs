//! Telling a BiDi-capable terminal who reorders (terminal-WG BiDi recommendation, mode 8 "BDSM").
//!
//! With `bidi = app` the console writes visual order, so a terminal that would reorder again
//! (VTE: GNOME Terminal, Tilix, …) is switched to explicit mode with `CSI 8 l` on start and back
//! to its default implicit mode with `CSI 8 h` on exit — and from the panic hook, through
//! [`RESTORE_SEQUENCE`]. Terminals that do not know the mode ignore it.
//!
//! ```
//! use mosharekat_rtl::BidiMode;
//! use mosharekat_rtl::terminal::ExplicitBidiGuard;
//!
//! let mut out = Vec::new(); // the terminal: `std::io::stdout()` in an application
//! {
//!     let _guard = ExplicitBidiGuard::new(BidiMode::App, &mut out)?;
//!     // … draw visual-order rows …
//! }
//! assert_eq!(out, b"\x1b[8l\x1b[8h");
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Write};

use crate::options::BidiMode;

/// `CSI 8 l`: the application does the bidi (explicit mode).
pub const EXPLICIT_SEQUENCE: &str = "\x1b[8l";
/// `CSI 8 h`: the terminal does the bidi again (implicit mode, the default).
pub const RESTORE_SEQUENCE: &str = "\x1b[8h";

/// Writes `CSI 8 l` when the application reorders (`bidi = app`); nothing otherwise.
pub fn enter(mode: BidiMode, mut out: impl Write) -> io::Result<()> {
    if mode == BidiMode::App {
        out.write_all(EXPLICIT_SEQUENCE.as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// Writes `CSI 8 h` when [`enter`] switched the terminal (`bidi = app`); nothing otherwise.
pub fn leave(mode: BidiMode, mut out: impl Write) -> io::Result<()> {
    if mode == BidiMode::App {
        out.write_all(RESTORE_SEQUENCE.as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// Enters explicit mode on creation and restores implicit mode when dropped (also while
/// unwinding from a panic). The console's panic hook should still write [`RESTORE_SEQUENCE`]
/// itself when it does not unwind (`panic = "abort"`).
#[derive(Debug)]
pub struct ExplicitBidiGuard<W: Write> {
    mode: BidiMode,
    out: W,
}

impl<W: Write> ExplicitBidiGuard<W> {
    /// Writes `CSI 8 l` (for `bidi = app`) to `out` and keeps `out` to restore on drop.
    pub fn new(mode: BidiMode, mut out: W) -> io::Result<Self> {
        enter(mode, &mut out)?;
        Ok(ExplicitBidiGuard { mode, out })
    }

    /// Restores now and reports a write error (drop ignores it).
    pub fn restore(mut self) -> io::Result<()> {
        let result = leave(self.mode, &mut self.out);
        self.mode = BidiMode::Off;
        result
    }
}

impl<W: Write> Drop for ExplicitBidiGuard<W> {
    fn drop(&mut self) {
        let _ = leave(self.mode, &mut self.out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_mode_switches_and_restores() {
        let mut out = Vec::new();
        enter(BidiMode::App, &mut out).unwrap();
        leave(BidiMode::App, &mut out).unwrap();
        assert_eq!(out, b"\x1b[8l\x1b[8h");
    }

    #[test]
    fn other_modes_write_nothing() {
        let mut out = Vec::new();
        for mode in [BidiMode::Terminal, BidiMode::Off] {
            enter(mode, &mut out).unwrap();
            leave(mode, &mut out).unwrap();
        }
        assert!(out.is_empty());
    }

    #[test]
    fn guard_restores_on_drop_and_once_on_restore() {
        let mut out = Vec::new();
        {
            let _guard = ExplicitBidiGuard::new(BidiMode::App, &mut out).unwrap();
        }
        assert_eq!(out, b"\x1b[8l\x1b[8h");
        let mut out = Vec::new();
        ExplicitBidiGuard::new(BidiMode::App, &mut out)
            .unwrap()
            .restore()
            .unwrap();
        assert_eq!(out, b"\x1b[8l\x1b[8h");
    }

    #[test]
    fn guard_restores_while_unwinding() {
        let out = std::sync::Mutex::new(Vec::new());
        let result = std::panic::catch_unwind(|| {
            let mut lock = out.lock().unwrap();
            let _guard = ExplicitBidiGuard::new(BidiMode::App, &mut *lock).unwrap();
            panic!("boom");
        });
        assert!(result.is_err());
        let out = out.into_inner().unwrap_or_else(|e| e.into_inner());
        assert_eq!(out, b"\x1b[8l\x1b[8h");
    }
}
