//! The list cursor every pane shares: which row a movement key selects, clamped in one place.

use crate::keymap::Action;

/// Rows a page movement skips.
pub const PAGE: usize = 10;

/// Whether `action` moves a list selection (next, previous, a page down or up, first, last).
pub fn is_move(action: Action) -> bool {
    matches!(
        action,
        Action::NextItem
            | Action::PrevItem
            | Action::PageDown
            | Action::PageUp
            | Action::FirstItem
            | Action::LastItem
    )
}

/// The row `action` selects from `selected` in a list of `len` rows; any other action leaves the
/// selection where it is (kept within the list).
pub fn moved(action: Action, selected: usize, len: usize) -> usize {
    let to = match action {
        Action::NextItem => selected + 1,
        Action::PrevItem => selected.saturating_sub(1),
        Action::PageDown => selected + PAGE,
        Action::PageUp => selected.saturating_sub(PAGE),
        Action::FirstItem => 0,
        Action::LastItem => len.saturating_sub(1),
        _ => selected,
    };
    clamp(to, len)
}

/// `index` kept within a list of `len` rows (0 when the list is empty).
pub fn clamp(index: usize, len: usize) -> usize {
    index.min(len.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_within_the_list() {
        assert_eq!(moved(Action::NextItem, 4, 5), 4);
        assert_eq!(moved(Action::NextItem, 3, 5), 4);
        assert_eq!(moved(Action::PrevItem, 0, 5), 0);
        assert_eq!(moved(Action::PageDown, 2, 30), 12);
        assert_eq!(moved(Action::PageDown, 25, 30), 29);
        assert_eq!(moved(Action::PageUp, 5, 30), 0);
        assert_eq!(moved(Action::LastItem, 0, 30), 29);
        assert_eq!(moved(Action::FirstItem, 7, 30), 0);
        assert_eq!(moved(Action::NextItem, 0, 0), 0);
        assert_eq!(moved(Action::Approve, 9, 5), 4);
        assert!(is_move(Action::PageUp) && !is_move(Action::ScrollDown));
    }
}
