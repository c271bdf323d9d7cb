//! Taking over the terminal and giving it back, whatever happens: on exit, on panic, on SIGHUP
//! (the SSH session dropped) and SIGTERM. With `bidi = app`, BiDi-capable terminals are switched
//! to explicit mode (`CSI 8 l`) so they do not reorder what the console already ordered, and back
//! (`CSI 8 h`) on the way out.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::Show;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{execute, queue};
use mosharekat_rtl::BidiMode;

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Holds the terminal in raw mode on the alternate screen until dropped.
pub struct TerminalGuard {
    bidi: BidiMode,
}

impl TerminalGuard {
    pub fn enter(bidi: BidiMode) -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        let mut out = io::stdout();
        execute!(out, EnterAlternateScreen)?;
        mosharekat_rtl::terminal::enter(bidi, &mut out)?;
        out.flush()?;
        ACTIVE.store(true, Ordering::SeqCst);
        install_panic_hook(bidi);
        Ok(TerminalGuard { bidi })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore(self.bidi);
    }
}

/// Put the terminal back as it was. Safe to call twice.
pub fn restore(bidi: BidiMode) {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = mosharekat_rtl::terminal::leave(bidi, &mut out);
    let _ = queue!(out, LeaveAlternateScreen, Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

fn install_panic_hook(bidi: BidiMode) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore(bidi);
        tracing::error!("panic: {info}");
        previous(info);
    }));
}
