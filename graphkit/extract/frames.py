"""Relation frames kept as data: which word states a relation, and where its two ends sit.

A frames file (``rules/frames.fr.json``, plus any ``--rules FILE``) holds::

    {"lexicon":  {"ACQ_VERBS": ["racheter", "acquérir", ...]},
     "grammar":  {"light_verbs": "$LIGHT_VERBS", "transparent_nouns": [...], ...},
     "modality": {...}, "attribution": {...}, "suppresses": {"leads": ["works_for"]},
     "frames": [
       {"id": "racheter", "label": "acquires", "pos": ["VERB"], "words": "$ACQ_VERBS",
        "source": ["subject"], "target": ["object"],
        "note": "a buyer buys", "example": "Le groupe Danone a racheté la start-up Alpro.",
        "expect": ["Danone", "Alpro"]}]}

``words`` are lemmas or phrases (« à la tête », « directeur général »); a
phrase's trigger is its word that depends on a word outside it. ``source``
and ``target`` list the slots tried in turn (:mod:`graphkit.extract.tree`);
``"$NAME"`` stands for the lexicon list ``NAME``. Optional keys:
``source_types``/``target_types`` (entity types allowed), ``stake`` (an
object reached through a percentage decides the label: more than half
``owns``, else ``invests_in``), ``presupposed`` (the relation holds whatever
the clause says of the act: « X souhaite vendre Y » still says X owns Y). Every frame has a ``note`` and an
``example`` with the two names it should give (``expect``).

:func:`load_frames` validates everything and raises
:class:`~graphkit.errors.RulesError` naming the file, the frame and the problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from graphkit.datafiles import read_sources
from graphkit.errors import RulesError
from graphkit.extract.tree import SLOTS, Grammar
from graphkit.model import ENTITY_TYPES, RELATION_LABELS

__all__ = ["Frame", "FrameSet", "load_frames", "builtin_frames_text"]

POS = ("VERB", "NOUN", "ADJ", "PROPN", "ADP", "ADV", "PUNCT")
FRAME_KEYS = frozenset(
    {"id", "label", "pos", "words", "source", "target", "note", "example", "expect"}
    | {"source_types", "target_types", "stake", "presupposed"}
)
GRAMMAR_KEYS = {
    "light_verbs": "light_verbs",
    "light_nouns": "light_nouns",
    "transparent_nouns": "transparent_nouns",
    "control_verbs": "control_verbs",
    "appoint_verbs": "appoint_verbs",
    "dative_verbs": "dative_verbs",
    "make_verbs": "make_verbs",
}
MODALITY_KEYS = frozenset(
    {
        "negators",
        "negation_words",
        "hypothetical_heads",
        "negative_heads",
        "hypothetical_modifiers",
        "walk_deps",
        "hypothesis_phrases",
        "past_modifiers",
        "request_verbs",
    }
)
ATTRIBUTION_KEYS = frozenset({"prepositions", "speech_verbs"})


@dataclass(frozen=True)
class Frame:
    """One frame: a trigger word's relation and the slots of its two ends."""

    id: str
    label: str
    pos: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    source: tuple[str, ...]
    target: tuple[str, ...]
    source_types: frozenset[str] = frozenset(ENTITY_TYPES)
    target_types: frozenset[str] = frozenset(ENTITY_TYPES)
    stake: bool = False
    presupposed: bool = False
    note: str = ""
    example: str = ""
    expect: tuple[str, str] = ("", "")


