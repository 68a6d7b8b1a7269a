"""Seeded synthetic entity graphs shaped like graphkit's output, for benchmarks and screenshots.

About 2.5 edges per entity: one in three a typed relation (a few of them only
negated or hypothetical), the rest co-occurrences; entities gather in
communities around a few hubs, mention counts follow a long tail, and every
edge carries one to three evidence sentences from a pool of documents.
"""

from __future__ import annotations

import random

import networkx as nx

from graphkit.graph import EdgeRecord, build_graph
from graphkit.layout import assign_positions
from graphkit.model import Entity

__all__ = ["synthetic_graph"]

SYLLABLES = ("ba", "ri", "lo", "mé", "tan", "cor", "vel", "sa", "nou", "gré", "zi", "pol", "dé")
TYPES = ("PER", "ORG", "LOC", "MISC")
TYPE_WEIGHTS = (35, 30, 20, 15)
# Relations by (source type, target type); co_occurs fits any pair.
TYPED = {
    ("PER", "ORG"): ("works_for", "leads", "founded"),
    ("ORG", "ORG"): ("owns", "acquires", "invests_in", "partner_of", "competes_with"),
    ("ORG", "LOC"): ("located_in", "operates_in"),
    ("PER", "PER"): ("counterpart_of", "urges"),
    ("ORG", "MISC"): ("sells_on", "targets"),
    ("PER", "LOC"): ("located_in",),
}
EDGES_PER_NODE = 2.5
TYPED_SHARE = 1 / 3
COMMUNITY = 40


def _name(rng: random.Random, entity_type: str, taken: set[str]) -> str:
    while True:
        words = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            for _ in range(2 if entity_type == "PER" else rng.randint(1, 2))
        ]
        name = " ".join(words)
        if entity_type == "ORG" and rng.random() < 0.3:
            name += rng.choice((" SA", " Group", " Banque", " Télécom"))
        if name not in taken:
            taken.add(name)
            return name


def _evidence(
    rng: random.Random, a: str, b: str, relation: str, docs: int
) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for _ in range(rng.randint(1, 3)):
        doc = rng.randrange(docs)
        verb = relation.replace("_", " ") if relation != "co_occurs" else "et"
        sentence = f"Selon la presse, {a} {verb} {b} depuis {rng.randint(1990, 2024)}."
        start = rng.randrange(0, 5000)
        item: dict[str, object] = {
            "doc": f"doc_{doc:05d}.txt",
            "sentence": sentence,
            "start": start,
            "end": start + len(sentence),
            "title": f"Article {doc}",
            "date": f"2024-{doc % 12 + 1:02d}-{doc % 28 + 1:02d}",
            "url": f"https://example.org/articles/{doc}",
        }
        roll = rng.random()
        if relation != "co_occurs" and roll < 0.06:
            item["modality"] = "negated" if roll < 0.03 else "hypothetical"
        items.append(item)
    return items


def synthetic_graph(nodes: int, *, seed: int = 7, positions: bool = True) -> nx.MultiDiGraph:
    """A graph of ``nodes`` entities with about 2.5 edges each, the same for the same seed.

    Parameters
    ----------
    nodes : int
        Number of entities.
    seed : int
        Seed of every random choice.
    positions : bool
        Store ``x``/``y`` with :func:`graphkit.layout.assign_positions`,
        as the pipeline does before writing its outputs.
    """
    rng = random.Random(seed)
    docs = max(1, nodes // 4)
    taken: set[str] = set()
    types = rng.choices(TYPES, weights=TYPE_WEIGHTS, k=nodes)
    names = [_name(rng, t, taken) for t in types]
    entities = [
        Entity(
            name,
            t,
            {name, name.upper()} if rng.random() < 0.3 else {name},
            max(1, int(rng.paretovariate(1.2))),
            {f"doc_{rng.randrange(docs):05d}.txt" for _ in range(rng.randint(1, 4))},
        )
        for name, t in zip(names, types, strict=True)
    ]
    edges: list[EdgeRecord] = []
    seen: set[tuple[int, int, str]] = set()
    target_edges = int(nodes * EDGES_PER_NODE) if nodes > 1 else 0
    while len(edges) < target_edges:
        u = rng.randrange(nodes)
        if rng.random() < 0.9:  # inside the community, often towards its hub
            base = u - u % COMMUNITY
            v = base if rng.random() < 0.3 else base + rng.randrange(COMMUNITY)
            v = min(v, nodes - 1)
        else:
            v = rng.randrange(nodes)
        if u == v:
            continue
        relation = "co_occurs"
        if rng.random() < TYPED_SHARE:
            choices = TYPED.get((types[u], types[v])) or TYPED.get((types[v], types[u]))
            if choices:
                relation = rng.choice(choices)
                if (types[u], types[v]) not in TYPED:
                    u, v = v, u
        if (u, v, relation) in seen or (v, u, relation) in seen:
            continue
        seen.add((u, v, relation))
        evidence = _evidence(rng, names[u], names[v], relation, docs)
        weight = len(evidence)
        if relation == "co_occurs":  # the weight counts every sentence, evidence keeps a few
            weight = max(weight, int(rng.paretovariate(1.5)))
        edges.append(EdgeRecord(names[u], names[v], relation, weight, evidence))
    graph = build_graph(entities, edges, documents=docs)
    if positions:
        assign_positions(graph)
    return graph
