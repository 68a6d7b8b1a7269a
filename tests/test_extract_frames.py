"""Frames as data: the shipped file loads, every frame has a note and an example that the real model
turns into the frame's relation, and a malformed file is one clear line naming the file, frame and problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.errors import RulesError
from graphkit.extract.frames import load_frames
from graphkit.model import RELATION_LABELS, SYMMETRIC_LABELS
from graphkit.normalize import normalize_key

FRAMES = load_frames().frames


def test_frames_shipped_file_loads_and_covers_every_label():
    frames = load_frames()
    assert len(frames) == len(FRAMES) > 0
    assert frames.labels() == set(RELATION_LABELS)
    assert len({frame.id for frame in FRAMES}) == len(FRAMES)


def test_frames_file_is_a_frame_a_line():
    path = Path(__file__).resolve().parents[1] / "graphkit" / "rules" / "frames.fr.json"
    text = path.read_text("utf-8")
    lines = [line for line in text.splitlines() if line.startswith('  {"id": ')]
    assert len(lines) == len(FRAMES)
    assert all(json.loads(line.rstrip(","))["note"] for line in lines)


def has_edge(graph, source: str, label: str, target: str) -> bool:
    """Whether ``graph`` links ``source`` to ``target`` by ``label`` (either way if it is symmetric)."""

    def forms(node: str) -> set[str]:
        return {normalize_key(form) for form in (node, *graph.nodes[node].get("aliases", []))}

    source, target = normalize_key(source), normalize_key(target)
    for u, v, data in graph.edges(data=True):
        if data["relation"] == label:
            ends = [(u, v), (v, u)] if label in SYMMETRIC_LABELS else [(u, v)]
            if any(source in forms(a) and target in forms(b) for a, b in ends):
                return True
    return False


@pytest.mark.parametrize("frame", FRAMES, ids=[frame.id for frame in FRAMES])
def test_frames_example_gives_the_frame_relation(extract, frame):
    result, graph = extract(frame.example)
    assert any(r.rule == frame.id for r in result.relations), [(r.rule, r.label) for r in result.relations]
    assert has_edge(graph, *frame.expect[:1], frame.label, *frame.expect[1:]), sorted(
        (u, d["relation"], v) for u, v, d in graph.edges(data=True) if d["relation"] != "co_occurs"
    )


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "my-frames.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


GOOD = {"id": "x", "label": "owns", "words": ["posséder"], "source": ["subject"], "target": ["object"],
        "note": "n", "example": "e"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"frames": [{**GOOD, "label": "loves"}]}, "unknown label 'loves'"),
        ({"frames": [{**GOOD, "source": ["whoever"]}]}, "source slot must be one of"),
        ({"frames": [{**GOOD, "words": "$NOPE"}]}, "unknown lexicon list $NOPE"),
        ({"frames": [{k: v for k, v in GOOD.items() if k != "note"}]}, "missing note"),
        ({"frames": [{**GOOD, "pos": ["VERBE"]}]}, "pos must be a list of"),
        ({"frames": [{**GOOD, "extra": 1}]}, "unknown field(s) extra"),
        ({"frames": [GOOD, GOOD]}, "another frame has this id"),
        ({"frames": "nope"}, "expected an object with a 'frames' list"),
        ({"rules": []}, "token-sequence 'rules', which graphkit no longer reads"),
        ({"frames": [], "grammar": {"heavy_verbs": []}}, "unknown 'grammar' list(s) heavy_verbs"),
    ],
)
def test_frames_malformed_file_names_file_frame_and_problem(tmp_path, data, message):
    path = _write(tmp_path, data)
    with pytest.raises(RulesError) as err:
        load_frames([path])
    text = str(err.value)
    assert str(path) in text and message in text and "\n" not in text


def test_frames_file_not_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{oops", encoding="utf-8")
    with pytest.raises(RulesError, match="not JSON"):
        load_frames([path])


def test_frames_missing_file(tmp_path):
    with pytest.raises(RulesError, match="rules file not found"):
        load_frames([tmp_path / "nope.json"])


def test_frames_user_file_changes_the_digest(tmp_path):
    path = _write(tmp_path, {"frames": [GOOD]})
    assert load_frames([path]).digest != load_frames().digest
    assert any(frame.id == "x" for frame in load_frames([path]).frames)
