//! The command palette's fuzzy search: every query character must appear in order in one of
//! an item's texts (display name, role, account id and alias, group); matches at word starts
//! and in runs score higher, the display name counts most. Built once per list, so that a
//! keystroke over 10,000 entries only scans prepared lowercase text.

/// One item's searchable texts, lowercased once, best field first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Searchable {
    fields: Vec<String>,
}

impl Searchable {
    /// An item known by `fields` (the first counts most; empty ones are ignored).
    pub fn new<'a>(fields: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            fields: fields
                .into_iter()
                .filter(|f| !f.is_empty())
                .map(str::to_lowercase)
                .collect(),
        }
    }
}

/// How well `query` (lowercase, no spaces) matches `text`, if at all: a point per character,
/// more for one at a word start or following the previous match.
fn score_in(query: &[char], text: &str) -> Option<u32> {
    let mut score = 0u32;
    let mut q = 0;
    let mut previous_matched = false;
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if q == query.len() {
            break;
        }
        let at_word_start = previous.is_none_or(|p| !p.is_alphanumeric());
        if c == query[q] {
            score += 1 + if at_word_start { 3 } else { 0 } + if previous_matched { 2 } else { 0 };
            q += 1;
            previous_matched = true;
        } else {
            previous_matched = false;
        }
        previous = Some(c);
    }
    (q == query.len()).then_some(score)
}

/// The indexes of the items matching `query`, best first (ties keep the items' order). An
/// empty query matches everything in order. Spaces in the query separate words that must each
/// match.
pub fn rank(items: &[Searchable], query: &str) -> Vec<usize> {
    let words: Vec<Vec<char>> = query
        .split_whitespace()
        .map(|w| w.to_lowercase().chars().collect())
        .collect();
    if words.is_empty() {
        return (0..items.len()).collect();
    }
    let mut scored: Vec<(u32, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let mut total = 0;
            for word in &words {
                let best = item
                    .fields
                    .iter()
                    .enumerate()
                    .filter_map(|(f, text)| {
                        // The first field (the display name) counts double.
                        score_in(word, text).map(|s| if f == 0 { s * 2 } else { s })
                    })
                    .max()?;
                total += best;
            }
            Some((total, i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i)| i).collect()
}

/// The indexes of the items matching `query` as [`rank`] matches them, in the items' own
/// order: a filter over a list the person has arranged, where [`rank`] orders a search.
pub fn filter(items: &[Searchable], query: &str) -> Vec<usize> {
    let mut matching = rank(items, query);
    matching.sort_unstable();
    matching
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_keeps_the_lists_order() {
        let items = items();
        assert_eq!(rank(&items, "billing prod"), [2]);
        assert_eq!(filter(&items, "sens"), [1]);
        // "access" matches all three: ranked by how well, filtered in the list's order.
        let ranked = rank(&items, "access");
        let filtered = filter(&items, "access");
        assert_eq!(filtered, [0, 1, 2]);
        assert_ne!(ranked, filtered, "ranked {ranked:?}");
        assert_eq!(filter(&items, "  "), [0, 1, 2]);
        assert!(filter(&items, "zzz").is_empty());
    }

    fn items() -> Vec<Searchable> {
        vec![
            Searchable::new([
                "PRODUCTION",
                "AccessToProdDynamoDB",
                "222222222222",
                "example-prod",
                "prod",
            ]),
            Searchable::new([
                "Sensitive",
                "SensitiveDataAccess",
                "111111111111",
                "example-corp",
                "",
            ]),
            Searchable::new([
                "Billing (read)",
                "AccessToProdBilling",
                "222222222222",
                "",
                "prod",
            ]),
        ]
    }

    #[test]
    fn characters_in_order_match_best_first() {
        let items = items();
        assert_eq!(rank(&items, ""), [0, 1, 2]);
        assert_eq!(rank(&items, "prod")[0], 0, "the display name counts most");
        assert_eq!(rank(&items, "bill"), [2]);
        assert_eq!(
            rank(&items, "sda")[0],
            1,
            "word starts: SensitiveDataAccess first"
        );
        assert_eq!(rank(&items, "1111"), [1], "account ids");
        assert_eq!(rank(&items, "example-corp"), [1], "aliases");
        assert!(rank(&items, "zzz").is_empty());
        assert_eq!(rank(&items, "prod bill"), [2], "every word must match");
        assert_eq!(
            rank(&items, "PROD"),
            rank(&items, "prod"),
            "case does not matter"
        );
    }

    /// The scores, as the module says: a point a character, three more at a word start (not
    /// after a letter or digit), two more right after the previous match; the display name's
    /// score counts double.
    #[test]
    fn word_starts_runs_and_the_display_name_weigh_as_said() {
        // "p" at a word start (4) beats "p" inside a word (1).
        let items = [Searchable::new(["sap"]), Searchable::new(["a p"])];
        assert_eq!(rank(&items, "p"), [1, 0]);
        // Four characters inside words in the display name: 4 × 1, doubled, is 8; elsewhere,
        // one at a word start and three inside words: 4 + 1 + 1 + 1 = 7.
        let items = [
            Searchable::new(["zzz", "xa bxcxd"]),
            Searchable::new(["xaxbxcxd"]),
        ];
        assert_eq!(rank(&items, "abcd"), [1, 0]);
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Every character of a matching query is in the item, in order; an item always
        /// matches its own display name.
        #[test]
        fn an_item_matches_its_own_name(name in "[A-Za-z0-9 ._-]{1,20}") {
            let items = vec![Searchable::new([name.as_str()])];
            proptest::prop_assert_eq!(rank(&items, &name), vec![0]);
        }
    }
}
