"""Typed relations between mentions, found by rules kept as data.

:mod:`graphkit.relations` loads a rules file (``rules/relations.fr.json``
plus any ``--rules FILE``), validates it, compiles its patterns once into a
spaCy ``Matcher`` (token sequences) and ``DependencyMatcher`` (paths in the
dependency parse), and runs them over a ``Doc`` whose mentions have been
merged into single tokens. Each match yields a
:class:`~graphkit.model.RawRelation` between two mentions, with the rule that
fired, the modality of the statement (negated or hypothetical, read from
the parse around the trigger word) and its attribution (« selon X »).

A rule names its ``label``, its ``type`` (``sequence`` or ``dependency``)
and a ``pattern``; an entity token may say ``"PLACE": false`` to refuse a
name used as a place (right after « en » or « dans », or a place name
right after « à », « au », « aux », which also introduce a beneficiary),
and ``"SUBORDINATE": false`` to refuse a name that completes another noun
(« le parquet de Paris » is not Paris acting);
``"modality": "local"`` marks a descriptive apposition
(« X, filiale de Y ») whose truth does not depend on the clause around it.
In a sequence pattern, a token may carry ``"ROLE"``
(``subject``, ``object``, ``trigger``) and ``"ENT"`` (entity types, or
``"ANY"``); ``{"GAP": n}`` stands for up to ``n`` ordinary tokens (no
entity but one completing a noun, « de cette Commission »; no punctuation;
``"commas": true`` lets commas in, ``"entities": true`` lets entities in,
``"pos": [...]`` keeps only those parts of speech, ``"notpos": [...]``
keeps those parts of speech out, ``"not": [...]`` keeps those words out);
``"$NAME"`` in place of a list or inside one (an ``IN`` list, a gap's
``pos`` or ``not``) expands to the lexicon list ``NAME``; a
token ``{"PHRASE": "$NAME"}`` expands the rule into one rule per phrase of
the list. In a dependency pattern, the nodes whose
``RIGHT_ID`` is ``subject``, ``object`` and ``trigger`` play those roles.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from graphkit.errors import RulesError
from graphkit.model import ENTITY_TYPES, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "LABELS",
    "Rule",
    "RuleSet",
    "load_rules",
    "RelationFinder",
    "merge_mentions",
    "modality_of",
]

LABELS: dict[str, bool] = {
    "owns": False,
    "acquires": False,
    "invests_in": False,
    "partner_of": True,
    "counterpart_of": True,
    "competes_with": True,
    "leads": False,
    "works_for": False,
    "founded": False,
    "located_in": False,
    "operates_in": False,
    "urges": False,
    "targets": False,
    "sells_on": False,
}
ROLES = ("subject", "object", "trigger")
RULE_TYPES = ("sequence", "dependency")
MENTION_ATTR = "gk_mention"
# Merged entity tokens carry their flags in the native TAG attribute, so patterns stay native
# (spaCy evaluates ``token._`` predicates in Python, token by token: far too slow).
ENTITY_TAGS = ("GK_ENT", "GK_ENT_PLACE", "GK_SUB", "GK_SUB_PLACE")
ACTOR_TAGS = ["GK_ENT", "GK_ENT_PLACE"]


def entity_tag(*, place: bool, subordinate: bool) -> str:
    """TAG of a merged entity token: whether the name is used as a place, or completes a noun."""
    return ("GK_SUB" if subordinate else "GK_ENT") + ("_PLACE" if place else "")


def _entity_tags(place: bool | None = None, subordinate: bool | None = None) -> list[str]:
    return [
        tag
        for tag in ENTITY_TAGS
        if (place is None or tag.endswith("_PLACE") == place)
        and (subordinate is None or tag.startswith("GK_SUB") == subordinate)
    ]


OF_WORDS = frozenset({"de", "du", "d'", "des"})
PLACE_WORDS = frozenset({"en", "dans"})
DATIVE_OR_PLACE = frozenset({"à", "au", "aux"})
DEP_OPS = frozenset(
    {
        "<",
        ">",
        "<<",
        ">>",
        ".",
        ".*",
        ";",
        ";*",
        "$+",
        "$-",
        "$++",
        "$--",
        ">+",
        ">-",
        ">++",
        ">--",
        "<+",
        "<-",
        "<++",
        "<--",
    }
)


@dataclass(frozen=True)
class Rule:
    """One compiled-ready rule: its id, label, type, spaCy pattern and role positions."""

    id: str
    label: str
    type: str
    pattern: list[dict[str, Any]]
    roles: dict[str, int]
    local_modality: bool = False
    limits: tuple[tuple[int, int], ...] = ()
    """(pattern index, most tokens) of the bounded gaps, checked on each match."""


@dataclass
class RuleSet:
    """Validated relation rules plus the modality and attribution lexicons."""

    rules: list[Rule] = field(default_factory=list)
    modality: dict[str, list[str]] = field(default_factory=dict)
    attribution: list[Rule] = field(default_factory=list)
    suppresses: dict[str, list[str]] = field(default_factory=dict)
    digest: str = ""

    def labels(self) -> set[str]:
        return {rule.label for rule in self.rules}


# --- loading and validation ---------------------------------------------------


class _Problem(Exception):
    """A rule-level validation problem, turned into RulesError with the file and rule named."""


def _expand_lexicon(value: Any, lexicon: dict[str, list[str]]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        if value[1:] not in lexicon:
            raise _Problem(f"unknown lexicon list {value}")
        return list(lexicon[value[1:]])
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            expanded = _expand_lexicon(item, lexicon)
            if isinstance(item, str) and item.startswith("$"):
                out.extend(expanded)
            else:
                out.append(expanded)
        return out
    if isinstance(value, dict):
        return {k: _expand_lexicon(v, lexicon) for k, v in value.items()}
    return value


def _ent_types(value: Any) -> list[str]:
    if value == "ANY":
        return list(ENTITY_TYPES)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not set(value) <= set(ENTITY_TYPES):
        raise _Problem(f"ENT must be 'ANY' or a list of {', '.join(ENTITY_TYPES)}, got {value!r}")
    return list(value)


def _gap(spec: dict[str, Any]) -> dict[str, Any]:
    size = spec["GAP"]
    if not isinstance(size, int) or not 0 < size <= 20:
        raise _Problem(f"GAP must be an integer from 1 to 20, got {size!r}")
    token: dict[str, Any] = {"OP": f"{{0,{size}}}"}
    if not spec.get("entities", False):
        token["TAG"] = {"NOT_IN": ACTOR_TAGS}
    if spec.get("commas", False):
        token["LOWER"] = {"NOT_IN": [".", ";", "?", "!", ":", "(", ")", "«", "»", '"']}
    else:
        token["IS_PUNCT"] = False
    if "pos" in spec:
        token["POS"] = {"IN": list(spec["pos"])}
    if "notpos" in spec:
        token["POS"] = {"NOT_IN": list(spec["notpos"])}
    if "not" in spec:
        token["LOWER"] = {"NOT_IN": list(spec["not"]) + token.get("LOWER", {}).get("NOT_IN", [])}
    unknown = set(spec) - {"GAP", "entities", "commas", "pos", "notpos", "not"}
    if unknown:
        raise _Problem(f"unknown GAP option(s) {', '.join(sorted(unknown))}")
    return token


_STRING_ATTRS = frozenset(
    ["ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "POS", "TAG", "DEP", "ENT_TYPE", "SHAPE"]
)


def _native(token: dict[str, Any]) -> dict[str, Any]:
    """The same token pattern with as few set predicates as possible.

    spaCy compares plain values in C but calls Python for ``IN`` sets, token
    by token: a one-word set becomes the word, and the entity TAG check goes
    when it accepts every entity (only merged mentions have an ENT_TYPE).
    """
    out = dict(token)
    for attr, value in token.items():
        one_word = isinstance(value, dict) and list(value) == ["IN"] and len(value["IN"]) == 1
        if attr in _STRING_ATTRS and one_word:
            out[attr] = value["IN"][0]
    if "ENT_TYPE" in out and out.get("TAG") == {"IN": list(ENTITY_TAGS)}:
        del out["TAG"]
    return out


def _sequence_tokens(pattern: list[Any]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    tokens: list[dict[str, Any]] = []
    roles: dict[str, int] = {}
    for spec in pattern:
        if not isinstance(spec, dict):
            raise _Problem(f"a sequence pattern token must be an object, got {spec!r}")
        if "GAP" in spec:
            tokens.append(_gap(spec))
            continue
        token = dict(spec)
        role = token.pop("ROLE", None)
        ent = token.pop("ENT", None)
        place = token.pop("PLACE", None)
        subordinate = token.pop("SUBORDINATE", None)
        for name, value in (("PLACE", place), ("SUBORDINATE", subordinate)):
            if value is not None and not isinstance(value, bool):
                raise _Problem(f"{name} must be true or false, got {value!r}")
        if role is not None:
            if role not in ROLES:
                raise _Problem(f"ROLE must be one of {', '.join(ROLES)}, got {role!r}")
            if role in roles:
                raise _Problem(f"role {role!r} appears twice")
            if "OP" in token:
                raise _Problem(f"the {role} token cannot have an OP")
            roles[role] = len(tokens)
        if ent is not None:
            token["ENT_TYPE"] = {"IN": _ent_types(ent)}
            token["TAG"] = {"IN": _entity_tags(place, subordinate)}
        tokens.append(token)
    for role in ("subject", "object"):
        if role not in roles:
            raise _Problem(f"a sequence pattern needs a token with ROLE {role!r}")
    return [_native(token) for token in tokens], roles


_BOUNDED = re.compile(r"\{0?,(\d+)\}")


def _unbounded_gaps(tokens: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], tuple[tuple[int, int], ...]]:
    """Tokens with each ``{0,n}`` operator made ``*``, and the bounds to check on matches.

    spaCy expands ``{0,n}`` into n optional tokens, and a run of k words
    then has C(n, k) alignments, all explored: two such gaps in a pattern
    cost seconds a sentence. ``*`` is one looping state.
    """
    limits = []
    out = []
    for index, token in enumerate(tokens):
        bounded = _BOUNDED.fullmatch(str(token.get("OP", "")))
        if bounded:
            token = {**token, "OP": "*"}
            limits.append((index, int(bounded.group(1))))
        out.append(token)
    return out, tuple(limits)


def _dependency_nodes(pattern: list[Any]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    nodes: list[dict[str, Any]] = []
    roles: dict[str, int] = {}
    for index, node in enumerate(pattern):
        if not isinstance(node, dict) or "RIGHT_ID" not in node or "RIGHT_ATTRS" not in node:
            raise _Problem("each dependency node needs RIGHT_ID and RIGHT_ATTRS")
        if index and (node.get("REL_OP") not in DEP_OPS or "LEFT_ID" not in node):
            raise _Problem(f"node {node['RIGHT_ID']!r} needs LEFT_ID and a known REL_OP")
        attrs = dict(node["RIGHT_ATTRS"])
        ent = attrs.pop("ENT", None)
        if ent is not None:
            attrs["ENT_TYPE"] = {"IN": _ent_types(ent)}
            attrs["TAG"] = {"IN": list(ENTITY_TAGS)}
        nodes.append({**node, "RIGHT_ATTRS": _native(attrs)})
        if node["RIGHT_ID"] in ROLES:
            roles[node["RIGHT_ID"]] = index
    for role in ("subject", "object"):
        if role not in roles:
            raise _Problem(f"a dependency pattern needs a node with RIGHT_ID {role!r}")
    return nodes, roles


def _phrase_variants(pattern: list[Any], lexicon: dict[str, list[str]]) -> list[list[Any]]:
    """Expand ``{"PHRASE": "$LIST"}`` tokens into one pattern per phrase."""
    variants: list[list[Any]] = [[]]
    for spec in pattern:
        if isinstance(spec, dict) and "PHRASE" in spec:
            phrases = _expand_lexicon(spec["PHRASE"], lexicon)
            if isinstance(phrases, str):
                phrases = [phrases]
            extra = {k: v for k, v in spec.items() if k != "PHRASE"}
            new = []
            for variant in variants:
                for phrase in phrases:
                    words = phrase.replace("'", "' ").split()
                    toks = [{"LOWER": w.lower()} for w in words]
                    if extra.get("ROLE") and toks:
                        toks[0]["ROLE"] = extra["ROLE"]
                    new.append(variant + toks)
            variants = new
        else:
            variants = [v + [spec] for v in variants]
    return variants


def _compile_rule(raw: Any, index: int, lexicon: dict[str, list[str]], labels: dict[str, bool]) -> list[Rule]:
    if not isinstance(raw, dict):
        raise _Problem("a rule must be an object")
    missing = [k for k in ("id", "label", "type", "pattern") if k not in raw]
    if missing:
        raise _Problem(f"missing {', '.join(missing)}")
    unknown = sorted(set(raw) - {"id", "label", "type", "pattern", "modality", "note"})
    if unknown:
        raise _Problem(f"unknown field(s) {', '.join(unknown)}")
    if raw.get("modality", "clause") not in ("clause", "local"):
        raise _Problem(f"modality must be 'clause' or 'local', got {raw['modality']!r}")
    local = raw.get("modality") == "local"
    if raw["label"] not in labels:
        raise _Problem(f"unknown label {raw['label']!r}; allowed: {', '.join(sorted(labels))}")
    if raw["type"] not in RULE_TYPES:
        raise _Problem(f"type must be one of {', '.join(RULE_TYPES)}, got {raw['type']!r}")
    if not isinstance(raw["pattern"], list) or not raw["pattern"]:
        raise _Problem("pattern must be a non-empty list")
    pattern = _expand_lexicon(raw["pattern"], lexicon)
    rules = []
    if raw["type"] == "sequence":
        for n, variant in enumerate(_phrase_variants(pattern, lexicon)):
            tokens, roles = _sequence_tokens(variant)
            tokens, limits = _unbounded_gaps(tokens)
            rule_id = f"{raw['id']}" + (f"#{n}" if n else "")
            rules.append(Rule(rule_id, raw["label"], "sequence", tokens, roles, local, limits))
    else:
        nodes, roles = _dependency_nodes(pattern)
        rules.append(Rule(raw["id"], raw["label"], "dependency", nodes, roles, local))
    return rules


def _parse_rules(text: str, source: str, ruleset: RuleSet) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise RulesError(f"rules file {source}: not JSON ({err.msg}, line {err.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulesError(f"rules file {source}: expected an object with a 'rules' list")
    lexicon = data.get("lexicon", {})
    if not isinstance(lexicon, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lexicon.values()
    ):
        raise RulesError(f"rules file {source}: 'lexicon' must map names to lists of strings")
    for key in ("modality",):
        for name, words in data.get(key, {}).items():
            ruleset.modality.setdefault(name, []).extend(words)
    for label, hidden in data.get("suppresses", {}).items():
        ruleset.suppresses.setdefault(label, []).extend(hidden)
    attribution_labels = {"attribution": False}
    for index, raw in enumerate(data.get("attribution", [])):
        name = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
        try:
            if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), list):
                raise _Problem("an attribution rule needs an id and a pattern")
            pattern = _expand_lexicon(raw["pattern"], lexicon)
            for n, variant in enumerate(_phrase_variants(pattern, lexicon)):
                tokens: list[dict[str, Any]] = []
                roles: dict[str, int] = {}
                for spec in variant:
                    spec = dict(spec)
                    if spec.pop("ROLE", None) == "source":
                        roles["subject"] = roles["object"] = len(tokens)
                        spec["ENT_TYPE"] = {"IN": _ent_types(spec.pop("ENT", ["ORG", "PER"]))}
                        spec["TAG"] = {"IN": list(ENTITY_TAGS)}
                    tokens.append(_gap(spec) if "GAP" in spec else _native(spec))
                if "subject" not in roles:
                    raise _Problem("an attribution pattern needs a token with ROLE 'source'")
                tokens, limits = _unbounded_gaps(tokens)
                rule = Rule(f"{name}#{n}", "attribution", "sequence", tokens, roles, limits=limits)
                ruleset.attribution.append(rule)
        except _Problem as err:
            raise RulesError(f"rules file {source}: attribution rule {name!r}: {err}") from None
    del attribution_labels
    for index, raw in enumerate(data["rules"]):
        name = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
        try:
            ruleset.rules.extend(_compile_rule(raw, index, lexicon, LABELS))
        except _Problem as err:
            raise RulesError(f"rules file {source}: rule {name!r} (index {index}): {err}") from None


def builtin_rules_text() -> str:
    """Text of the relation rules shipped with graphkit."""
    return resources.files("graphkit").joinpath("rules/relations.fr.json").read_text(encoding="utf-8")


def load_rules(paths: Sequence[str | Path] = (), *, builtin: bool = True) -> RuleSet:
    """Load and validate the shipped rules (unless ``builtin=False``) and ``paths``.

    Raises
    ------
    RulesError
        Naming the file, the rule and the problem.
    """
    ruleset = RuleSet()
    digest = hashlib.sha256()
    sources: list[tuple[str, str]] = []
    if builtin:
        sources.append(("relations.fr.json (built in)", builtin_rules_text()))
    for path in paths:
        try:
            sources.append((str(path), Path(path).read_text(encoding="utf-8-sig")))
        except FileNotFoundError:
            raise RulesError(f"rules file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as err:
            raise RulesError(f"cannot read rules file {path}: {err}") from None
    for source, text in sources:
        digest.update(text.encode("utf-8"))
        _parse_rules(text, source, ruleset)
    ruleset.digest = digest.hexdigest()
    return ruleset


# --- matching -----------------------------------------------------------------


_COMMON_WORDS = frozenset(
    ["à", "au", "aux", "de", "du", "d'", "des", "la", "le", "les", "l'", "en", "et", "ou", "par", "avec"]
    + ["sur", "dans", ",", "qui", "être", "avoir", "son", "sa", "ses", "leur", "un", "une", "que", "qu'"]
)


def _token_words(token: dict[str, Any]) -> frozenset[str] | None:
    """The words a mandatory pattern token accepts (by LEMMA or LOWER), or None if it accepts any."""
    if token.get("OP") not in (None, "!", "1"):
        return None
    words: set[str] = set()
    for attr in ("LEMMA", "LOWER"):
        value = token.get(attr)
        if isinstance(value, str):
            words.add(value)
        elif isinstance(value, dict) and isinstance(value.get("IN"), list):
            words.update(value["IN"])
        elif value is not None:
            return None
    return frozenset(words) or None


def _trigger_words(rule: Rule) -> frozenset[str]:
    """Words one of which a sentence must contain for the rule to match; empty: no such filter.

    The most selective mandatory word token of the pattern: the smallest word
    set with no common word in it (« tête » rather than « à »), else the trigger's.
    """
    candidates = [w for w in map(_token_words, rule.pattern) if w and not w & _COMMON_WORDS]
    if candidates:
        return min(candidates, key=lambda w: (len(w), sorted(w)))
    index = rule.roles.get("trigger")
    words = _token_words(rule.pattern[index]) if index is not None else None
    return words or frozenset()


def _ensure_extension() -> None:
    from spacy.tokens import Token

    if not Token.has_extension(MENTION_ATTR):
        Token.set_extension(MENTION_ATTR, default=-1)


def _subordinate(span: Span, kinds: frozenset[str]) -> bool:
    """« le parquet de Paris », « les salariés de Renault »: the name completes another noun."""
    from graphkit.normalize import fold

    token = span.root
    for _ in range(3):  # « propriété du groupe espagnol Inditex »: through the kind noun
        head = token.head
        if head.i == token.i or head.pos_ != "NOUN" or token.dep_ not in ("nmod", "obl", "obl:mod"):
            return False
        if any(c.dep_ == "case" and c.lower_ in OF_WORDS for c in token.children):
            return token is not span.root or (fold(head.lemma_) not in kinds and fold(head.text) not in kinds)
        if fold(head.lemma_) not in kinds and fold(head.text) not in kinds:
            return False
        token = head
    return False


def merge_mentions(
    doc: Doc, mentions: Sequence[Mention], *, offset: int = 0, kinds: frozenset[str] = frozenset()
) -> Doc:
    """Merge every usable mention of ``doc`` into one token carrying its index.

    The merged token keeps the syntactic head of the span, gets the mention's
    entity type, ``token._.gk_mention`` = the mention's index, and a TAG
    (:func:`entity_tag`) telling whether the name is used as a place and
    whether it completes a common noun that is not one of ``kinds``
    (« le parquet de Paris »); gaps in patterns never cross the other names.
    """
    from spacy.tokens import Span
    from spacy.util import filter_spans

    _ensure_extension()
    spans = []
    for index, mention in enumerate(mentions):
        if mention.reason == "dropped" or not mention.label:
            continue
        span = doc.char_span(
            mention.start - offset, mention.end - offset, label=mention.label, alignment_mode="expand"
        )
        if span is not None:
            spans.append((span, index))
    spans = _with_acronyms(doc, spans, mentions)
    kept = filter_spans([s for s, _ in spans])
    index_of = {(s.start, s.end): i for s, i in spans}
    doc.ents = [Span(doc, s.start, s.end, label=s.label_) for s in kept]
    attributes: list[dict[str | int, Any]] = []
    for span in kept:
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        place = before in PLACE_WORDS or (before in DATIVE_OR_PLACE and span.label_ == "LOC")
        subordinate = _subordinate(span, kinds)
        attributes.append(
            {
                "ENT_TYPE": span.label_,
                "TAG": entity_tag(place=place, subordinate=subordinate),
                "_": {MENTION_ATTR: index_of[(span.start, span.end)]},
            }
        )
    with doc.retokenize() as retokenizer:
        for span, attrs in zip(kept, attributes, strict=True):
            retokenizer.merge(span, attrs=attrs)
    return doc


def _with_acronyms(
    doc: Doc, spans: list[tuple[Span, int]], mentions: Sequence[Mention]
) -> list[tuple[Span, int]]:
    """``spans`` with each « name (ACRONYM) » made one span, of the name's mention.

    « la Confédération africaine de football (CAF) à soutenir »: the
    parentheses then sit inside one entity token, and rules read past them.
    """
    from spacy.tokens import Span

    by_mention = {index: span for span, index in spans}
    widened: dict[int, Span] = {}
    absorbed: set[int] = set()
    for span, index in spans:
        antecedent = mentions[index].antecedent
        if mentions[index].reason != "acronym" or antecedent not in by_mention:
            continue
        name = by_mention[antecedent]
        if (
            span.start == name.end + 1
            and span.end < len(doc)
            and doc[name.end].text == "("
            and doc[span.end].text == ")"
        ):
            widened[antecedent] = Span(doc, name.start, span.end + 1, label=name.label_)
            absorbed.add(index)
    return [(widened.get(index, span), index) for span, index in spans if index not in absorbed]


def _within_limits(alignment: list[int], limits: tuple[tuple[int, int], ...]) -> bool:
    """Whether each bounded gap of a match spans no more tokens than its bound."""
    return all(alignment.count(index) <= most for index, most in limits)


@dataclass(frozen=True)
class Match:
    rule: str
    label: str
    subject: int
    object: int
    trigger: int | None
    local: bool = False


class RelationFinder:
    """Compiled rules for one spaCy vocabulary: finds relation matches in merged Docs."""

    def __init__(self, nlp: Language, ruleset: RuleSet) -> None:
        from spacy.attrs import intify_attr
        from spacy.matcher import DependencyMatcher, Matcher
        from spacy.tokens.doc import DOCBIN_ALL_ATTRS

        _ensure_extension()
        self.ruleset = ruleset
        self.rules = {rule.id: rule for rule in ruleset.rules}
        # Sequence rules are grouped by the words their trigger accepts: a sentence runs only the
        # groups whose trigger words it contains (spaCy evaluates set predicates in Python).
        self.groups: dict[frozenset[str], Any] = {}
        self.dependency = DependencyMatcher(nlp.vocab, validate=True)
        # Dependency rules run on a Doc only if one of its sentences has a word their triggers
        # accept (None: some rule has no such word, they always run).
        dependency_words: set[str] | None = set()
        self.attribution = Matcher(nlp.vocab, validate=True)
        for rule in ruleset.rules:
            try:
                if rule.type == "sequence":
                    words = _trigger_words(rule)
                    if words not in self.groups:
                        self.groups[words] = Matcher(nlp.vocab, validate=True)
                    self.groups[words].add(rule.id, [rule.pattern])
                else:
                    self.dependency.add(rule.id, [rule.pattern])
                    trigger = rule.roles.get("trigger")
                    attrs = rule.pattern[trigger]["RIGHT_ATTRS"] if trigger is not None else {}
                    accepted = _token_words(attrs)
                    if dependency_words is not None:
                        dependency_words = dependency_words | accepted if accepted else None
            except (ValueError, KeyError) as err:
                detail = " ".join(str(err).split())
                raise RulesError(f"rule {rule.id!r}: spaCy rejects its pattern: {detail}") from None
        self.attribution_rules = {rule.id: rule for rule in ruleset.attribution}
        for rule in ruleset.attribution:
            self.attribution.add(rule.id, [rule.pattern])
        self.vocab = nlp.vocab
        strings = nlp.vocab.strings
        self.groups_by_word: dict[int, list[Any]] = {}
        self.unfiltered_groups = [matcher for words, matcher in self.groups.items() if not words]
        for words, matcher in self.groups.items():
            for word in words:
                self.groups_by_word.setdefault(strings.add(word), []).append(matcher)
        self.dependency_words = (
            None if dependency_words is None else frozenset(strings.add(w) for w in dependency_words)
        )
        self.entity_tags = np.array([strings.add(tag) for tag in ENTITY_TAGS], dtype="uint64")
        # The token annotations a sentence keeps when it is copied into a Doc of its own.
        self.sentence_attrs = tuple(intify_attr(name) for name in DOCBIN_ALL_ATTRS)
        modality = ruleset.modality
        self.negators = frozenset(modality.get("negators", []))
        self.negation_words = frozenset(modality.get("negation_words", []))
        self.hypothetical_heads = frozenset(modality.get("hypothetical_heads", []))
        self.negative_heads = frozenset(modality.get("negative_heads", []))
        self.hypothetical_modifiers = frozenset(modality.get("hypothetical_modifiers", []))
        self.walk_deps = frozenset(modality.get("walk_deps", []))

    def __len__(self) -> int:
        return sum(len(m) for m in self.groups.values()) + len(self.dependency)

    def _candidate_sentences(self, doc: Doc) -> list[tuple[Span, set[int]]]:
        """The sentences naming two entities or more, each with its words (lemma and lower-case hashes)."""
        from spacy.attrs import LEMMA, LOWER, TAG

        table = doc.to_array([TAG, LEMMA, LOWER])
        is_entity = np.isin(table[:, 0], self.entity_tags)
        candidates: list[tuple[Span, set[int]]] = []
        for sent in doc.sents:
            if np.count_nonzero(is_entity[sent.start : sent.end]) >= 2:
                words = set(cast(list[int], table[sent.start : sent.end, 1:].ravel().tolist()))
                candidates.append((sent, words))
        return candidates

    def _sequence_matches(
        self, candidates: list[tuple[Span, set[int]]]
    ) -> Iterator[tuple[int, int, list[int]]]:
        """(match id, start, alignment) of sequence rules, sentence by sentence.

        Only sentences naming two entities or more are searched, and in each
        only the rule groups whose trigger words occur in it.
        """
        for sent, words in candidates:
            matchers = {id(m): m for w in words for m in self.groups_by_word.get(w, ())}
            for matcher in [*self.unfiltered_groups, *matchers.values()]:
                for match_id, start, _end, alignment in matcher(sent, with_alignments=True):
                    yield match_id, sent.start + start, alignment

    def _dependency_matches(
        self, doc: Doc, candidates: list[tuple[Span, set[int]]]
    ) -> Iterator[tuple[int, list[int]]]:
        """(match id, token indices) of dependency rules, in the sentences that hold a trigger word.

        Each such sentence is matched as a Doc of its own (a sentence is a
        whole tree), which costs far less than the whole document. The
        sentence Docs are cut from one array of the whole Doc, made once
        (``Span.as_doc`` would otherwise make it again for every sentence).
        """
        wanted = self.dependency_words
        array = None
        for sent, words in candidates:
            if wanted is None or words & wanted:
                if array is None:
                    array = doc.to_array(list(self.sentence_attrs))
                # spaCy's stub lacks these two documented parameters of Span.as_doc.
                sentence = sent.as_doc(array_head=self.sentence_attrs, array=array)  # type: ignore[call-arg]
                for match_id, token_ids in self.dependency(sentence):
                    yield match_id, [sent.start + i for i in token_ids]

    def matches(self, doc: Doc) -> Iterator[Match]:
        """Rule matches in a merged Doc, in text order then rule id."""
        found: list[Match] = []
        candidates = self._candidate_sentences(doc)
        for match_id, _start, alignment in self._sequence_matches(candidates):
            rule = self.rules[self.vocab.strings[match_id]]
            if rule.limits and not _within_limits(alignment, rule.limits):
                continue
            positions = {}
            for token_offset, pattern_index in enumerate(alignment):
                for role, role_index in rule.roles.items():
                    if pattern_index == role_index:
                        positions[role] = _start + token_offset
            if "subject" in positions and "object" in positions:
                found.append(
                    Match(
                        rule.id,
                        rule.label,
                        positions["subject"],
                        positions["object"],
                        positions.get("trigger"),
                        rule.local_modality,
                    )
                )
        for match_id, token_ids in self._dependency_matches(doc, candidates):
            rule = self.rules[self.vocab.strings[match_id]]
            roles = {role: token_ids[i] for role, i in rule.roles.items()}
            found.append(
                Match(
                    rule.id,
                    rule.label,
                    roles["subject"],
                    roles["object"],
                    roles.get("trigger"),
                    rule.local_modality,
                )
            )
        yield from sorted(set(found), key=lambda m: (m.subject, m.object, m.rule))

    def attribution_source(self, sentences: Iterable[Span]) -> dict[int, int]:
        """Sentence start token -> mention index of the source named by « selon X », in ``sentences``."""
        sources: dict[int, int] = {}
        for sent in sentences:
            for match_id, start, _end, alignment in self.attribution(sent, with_alignments=True):  # type: ignore[misc]
                rule = self.attribution_rules[self.vocab.strings[match_id]]
                if rule.limits and not _within_limits(alignment, rule.limits):
                    continue
                token = sent[start + alignment.index(rule.roles["subject"])]
                sources.setdefault(sent.start, token._.get(MENTION_ATTR))
        return sources

    def modality(self, trigger: Token | None, *, local: bool = False) -> str | None:
        """``"negated"``, ``"hypothetical"`` or None for the statement around ``trigger``.

        ``local``: the trigger is a descriptive apposition (« X, filiale de
        Y »), true whatever the clause around it says; only the sentence
        being a question counts.
        """
        if trigger is None:
            return None
        if local:
            return "hypothetical" if trigger.sent.text.rstrip().endswith("?") else None
        return modality_of(
            trigger,
            negators=self.negators,
            negation_words=self.negation_words,
            hypothetical_heads=self.hypothetical_heads,
            negative_heads=self.negative_heads,
            hypothetical_modifiers=self.hypothetical_modifiers,
            walk_deps=self.walk_deps,
        )


def modality_of(
    trigger: Token,
    *,
    negators: frozenset[str],
    negation_words: frozenset[str],
    hypothetical_heads: frozenset[str],
    negative_heads: frozenset[str],
    hypothetical_modifiers: frozenset[str],
    walk_deps: frozenset[str],
) -> str | None:
    """Modality of the clause that states a relation.

    Walks from the trigger up through complement links (``xcomp``, ``obj``,
    ``obl``…, as listed in ``walk_deps``, and an infinitive attached to a
    noun: « presse la Commission de sanctionner ») for at most three steps and looks,
    on each word, for negation (« ne … pas », « n' »), the conditional mood
    or the future (« pourrait », « aurait », « ouvrira »), a condition
    (« si … »), a head of wish, plan or possibility
    (« souhaiter », « projet », « envisager »), or a negative head
    (« refuser de »). A question mark ending the sentence makes it
    hypothetical.
    """
    chain = [trigger]
    token = trigger
    for _ in range(3):
        infinitive_complement = token.dep_ in ("acl", "advcl") and "Inf" in token.morph.get("VerbForm", [])
        if (token.dep_ not in walk_deps and not infinitive_complement) or token.head.i == token.i:
            break
        token = token.head
        chain.append(token)
    for position, word in enumerate(chain):
        lowers = {c.lower_ for c in word.children}
        if lowers & negation_words or (lowers & negators and word.pos_ in ("VERB", "AUX")):
            return "negated"
        if position and word.lemma_ in negative_heads:
            return "negated"
    for position, word in enumerate(chain):
        auxiliaries = [c for c in word.children if c.dep_.startswith("aux")]
        if any(
            "Cnd" in w.morph.get("Mood", []) or "Fut" in w.morph.get("Tense", [])
            for w in (word, *auxiliaries)
        ):
            return "hypothetical"
        if any(
            c.dep_ == "advcl" and any(m.lower_ in ("si", "s'") for m in c.children if m.dep_ == "mark")
            for c in word.children
        ):
            return "hypothetical"
        if position and word.lemma_ in hypothetical_heads:
            return "hypothetical"
        if any(c.dep_ == "amod" and c.lemma_ in hypothetical_modifiers for c in word.children):
            return "hypothetical"
    sent = trigger.sent
    if sent.text.rstrip().endswith("?"):
        return "hypothetical"
    return None
