//! Opening the citizen portal in the system browser, only when a staff member presses the key
//! for it (`open_portal`) and only where there is a graphical session to show a browser in: a
//! console used over SSH must not start a browser on some other screen, nor a text browser over
//! its own interface.

use std::ffi::OsString;

/// Why the portal was not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// No graphical session here (no X11 or Wayland display; a remote login on macOS or Windows).
    NoGraphicalSession,
    /// The browser could not be started.
    Failed(String),
}

/// Whether this process can show a window, judged from its environment (`var` reads a
/// variable): on Linux and the BSDs an X11 (`DISPLAY`, also forwarded over `ssh -X`) or Wayland
/// (`WAYLAND_DISPLAY`) display; on macOS and Windows the desktop, unless the console runs in an
/// SSH session (the browser would open on the machine's own screen, not the user's).
pub fn graphical_session(var: impl Fn(&str) -> Option<OsString>) -> bool {
    let set = |name: &str| var(name).is_some_and(|v| !v.is_empty());
    if cfg!(any(target_os = "macos", windows)) {
        !(set("SSH_CONNECTION") || set("SSH_TTY"))
    } else {
        set("DISPLAY") || set("WAYLAND_DISPLAY")
    }
}

/// Opens `url` (http or https only) in the default browser (`$BROWSER` first on Linux and the
/// BSDs, then `xdg-open` and the desktop's own opener), without waiting for it and with its
/// output kept off the console's screen. Blocks for as long as starting the opener takes: call
/// it off the event loop.
pub fn open(url: &str) -> Result<(), OpenError> {
    if !graphical_session(|name| std::env::var_os(name)) {
        return Err(OpenError::NoGraphicalSession);
    }
    let mut options = webbrowser::BrowserOptions::new();
    options.with_suppress_output(true);
    webbrowser::open_browser_with_options(webbrowser::Browser::Default, url, &options)
        .map_err(|e| OpenError::Failed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[cfg(not(any(target_os = "macos", windows)))]
    #[test]
    fn a_display_makes_a_graphical_session() {
        assert!(graphical_session(env(&[("DISPLAY", ":0")])));
        assert!(graphical_session(env(&[("WAYLAND_DISPLAY", "wayland-0")])));
        assert!(
            graphical_session(env(&[
                ("DISPLAY", "localhost:10.0"),
                ("SSH_TTY", "/dev/pts/3")
            ])),
            "ssh -X forwards the display to the user's screen"
        );
        assert!(!graphical_session(env(&[])));
        assert!(
            !graphical_session(env(&[("DISPLAY", "")])),
            "empty is unset"
        );
        assert!(!graphical_session(env(&[("SSH_TTY", "/dev/pts/3")])));
    }

    #[cfg(any(target_os = "macos", windows))]
    #[test]
    fn the_desktop_is_graphical_unless_reached_over_ssh() {
        assert!(graphical_session(env(&[])));
        assert!(!graphical_session(env(&[(
            "SSH_CONNECTION",
            "10.0.0.2 50000 10.0.0.1 22"
        )])));
    }
}
