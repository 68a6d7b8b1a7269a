"""Relations of one sentence: frames matched on their trigger words, their slots filled from the tree.

For each word that starts a frame's phrase, the frame's ``source`` and
``target`` slots are filled (:func:`graphkit.extract.tree.fill`, first slot
that gives anything), each end is widened to the names coordinated with it,
entity types are checked, a stake decides between ownership and investment,
and the modality and attribution of the statement are read. A label that
another label of the same pair and sentence makes redundant (``leads`` over
``works_for``) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphkit.extract.entities import PARTICIPLE_ENDINGS
from graphkit.extract.frames import Frame, FrameSet
from graphkit.extract.modality import attribution, modality
from graphkit.extract.tree import (
    Arg,
    Clause,
    clause_words,
    conjuncts,
    fill,
    gapped_pairs,
    is_pronominal,
    lower,
)
from graphkit.model import SYMMETRIC_LABELS

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["Found", "find_relations", "triggers"]

POS_CLASSES = {
    "VERB": ("VERB",),
    "NOUN": ("NOUN", "PROPN"),
    "ADJ": ("ADJ", "VERB"),
    "PROPN": ("PROPN",),
    "PUNCT": ("PUNCT",),
    "ADP": ("ADP",),
    "ADV": ("ADV",),
}
REFLEXIVES = ("s'", "se")
UNLISTED = frozenset({"before", "parenthesis", "main", "owner"})
"""Slots read from the words right around the trigger: no list extends them."""
MAJORITY = {"majorité": 51.0, "majoritaire": 51.0, "contrôle": 51.0, "totalité": 100.0, "intégralité": 100.0}
MINORITY = {"minoritaire": 10.0, "moitié": 50.0, "tiers": 33.0, "quart": 25.0}


@dataclass(frozen=True)
class Found:
    """A relation found in a clause: mention indices, the frame and how its ends were reached."""

    source: int
    label: str
    target: int
    frame: str
    trigger: int
    steps: tuple[str, ...]
    modality: str | None
    attributed_to: int | None


def _matches(token: Token, word: str) -> bool:
    return lower(token) == word or token.lemma_.lower() == word


def triggers(clause: Clause, frames: FrameSet) -> Iterator[tuple[Frame, Token, tuple[int, int]]]:
    """``(frame, trigger token, phrase span)`` of every frame phrase in the clause.

    A phrase matches word by word (form or lemma); its trigger is its first
    word that depends on a word outside it. At one starting word only the
    longest phrases count (« directeur général délégué » over « directeur »).
    A pronominal phrase (« s'installer ») matches on its verb when the verb
    has its clitic, wherever that stands (« elle s'est installée »), and
    outranks the bare verb (« installer »); a verb phrase split by its
    object (« mettre X en demeure ») matches on its verb.
    """
    doc = clause.doc
    for token in doc:
        if clause.is_ref(token):
            kind = clause.kinds.get(
                token.i
            )  # « sa filiale EDF Nouveau Business »: the kind noun is a trigger
            for phrase, frame in frames.index.get(kind, []) if kind else []:
                if len(phrase) == 1 and "NOUN" in frame.pos:
                    yield frame, token, (token.i, token.i + 1)
            continue
        if lower(token) in REFLEXIVES:
            continue  # « s'installer » is matched on its verb, wherever the clitic stands
        keys = {lower(token), token.lemma_.lower()}
        participle = _opening_participle(token)
        if participle:
            keys |= set(participle)
        candidates = [  # keys in a fixed order: the first frame found wins, whatever the hash seed
            (phrase, 0, frame) for key in sorted(keys) for phrase, frame in frames.index.get(key, [])
        ]
        if token.pos_ == "VERB" and is_pronominal(token):  # « elle s'est installée »: « s'installer »
            candidates += [(p[1:], 1, frame) for r in REFLEXIVES for p, frame in frames.index.get(r, [])]
        matched = []
        for phrase, clitic, frame in candidates:
            end = token.i + len(phrase)
            if not phrase or end > len(doc) or any(clause.is_ref(t) for t in doc[token.i : end]):
                if phrase and _separated(token, phrase):
                    matched.append((len(phrase) + clitic, 1, frame))
                continue
            if all(_matches(doc[token.i + k], word) for k, word in enumerate(phrase)) or (
                participle and len(phrase) == 1
            ):
                matched.append((len(phrase) + clitic, len(phrase), frame))
            elif _separated(token, phrase):
                matched.append((len(phrase) + clitic, 1, frame))
        if not matched:
            continue
        longest = max(weight for weight, _n, _f in matched)
        seen: set[str] = set()
        for weight, n, frame in matched:
            if weight != longest or frame.id in seen:
                continue
            seen.add(frame.id)
            span = (token.i, token.i + n)
            head = next(
                (t for t in doc[span[0] : span[1]] if not span[0] <= t.head.i < span[1] or t.head.i == t.i),
                token,
            )
            if (
                any(head.pos_ in POS_CLASSES[p] for p in frame.pos)
                or (participle and head.i == token.i and frame.pos & {"VERB", "ADJ"})
                or (_mistagged_verb(head) and "VERB" in frame.pos)
            ):
                yield frame, head, span


def _mistagged_verb(token: Token) -> bool:
    """A lowercase word tagged as a name that the lemmatizer read as a verb form (« que dirige X »,
    « dirige » lemmatised « diriger »)."""
    return (
        token.pos_ == "PROPN"
        and token.text.islower()
        and token.lemma_.endswith(("er", "ir", "re"))
        and token.lemma_ != token.text
    )


def _opening_participle(token: Token) -> tuple[str, str] | None:
    """« Installée à Palo Alto, … »: a past participle opening its sentence, which the tagger may call
    a name for its capital; returns its masculine form and infinitive (« installé », « installer »)."""
    if token.i != 0 or token.pos_ not in ("PROPN", "NOUN") or not token.text[:1].isupper():
        return None
    word = lower(token)
    for ending, infinitive in PARTICIPLE_ENDINGS:
        if infinitive == "er" and word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            return stem + "é", stem + infinitive
    return None


def _separated(verb: Token, phrase: tuple[str, ...]) -> bool:
    """Whether a verb phrase is split by its object: « mettre X en demeure », « pointer X du
    doigt » (the verb, then the rest of the phrase as the words ending one of its complements)."""
    if len(phrase) < 2 or verb.pos_ != "VERB" or not _matches(verb, phrase[0]):
        return False
    rest = phrase[1:]
    for child in verb.rights:
        start = child.i - len(rest) + 1
        if start > verb.i + 1 and all(_matches(verb.doc[start + k], w) for k, w in enumerate(rest)):
            return True
    return False


def _fill_first(
    clause: Clause, trigger: Token, slots: tuple[str, ...], span: tuple[int, int]
) -> tuple[str, list[Arg]]:
    """The first slot that gives anything; « de X » after a phrase completes its last word (« prise
    de contrôle de X »)."""
    last = clause.doc[span[1] - 1]
    for slot in slots:
        found = fill(clause, last, slot) if slot == "of" and last.i != trigger.i else []
        found = found or fill(clause, trigger, slot)
        if found:
            return slot, found
    return "", []


def _stake(trigger: Token, span: tuple[int, int], target: Token) -> float | None:
    """The share a stake frame states (« 62 % des parts », « les 9 % du capital de Y détenus par X »):
    the nearest one to the trigger in its clause, up to its object."""
    doc = trigger.doc
    start, end = clause_words(trigger)
    low, high = min(start, target.i), max(span[1], target.i)
    words = sorted(doc[low:high], key=lambda t: abs(t.i - trigger.i))
    words += [c for c in trigger.children if c.dep_ == "amod"]
    for word in words:
        text = lower(word)
        if (
            text in ("%", "pourcent")
            or word.lemma_ == "pourcent"
            or (text == "cent" and lower(doc[word.i - 1]) == "pour")
        ):
            number = next((t for t in doc[max(0, word.i - 3) : word.i] if t.like_num), None)
            if number is not None:
                value = re.sub(r"[^\d,.]", "", number.text).replace(",", ".")
                try:
                    return float(value)
                except ValueError:
                    continue
        if text in MAJORITY:
            return MAJORITY[text]
        if text in MINORITY:
            return MINORITY[text]
    return None


def _label(frame: Frame, share: float | None) -> str:
    if share is None or not frame.stake:
        return frame.label
    if share <= 50:
        return "invests_in"
    return "owns" if frame.label == "invests_in" else frame.label


def _mention(clause: Clause, arg: Arg) -> int:
    return arg.mention if arg.mention is not None else clause.refs[arg.token.i].mention


def _described(token: Token) -> bool:
    """Whether a name has an apposition of its own (« Z, ingénieur de recherche »)."""
    return any(c.dep_ == "appos" and c.pos_ == "NOUN" for c in token.children)


def _widen(clause: Clause, args: list[Arg], excluded: set[int]) -> list[Arg]:
    """Each end and the names coordinated with it; a name reached through an apposition
    (« X, son directeur général, Y, son directeur médical, et Z, ingénieur ») shares it only with
    those that have no apposition of their own."""
    widened: dict[int, Arg] = {}
    for arg in args:
        if arg.mention is not None:
            widened.setdefault(-1 - arg.mention, arg)
            continue
        for conjunct in conjuncts(clause, arg.token, excluded):
            if "apposition" in arg.steps and conjunct.token.i != arg.token.i and _described(conjunct.token):
                continue
            widened.setdefault(conjunct.token.i, Arg(conjunct.token, (*arg.steps, *conjunct.steps)))
    return list(widened.values())


def _types(clause: Clause, arg: Arg, types: dict[int, frozenset[str]]) -> frozenset[str]:
    return types.get(_mention(clause, arg), frozenset({arg.token.ent_type_}))


def find_relations(clause: Clause, frames: FrameSet, types: dict[int, frozenset[str]]) -> list[Found]:
    """Every relation the frames find in ``clause``; ``types`` gives the types each mention may have."""
    found: dict[tuple[int, str, int], Found] = {}
    for frame, trigger, span in triggers(clause, frames):
        source_slot, sources = _fill_first(clause, trigger, frame.source, span)
        target_slot, targets = _fill_first(clause, trigger, frame.target, span)
        if not sources or not targets:
            continue
        said_by = attribution(clause, trigger, frames.attribution)
        excluded = {said_by.i} if said_by is not None else set()
        if source_slot not in UNLISTED:
            sources = _widen(clause, sources, excluded)
        if target_slot not in UNLISTED:
            targets = _widen(clause, targets, excluded)
        pairs: list[tuple[Arg, Arg]]
        if source_slot == target_slot and {a.token.i for a in sources} == {a.token.i for a in targets}:
            pairs = [(a, b) for n, a in enumerate(sources) for b in sources[n + 1 :]]  # « entre X et Y »
        else:
            # two slots that reached the same list give no relation inside it (« la propriété de ses
            # marques, A, B et C »: A does not own B)
            shared = {a.token.i for a in sources} & {a.token.i for a in targets}
            pairs = [(s, t) for s in sources for t in targets if not shared & {s.token.i, t.token.i}]
        if target_slot.startswith("prep:") and source_slot in ("subject", "described") and targets:
            last = max(targets, key=lambda a: a.token.i).token
            pairs += gapped_pairs(clause, last, frozenset(target_slot[5:].split("|")))
        for source, target in pairs:
            s, t = _mention(clause, source), _mention(clause, target)
            if (
                s == t
                or source.token.i == target.token.i
                and source.mention is None
                and target.mention is None
            ):
                continue
            source_types, target_types = _types(clause, source, types), _types(clause, target, types)
            if not source_types & frame.source_types or not target_types & frame.target_types:
                continue
            if frame.target_types == {"LOC"} and "LOC" in source_types and target_types != {"LOC"}:
                continue  # two names the NER calls places, neither known as one: no company among them
            if said_by is not None and said_by.i in (source.token.i, target.token.i):
                reporter = source if said_by.i == source.token.i else target
                if not (trigger.pos_ in ("NOUN", "PROPN") and "apposition" in reporter.steps):
                    continue  # a source reports, it is no party (but « a dit son président, X »)
            label = _label(frame, _stake(trigger, span, target.token))
            if label in SYMMETRIC_LABELS and t < s:
                s, t = t, s
            mood = (
                None
                if frame.presupposed or _appositive(trigger, source, target)
                else modality(
                    clause, trigger, [a.token for a in (source, target) if a.mention is None], frames.modality
                )
            )
            speaker = clause.refs[said_by.i].mention if said_by is not None else None
            steps = _steps(clause, source, target)
            item = Found(
                s, label, t, frame.id, trigger.i, steps, mood, speaker if speaker not in (s, t) else None
            )
            key = (s, label, t)
            if key not in found or (found[key].modality and not mood):
                found[key] = item
    return _suppress(list(found.values()), frames.suppresses)


def _appositive(trigger: Token, source: Arg, target: Arg) -> bool:
    """Whether a relation noun is said of a name in apposition (« X, la banque mobile de Y », « sa
    filiale X »): what an apposition says holds whatever the clause around it says (« les clients
    pourront rejoindre X, la banque mobile de Y » still says Y owns X)."""
    return trigger.pos_ in ("NOUN", "PROPN") and "apposition" in (*source.steps, *target.steps)


def _steps(clause: Clause, source: Arg, target: Arg) -> tuple[str, ...]:
    """The steps from the trigger out to each end, then how each end stands for its entity."""
    steps = [*reversed(source.steps), *reversed(target.steps)]
    for arg in (source, target):
        if arg.mention is None and clause.refs[arg.token.i].step:
            steps.append(clause.refs[arg.token.i].step)
    return tuple(dict.fromkeys(steps))


def _suppress(found: list[Found], suppresses: dict[str, frozenset[str]]) -> list[Found]:
    """Drop a label another label of the same pair in the same sentence makes redundant."""
    labels: dict[frozenset[int], set[str]] = {}
    for item in found:
        labels.setdefault(frozenset((item.source, item.target)), set()).add(item.label)
    kept = []
    for item in found:
        others = labels[frozenset((item.source, item.target))]
        if any(item.label in suppresses.get(other, ()) for other in others if other != item.label):
            continue
        kept.append(item)
    return sorted(kept, key=lambda f: (f.trigger, f.source, f.label, f.target))
