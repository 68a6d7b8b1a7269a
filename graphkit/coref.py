"""Rule-based coreference: the phrases French news uses to refer back to a named entity.

Three rules, each conservative:

* demonstrative and definite noun phrases (« cette Commission », « la société
  chinoise », « le réseau social ») refer to the most recent compatible
  mention: the head noun is a word of the entity's name, or a kind the
  entity is known by (from the alias table, or from the text itself:
  « le réseau social Vinted », « Zalando, une plateforme de mode »), or a
  generic kind noun (« la société ») and the entity's type fits;
* subject pronouns (« il », « elle ») refer to the only person or
  organisation named in the previous sentence and earlier in their own;
* acronyms are linked when mentions are read (see :mod:`graphkit.mentions`).

A resolved phrase becomes a :class:`~graphkit.model.Mention` whose
``antecedent`` is the index of the mention it refers to; it adds its
sentence to that entity's evidence, never its wording to the aliases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from graphkit.aliases import AliasTable
from graphkit.model import Mention
from graphkit.normalize import fold, normalize_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["CorefRules", "load_coref_rules", "resolve_coreferences"]


@dataclass(frozen=True)
class Kind:
    types: frozenset[str]
    generic: bool


@dataclass(frozen=True)
class CorefRules:
    """Coreference lexicon (``rules/coref.fr.json``)."""

    demonstratives: frozenset[str]
    definites: frozenset[str]
    pronouns: dict[str, frozenset[str]]
    window: dict[str, int]
    kinds: dict[str, Kind]


@lru_cache(maxsize=1)
def load_coref_rules() -> CorefRules:
    """The coreference lexicon shipped with graphkit."""
    raw = json.loads(resources.files("graphkit").joinpath("rules/coref.fr.json").read_text(encoding="utf-8"))
    return CorefRules(
        demonstratives=frozenset(raw["demonstratives"]),
        definites=frozenset(raw["definites"]),
        pronouns={k: frozenset(v) for k, v in raw["pronouns"].items()},
        window=dict(raw["window"]),
        kinds={
            fold(noun): Kind(frozenset(v["types"]), bool(v["generic"])) for noun, v in raw["kinds"].items()
        },
    )


def _noun_forms(head: Token) -> list[str]:
    """Kind keys of a noun phrase head: « réseau social », then « réseau »."""
    base = fold(head.lemma_ or head.text)
    forms = []
    for child in head.rights:
        if child.dep_ in ("amod", "nmod") and child.i <= head.i + 3:
            if child.dep_ == "amod":
                forms.append(f"{base} {fold(child.lemma_ or child.text)}")
            else:
                case = [c for c in child.children if c.dep_ == "case"]
                if case:
                    forms.append(f"{base} {fold(case[0].text)} {fold(child.text)}")
    forms.append(base)
    return forms


def _phrase_end(head: Token) -> int:
    """Index after the last token of « la société chinoise », head plus trailing adjectives."""
    end = head.i + 1
    doc = head.doc
    while end < len(doc) and doc[end].pos_ == "ADJ" and doc[end].head.i == head.i:
        end += 1
    return end


def _learned_kinds(doc: Doc, mentions: list[Mention], offset: int) -> dict[int, set[str]]:
    """Kinds the text gives a mention: « le réseau social Vinted », « Zalando, une plateforme »."""
    kinds: dict[int, set[str]] = {}
    for index, mention in enumerate(mentions):
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        if span is None:
            continue
        found: set[str] = set()
        for token in (span.root.head, *span.root.children):
            outside = token.i not in range(span.start, span.end)
            described = token.dep_ in ("appos", "nmod") or span.root.dep_ in ("appos", "nmod")
            if token.pos_ == "NOUN" and outside and described:
                found.update(_noun_forms(token))
        if span.start >= 1:
            before = doc[span.start - 1]
            while before.pos_ == "ADJ" and before.i > 0:
                before = doc[before.i - 1]
            if before.pos_ == "NOUN":
                found.update(_noun_forms(before))
        if found:
            kinds[index] = found
    return kinds


def _entity_words(mention: Mention, aliases: AliasTable) -> set[str]:
    names = [mention.text]
    entry = aliases.entry(mention.key) if mention.key else None
    if entry is not None:
        names.extend((entry.canonical, *entry.aliases))
    return {word for name in names for word in normalize_key(name).split()}


def _root(mentions: list[Mention], index: int) -> int:
    while mentions[index].antecedent is not None:
        index = mentions[index].antecedent  # type: ignore[assignment]
    return index


def resolve_coreferences(
    doc: Doc,
    mentions: list[Mention],
    *,
    aliases: AliasTable,
    rules: CorefRules | None = None,
    offset: int = 0,
    sent_base: int = 0,
) -> list[Mention]:
    """Mentions plus the noun phrases and pronouns that refer back to them.

    Returns a new list: the input mentions at their indices, then the new
    coreferent mentions. A lone common noun tagged as an entity inside a
    demonstrative phrase (« Commission » in « cette Commission ») is replaced
    by the resolved phrase, or marked ``reason="dropped"`` when unresolved;
    indices never shift, so ``antecedent`` links stay valid.
    """
    rules = rules or load_coref_rules()
    result = list(mentions)
    by_token: dict[int, int] = {}
    for index, mention in enumerate(mentions):
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                by_token[i] = index
    learned = _learned_kinds(doc, mentions, offset)
    roles: dict[int, str] = {}
    quoted_source: set[int] = set()
    for index, mention in enumerate(mentions):
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        if span is None:
            continue
        roles[index] = span.root.dep_
        before = " ".join(t.lower_ for t in doc[max(0, span.start - 3) : span.start])
        if "selon" in before or "après" in before:
            quoted_source.add(index)
    sent_of_token = {}
    for s_index, sentence in enumerate(doc.sents):
        for token in sentence:
            sent_of_token[token.i] = s_index + sent_base
    dropped: set[int] = set()

    def kinds_of(index: int) -> set[str]:
        root = _root(result, index)
        found = set(learned.get(root, set()))
        key = result[root].key
        entry = aliases.entry(key) if key else None
        if entry is not None:
            found.update(fold(k) for k in entry.kinds)
        return found

    def fits(index: int, forms: list[str], head_word: str, sent: int) -> bool:
        """The head noun names the entity, or is a kind it is known by, or a kind that fits
        its type when it is generic (« la société ») or when the entity was the subject of
        the sentence before (« Deliveroo a annoncé … La plateforme britannique … »)."""
        mention = result[index]
        if head_word in _entity_words(mention, aliases):
            return True
        known = kinds_of(index)
        previous_subject = mention.sent == sent - 1 and roles.get(index) in ("nsubj", "nsubj:pass")
        for form in forms:
            kind = rules.kinds.get(form)
            if form in known and (kind is None or mention.label in kind.types):
                return True
            if kind is not None and mention.label in kind.types and (kind.generic or previous_subject):
                return True
        return False

    def antecedent(before_char: int, sent: int, window: int, test, salient: bool) -> int | None:
        """Most recent fitting mention; for generic nouns, a repeated entity first."""
        fitting = []
        for index in sorted(range(len(mentions)), key=lambda i: -result[i].start):
            mention = result[index]
            if index in dropped or mention.start >= before_char or mention.sent < sent - window:
                continue
            if index in quoted_source or not test(index):
                continue
            fitting.append(_root(result, index))
        if not fitting:
            return None
        if salient:
            counts: dict[str, int] = {}
            for index, mention in enumerate(result + extra):
                if mention.start < before_char and index not in dropped:
                    key = entity_key(
                        _root(result, mention.antecedent)
                        if mention.antecedent is not None and index >= len(result)
                        else _root(result, index)
                    )
                    counts[key] = counts.get(key, 0) + 1
            repeated = [i for i in fitting if counts.get(entity_key(i), 0) >= 2]
            if repeated:
                return repeated[0]
        return fitting[0]

    def entity_key(index: int) -> str:
        mention = result[index]
        return mention.key or normalize_key(mention.text)

    extra: list[Mention] = []
    for token in doc:
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        det = next((c for c in token.lefts if c.dep_ == "det"), None)
        if det is None:
            continue
        article = det.text.lower()
        if article in rules.demonstratives:
            reason = "demonstrative"
        elif article in rules.definites:
            reason = "definite"
        else:
            continue
        end = _phrase_end(token)
        inside = {by_token[i] for i in range(det.i, end) if i in by_token}
        lone_noun = len(inside) == 1 and (len(mentions[next(iter(inside))].text.split()) == 1)
        if inside and not (reason == "demonstrative" and lone_noun):
            continue
        if token.pos_ == "PROPN" and not inside:
            continue
        if any(i in by_token for i in range(end, min(end + 2, len(doc)))):
            continue  # apposition before a name: « le réseau social Vinted »
        if any(t.i in by_token for t in token.subtree if t.i >= end):
            continue  # « le président de Renault »: a title, not a reference
        forms = _noun_forms(token)
        if not any(f in rules.kinds for f in forms) and not inside:
            continue
        head_word = fold(token.text)
        start_char, end_char = doc[det.i].idx, doc[end - 1].idx + len(doc[end - 1].text)
        sent = sent_of_token[token.i]
        generic = not inside and any(rules.kinds[f].generic for f in forms if f in rules.kinds)
        found = antecedent(
            start_char + offset,
            sent,
            rules.window[reason],
            lambda i, forms=forms, head_word=head_word, sent=sent: fits(i, forms, head_word, sent),
            generic,
        )
        if inside:
            dropped.update(inside)
        if found is None:
            continue
        phrase = Mention(
            doc[det.i : end].text,
            result[found].label,
            start_char + offset,
            end_char + offset,
            sent,
            None,
            found,
            reason,
        )
        if inside:
            result[next(iter(inside))] = phrase
            dropped.discard(next(iter(inside)))
        else:
            extra.append(phrase)
    for token in doc:
        types = rules.pronouns.get(token.lower_)
        if types is None or token.dep_ not in ("nsubj", "nsubj:pass") or token.pos_ != "PRON":
            continue
        sent = sent_of_token[token.i]
        start_char = token.idx + offset
        candidates = {
            entity_key(_root(result, i)): _root(result, i)
            for i, m in enumerate(result[: len(mentions)])
            if i not in dropped
            and m.start < start_char
            and sent - rules.window["pronoun"] <= m.sent <= sent
            and result[_root(result, i)].label in types
        }
        subjects = {
            entity_key(_root(result, i))
            for i, m in enumerate(result[: len(mentions)])
            if i not in dropped
            and roles.get(i) in ("nsubj", "nsubj:pass")
            and m.start < start_char
            and sent - rules.window["pronoun"] <= m.sent <= sent
        }
        if len(candidates) == 1 and set(candidates) <= subjects:
            found = next(iter(candidates.values()))
            extra.append(
                Mention(
                    token.text,
                    result[found].label,
                    start_char,
                    start_char + len(token.text),
                    sent,
                    None,
                    found,
                    "pronoun",
                )
            )
    kept = [replace(m, reason="dropped") if i in dropped else m for i, m in enumerate(result)]
    return kept + extra
