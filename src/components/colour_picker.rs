//! The palette's colours as a radio group: the only colours the console shows, whatever a link
//! or a person asks for.

use leptos::prelude::*;

use crossrole_core::colour::Colour;

/// The CSS class that paints an element in a palette colour (never raw CSS from data).
pub fn colour_class(colour: Option<Colour>) -> &'static str {
    match colour {
        Some(Colour::Red) => "colour-red",
        Some(Colour::Orange) => "colour-orange",
        Some(Colour::Yellow) => "colour-yellow",
        Some(Colour::Green) => "colour-green",
        Some(Colour::Blue) => "colour-blue",
        None => "colour-none",
    }
}

/// A radio group named `legend` choosing one of the palette's colours.
#[component]
pub fn ColourPicker(
    /// The group's visible name.
    legend: &'static str,
    /// A prefix for the radios' ids (unique on the page); also the radios' group name.
    #[prop(into)]
    id_prefix: String,
    /// The chosen colour.
    colour: RwSignal<Option<Colour>>,
) -> impl IntoView {
    let legend_id = format!("{id_prefix}-label");
    view! {
        <fieldset class="colours">
            <legend id=legend_id.clone()>{legend}</legend>
            <div role="radiogroup" aria-labelledby=legend_id class="colour-options">
                {Colour::ALL
                    .into_iter()
                    .map(|c| {
                        let id = format!("{id_prefix}-{}", c.hex());
                        let group = id_prefix.clone();
                        let label_for = id.clone();
                        view! {
                            <label for=label_for class=format!("colour-option {}", colour_class(Some(c)))>
                                <input
                                    type="radio"
                                    id=id
                                    name=group
                                    value=c.hex()
                                    prop:checked=move || colour.get() == Some(c)
                                    on:change=move |_| colour.set(Some(c))
                                />
                                {c.name()}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}
