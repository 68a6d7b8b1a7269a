"""Helpers of the extraction tests: the facts of a graph, the coreference links of a result."""

from __future__ import annotations

from graphkit.graph import CO_OCCURS, is_asserted
from graphkit.model import SYMMETRIC_LABELS


def facts(graph) -> set[tuple[str, str, str]]:
    """Typed edges stated as facts, symmetric ones in sorted order."""
    found = set()
    for u, v, data in graph.edges(data=True):
        if data["relation"] != CO_OCCURS and is_asserted(data["evidence"]):
            if data["relation"] in SYMMETRIC_LABELS:
                u, v = sorted((u, v))
            found.add((u, data["relation"], v))
    return found


def links(result) -> dict[str, str]:
    """Resolved phrase -> the name of the mention it refers to (the root of the chain)."""
    mentions = result.mentions
    found = {}
    for mention in mentions:
        if mention.antecedent is None or mention.reason in ("acronym", "dropped"):
            continue
        root = mentions[mention.antecedent]
        while root.antecedent is not None and root.reason != "acronym":
            root = mentions[root.antecedent]
        found[mention.text] = root.text
    return found
