"""Coreference: the words French news uses to refer back to a named entity.

One small function per kind of reference finds its candidate antecedents;
one resolver (:func:`_choose`) picks among them by salience (a phrase already
resolved counts as a mention of its entity) and refuses when two fit about as
well, since a wrong link is worse than none. An entity fits by any type the
NER's guess may hide (« Back Market » tagged as a thing is still « la
société »), but a place the NER and a preposition agree on (« à Lyon ») is
only a place.

* descriptions: « le groupe », « la banque italienne », « l'énergéticien »,
  « ce mastodonte », « la DeepTech »: an entity named before whose type fits
  the noun and, for a noun that is not generic, one the text called so
  (« le constructeur Renault », « Zalando, une plateforme ») or that was the
  subject just before;
* « ce dernier », « celui-ci »: the last entity named;
* subject pronouns « il », « elle » and « lui »: a person or organisation
  that was the subject just before;
* possessives « son », « sa », « ses » before a relation noun
  (« sa filiale », « son PDG »): the subject of their clause, else the one
  name of the clause that could own the noun, else (the clause naming none)
  the most salient organisation.

A resolved phrase becomes a :class:`~graphkit.model.Mention` whose
``antecedent`` is the mention it refers to; it adds its sentence to that
entity's evidence, never its wording to the aliases.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from graphkit.aliases import AliasTable
from graphkit.extract.tree import opens_sentence
from graphkit.model import Mention
from graphkit.normalize import fold, normalize_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["CorefRules", "load_coref_rules", "main_entity", "resolve_coreferences"]

SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
IMPERSONAL_VERBS = frozenset(
    {"falloir", "agir", "avoir", "sembler", "paraître", "suffire", "valoir", "être", "exister", "arriver"}
    | {"manquer", "rester", "importer", "convenir", "pleuvoir", "s'agir"}
)
"""Verbs whose « il » is impersonal (« il faut », « il y a », « il s'agit »): it stands for no one."""


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
    possessives: frozenset[str]
    latest: frozenset[str]
    person_possessed: frozenset[str]
    window: dict[str, int]
    kinds: dict[str, Kind]
    margin: float = 1.0


@lru_cache(maxsize=1)
def load_coref_rules() -> CorefRules:
    """The coreference lexicon shipped with graphkit."""
    raw = json.loads(resources.files("graphkit").joinpath("rules/coref.fr.json").read_text(encoding="utf-8"))
    return CorefRules(
        demonstratives=frozenset(raw["demonstratives"]),
        definites=frozenset(raw["definites"]),
        pronouns={k: frozenset(v) for k, v in raw["pronouns"].items()},
        possessives=frozenset(raw["possessives"]),
        latest=frozenset(raw["latest"]),
        person_possessed=frozenset(fold(w) for w in raw["person_possessed"]),
        window=dict(raw["window"]),
        kinds={
            fold(noun): Kind(frozenset(v["types"]), bool(v["generic"])) for noun, v in raw["kinds"].items()
        },
        margin=float(raw.get("margin", 1.0)),
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
    if fold(head.text) != base:
        forms.append(fold(head.text))
    return forms


def _phrase_end(head: Token) -> int:
    """Index after the last token of « la société chinoise », head plus trailing adjectives."""
    end = head.i + 1
    doc = head.doc
    while end < len(doc) and doc[end].pos_ == "ADJ" and doc[end].head.i == head.i:
        end += 1
    return end


@dataclass
class _Document:
    """What the resolver knows of the document: mentions by token, sentence of each token,
    roles of the named mentions, kinds the text gives them."""

    doc: Doc
    mentions: list[Mention]
    aliases: AliasTable
    offset: int
    types: list[frozenset[str]] = field(default_factory=list)
    by_token: dict[int, int] = field(default_factory=dict)
    sent_of: list[int] = field(default_factory=list)
    subjects: set[int] = field(default_factory=set)
    learned: dict[str, set[str]] = field(default_factory=dict)
    subject_sents: dict[str, set[int]] = field(default_factory=dict)
    quoted: set[int] = field(default_factory=set)
    resolved: dict[int, int] = field(default_factory=dict)
    referred: list[tuple[int, int, int, bool]] = field(default_factory=list)
    placed: set[int] = field(default_factory=set)  # places the NER and a preposition agree on
    described: list[tuple[int, int, str, str]] = field(default_factory=list)  # entity, sentence, noun, phrase
    main: str | None = None

    def can_be(self, index: int, types: frozenset[str] | tuple[str, ...]) -> bool:
        """Whether mention ``index`` may be of one of ``types``: its own type or one the NER's guess
        may hide (``types`` of :func:`resolve_coreferences`), except for a place the NER and a
        preposition agree on (« à Lyon »). A place noun (« le pays ») needs a known place: one of the
        alias table or one a preposition of place introduces."""
        if set(types) == {"LOC"}:
            mention = self.mentions[index]
            return mention.label == "LOC" and (mention.key is not None or index in self.placed)
        if index < len(self.types) and index not in self.placed:
            return bool(self.types[index] & set(types))
        return self.mentions[index].label in types

    def entity_at(self, i: int) -> int | None:
        """The entity (root mention) token ``i`` names or, once resolved, refers to."""
        if i in self.by_token:
            return self.root(self.by_token[i])
        return self.resolved.get(i)

    def span(self, mention: Mention):
        return self.doc.char_span(
            mention.start - self.offset, mention.end - self.offset, alignment_mode="expand"
        )

    def root(self, index: int) -> int:
        while self.mentions[index].antecedent is not None and self.mentions[index].reason != "acronym":
            index = self.mentions[index].antecedent  # type: ignore[assignment]
        return index

    def key(self, index: int) -> str:
        mention = self.mentions[self.root(index)]
        return mention.key or normalize_key(mention.text)


def _prepare(
    doc: Doc,
    mentions: list[Mention],
    aliases: AliasTable,
    offset: int,
    sent_base: int,
    types: list[frozenset[str]],
) -> _Document:
    info = _Document(doc, list(mentions), aliases, offset, types)
    main = main_entity(mentions, types)
    info.main = info.key(main) if main is not None else None
    info.sent_of = [0] * len(doc)
    sentence_starts = set()
    for s_index, sentence in enumerate(doc.sents):
        sentence_starts.add(sentence.start)
        for token in sentence:
            info.sent_of[token.i] = s_index + sent_base
    for index, mention in enumerate(mentions):
        span = info.span(mention)
        if span is None or mention.reason == "dropped":
            continue
        for i in range(span.start, span.end):
            info.by_token[i] = index
        head = span.root
        # a bare name opening its sentence is its topic, whatever arc the parser gave it
        opens = span.start in sentence_starts and not any(c.dep_ == "case" for c in head.children)
        if (
            opens
            or head.dep_ in SUBJECT_DEPS
            or (head.dep_ == "conj" and head.head.dep_ in SUBJECT_DEPS)  # « X et Y ont publié »
            or (head.dep_ == "flat:name" and head.head.dep_ in SUBJECT_DEPS)  # « M. Parker reste »
            or (
                head.dep_ in ("nmod", "appos")
                and head.head.dep_ in SUBJECT_DEPS
                and head.head.i < span.start
                and all(t.pos_ in ("ADJ", "NUM", "NOUN") for t in doc[head.head.i + 1 : span.start])
            )
        ):
            info.subjects.add(index)  # « le (numéro deux français) EDF » hangs on its subject noun
        before = " ".join(t.lower_ for t in doc[max(0, span.start - 3) : span.start])
        if "selon" in before or "après" in before or _in_dateline(span):
            info.quoted.add(index)  # a source or a dateline (« PARIS (AFP) - »): no antecedent
        found: set[str] = set()
        for token in (head.head, *head.children):
            outside = token.i not in range(span.start, span.end)
            described = token.dep_ in ("appos", "nmod") or head.dep_ in ("appos", "nmod")
            if token.pos_ == "NOUN" and outside and described:
                found.update(_noun_forms(token))
        if span.start >= 1:
            before_token = doc[span.start - 1]
            while before_token.pos_ == "ADJ" and before_token.i > 0:
                before_token = doc[before_token.i - 1]
            if before_token.pos_ == "NOUN":
                found.update(_noun_forms(before_token))
                found.update(fold(c.lemma_) for c in before_token.children if c.dep_ == "amod")
        entry = aliases.entry(mention.key) if mention.key else None
        if entry is not None:
            found.update(fold(k) for k in entry.kinds)
        key = info.key(index)
        info.learned.setdefault(key, set()).update(found)
        if index in info.subjects:
            info.subject_sents.setdefault(key, set()).add(mention.sent)
    return info


def _in_dateline(span) -> bool:
    """Whether a name stands in a dateline opening its sentence (« PARIS, 22 octobre (AFP) - … »)."""
    sentence = span.sent
    dash = next(
        (t.i for t in sentence[:14] if t.text in ("-", "–", "—") and t.whitespace_ and t.i > sentence.start),
        None,
    )
    return (
        dash is not None
        and span.end <= dash
        and not any(t.pos_ in ("VERB", "AUX") for t in span.doc[sentence.start : dash])
    )


def _salience(info: _Document, before_char: int, sent: int, window: int) -> dict[str, tuple[float, int, int]]:
    """Salience of each entity named or referred to before ``before_char``: recent subjects, recent
    and frequent mentions (a resolved « le groupe » counts as a mention of its entity).

    Returns key -> (score, index of its most recent named mention, sentence it was last seen in).
    """
    scores: dict[str, float] = {}
    latest: dict[str, int] = {}
    seen: dict[str, int] = {}
    counts: dict[str, int] = {}

    def count(key: str, mention_sent: int, subject: bool) -> None:
        counts[key] = counts.get(key, 0) + 1
        seen[key] = max(seen.get(key, mention_sent), mention_sent)
        scores.setdefault(key, 0.0)
        distance = sent - mention_sent
        if 0 <= distance <= window:
            if subject:
                scores[key] = max(scores[key], 4.0 if distance == 0 else 3.0 if distance == 1 else 1.0)
            scores[key] = max(scores[key], 2.0 if distance == 0 else 1.0 if distance == 1 else 0.5)

    for index, mention in enumerate(info.mentions):
        if mention.start >= before_char or mention.reason == "dropped" or index in info.quoted:
            continue
        key = info.key(index)
        latest[key] = index
        count(key, mention.sent, index in info.subjects)
    for found, ref_sent, start, subject in info.referred:
        key = info.key(found)
        if start < before_char and key in latest:
            count(key, ref_sent, subject)
    main = info.main
    return {
        key: (scores[key] + 0.5 * min(counts[key], 4) + (1.0 if key == main else 0.0), latest[key], seen[key])
        for key in scores
    }


def _choose(
    info: _Document,
    before_char: int,
    sent: int,
    window: int,
    fit: Callable[[int], int],
    margin: float,
) -> int | None:
    """The mention of the most salient best-fitting entity named in the window, or None when two
    fit as well within ``margin`` of each other. ``fit`` grades an entity (0: does not fit)."""
    graded = []
    for _key, (score, index, last_seen) in _salience(info, before_char, sent, window).items():
        if sent - last_seen > window:
            continue
        grade = int(fit(info.root(index)))
        if grade:
            graded.append((grade, score, index))
    if not graded:
        return None
    top = max(g for g, _s, _i in graded)
    ranked = [(score, index) for grade, score, index in graded if grade == top]
    ranked.sort(key=lambda r: (-r[0], -info.mentions[r[1]].start))
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < margin:
        return None
    return info.root(ranked[0][1])


def _entity_words(info: _Document, index: int) -> set[str]:
    mention = info.mentions[index]
    names = [mention.text]
    entry = info.aliases.entry(mention.key) if mention.key else None
    if entry is not None:
        names.extend((entry.canonical, *entry.aliases))
    return {word for name in names for word in normalize_key(name).split()}


DERIVATION_ENDINGS = ("euses", "euse", "eurs", "eur", "ances", "ance", "ences", "ence")
"""Endings of the agent and the activity of one family (« assureur », « Assurances »)."""


def _stem(word: str) -> str:
    """A word without its plural or feminine ending, nor an ending of :data:`DERIVATION_ENDINGS`."""
    for ending in DERIVATION_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word.rstrip("sxe")


def _shares_stem(word: str, names: set[str]) -> bool:
    """« banques » and « Banque Postale », « l'assureur » and « CNP Assurances »: the noun is a word
    of the name, give or take a plural, feminine or agent ending (« groupe » is no word of
    « Groupama »)."""
    return len(word) > 3 and any(_stem(name) == _stem(word) for name in names)


def _description_fit(
    info: _Document, rules: CorefRules, forms: list[str], head_word: str, sent: int
) -> Callable[[int], int]:
    """How well an entity fits a description: 2 when its name holds the noun (or its stem) or the text
    called it so (a specific noun: « le constructeur »), 1 when the noun's kind fits its type and is
    generic (« la société », « le groupe ») or the entity was a subject just before, 0 otherwise."""

    head_kind = next((rules.kinds[f] for f in forms if f in rules.kinds), None)

    def fit(index: int) -> int:
        named = _shares_stem(head_word, _entity_words(info, index)) or head_word in _entity_words(info, index)
        if named and (head_kind is None or info.can_be(index, head_kind.types)):
            return 2
        key = info.key(index)
        known = info.learned.get(key, set())
        recent_subject = any(0 <= sent - s <= 1 for s in info.subject_sents.get(key, ()))
        best = 0
        for form in forms:
            kind = rules.kinds.get(form)
            if form in known and (kind is None or bool(info.types[index] & kind.types)):
                if kind is None or not kind.generic:
                    return 2
                best = 1  # « le groupe »: any company is one; being called so once adds little
            if kind is None or not (kind.generic or recent_subject):
                continue
            if info.can_be(index, kind.types):
                best = 1
        return best

    return fit


def resolve_coreferences(
    doc: Doc,
    mentions: list[Mention],
    *,
    aliases: AliasTable,
    types: list[frozenset[str]] | None = None,
    rules: CorefRules | None = None,
    relation_nouns: frozenset[str] = frozenset(),
    offset: int = 0,
    sent_base: int = 0,
    placed: frozenset[int] = frozenset(),
) -> list[Mention]:
    """Mentions plus the phrases and pronouns that refer back to them.

    Returns a new list: the input mentions at their indices, then the new
    coreferent mentions. Phrases are read in text order, so that a resolved
    subject (« il », « le groupe indien ») counts when a later phrase of its
    clause is resolved. A lone capitalised kind noun tagged as an entity
    (« cette Commission », « la DeepTech ») is replaced by the resolved
    phrase, or marked ``reason="dropped"`` when unresolved; indices never
    shift, so ``antecedent`` links stay valid. Possessives are resolved only
    before ``relation_nouns`` (« sa filiale »), the only ones a frame reads.
    ``placed`` holds the mentions right after a word of place (« à Lyon »).
    """
    rules = rules or load_coref_rules()
    types = types if types is not None else [frozenset({m.label}) for m in mentions]
    info = _prepare(doc, mentions, aliases, offset, sent_base, types)
    info.placed = {i for i in placed if mentions[i].label == "LOC"}
    result = list(mentions)
    extra: list[Mention] = []
    dropped: set[int] = set()

    def add(first: Token, last: Token, found: int, reason: str, replaces: int | None = None) -> None:
        start, end = first.idx, last.idx + len(last.text)
        sent = info.sent_of[first.i]
        text = doc[first.i : last.i + 1].text  # not doc.text, rebuilt from every token on each access
        phrase = Mention(text, result[found].label, start + offset, end + offset, sent, None, found, reason)
        if replaces is not None:
            result[replaces] = info.mentions[replaces] = phrase  # « la DeepTech » is no entity of its own
            dropped.discard(replaces)
        else:
            extra.append(phrase)
        for i in range(first.i, last.i + 1):
            info.resolved[i] = found
        subject = any(doc[i].dep_ in SUBJECT_DEPS for i in range(first.i, last.i + 1))
        info.referred.append((found, sent, start + offset, subject))
        if subject:
            info.subject_sents.setdefault(info.key(found), set()).add(sent)

    for token in doc:
        if token.lower_ in rules.possessives and token.dep_ == "det" and token.head.pos_ in ("NOUN", "PROPN"):
            noun = token.head
            if fold(noun.lemma_) in relation_nouns or fold(noun.text) in relation_nouns:
                found = _resolve_possessive(info, rules, token, noun)
                if found is not None:
                    add(token, token, found, "possessive")
            continue
        if token.pos_ == "PRON":
            found = _resolve_pronoun(info, rules, token)
            if found is not None:
                add(token, token, found, "pronoun")
            continue
        if token.pos_ in ("NOUN", "PROPN", "ADJ") or _mistagged_kind(rules, token):
            _resolve_description(info, rules, token, add, dropped)
    kept = [replace(m, reason="dropped") if i in dropped else m for i, m in enumerate(result)]
    return kept + extra


def _mistagged_kind(rules: CorefRules, token: Token) -> bool:
    """A kind noun the tagger took for another word, after its determiner (« Ce mastodonte », AUX)."""
    return any(c.dep_ == "det" for c in token.lefts) and fold(token.text) in rules.kinds


def _resolve_pronoun(info: _Document, rules: CorefRules, token: Token) -> int | None:
    """« il », « elle » (subjects) and « lui »: a person or organisation that was the subject just before."""
    types = rules.pronouns.get(token.lower_)
    # « il s'est doté de … » tagged as impersonal is a subject all the same
    tagged_impersonal = token.dep_ == "expl:subj" and token.head.lemma_ not in IMPERSONAL_VERBS
    placed = token.dep_ in (*SUBJECT_DEPS, "iobj", "obl", "obl:arg", "obj") or tagged_impersonal
    if types is None or not placed:
        return None
    if token.dep_ not in (*SUBJECT_DEPS, "expl:subj") and token.lower_ in ("il", "elle"):
        return None
    sent = info.sent_of[token.i]
    nearest = _subject_before(info, rules, token)
    if nearest == UNKNOWN_SUBJECT:
        return None
    if nearest is not None and info.can_be(nearest, types):
        return nearest  # « M. Parker reste président, poste qu'il occupe »: the subject just before

    def subject_fits(index: int) -> bool:
        subject_sents = info.subject_sents.get(info.key(index), ())
        return info.can_be(index, types) and any(0 <= sent - s <= 1 for s in subject_sents)

    return _choose(info, token.idx + info.offset, sent, rules.window["pronoun"], subject_fits, rules.margin)


UNKNOWN_SUBJECT = -1
"""What :func:`_subject_before` returns for a description it could not resolve."""


def _subject_before(info: _Document, rules: CorefRules, token: Token) -> int | None:
    """The entity that is the nearest subject before ``token`` in its sentence, if any; a subject
    description left unresolved (« le groupe automobile a dévoilé un plan … l'usine qu'il
    exploite ») gives :data:`UNKNOWN_SUBJECT`: the pronoun is that one, not someone further back."""
    sent = info.sent_of[token.i]
    for i in range(token.i - 1, -1, -1):
        if info.sent_of[i] != sent:
            break
        index = info.by_token.get(i)
        if index is not None and index in info.subjects:
            return info.root(index)
        word = info.doc[i]
        if word.dep_ in SUBJECT_DEPS and word.pos_ == "NOUN" and fold(word.lemma_) in rules.kinds:
            resolved = info.resolved.get(i)
            return info.root(resolved) if resolved is not None else UNKNOWN_SUBJECT
    return None


def _resolve_description(info: _Document, rules: CorefRules, token: Token, add, dropped: set[int]) -> None:
    """« le groupe », « la banque italienne », « ce mastodonte », « ce dernier »: who they stand for."""
    doc = info.doc
    det = next((c for c in token.lefts if c.dep_ == "det"), None)
    if det is None and token.i > 0:
        before = doc[token.i - 1]  # « du constructeur », « au groupe »: an article in the preposition
        if before.pos_ == "DET" or "Def" in before.morph.get("Definite", []):
            det = before
    if det is None:
        return
    article = det.lower_
    latest = token.lower_ in rules.latest or f"{article} {token.lower_}" in rules.latest
    if latest and article in rules.demonstratives:  # « ce dernier », not « sa dernière ligne droite »
        found = _latest(info, rules, token, det)
        if found is not None:
            add(det, token, found, "demonstrative")
        return
    if article in rules.demonstratives:
        reason = "demonstrative"
    elif article in rules.definites:
        reason = "definite"
    else:
        return
    end = _phrase_end(token)
    inside = {info.by_token[i] for i in range(det.i, end) if i in info.by_token}
    forms = _noun_forms(token)
    lone_noun = (
        inside == {info.by_token.get(token.i)} and len(info.mentions[next(iter(inside))].text.split()) == 1
    )
    if inside and not (lone_noun and any(f in rules.kinds for f in forms)):
        return  # a name of its own, not « cette Commission », « la DeepTech »
    if token.pos_ == "PROPN" and not inside and not token.text.islower():
        return  # a lowercase kind noun tagged as a name is still a noun (« le mastodonte caennais »)
    if "Plur" in token.morph.get("Number", []) and not inside:
        return  # « les autorités » are no one entity
    after = end + 1 if end < len(doc) and doc[end].pos_ in ("PUNCT", "DET") else end
    if after < len(doc) and (end in info.by_token or after in info.by_token):
        return  # a kind noun before its name: « le réseau social Vinted », « la marque « X » »
    if _names_a_complement(info, token, end):
        return  # « le président de Renault », « la société du milliardaire X »: a title
    apposed = token.dep_ == "appos" and token.head.i in info.by_token and not _closes_opening(info, det)
    if apposed or _after_name(info, det):
        return  # « Artémis, la société viticole … »: an apposition says what the name is
    if not any(f in rules.kinds for f in forms):
        return
    sent = info.sent_of[token.i]
    # not the subject of its own clause, nor an entity the same noun otherwise qualified named in the
    # sentence (« le groupe public entend acquérir les 16 % que le groupe bancaire mutualiste possède »)
    phrase = doc[det.i : end].text.lower()
    noun = fold(token.lemma_)
    others = {f for (f, at, head, text) in info.described if at == sent and head == noun and text != phrase}
    excluded = _subject_phrase(info, token) | {_clause_subject(info, token)}
    described = _description_fit(info, rules, forms, fold(token.text), sent)
    kind = rules.kinds[next(f for f in forms if f in rules.kinds)]

    def fit(index: int) -> int:
        if index in excluded:
            return 0  # « EDF devient l'actionnaire de cette entreprise »: not EDF
        grade = described(index)
        if not grade and reason == "demonstrative" and info.can_be(index, kind.types):
            return 1  # « ce mastodonte »: a demonstrative points back whatever it was called
        return grade

    found = _choose(info, det.idx + info.offset, sent, rules.window[reason], fit, rules.margin)
    if found in others:
        found = None  # the one « le groupe public » named: « le groupe bancaire mutualiste » is another
    for index in inside:  # « la Foodtech » names no entity of its own, resolved or not
        dropped.add(index)
        info.mentions[index] = replace(info.mentions[index], reason="dropped")
    if found is not None:
        first = det if det.pos_ == "DET" else doc[det.i + 1]  # « du club »: the preposition stays out
        add(first, doc[end - 1], found, reason, next(iter(inside)) if inside else None)
        info.described.append((found, sent, noun, phrase))


def _after_name(info: _Document, det: Token) -> bool:
    """Whether a phrase follows a name and a comma as its apposition (« Artémis, la société … »,
    « avec Lhyfe, la start-up nantaise »), not as the subject of the next clause after a place or
    an opening phrase (« À Lyon, la compagnie basera … », « Dirigée par X, l'entreprise … »)."""
    doc = info.doc
    if det.i < 2 or doc[det.i - 1].text != "," or doc[det.i - 2].i not in info.by_token:
        return False
    return not (det.head.dep_ in SUBJECT_DEPS and _introduced(info, det) or _closes_opening(info, det))


def _introduced(info: _Document, det: Token) -> bool:
    """Whether the name before « , » and ``det`` follows a preposition (« À Lyon, la compagnie »)."""
    doc = info.doc
    if det.i < 2 or doc[det.i - 2].i not in info.by_token:
        return False
    first = det.i - 2
    while first > 0 and info.by_token.get(first - 1) == info.by_token[det.i - 2]:
        first -= 1
    return first > 0 and doc[first - 1].pos_ == "ADP"


def _closes_opening(info: _Document, det: Token) -> bool:
    """Whether the phrase at ``det`` follows a comma that closes a phrase opening the sentence and
    ending in a name after a preposition (« Dirigée par X, l'entreprise … »): it is the subject."""
    doc = info.doc
    if det.i < 2 or doc[det.i - 1].text != "," or not _introduced(info, det):
        return False
    return opens_sentence(doc[det.i - 2 : det.i - 1])


def _names_a_complement(info: _Document, head: Token, end: int) -> bool:
    """Whether a name completes the noun with « de » (« le président de Renault »)."""
    for token in head.subtree:
        if token.i >= end and token.i in info.by_token:
            between = info.doc[end : token.i]
            if any(t.lower_ in ("de", "d'", "du", "des") for t in between) and not any(
                t.pos_ in ("VERB", "AUX") or t.text in (",", ";") for t in between
            ):
                return True
    return False


def _latest(info: _Document, rules: CorefRules, token: Token, det: Token) -> int | None:
    """« ce dernier », « celui-ci »: the last person or organisation named before, within two sentences."""
    sent = info.sent_of[token.i]
    best = None
    for index, mention in enumerate(info.mentions):
        if mention.start - info.offset >= det.idx or mention.reason == "dropped":
            continue
        recent = info.can_be(index, ("ORG", "PER")) and sent - mention.sent <= rules.window["latest"]
        if recent and (best is None or mention.start > info.mentions[best].start):
            best = index
    return info.root(best) if best is not None else None


def _before_relative(info: _Document, pronoun: Token) -> int | None:
    """The name right before a relative « qui » (a comma or a preposition between), as its antecedent."""
    j = pronoun.i - 1
    while j >= 0 and (info.doc[j].text == "," or info.doc[j].pos_ == "ADP"):
        j -= 1
    return info.entity_at(j) if j >= 0 else None


def _subject_phrase(info: _Document, noun: Token) -> set[int]:
    """The entities named in the subject of the clause a noun phrase sits in (« Isabelle X, présidente
    de la CNIL, a laissé trois mois à l'entreprise »: neither she nor the CNIL is « l'entreprise »)."""
    node = noun
    for _ in range(4):
        head = node.head
        if head.i == node.i or node.dep_ in SUBJECT_DEPS:
            return set()
        if head.pos_ in ("VERB", "AUX"):
            subjects = [c for c in head.children if c.dep_ in SUBJECT_DEPS and c.i != node.i]
            return {found for s in subjects for t in s.subtree if (found := info.entity_at(t.i)) is not None}
        node = head
    return set()


def _clause_verb(noun: Token) -> Token | None:
    """The verb of the clause a noun phrase sits in (through at most four arcs), or None."""
    node = noun
    for _ in range(4):
        head = node.head
        if head.i == node.i or node.dep_ in SUBJECT_DEPS:
            return None
        if head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT":
            return head
        node = head
    return None


def _clause_subject(info: _Document, noun: Token) -> int | None:
    """The named subject of the clause a noun phrase sits in, if that subject is not the phrase itself:
    the verb's subject, the antecedent of its « qui », the name a participle modifies (« Altice,
    passé par sa filiale »), or the subject of the verb it is coordinated with or governed by."""
    verb = _clause_verb(noun)
    for _ in range(3):
        if verb is None:
            return None
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS and child.i != noun.i:
                if info.entity_at(child.i) is not None:
                    return info.entity_at(child.i)
                if child.lower_ == "qui":
                    return _before_relative(info, child)
                named = {found for t in child.subtree if (found := info.entity_at(t.i)) is not None}
                if len(named) == 1 and child.pos_ == "NOUN":
                    return next(iter(named))  # « le groupe X a cédé sa filiale »
        if verb.dep_ == "acl":  # « Altice, passé par … », « celle d'Altice, passé par … »
            before = {e for t in verb.head.subtree if t.i < verb.i and (e := info.entity_at(t.i)) is not None}
            return next(iter(before)) if len(before) == 1 else None
        infinitive = "Inf" in verb.morph.get("VerbForm", []) and verb.dep_ in ("ccomp", "obj")
        if (verb.dep_ not in ("xcomp", "conj", "advcl") and not infinitive) or verb.head.i == verb.i:
            return None  # « X prévoit de reprendre … » climbs to X; « X dit que Y … » does not
        verb = verb.head
    return None


def _resolve_possessive(info: _Document, rules: CorefRules, det: Token, noun: Token) -> int | None:
    """« X a cédé sa filiale » -> X; « Son PDG, Y, … » -> the most salient organisation before;
    « Y et Z, son associé » -> the most salient person (a person's associate).

    The subject of the clause wins when no other name of the clause before the possessive could
    own the noun (« X a racheté 15 % de Y à sa maison mère »: « sa » may be Y's as well as X's);
    with no subject found, the one name of the clause that could own it, and salience only when
    the clause names none."""
    types = (
        ("PER",)
        if fold(noun.lemma_) in rules.person_possessed or fold(noun.text) in rules.person_possessed
        else ("ORG", "MISC")
    )
    reporter = _reporting_owner(info, noun)
    if reporter is not None and info.can_be(reporter, types):
        return reporter  # « X aurait besoin de neuf mois, a indiqué son président, Y »: X's
    subject = _clause_subject(info, noun)
    verb = _clause_verb(noun)
    clause = verb.subtree if verb is not None else noun.sent
    described = _described_name(info, rules, det, noun)  # « Marc Laufer, son associé »: not his own
    after = info.entity_at(noun.i + 1) if noun.i + 1 < len(info.doc) else None
    possessed = info.key(after) if after is not None else None  # « sa filiale X »: X owns no « sa »
    named = {
        e
        for t in clause
        if t.i < det.i
        and (e := info.entity_at(t.i)) is not None
        and info.can_be(e, types)
        and e != described
        and info.by_token.get(t.i) not in info.quoted
        and info.key(e) != possessed
    }
    if subject is not None and info.key(subject) == possessed:
        subject = None
    if subject is not None and info.can_be(subject, types):
        return subject if not named - {subject} or noun.dep_ in ("obj", "appos") else None
    if named:
        return next(iter(named)) if len(named) == 1 else None
    sent = info.sent_of[det.i]

    def fits(index: int) -> bool:
        return info.can_be(index, types) and info.key(index) != possessed

    return _choose(info, det.idx + info.offset, sent, rules.window["possessive"], fits, rules.margin)


def _reporting_owner(info: _Document, noun: Token) -> int | None:
    """The subject of the statement an inverted subject reports (« X prévoit …, a indiqué son
    président »): the owner of that subject's possessive."""
    verb = noun.head
    if noun.dep_ not in SUBJECT_DEPS or verb.i > noun.i or verb.head.i == verb.i:
        return None
    if verb.dep_ not in ("conj", "parataxis", "ccomp") or verb.head.i > verb.i:
        return None
    subject = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None:
        return None
    named = {e for t in subject.subtree if (e := info.entity_at(t.i)) is not None}
    return next(iter(named)) if len(named) == 1 else None


def _described_name(info: _Document, rules: CorefRules, det: Token, noun: Token) -> int | None:
    """The entity a possessive phrase stands in apposition to (« X, son associé », « X, sa
    filiale »: a noun that could describe X), if any; « X, son alliance avec Y » lists, not describes."""
    doc = info.doc
    if det.i < 2 or doc[det.i - 1].text != ",":
        return None
    found = info.entity_at(det.i - 2)
    if found is None:
        return None
    person = fold(noun.lemma_) in rules.person_possessed or fold(noun.text) in rules.person_possessed
    kind = rules.kinds.get(fold(noun.lemma_)) or rules.kinds.get(fold(noun.text))
    fits = info.can_be(found, ("PER",)) if person else kind is not None and info.can_be(found, kind.types)
    return found if fits else None


def main_entity(mentions: Sequence[Mention], types: Sequence[frozenset[str]]) -> int | None:
    """The first mention of the organisation the article is about, or None when none stands out.

    Each organisation scores the number of times it is named, two more if the first sentence (the
    headline) names it; the main one scores strictly more than any other and is named twice at least.
    """
    named: dict[str, list[int]] = {}
    for index, mention in enumerate(mentions):
        if mention.antecedent is None and mention.reason != "dropped" and "ORG" in types[index]:
            named.setdefault(mention.key or normalize_key(mention.text), []).append(index)
    scores = sorted(
        ((len(found) + (2 if mentions[found[0]].sent == 0 else 0), found) for found in named.values()),
        key=lambda sf: (-sf[0], sf[1][0]),
    )
    if not scores or len(scores[0][1]) < 2 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1][0]
