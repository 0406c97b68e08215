//! The Identity menu's keyboard: which item the arrows, Home and End move the focus to (the
//! ARIA menu pattern), and where its items are.

use wasm_bindgen::JsCast;

/// A key that moves focus within an open menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Move {
    Next,
    Previous,
    First,
    Last,
}

impl Move {
    pub(super) fn from_key(key: &str) -> Option<Self> {
        match key {
            "ArrowDown" => Some(Self::Next),
            "ArrowUp" => Some(Self::Previous),
            "Home" | "PageUp" => Some(Self::First),
            "End" | "PageDown" => Some(Self::Last),
            _ => None,
        }
    }
}

/// The index focus moves to among `len` items, wrapping at both ends as the ARIA pattern asks.
pub(super) fn move_focus(current: Option<usize>, len: usize, movement: Move) -> Option<usize> {
    let last = len.checked_sub(1)?;
    Some(match (movement, current) {
        (Move::First, _) | (Move::Next, None) => 0,
        (Move::Last, _) | (Move::Previous, None) => last,
        (Move::Next, Some(i)) if i >= last => 0,
        (Move::Next, Some(i)) => i + 1,
        (Move::Previous, Some(0)) => last,
        (Move::Previous, Some(i)) => (i - 1).min(last),
    })
}

/// The menu's items, in order, as focusable elements.
pub(super) fn menu_items(menu: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    let Ok(nodes) = menu.query_selector_all("[role=menuitem]") else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Whether `target` is `container` itself or inside it.
pub(super) fn contains(
    container: &web_sys::HtmlElement,
    target: Option<web_sys::EventTarget>,
) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
        .is_some_and(|node| container.contains(Some(&node)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_wrap_at_both_ends() {
        assert_eq!(move_focus(Some(2), 3, Move::Next), Some(0));
        assert_eq!(move_focus(Some(0), 3, Move::Previous), Some(2));
        assert_eq!(move_focus(Some(0), 3, Move::Next), Some(1));
        assert_eq!(move_focus(Some(2), 3, Move::Previous), Some(1));
    }

    #[test]
    fn home_end_and_unfocused_start() {
        assert_eq!(move_focus(Some(1), 4, Move::First), Some(0));
        assert_eq!(move_focus(Some(1), 4, Move::Last), Some(3));
        assert_eq!(move_focus(None, 4, Move::Next), Some(0));
        assert_eq!(move_focus(None, 4, Move::Previous), Some(3));
    }

    #[test]
    fn empty_menu_has_nowhere_to_go() {
        for m in [Move::Next, Move::Previous, Move::First, Move::Last] {
            assert_eq!(move_focus(Some(0), 0, m), None);
        }
    }

    #[test]
    fn keys_map_to_moves() {
        assert_eq!(Move::from_key("ArrowDown"), Some(Move::Next));
        assert_eq!(Move::from_key("ArrowUp"), Some(Move::Previous));
        assert_eq!(Move::from_key("Home"), Some(Move::First));
        assert_eq!(Move::from_key("End"), Some(Move::Last));
        assert_eq!(Move::from_key("a"), None);
    }
}