@dataclass
class FrameSet:
    """Validated frames, indexed by the first word of their phrases, with the shared word lists."""

    frames: list[Frame] = field(default_factory=list)
    grammar: Grammar = field(default_factory=Grammar)
    modality: dict[str, frozenset[str]] = field(default_factory=dict)
    attribution: dict[str, frozenset[str]] = field(default_factory=dict)
    suppresses: dict[str, frozenset[str]] = field(default_factory=dict)
    digest: str = ""
    index: dict[str, list[tuple[tuple[str, ...], Frame]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frames)

    def labels(self) -> set[str]:
        return {frame.label for frame in self.frames}

    def add(self, frame: Frame) -> None:
        self.frames.append(frame)
        for phrase in frame.phrases:
            self.index.setdefault(phrase[0], []).append((phrase, frame))


class _Problem(Exception):
    """A validation problem, turned into RulesError with the file and frame named."""


def _words(value: Any, lexicon: dict[str, list[str]], what: str) -> list[str]:
    """A list of strings, ``"$NAME"`` entries expanded from the lexicon."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if not isinstance(item, str) or not item:
            raise _Problem(f"{what} must be a word, a list of words or a $LIST, got {item!r}")
        if item.startswith("$"):
            if item[1:] not in lexicon:
                raise _Problem(f"unknown lexicon list {item}")
            out.extend(lexicon[item[1:]])
        else:
            out.append(item)
    return out


def _slots(value: Any, what: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    for slot in items:
        if not isinstance(slot, str) or not (slot in SLOTS or (slot.startswith("prep:") and len(slot) > 5)):
            allowed = ", ".join([*sorted(SLOTS), "prep:WORD|WORD"])
            raise _Problem(f"{what} slot must be one of {allowed}, got {slot!r}")
    if not items:
        raise _Problem(f"{what} needs at least one slot")
    return tuple(items)


def _types(value: Any, what: str) -> frozenset[str]:
    if value is None:
        return frozenset(ENTITY_TYPES)
    if not isinstance(value, list) or not value or not set(value) <= set(ENTITY_TYPES):
        raise _Problem(f"{what} must be a list of {', '.join(ENTITY_TYPES)}, got {value!r}")
    return frozenset(value)


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(text.lower().replace("’", "'").replace("'", "' ").split())


def _frame(raw: Any, lexicon: dict[str, list[str]]) -> Frame:
    if not isinstance(raw, dict):
        raise _Problem("a frame must be an object")
    missing = [k for k in ("id", "label", "words", "source", "target", "note", "example") if k not in raw]
    if missing:
        raise _Problem(f"missing {', '.join(missing)}")
    unknown = sorted(set(raw) - FRAME_KEYS)
    if unknown:
        raise _Problem(f"unknown field(s) {', '.join(unknown)}")
    if raw["label"] not in RELATION_LABELS:
        raise _Problem(f"unknown label {raw['label']!r}; allowed: {', '.join(sorted(RELATION_LABELS))}")
    pos = raw.get("pos", ["VERB", "NOUN", "ADJ"])
    if not isinstance(pos, list) or not pos or not set(pos) <= set(POS):
        raise _Problem(f"pos must be a list of {', '.join(POS)}, got {pos!r}")
    expect = raw.get("expect", ["", ""])
    if not (isinstance(expect, list) and len(expect) == 2 and all(isinstance(e, str) for e in expect)):
        raise _Problem(f"expect must be [source name, target name], got {expect!r}")
    stake = raw.get("stake", False)
    presupposed = raw.get("presupposed", False)
    if not isinstance(stake, bool) or not isinstance(presupposed, bool):
        raise _Problem(f"stake and presupposed must be true or false, got {stake!r}, {presupposed!r}")
    for key in ("note", "example"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise _Problem(f"{key} must be a non-empty text")
    return Frame(
        id=str(raw["id"]),
        label=raw["label"],
        pos=frozenset(pos),
        phrases=tuple(sorted({_phrase(w) for w in _words(raw["words"], lexicon, "words")})),
        source=_slots(raw["source"], "source"),
        target=_slots(raw["target"], "target"),
        source_types=_types(raw.get("source_types"), "source_types"),
        target_types=_types(raw.get("target_types"), "target_types"),
        stake=stake,
        presupposed=presupposed,
        note=raw["note"],
        example=raw["example"],
        expect=(expect[0], expect[1]),
    )


def _word_lists(
    section: Any, allowed: Iterable[str], lexicon: dict[str, list[str]], name: str
) -> dict[str, frozenset[str]]:
    if not isinstance(section, dict):
        raise _Problem(f"'{name}' must be an object")
    unknown = sorted(set(section) - set(allowed))
    if unknown:
        raise _Problem(
            f"unknown '{name}' list(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
    return {
        key: frozenset(w.lower() for w in _words(value, lexicon, f"{name}.{key}"))
        for key, value in section.items()
    }


def _parse(text: str, source: str, frames: FrameSet, grammar: dict[str, frozenset[str]]) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise RulesError(f"rules file {source}: not JSON ({err.msg}, line {err.lineno})") from None
    if isinstance(data, dict) and "rules" in data and "frames" not in data:
        raise RulesError(
            f"rules file {source}: holds token-sequence 'rules', which graphkit no longer reads; "
            "write them as 'frames' (see the README, « Alias and frames files »)"
        )
    if not isinstance(data, dict) or not isinstance(data.get("frames"), list):
        raise RulesError(f"rules file {source}: expected an object with a 'frames' list")
    lexicon = data.get("lexicon", {})
    if not isinstance(lexicon, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lexicon.values()
    ):
        raise RulesError(f"rules file {source}: 'lexicon' must map names to lists of strings")
    try:
        for key, words in _word_lists(data.get("grammar", {}), GRAMMAR_KEYS, lexicon, "grammar").items():
            grammar[key] = grammar.get(key, frozenset()) | words
        for key, words in _word_lists(data.get("modality", {}), MODALITY_KEYS, lexicon, "modality").items():
            frames.modality[key] = frames.modality.get(key, frozenset()) | words
        for key, words in _word_lists(
            data.get("attribution", {}), ATTRIBUTION_KEYS, lexicon, "attribution"
        ).items():
            frames.attribution[key] = frames.attribution.get(key, frozenset()) | words
        for label, hidden in data.get("suppresses", {}).items():
            if label not in RELATION_LABELS or not set(hidden) <= set(RELATION_LABELS):
                raise _Problem(f"'suppresses' names an unknown label: {label!r}: {hidden!r}")
            frames.suppresses[label] = frames.suppresses.get(label, frozenset()) | frozenset(hidden)
    except _Problem as err:
        raise RulesError(f"rules file {source}: {err}") from None
    seen = {frame.id for frame in frames.frames}
    for index, raw in enumerate(data["frames"]):
        name = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
        try:
            frame = _frame(raw, lexicon)
            if frame.id in seen:
                raise _Problem("another frame has this id")
        except _Problem as err:
            raise RulesError(f"rules file {source}: frame {name!r} (index {index}): {err}") from None
        seen.add(frame.id)
        frames.add(frame)


def builtin_frames_text() -> str:
    """Text of the frames shipped with graphkit."""
    return resources.files("graphkit").joinpath("rules/frames.fr.json").read_text(encoding="utf-8")


def load_frames(paths: Sequence[str | Path] = (), *, builtin: bool = True) -> FrameSet:
    """Load and validate the shipped frames (unless ``builtin=False``) and those of ``paths``.

    Raises
    ------
    RulesError
        Naming the file, the frame and the problem.
    """
    frames = FrameSet()
    grammar: dict[str, frozenset[str]] = {}
    shipped = ("frames.fr.json (built in)", builtin_frames_text()) if builtin else None
    sources, frames.digest = read_sources(shipped, paths, what="rules", error=RulesError)
    for source, text in sources:
        _parse(text, source, frames, grammar)
    frames.grammar = Grammar(**{GRAMMAR_KEYS[k]: v for k, v in grammar.items()})
    return frames
