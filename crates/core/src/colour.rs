//! The display colours a role may have: the AWS console's palette, and nothing else.
//!
//! A closed enum rather than free CSS text, so a colour from a URL or from storage can never
//! inject style: anything that is not one of these five is refused.

use std::fmt;
use std::str::FromStr;

/// One of the five display colours of the AWS console (2024 palette). Serialised as its
/// hex digits, as links write it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub enum Colour {
    /// Red, `f2b0a9`.
    Red,
    /// Orange, `fbc8aa`.
    Orange,
    /// Yellow, `efda95`.
    Yellow,
    /// Green, `b7ca9d`.
    Green,
    /// Blue, `83d4e8`.
    Blue,
}

/// A colour that is not in the palette.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Color must be one of red (f2b0a9), orange (fbc8aa), yellow (efda95), green (b7ca9d) or blue (83d4e8)")]
pub struct NotInPalette;

impl Colour {
    /// Every colour, in the order the console offers them.
    pub const ALL: [Colour; 5] = [
        Colour::Red,
        Colour::Orange,
        Colour::Yellow,
        Colour::Green,
        Colour::Blue,
    ];

    /// The name a person reads ("Red").
    pub fn name(self) -> &'static str {
        match self {
            Colour::Red => "Red",
            Colour::Orange => "Orange",
            Colour::Yellow => "Yellow",
            Colour::Green => "Green",
            Colour::Blue => "Blue",
        }
    }

    /// The six lowercase hex digits, without `#`, as AWS writes them in links.
    pub fn hex(self) -> &'static str {
        match self {
            Colour::Red => "f2b0a9",
            Colour::Orange => "fbc8aa",
            Colour::Yellow => "efda95",
            Colour::Green => "b7ca9d",
            Colour::Blue => "83d4e8",
        }
    }

    /// The colour whose hex is `text`: six hex digits, with or without a leading `#`, any case.
    pub fn from_hex(text: &str) -> Result<Self, NotInPalette> {
        let digits = text.strip_prefix('#').unwrap_or(text);
        Self::ALL
            .into_iter()
            .find(|c| c.hex().eq_ignore_ascii_case(digits))
            .ok_or(NotInPalette)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TryFrom<String> for Colour {
    type Error = NotInPalette;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::from_hex(&s)
    }
}

impl From<Colour> for String {
    fn from(c: Colour) -> String {
        c.hex().to_owned()
    }
}

impl FromStr for Colour {
    type Err = NotInPalette;

    /// Accepts a palette hex (see [`Colour::from_hex`]) or a colour's name in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s))
            .map_or_else(|| Self::from_hex(s), Ok)
    }
}

/// The console's visual mode (Cloudscape's name): the system's, or light or dark whatever the
/// system says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VisualMode {
    /// Follows the system's setting (`prefers-color-scheme`).
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl VisualMode {
    /// Every mode, in the order a choice lists them.
    pub const ALL: [VisualMode; 3] = [VisualMode::System, VisualMode::Light, VisualMode::Dark];

    /// The stored and `data-theme` form: `system`, `light`, `dark`.
    pub fn as_str(self) -> &'static str {
        match self {
            VisualMode::System => "system",
            VisualMode::Light => "light",
            VisualMode::Dark => "dark",
        }
    }

    /// The label a person reads.
    pub fn label(self) -> &'static str {
        match self {
            VisualMode::System => "System",
            VisualMode::Light => "Light",
            VisualMode::Dark => "Dark",
        }
    }

    /// Reads [`VisualMode::as_str`]'s form; anything else (a missing or foreign value) is the
    /// system's mode.
    pub fn parse(text: &str) -> VisualMode {
        VisualMode::ALL
            .into_iter()
            .find(|mode| mode.as_str() == text)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_aws_colours() {
        let pairs: Vec<_> = Colour::ALL.iter().map(|c| (c.name(), c.hex())).collect();
        assert_eq!(
            pairs,
            [
                ("Red", "f2b0a9"),
                ("Orange", "fbc8aa"),
                ("Yellow", "efda95"),
                ("Green", "b7ca9d"),
                ("Blue", "83d4e8"),
            ]
        );
    }

    #[test]
    fn hex_with_or_without_hash_in_any_case() {
        assert_eq!(Colour::from_hex("f2b0a9"), Ok(Colour::Red));
        assert_eq!(Colour::from_hex("#F2B0A9"), Ok(Colour::Red));
        assert_eq!(Colour::from_hex("83D4e8"), Ok(Colour::Blue));
        assert_eq!("green".parse(), Ok(Colour::Green));
        assert_eq!("#efda95".parse(), Ok(Colour::Yellow));
    }

    #[test]
    fn nothing_else_is_a_colour() {
        for bad in [
            "",
            "#",
            "ff0000",
            "f2b0a",
            "f2b0a90",
            "##f2b0a9",
            " f2b0a9",
            "red;background:url(x)",
            "purple",
        ] {
            assert_eq!(Colour::from_hex(bad), Err(NotInPalette), "{bad:?}");
            assert_eq!(bad.parse::<Colour>(), Err(NotInPalette), "{bad:?}");
        }
    }

    #[test]
    fn hex_round_trips() {
        for c in Colour::ALL {
            assert_eq!(Colour::from_hex(c.hex()), Ok(c));
            assert_eq!(c.to_string().parse(), Ok(c));
        }
    }

    #[test]
    fn a_visual_mode_reads_back_what_it_writes_and_anything_else_is_the_systems() {
        for mode in VisualMode::ALL {
            assert_eq!(VisualMode::parse(mode.as_str()), mode);
        }
        assert_eq!(VisualMode::parse("Dark"), VisualMode::System);
        assert_eq!(VisualMode::parse(""), VisualMode::System);
    }

    /// The names a person (and a test, by role and name) chooses a mode by: Cloudscape's
    /// visual modes.
    #[test]
    fn a_visual_mode_is_labelled_by_its_name() {
        let labels: Vec<_> = VisualMode::ALL.map(VisualMode::label).into();
        assert_eq!(labels, ["System", "Light", "Dark"]);
    }
}
