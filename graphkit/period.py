"""Time windows over a contract graph: the evidence in a date range, and counts per day, week or month.

The graph dates its evidence, not every mention: an evidence item is dated
by its document (``date``) and by the documents folded into it as wire copies
(``copies``, each with its own ``date``). So, in a window:

- an evidence item counts when its date, or the date of one of its copies,
  lies in the window; a date known only to the month (or year) counts when
  the whole month (or year) lies in it, so a window never takes in an
  article it is not sure of; undated evidence never counts;
- an edge is kept with the evidence that counts: ``weight`` is the number
  of such sentences (only the sentences kept on the edge, ``--max-evidence``,
  carry dates into the graph), ``first_seen``, ``last_seen`` and ``outlets``
  are those of the publications in the window;
- an entity is kept when one of its edges is; its ``mentions`` become the
  evidence sentences in the window that name it, its ``docs`` their documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import networkx as nx

from graphkit.dates import parse_date, period_bounds
from graphkit.graph import seen_attributes
from graphkit.model import CO_OCCURS

__all__ = ["PERIODS", "window", "publications", "restrict", "period_of", "periods", "timeline_rows"]

PERIODS = ("day", "week", "month")
"""The periods :func:`timeline_rows` counts by."""

When = str | date | None


def _iso(value: When, name: str) -> str | None:
    """A bound given as a string, a date or a datetime, as ISO; None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    iso = parse_date(str(value))
    if iso is None:
        raise ValueError(f"{name}={value!r} is not a date (expected e.g. 2024-10-11, 2024-10 or 2024)")
    return iso


def window(since: When, until: When) -> tuple[str, str]:
    """The first and last day of a window; a month or year bound takes in all its days.

    >>> window("2024-10", "2024-11"), window(None, date(2024, 3, 1))
    (('2024-10-01', '2024-11-30'), ('0000-01-01', '2024-03-01'))
    """
    low, high = _iso(since, "since"), _iso(until, "until")
    first = period_bounds(low)[0] if low else "0000-01-01"
    last = period_bounds(high)[1] if high else "9999-12-31"
    if first > last:
        raise ValueError(f"since ({first}) is after until ({last})")
    return first, last


