"""Colours and sizes shared by the page, GraphML, GEXF and CSV exports."""

from __future__ import annotations

import math

from graphkit.model import RELATION_LABELS, SYMMETRIC_RELATIONS

__all__ = [
    "TYPE_COLORS",
    "RELATION_COLORS",
    "SYMMETRIC_RELATIONS",
    "RELATIONS",
    "TYPE_SHAPES",
    "node_color",
    "node_shape",
    "contrast_ratio",
    "node_size",
    "node_radius",
    "relation_color",
    "hex_to_rgb",
]

# By entity type: a colour and a shape each, so that types differ by more than colour.
# Every colour here is at 3:1 contrast or more against white (WCAG's minimum for graphics),
# and the relation colours are far apart from each other (CIELAB distance 18 or more).
TYPE_COLORS: dict[str, str] = {
    "PER": "#C2570C",
    "ORG": "#0072B2",
    "LOC": "#007A55",
    "MISC": "#A6447D",
}
TYPE_SHAPES: dict[str, str] = {"PER": "dot", "ORG": "square", "LOC": "triangle", "MISC": "diamond"}
DEFAULT_COLOR = "#767676"
DEFAULT_SHAPE = "dot"

RELATIONS: tuple[str, ...] = RELATION_LABELS

RELATION_COLORS: dict[str, str] = {
    "owns": "#6A3D9A",
    "acquires": "#B5179E",
    "invests_in": "#1F78B4",
    "partner_of": "#2E7D32",
    "counterpart_of": "#00838F",
    "competes_with": "#E65100",
    "leads": "#8D6E00",
    "works_for": "#795548",
    "founded": "#3E2723",
    "located_in": "#546E7A",
    "operates_in": "#5C6BC0",
    "urges": "#C62828",
    "targets": "#AD1457",
    "sells_on": "#4527A0",
    "co_occurs": "#8F8F8F",
}


def node_shape(entity_type: str) -> str:
    """vis-network shape of an entity type.

    >>> node_shape("LOC"), node_shape("EVENT")
    ('triangle', 'dot')
    """
    return TYPE_SHAPES.get(entity_type, DEFAULT_SHAPE)


def contrast_ratio(color: str, background: str = "#FFFFFF") -> float:
    """WCAG contrast ratio between two ``#RRGGBB`` colours, 1 to 21.

    >>> round(contrast_ratio("#000000"), 1), round(contrast_ratio("#767676"), 2)
    (21.0, 4.54)
    """

    def luminance(value: str) -> float:
        channels = [c / 255 for c in hex_to_rgb(value)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(color), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


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
