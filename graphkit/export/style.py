"""Colours and sizes shared by the page, GraphML, GEXF and CSV exports."""

from __future__ import annotations

import math

from graphkit.model import RELATION_LABELS, SYMMETRIC_RELATIONS

__all__ = [
    "TYPE_COLORS",
    "RELATION_COLORS",
    "SYMMETRIC_RELATIONS",
    "RELATIONS",
    "node_color",
    "node_size",
    "node_radius",
    "relation_color",
    "hex_to_rgb",
]

# Colour-blind-friendly palette (Okabe-Ito) by entity type.
TYPE_COLORS: dict[str, str] = {
    "PER": "#E69F00",
    "ORG": "#0072B2",
    "LOC": "#009E73",
    "MISC": "#CC79A7",
}
DEFAULT_COLOR = "#999999"

RELATIONS: tuple[str, ...] = RELATION_LABELS

RELATION_COLORS: dict[str, str] = {
    "owns": "#7A3E9D",
    "acquires": "#9D3E7A",
    "invests_in": "#3E7A9D",
    "partner_of": "#2E8B57",
    "counterpart_of": "#1F9E89",
    "competes_with": "#D55E00",
    "leads": "#B8860B",
    "works_for": "#8B6B2E",
    "founded": "#6B8E23",
    "located_in": "#4F6D7A",
    "operates_in": "#56B4E9",
    "urges": "#C0392B",
    "targets": "#E31A1C",
    "sells_on": "#F0A202",
    "co_occurs": "#C8C8C8",
}


def node_color(entity_type: str) -> str:
    """Hex colour of an entity type.

    >>> node_color("ORG")
    '#0072B2'
    """
    return TYPE_COLORS.get(entity_type, DEFAULT_COLOR)


def relation_color(relation: str) -> str:
    """Hex colour of a relation label."""
    return RELATION_COLORS.get(relation, DEFAULT_COLOR)


def node_size(mentions: int) -> float:
    """Size of a node from its mention count: grows with the log, 10 to 50.

    >>> node_size(1), node_size(100)
    (10.0, 36.0)
    """
    return round(min(50.0, 10.0 + 13.0 * math.log10(max(1, mentions))), 1)


def node_radius(mentions: int) -> float:
    """Radius of a node's disc in the layout's drawing units: half its :func:`node_size`.

    >>> node_radius(1), node_radius(100)
    (5.0, 18.0)
    """
    return node_size(mentions) / 2


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``"#RRGGBB"`` -> ``(r, g, b)``.

    >>> hex_to_rgb("#0072B2")
    (0, 114, 178)
    """
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
