"""Provides the entity colours: one per type, a dark and a light set, exposed as CSS variables.

Each colour keeps a contrast of at least 4.5:1 against the background and surface of every
built-in Textual theme of its kind (dark or light), so mentions stay readable when the user
switches themes. CSS and Content spans refer to them as ``$entity-person`` and so on.
"""

from __future__ import annotations

from index import ENTITY_LABELS

DARK: dict[str, str] = {
    "PERSON": "#8cb8ff",
    "ORG": "#f5a962",
    "GPE": "#7fd98f",
    "LOC": "#56d4c8",
    "NORP": "#d9a6f5",
    "FAC": "#e8cc6a",
    "EVENT": "#ffaaaa",
    "LAW": "#c2cc7a",
    "PRODUCT": "#f7a1c8",
    "WORK_OF_ART": "#a8cdf0",
}

LIGHT: dict[str, str] = {
    "PERSON": "#1a4fa3",
    "ORG": "#8f4200",
    "GPE": "#176329",
    "LOC": "#0a5e6e",
    "NORP": "#6c2f94",
    "FAC": "#6e5600",
    "EVENT": "#a11f14",
    "LAW": "#4d5900",
    "PRODUCT": "#8f1d5c",
    "WORK_OF_ART": "#2b527a",
}

#: Plain-language names for the help screen and the panel.
LABEL_NAMES: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "country, city, state",
    "LOC": "place",
    "NORP": "group (nationality, religion, politics)",
    "FAC": "building, facility",
    "EVENT": "event",
    "LAW": "law",
    "PRODUCT": "product",
    "WORK_OF_ART": "work of art",
}


def label_slug(label: str) -> str:
    """``WORK_OF_ART`` -> ``work-of-art``: the part after ``entity-`` in variables and classes."""
    return label.lower().replace("_", "-")


def label_variable(label: str) -> str:
    """The CSS variable holding ``label``'s colour (unknown labels get the muted text colour)."""
    return f"$entity-{label_slug(label)}" if label in DARK else "$text-muted"


def entity_variables(dark: bool) -> dict[str, str]:
    """The variables to add to the theme's: ``entity-person`` ... plus the marks' backgrounds."""
    palette = DARK if dark else LIGHT
    variables = {f"entity-{label_slug(label)}": palette[label] for label in ENTITY_LABELS}
    # Search hits: a warm background that leaves the entity colour on top readable.
    variables["hit-background"] = "#5a4a12" if dark else "#f3dc8a"
    # The selected entity's mentions: a cool tint strong enough to see at a glance.
    variables["selected-background"] = "#2f4a6e" if dark else "#c4d8f5"
    return variables