def publications(item: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """``(doc, date, outlet)`` of an evidence item's document and of its wire copies, if dated.

    >>> list(publications({"doc": "a", "date": "2024-10-11", "copies": [{"doc": "b", "outlet": "AFP"}]}))
    [('a', '2024-10-11', '')]
    """
    for where in (item, *item.get("copies", ())):
        if where.get("date"):
            yield str(where["doc"]), str(where["date"]), str(where.get("outlet") or "")


def _inside(iso: str, bounds: tuple[str, str]) -> bool:
    first, last = period_bounds(iso)
    return bounds[0] <= first and last <= bounds[1]


def _in_window(item: dict[str, Any], bounds: tuple[str, str]) -> list[tuple[str, str, str]]:
    """The publications of an evidence item that lie in the window."""
    return [pub for pub in publications(item) if _inside(pub[1], bounds)]


def restrict(graph: nx.MultiDiGraph, since: When, until: When) -> nx.MultiDiGraph:
    """A new graph holding the evidence of ``graph`` published between ``since`` and ``until``.

    Bounds are inclusive; either may be None (no bound). See the module for what counts.

    Raises
    ------
    ValueError
        If a bound is not a date, or ``since`` is after ``until``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("A", mentions=5, docs=["a", "b"]); G.add_node("B", mentions=1, docs=["b"])
    >>> ev = [{"doc": "a", "sentence": "A.", "start": 0, "end": 2, "date": "2024-01-05"},
    ...       {"doc": "b", "sentence": "A B.", "start": 0, "end": 4, "date": "2024-03-01", "outlet": "AFP"}]
    >>> G.add_edge("A", "B", key="owns", relation="owns", weight=2, evidence=ev)
    'owns'
    >>> small = restrict(G, "2024-02", None)
    >>> small.edges["A", "B", "owns"]["weight"], dict(small.nodes["A"])
    (1, {'mentions': 1, 'docs': ['b'], 'first_seen': '2024-03-01', 'last_seen': '2024-03-01', 'outlets': 1})
    """
    bounds = window(since, until)
    sub = nx.MultiDiGraph(**graph.graph)
    named: dict[str, set[tuple[str, int]]] = {}
    node_pubs: dict[str, list[tuple[str, str, str]]] = {}
    edges = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        kept, pubs = [], []
        for item in data.get("evidence", ()):
            inside = _in_window(item, bounds)
            if inside:
                kept.append(item)
                pubs += inside
        if not kept:
            continue
        edges.append((u, v, key, {**data, "weight": len(kept), "evidence": kept, **_seen(pubs)}))
        for node in (u, v):
            named.setdefault(node, set()).update((str(item["doc"]), int(item["start"])) for item in kept)
            node_pubs.setdefault(node, []).extend(pubs)
    for node in graph.nodes:  # in the graph's order
        if node in named:
            data = {**graph.nodes[node], "mentions": len(named[node])}
            data["docs"] = sorted({doc for doc, _start in named[node]})
            for name in ("first_seen", "last_seen", "outlets"):
                data.pop(name, None)
            sub.add_node(node, **data, **_seen(node_pubs[node]))
    for u, v, key, data in edges:
        sub.add_edge(u, v, key=key, **data)
    sub.graph["documents"] = len({doc for docs in sub.nodes(data="docs") for doc in docs[1]})
    return sub


def _seen(pubs: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    pubs = list(pubs)
    return seen_attributes({d for _doc, d, _o in pubs}, {o for _doc, _d, o in pubs if o})


def period_of(iso: str, by: str) -> str | None:
    """The period a date falls in: the day, the Monday of its week, or ``YYYY-MM``.

    None when the date is not precise enough (a month has no week).

    >>> period_of("2024-10-11", "week"), period_of("2024-10-11", "month"), period_of("2024-10", "day")
    ('2024-10-07', '2024-10', None)
    """
    if by == "month":
        return iso[:7] if len(iso) >= 7 else None
    if len(iso) < 10:
        return None
    if by == "day":
        return iso
    day = date.fromisoformat(iso)
    return (day - timedelta(days=day.weekday())).isoformat()


def periods(first: str, last: str, by: str) -> list[str]:
    """Every period from ``first`` to ``last`` (both periods as :func:`period_of` gives them).

    >>> periods("2024-11", "2025-01", "month"), periods("2024-10-07", "2024-10-21", "week")
    (['2024-11', '2024-12', '2025-01'], ['2024-10-07', '2024-10-14', '2024-10-21'])
    """
    if by == "month":
        year, month = int(first[:4]), int(first[5:7])
        out = []
        while f"{year:04d}-{month:02d}" <= last:
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out
    step = timedelta(days=7 if by == "week" else 1)
    day, end, out = date.fromisoformat(first), date.fromisoformat(last), []
    while day <= end:
        out.append(day.isoformat())
        day += step
    return out


def timeline_rows(graph: nx.MultiDiGraph, node: str, by: str) -> list[dict[str, Any]]:
    """Per period, from the first to the last: the ``mentions`` of ``node`` (evidence sentences
    naming it, one per publication, wire copies included), its ``relations`` (typed relations with
    such a sentence) and ``outlets`` (distinct outlets publishing them). Periods without any are 0.

    Raises
    ------
    ValueError
        If ``by`` is not one of :data:`PERIODS`.
    """
    if by not in PERIODS:
        raise ValueError(f"cannot count by {by!r}: expected one of {', '.join(PERIODS)}")
    mentions: dict[str, set[tuple[str, int]]] = {}
    relations: dict[str, set[tuple[str, str, str]]] = {}
    outlets: dict[str, set[str]] = {}
    edges = [*graph.out_edges(node, keys=True, data=True), *graph.in_edges(node, keys=True, data=True)]
    for u, v, key, data in edges:
        for item in data.get("evidence", ()):
            for doc, day, outlet in publications(item):
                period = period_of(day, by)
                if period is None:
                    continue
                mentions.setdefault(period, set()).add((doc, int(item["start"])))
                if key != CO_OCCURS:
                    relations.setdefault(period, set()).add((u, str(key), v))
                if outlet:
                    outlets.setdefault(period, set()).add(outlet)
    if not mentions:
        return []
    return [
        {
            "period": period,
            "mentions": len(mentions.get(period, ())),
            "relations": len(relations.get(period, ())),
            "outlets": len(outlets.get(period, ())),
        }
        for period in periods(min(mentions), max(mentions), by)
    ]
