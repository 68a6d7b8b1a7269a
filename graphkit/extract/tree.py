"""The structure of French, once for every frame: where a predicate's arguments sit in the parse.

A frame (:mod:`graphkit.extract.frames`) names its arguments by *slot*:
``subject``, ``object``, ``described``, ``of``, ``possessor``, ``agent``,
``light``, ``between``, ``main`` or ``prep:WORDS``. This module finds the
tokens that fill a slot of a trigger word in a :class:`Clause` (one sentence
whose entity phrases are single tokens), following the constructions that
move an argument away from its trigger:

* voice: a passive verb's subject is its logical object, « par X » its agent;
* inherited subjects: infinitives (« va racheter »), participles and gerunds
  (« Basé à Caen, X… », « en rachetant Y, X… »), coordinated verbs;
* relative clauses: « qui », « que », « dont », « avec qui » stand for their antecedent;
* apposition and copula: « X, filiale de Y », « sa filiale X », « X est le PDG de Y »;
* light verbs: « X a signé un partenariat avec Y » gives the noun its subject;
* transparent nouns: « 20 % du capital de Y » reaches Y, « cinq pays : A, B et C » the list;
* coordination: « A, B et C » on either side (:func:`conjuncts`).

``fr_core_news_md`` often misattaches, so each slot reads the tree first and
falls back on the words around the trigger within its clause. Every function
returns :class:`Arg` values: a token and the steps that led to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from graphkit.normalize import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "Arg",
    "Ref",
    "Grammar",
    "Clause",
    "fill",
    "conjuncts",
    "preposition",
    "is_passive",
    "governing_verb",
    "opens_sentence",
    "gapped_pairs",
]

SUBJECTS = frozenset({"nsubj", "nsubj:pass", "csubj", "expl:subj"})
COMPLEMENTS = frozenset({"obl", "obl:arg", "obl:mod", "obl:agent", "nmod", "iobj", "obj", "advmod", "appos"})
CLAUSAL = frozenset({"xcomp", "ccomp", "advcl", "acl", "acl:relcl", "parataxis", "conj", "csubj"})
DE = frozenset({"de", "d'", "du", "des", "d’"})
ELISIONS = {"d’": "d'", "l’": "l'", "qu’": "qu'", "jusqu’": "jusqu'"}
FINITE_BREAK = frozenset({"VERB", "AUX"})


class Arg(NamedTuple):
    """A token filling a slot, with the steps that led to it from the trigger.

    ``mention`` is set when the slot names a mention that no token of the
    sentence stands for (the article's main entity).
    """

    token: Token
    steps: tuple[str, ...] = ()
    mention: int | None = None


@dataclass(frozen=True)
class Grammar:
    """The word lists the structure needs (from the ``grammar`` section of the frames file)."""

    light_verbs: frozenset[str] = frozenset()
    light_nouns: frozenset[str] = frozenset()
    transparent_nouns: frozenset[str] = frozenset()
    control_verbs: frozenset[str] = frozenset()
    appoint_verbs: frozenset[str] = frozenset()
    dative_verbs: frozenset[str] = frozenset()
    make_verbs: frozenset[str] = frozenset()
    relative_words: frozenset[str] = frozenset(
        {"qui", "que", "qu'", "dont", "lequel", "laquelle", "lesquels", "lesquelles", "où"}
        | {"auquel", "auxquels", "auxquelles", "duquel", "desquels", "desquelles"}
    )
    capacity_words: frozenset[str] = frozenset({"en tant que", "comme"})


class Ref(NamedTuple):
    """What a token of a :class:`Clause` stands for: a mention of the document, and how."""

    mention: int
    step: str = ""


@dataclass
class Clause:
    """One sentence as a Doc whose entity phrases are single tokens.

    ``refs`` maps the index of every token that stands for an entity (a
    name, a resolved description, pronoun or possessive) to its :class:`Ref`
    (the step is ``""`` for a name, else « coreference: le groupe → X »).
    ``main`` is the mention index of the article's main entity, for the
    ``main`` slot (a title with no complement). ``kinds`` maps the tokens of
    names that took in a kind noun (« sa filiale EDF Nouveau Business ») to
    that noun, which can then be a frame's trigger; ``kind_nouns`` are the
    nouns that name what a name right after them is (« la marque X »).
    """

    doc: Doc
    refs: dict[int, Ref]
    grammar: Grammar
    main: int | None = None
    kinds: dict[int, str] = field(default_factory=dict)
    kind_nouns: frozenset[str] = frozenset()

    def is_ref(self, token: Token) -> bool:
        return token.i in self.refs


def opens_sentence(span: Span) -> bool:
    """Whether a name stands in a phrase that opens its sentence, before any finite verb (« Dirigée
    par X, … », « À Lyon, … »): the comma after it closes that phrase."""
    return not any("Fin" in t.morph.get("VerbForm", []) for t in span.doc[span.sent.start : span.start])


def lower(token: Token) -> str:
    text = token.lower_
    return ELISIONS.get(text, text.replace("’", "'"))


# -- small readings of the tree --------------------------------------------------------------------


CONTRACTED_RELATIVES = {
    **dict.fromkeys(("auquel", "auxquels", "auxquelles"), "à"),
    **dict.fromkeys(("duquel", "desquels", "desquelles"), "de"),
}
NON_SUBJECT_RELATIVES = frozenset({"que", "qu'", "dont", "où", *CONTRACTED_RELATIVES})
"""Relative words that are never the subject of their clause: after them French may put the subject
after the verb (« le tour de table auquel ont participé X et Y », « la société que dirige X »)."""


def preposition(token: Token) -> str:
    """The preposition that introduces ``token`` (« dans », « auprès de », « au »), or ``""``.

    Read from its ``case`` dependents (and their ``fixed`` words), else from
    the word right before its phrase; « auprès de X » with « auprès » as the
    head of X gives « auprès de ».
    """
    if lower(token) in CONTRACTED_RELATIVES:
        return CONTRACTED_RELATIVES[lower(token)]  # « auquel » is « à » + « lequel »
    words = []
    for child in token.lefts:
        if child.dep_ in ("case", "mark") and child.pos_ in ("ADP", "SCONJ", "ADV"):
            words.append(child)
            words.extend(c for c in child.children if c.dep_ == "fixed")
    if not words:
        start = token.left_edge.i
        while start < token.i and token.doc[start].pos_ in ("DET", "NUM", "ADJ"):
            start += 1
        before = token.doc[start - 1] if start > 0 and start <= token.i else None
        if before is not None and before.pos_ == "ADP" and before.head.i != before.i:
            words.append(before)
    if not words:
        return ""
    words.sort(key=lambda t: t.i)
    text = ""
    for word in words:  # « d'après », « auprès de »: elided words join the next one
        text += lower(word) if not text or text.endswith("'") else f" {lower(word)}"
    first = words[0]
    head = token.head
    if head.i == first.i - 1 and head.pos_ in ("ADV", "ADP") and head.i != token.i:
        text = f"{lower(head)} {text}"  # « auprès de X », X hanging on « auprès »
    elif first.i > 0 and token.doc[first.i - 1].lower_ in ("auprès", "près", "face", "grâce", "quant"):
        text = f"{token.doc[first.i - 1].lower_} {text}"
    return "de" if text == "d'" else text


def has_aux(verb: Token, lemma: str) -> bool:
    return any(c.dep_.startswith("aux") and c.lemma_ == lemma for c in verb.children)


UNACCUSATIVES = frozenset(
    {
        "entrer",
        "arriver",
        "partir",
        "venir",
        "revenir",
        "devenir",
        "rester",
        "monter",
        "descendre",
        "passer",
        "tomber",
        "retourner",
        "naître",
        "mourir",
        "sortir",
        "parvenir",
        "intervenir",
    }
)
PARTICIPLE_ENDINGS = (
    "é",
    "ée",
    "és",
    "ées",
    "i",
    "ie",
    "is",
    "ies",
    "u",
    "ue",
    "us",
    "ues",
    "t",
    "te",
    "ts",
    "tes",
    "se",
    "ses",
)


def is_pronominal(verb: Token) -> bool:
    """Whether a verb has its reflexive clitic: « elle s'est installée », « pour s'implanter »."""
    return any(c.dep_.startswith("expl") and c.lower_ in ("se", "s'") for c in verb.children)


def is_passive(verb: Token) -> bool:
    """Whether a verb is passive: « a été racheté », « racheté par X » as a modifier.

    An ``aux:pass`` makes it passive; any other auxiliary makes it active
    (« a racheté », « est entré »), whatever the subject's label says (the
    parser often marks the subject of « a racheté » as ``nsubj:pass``). A
    bare past participle is passive when it modifies a noun or opens a
    clause (« Détenue par Renault, la marque … »), or as a headline's verb
    with an agent (« Drivy racheté par Getaround »).
    """
    children = list(verb.children)
    if verb.lemma_ in UNACCUSATIVES:
        return False  # « est entré au capital », « est arrivé »: être, yet active
    if any(c.dep_ == "aux:pass" for c in children):
        return True
    if any(c.dep_.startswith("aux") for c in children):
        return False
    if is_pronominal(verb):
        return False
    participle = "Part" in verb.morph.get("VerbForm", []) and "Past" in verb.morph.get("Tense", ["Past"])
    if not participle or not verb.lower_.endswith(PARTICIPLE_ENDINGS):
        return False  # the tagger also calls « desservira » a participle
    if verb.dep_ == "ROOT":
        return any(c.dep_ == "obl:agent" or preposition(c) == "par" for c in children)
    return verb.dep_ in ("acl", "amod", "advcl", "advmod", "conj", "appos", "xcomp")


def governing_verb(token: Token) -> Token | None:
    """The verb a noun phrase depends on, through other nouns (« la finalisation du rachat »)."""
    node = token
    for _ in range(4):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
        if node.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
            return None
    return None


def clause_words(trigger: Token) -> tuple[int, int]:
    """Token range around ``trigger`` not crossed by a finite verb of another clause."""
    doc = trigger.doc
    start = trigger.i
    while start > 0:
        prev = doc[start - 1]
        if prev.text in (";", ":", "«", "»", "(", ")") or prev.lower_ in ("qui", "que", "qu'", "dont"):
            break
        there_is = prev.lower_ == "a" and prev.i > 0 and doc[prev.i - 1].lower_ == "y"  # « il y a deux ans »
        if (
            prev.pos_ == "VERB"
            and "Fin" in prev.morph.get("VerbForm", [])
            and prev.i != trigger.i
            and not there_is
        ):
            break
        start -= 1
    end = trigger.i + 1
    while end < len(doc):
        word = doc[end]
        if word.text in (";", ".", "!", "?", "«", "»", "(", ")") or word.lower_ in (
            "qui",
            "que",
            "qu'",
            "dont",
        ):
            break
        there_is = word.lower_ == "a" and doc[end - 1].lower_ == "y"  # « il y a deux ans »
        if word.pos_ in ("VERB", "AUX") and "Fin" in word.morph.get("VerbForm", []) and not there_is:
            break
        end += 1
    return start, end


# -- what a token stands for --------------------------------------------------------------------------


def antecedent(clause: Clause, pronoun: Token) -> Token | None:
    """The noun a relative pronoun stands for: the head of its relative clause if it names an
    entity, else the name right before the pronoun (« H&M, qui … »)."""
    node = pronoun.head
    for _ in range(3):
        if node.dep_ == "acl:relcl" and node.head.i < pronoun.i and referents(clause, node.head, depth=4):
            return node.head
        if node.head.i == node.i:
            break
        node = node.head
    j = pronoun.i - 1
    while j >= 0 and (clause.doc[j].pos_ == "ADP" or clause.doc[j].text == ","):
        j -= 1
    if j >= 0 and clause.is_ref(clause.doc[j]):
        return clause.doc[j]
    return None


def referents(clause: Clause, token: Token, steps: tuple[str, ...] = (), depth: int = 0) -> list[Arg]:
    """The entity tokens ``token`` stands for: itself, a relative pronoun's antecedent, the name
    a noun is in apposition to (« X, le fonds … »), the complement of a transparent noun (« 20 % du
    capital de X »), the name a kind noun introduces (« le groupe X ») or the names a plural noun
    announces (« cinq pays : A, B et C »)."""
    if depth > 4:
        return []
    if clause.is_ref(token):
        return [Arg(token, steps)]
    if token.pos_ in ("PRON", "ADV") and lower(token) in clause.grammar.relative_words:
        found = antecedent(clause, token)
        if found is not None:
            return referents(clause, found, (*steps, "relative clause"), depth + 1)
        return []
    apposed = _apposed_name(clause, token)
    if apposed is not None:
        return [Arg(apposed, (*steps, "apposition"))]
    if token.pos_ not in ("NOUN", "NUM", "PROPN", "SYM") and token.lower_ != "%":
        return []
    through = _through_transparent(clause, token, steps, depth)
    if through:
        return through
    if token.pos_ != "NOUN":
        return []
    named = _named_after_kind(clause, token)
    if named is not None:
        return [Arg(named, steps)]
    return _announced_names(clause, token, steps)


def _apposed_name(clause: Clause, token: Token) -> Token | None:
    """The name a common noun is in apposition to: « Beaux Frères, vignoble situé dans l'Oregon »,
    « Korelya Capital, le fonds fondé par … » (parsed as an apposition, a complement or a list), or
    « … avec Natura Pro, une coopérative dont … » (the noun hung elsewhere by the parser)."""
    if token.pos_ != "NOUN" or preposition(token):
        return None
    appositive = token.dep_ == "appos" or (
        token.dep_ in ("nmod", "conj")
        and not any(c.dep_ == "cc" for c in token.children)
        and _after_comma(token)
    )
    if appositive and clause.is_ref(token.head) and token.head.i < token.i:
        return token.head
    if token.dep_ not in SUBJECTS:
        return _name_before_comma(clause, token)
    return None


def _through_transparent(clause: Clause, token: Token, steps: tuple[str, ...], depth: int) -> list[Arg]:
    """The names a transparent noun leads to: « 20 % du capital de X », « le conseil
    d'administration de X » (a transparent phrase as a whole)."""
    lemma = token.lemma_.lower()
    if lemma not in clause.grammar.transparent_nouns and token.lower_ not in clause.grammar.transparent_nouns:
        return []
    for child in token.children:
        if child.dep_ in ("nmod", "obl", "obl:arg", "obl:mod") and preposition(child) in DE | {"au"}:
            through = referents(clause, child, steps, depth + 1)
            if not through and _transparent_phrase(clause, lemma, child):
                through = [
                    found
                    for grandchild in child.children
                    if preposition(grandchild) in DE
                    for found in referents(clause, grandchild, steps, depth + 1)
                ]
            if through:
                return through
    nxt = _surface_of(clause, token)
    return referents(clause, nxt, steps, depth + 1) if nxt is not None else []


def _named_after_kind(clause: Clause, token: Token) -> Token | None:
    """The name a singular kind noun introduces when the two were left apart: « le groupe X », « sa
    filiale à bas coût X », « le groupe de médias X » (no punctuation, verb or other name between);
    « une usine X » is no kind noun: X is its owner."""
    kind = fold(token.lemma_) in clause.kind_nouns or fold(token.text) in clause.kind_nouns
    if not kind or "Plur" in token.morph.get("Number", []):
        return None
    for c in token.rights:
        between = clause.doc[token.i + 1 : c.i]
        if (
            clause.is_ref(c)
            and not preposition(c)
            and not any(t.pos_ in ("PUNCT", "SYM", "VERB", "AUX") or clause.is_ref(t) for t in between)
        ):
            return c
    return None


def _announced_names(clause: Clause, token: Token, steps: tuple[str, ...]) -> list[Arg]:
    """The names a noun announces: listed on a plural noun (« deux marques, A et B »), after a
    colon or in parentheses (« huit pays …: Sénégal, Mali … », « ses titres (A, B, C) »), or one
    name in apposition (« une structure dédiée, le H2 Business Unit »)."""
    plural = "Plur" in token.morph.get("Number", [])
    listed = [
        c
        for c in token.children
        if c.dep_ in ("appos", "conj", "flat:name", "nmod")
        and clause.is_ref(c)
        and not preposition(c)
        and c.i > token.i
    ]
    if listed and plural:
        opening = clause.doc[listed[0].i - 1]
        if opening.text in ("(", ":"):  # « ses titres (A, B, C, D…) », whatever the parse made of it
            listed = sorted({*listed, *_listed_from(clause, opening.i)}, key=lambda t: t.i)
        return [Arg(c, (*steps, "list")) for c in listed]
    named = [c for c in listed if c.dep_ == "appos" or c.dep_ == "conj" and clause.doc[c.i - 1].text == ","]
    close = [
        c for c in listed if c.dep_ == "nmod" and not any(t.is_punct for t in clause.doc[token.i + 1 : c.i])
    ]
    if named and close and close[0].i < named[0].i:
        return [Arg(close[0], (*steps, "apposition"))]  # « l'empire télécoms Altice (SFR) »: Altice
    if named:
        return [Arg(named[0], (*steps, "apposition"))]
    if plural:
        for k in range(token.i + 1, min(len(clause.doc) - 1, token.i + 25)):
            mark = clause.doc[k]
            if mark.text in (";", ".") or (mark.pos_ == "VERB" and "Fin" in mark.morph.get("VerbForm", [])):
                break
            opens = mark.text in (":", "(") or lower(mark) in LIST_OPENERS and clause.doc[k - 1].text == ","
            if opens and _listed_from(clause, k):
                return [Arg(name, (*steps, "list")) for name in _listed_from(clause, k)]
        return []
    apposed = _name_after_phrase(clause, token)
    return [Arg(apposed, (*steps, "apposition"))] if apposed is not None else []


def _name_after_phrase(clause: Clause, token: Token) -> Token | None:
    """« une structure dédiée, le H2 Business Unit, … »: the name right after a noun's phrase and a
    comma, however the parser hung it, unless it opens a clause of its own (« …, X a dit »)."""
    doc = clause.doc
    k = token.i + 1
    while k < len(doc) and doc[k].pos_ == "ADJ" and doc[k].head.i == token.i:
        k += 1
    if k + 1 >= len(doc) or doc[k].text != ",":
        return None
    k += 2 if doc[k + 1].pos_ == "DET" and k + 2 < len(doc) else 1
    if not clause.is_ref(doc[k]) or preposition(doc[k]):
        return None
    after = doc[k + 1] if k + 1 < len(doc) else None
    if after is not None and after.pos_ in ("VERB", "AUX") and "Fin" in after.morph.get("VerbForm", []):
        return None
    return doc[k]


def gapped_pairs(clause: Clause, target: Token, words: frozenset[str]) -> list[tuple[Arg, Arg]]:
    """« X restera fidèle à A jusqu'en 2025, Y à B et Z à C »: the pairs a gapped clause repeats after
    the relation's target, each a bare name then a name introduced by one of ``words``, with no
    verb between."""
    doc = clause.doc
    pairs = []
    k = target.i + 1
    while k < len(doc):
        word = doc[k]
        if word.pos_ in ("VERB", "AUX") or word.text in (";", ":", "."):
            break
        if lower(word) not in (",", "et"):
            k += 1
            continue
        j = k + 1
        while j < len(doc) and doc[j].pos_ == "DET":
            j += 1
        if j >= len(doc) or not clause.is_ref(doc[j]) or preposition(doc[j]):
            k = j
            continue
        nxt = j + 1
        while nxt < len(doc) and doc[nxt].pos_ in ("ADP", "DET") and nxt - j <= 3:
            nxt += 1
        if nxt < len(doc) and clause.is_ref(doc[nxt]) and preposition(doc[nxt]) in words:
            pairs.append((Arg(doc[j], ("gapping",)), Arg(doc[nxt], ("gapping",))))
        k = nxt
    return pairs


LIST_FILLERS = frozenset({",", "et", "ou", "...", "…", "etc", "etc.", "notamment"})
LIST_OPENERS = frozenset({"dont", "notamment", "comme"})
"""Words that open the examples of a plural noun after a comma (« plusieurs clubs, dont l'OGC Nice »)."""


def _listed_from(clause: Clause, opening: int) -> list[Token]:
    """The names listed after a colon or parenthesis at ``opening``, up to the first word that is
    neither a name nor a comma, « et », « ou » or an ellipsis."""
    doc = clause.doc
    names = []
    for token in doc[opening + 1 :]:
        if clause.is_ref(token) and not preposition(token):
            names.append(token)
        elif lower(token) not in LIST_FILLERS and token.pos_ != "DET":
            break
    return names


def _phrase_end(token: Token) -> int:
    """The last word of a token's phrase, leaving out what the parser hung on it after a comma or
    « et » (« de Safran, Paul Girard et Nadia Benali » ends at Safran)."""
    ends = [_phrase_end(c) for c in token.rights if c.dep_ not in ("conj", "cc", "punct", "appos")]
    return max([token.i, *ends])


def _name_before_comma(clause: Clause, token: Token) -> Token | None:
    """The name right before the comma that opens a noun's phrase (« Natura Pro, une coopérative »)."""
    k = token.i - 1
    while k >= 0 and token.doc[k].pos_ in ("DET", "ADJ", "ADV", "NUM"):
        k -= 1
    if k >= 1 and token.doc[k].text == "," and clause.is_ref(token.doc[k - 1]):
        return token.doc[k - 1]
    return None


def _after_comma(token: Token) -> bool:
    """Whether a comma comes right before a noun's phrase (« X, le fonds … »)."""
    k = token.i - 1
    while k >= 0 and token.doc[k].pos_ in ("DET", "ADJ", "ADV", "NUM"):
        k -= 1
    return k >= 0 and token.doc[k].text == ","


def _transparent_phrase(clause: Clause, lemma: str, complement: Token) -> bool:
    """Whether a noun and its « de » complement make one transparent phrase (« conseil
    d'administration », « droits de vote »)."""
    phrase = f"{lemma} de {lower(complement)}"
    return any(w.replace("d'", "de ") == phrase for w in clause.grammar.transparent_nouns)


def _surface_of(clause: Clause, token: Token) -> Token | None:
    """The entity in « token [adj] de [det] X » read from the words, when the tree lost it."""
    doc = clause.doc
    j = token.i + 1
    while j < len(doc) and doc[j].pos_ == "ADJ":
        j += 1
    if j < len(doc) and lower(doc[j]) in DE | {"au", "à"}:
        j += 1
        while j < len(doc) and (doc[j].pos_ == "DET" or doc[j].pos_ == "ADJ" and not clause.is_ref(doc[j])):
            j += 1
        if j < len(doc) and (clause.is_ref(doc[j]) or doc[j].pos_ == "NOUN"):
            return doc[j]
    return None


# -- coordination ------------------------------------------------------------------------------


COORD_WORDS = frozenset({"et", "ou", ","})
MODIFIER_DEPS = frozenset({"det", "case", "amod", "nummod"})
COPULAR_OBJECT_VERBS = frozenset({"représenter", "constituer"})
COPULAS = frozenset({"être", "rester", "devenir", "demeurer", "redevenir"})
"""Verbs whose object says what their subject is (« X représente le premier marché de Y »)."""
LIST_LINKS = frozenset({"mais", "aussi", "ainsi", "que", "ou", "encore", "voire", "et", "notamment"})
COORD_PREPS = frozenset(
    {"en", "au", "aux", "à", "dans", "de", "du", "d'", "des", "avec", "chez", "par", "auprès"}
)


def _compatible(clause: Clause, a: Token, b: Token) -> bool:
    """A person is listed with persons; companies, products and places mix (the models confuse them);
    a name introduced by a preposition is listed with such names (« en Suisse, Monaco … » is no list)."""
    return (a.ent_type_ == "PER") == (b.ent_type_ == "PER")


def _same_construction(a: Token, b: Token) -> bool:
    """Two names the parser coordinates that are both bare or both introduced by a preposition
    (« en Suisse, Monaco renoue … » is no list), with no clause between them (« X est aux mains
    de Y, et Z a trouvé … » coordinates clauses, not names)."""
    low, high = sorted((a.i, b.i))
    between = a.doc[low + 1 : high]
    relative = any(t.lower_ in ("qui", "que", "qu'", "dont") for t in between)
    finite = any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm", []) for t in between)
    return bool(preposition(a)) == bool(preposition(b)) and (relative or not finite)


def conjuncts(clause: Clause, token: Token, exclude: Iterable[int] = ()) -> list[Arg]:
    """``token`` and the entity tokens coordinated with it, in text order.

    From the parse (``conj`` links around the token) and, since the parser
    often misses them, from the words that follow: « A, B et C », « en
    Suisse, en Autriche et au Danemark », or precede it: « A et B ont
    signé ». A bare comma chain counts only when « et » or « ou » closes it.
    Tokens in ``exclude`` (the source of an attribution) never join.
    """
    excluded = set(exclude)
    group: dict[int, tuple[str, ...]] = {token.i: ()}
    root = token
    while root.dep_ == "conj" and clause.is_ref(root.head) and root.head.i != root.i:
        root = root.head
    if root.i != token.i and _compatible(clause, root, token) and _same_construction(root, token):
        group[root.i] = ("coordination",)
    for child in root.subtree:
        conjunct = child.dep_ == "conj" and child.head.i in group and clause.is_ref(child)
        if conjunct and _compatible(clause, child, token) and _same_construction(child, token):
            group[child.i] = ("coordination",)
    doc = clause.doc
    pending: list[int] = []
    i = token.i + 1
    while i < len(doc):
        skipped = _past_complement(clause, i)
        same_preposition_only = skipped != i  # past a complement, only « et à Vannes » after « à Cholet »
        i = skipped
        link = lower(doc[i]) if i < len(doc) else ""
        if link not in COORD_WORDS:
            break
        j = i + 1
        if link == ",":  # « , mais aussi », « , ainsi que », « , ou encore »
            while j < len(doc) and lower(doc[j]) in LIST_LINKS:
                link = "et" if lower(doc[j]) in ("ainsi", "aussi", "encore", "voire") else link
                j += 1
        while (
            j < len(doc)
            and not clause.is_ref(doc[j])
            and (
                lower(doc[j]) in COORD_PREPS
                or doc[j].pos_ == "DET"
                or lower(doc[j]) in ("non", "pas", "plus")
            )
        ):
            j += 1
        if j >= len(doc) or not clause.is_ref(doc[j]) or not _compatible(clause, doc[j], token):
            break
        if same_preposition_only and preposition(doc[j]) != preposition(token):
            break
        pending.append(j)
        if link in ("et", "ou"):
            for k in pending:
                group.setdefault(k, ("coordination",))
            break
        i = j + 1
    _add_names_before(clause, token, group)
    _add_parsed_conjuncts(clause, token, group)
    return [Arg(doc[k], steps) for k, steps in sorted(group.items()) if k not in excluded or k == token.i]


def _past_complement(clause: Clause, i: int) -> int:
    """Index after what stands at ``i`` between two members of a list: a group in parentheses
    (« en Auvergne (Cantal, Salers) et dans les Pyrénées ») or a name's place (« à Cholet dans le
    Maine-et-Loire et à Vannes »); ``i`` itself otherwise."""
    doc = clause.doc
    if i < len(doc) and doc[i].text == "(":
        close = next((k for k in range(i + 1, min(len(doc), i + 20)) if doc[k].text == ")"), None)
        return close + 1 if close is not None else i
    if i < len(doc) and doc[i].pos_ == "ADP" and lower(doc[i]) not in COORD_WORDS:
        k = i + 1
        while k < len(doc) and doc[k].pos_ == "DET":
            k += 1
        if k + 1 < len(doc) and clause.is_ref(doc[k]) and lower(doc[k + 1]) in COORD_WORDS:
            return k + 1
    return i


def _add_names_before(clause: Clause, token: Token, group: dict[int, tuple[str, ...]]) -> None:
    """Add to ``group`` the bare names listed right before ``token`` when « et » or « ou » joins
    them to it (« Orange et Nokia ont signé », « A, B et C »), the parser having missed the list."""
    doc = clause.doc
    if preposition(token) or token.i < 2 or lower(doc[token.i - 1]) not in ("et", "ou"):
        return
    k = token.i - 2
    while k >= 0 and clause.is_ref(doc[k]) and not preposition(doc[k]) and _compatible(clause, doc[k], token):
        group.setdefault(k, ("coordination",))
        if k < 2 or doc[k - 1].text != ",":
            break
        k -= 2


def _add_parsed_conjuncts(clause: Clause, token: Token, group: dict[int, tuple[str, ...]]) -> None:
    """Add to ``group`` the names the parser coordinates with its members (« mais aussi Moët,
    Ruinart, Dior » hangs Ruinart and Dior on Moët, which the words after ``token`` reached)."""
    todo = list(group)
    while todo:
        for child in clause.doc[todo.pop()].children:
            if child.i in group or child.dep_ != "conj" or not clause.is_ref(child):
                continue
            if _compatible(clause, child, token) and _same_construction(child, token):
                group[child.i] = ("coordination",)
                todo.append(child.i)


# -- subjects --------------------------------------------------------------------------------


def _explicit_subject(verb: Token) -> Token | None:
    """The verb's subject; of two (a parse error: « PRESSE - …, le patron de X met … »), the nearer."""
    subjects = [
        child
        for child in verb.children
        if child.dep_ in SUBJECTS and child.lower_ not in ("se", "s'", "en", "y") and not preposition(child)
    ]
    return min(subjects, key=lambda child: abs(verb.i - child.i)) if subjects else None


def logical_subject(clause: Clause, verb: Token, depth: int = 0) -> list[Arg]:
    """Who does what ``verb`` says (active voice): its subject, or the one it inherits."""
    if depth > 5:
        return []
    found = _explicit_subject(verb)
    if found is not None and lower(found) in NON_SUBJECT_RELATIVES:
        found = None  # « auquel ont participé X » parsed with « auquel » as the subject
    if found is None and verb.dep_ == "acl:relcl" and verb.pos_ in ("VERB", "AUX") and not is_passive(verb):
        inverted = _inverted_subject(clause, verb)
        if inverted is not None:
            return [inverted]
    if found is not None:
        if verb.pos_ == "NOUN" or verb.pos_ == "ADJ" or not is_passive(verb) or has_aux(verb, "avoir"):
            refs = referents(clause, found)
            if refs:
                return refs
            if found.pos_ == "PRON" and lower(found) not in clause.grammar.relative_words:
                return []
        else:
            return []
    dep = verb.dep_
    head = verb.head
    finite = "Fin" in verb.morph.get("VerbForm", []) or not verb.lower_.endswith(
        PARTICIPLE_ENDINGS + ("r", "ant")
    )
    if verb.pos_ in ("VERB", "AUX") and (
        dep in ("ROOT", "ccomp", "parataxis") or finite and dep != "acl:relcl"
    ):
        before = _name_before_verb(clause, verb)  # the parser lost the subject
        if before is not None or dep in ("ROOT", "ccomp", "parataxis"):
            return [before] if before is not None else []
    if head.i == verb.i:
        return []
    if dep == "acl" and finite and head.pos_ in ("NOUN", "PROPN"):
        # « ce réseau, long de 10 000 km, desservira huit pays »: a finite verb hung on a noun as its
        # modifier (a parse error) has that noun for subject
        return [Arg(a.token, (*a.steps, "subject")) for a in referents(clause, head)]
    controller = _controller(clause, verb)
    if controller:
        return controller
    if dep == "xcomp" or (dep in ("ccomp", "obj") and "Inf" in verb.morph.get("VerbForm", [])):
        # « X va racheter Y », « X a décidé de racheter Y »: the controller's subject;
        # « A a nommé X PDG » -> the object of the appointing verb is the subject of PDG
        if head.lemma_ in clause.grammar.appoint_verbs and verb.pos_ in ("NOUN", "ADJ"):
            obj = [c for c in head.children if c.dep_ == "obj" and c.i != verb.i]
            if obj and not is_passive(head):
                return [Arg(a.token, (*a.steps, "appointment")) for a in referents(clause, obj[0])]
            return [
                Arg(a.token, (*a.steps, "appointment")) for a in described_by_verb(clause, head, depth + 1)
            ]
        return [
            Arg(a.token, (*a.steps, "inherited subject")) for a in logical_subject(clause, head, depth + 1)
        ]
    bare = not any(c.dep_.startswith("aux") for c in verb.children)
    if (
        dep in ("advcl", "advmod")
        and bare
        and (
            "Part" in verb.morph.get("VerbForm", [])
            or "Ger" in verb.morph.get("VerbForm", [])
            or any(c.lower_ == "en" and c.dep_ == "mark" for c in verb.children)
        )
    ):
        return [Arg(a.token, (*a.steps, "participle")) for a in described_by_verb(clause, head, depth + 1)]
    if "Inf" in verb.morph.get("VerbForm", []) and head.pos_ == "ADV" and head.head.i != head.i:
        # « afin d'enrayer le recul », « avant de racheter Y »: the subject of the verb the adverb modifies
        return [
            Arg(a.token, (*a.steps, "inherited subject"))
            for a in logical_subject(clause, head.head, depth + 1)
        ]
    if dep == "advcl" and "Inf" in verb.morph.get("VerbForm", []):
        return [
            Arg(a.token, (*a.steps, "inherited subject")) for a in logical_subject(clause, head, depth + 1)
        ]
    if dep == "conj" and head.pos_ in ("VERB", "AUX") and not any(c.dep_ in SUBJECTS for c in verb.children):
        return [
            Arg(a.token, (*a.steps, "coordinated verb")) for a in logical_subject(clause, head, depth + 1)
        ]
    present = "Pres" in verb.morph.get("Tense", []) or verb.lower_.endswith("ant")
    if dep in ("acl", "amod") and "Part" in verb.morph.get("VerbForm", []) and present:
        doers = referents(clause, head)
        if not doers and head.pos_ == "NOUN":
            doers = slot_light(clause, head)  # « X a dévoilé une lettre appelant Y à … »: the letter's author
        return [Arg(a.token, (*a.steps, "participle")) for a in doers]
    return []


def _inverted_subject(clause: Clause, verb: Token) -> Arg | None:
    """The subject put after the verb of a relative clause opened by a word that is no subject
    (« auquel ont participé X », « dans laquelle a investi X », « que dirige X »): the first name
    after the verb that no preposition introduces."""
    opener = any(
        lower(c) in NON_SUBJECT_RELATIVES or lower(c) in clause.grammar.relative_words and preposition(c)
        for c in verb.children
        if c.i < verb.i
    )
    if not opener:
        return None
    for child in sorted(verb.children, key=lambda t: t.i):
        if child.i > verb.i and clause.is_ref(child) and not preposition(child):
            return Arg(child, ("inverted subject",))
    return None


def _controller(clause: Clause, verb: Token) -> list[Arg]:
    """« X appelle Y à bannir Z », « X demande à Y de céder Z »: an infinitive under a verb of request
    is done by the one asked (object control), not by the one who asks."""
    head = verb.head
    if head.i == verb.i or head.lemma_ not in clause.grammar.control_verbs:
        return []
    if "Inf" not in verb.morph.get("VerbForm", []) or verb.dep_ not in (
        "xcomp",
        "obl",
        "obl:arg",
        "ccomp",
        "obj",
        "advcl",
    ):
        return []
    asked = [
        c
        for c in head.children
        if c.i != verb.i and (c.dep_ == "obj" or preposition(c) in ("à", "au", "aux"))
    ]
    for child in sorted(asked, key=lambda c: c.dep_ != "obj"):
        found = referents(clause, child)
        if found:
            return [Arg(a.token, (*a.steps, f"asked by: {head.lemma_}")) for a in found]
    if head.pos_ in ("VERB", "NOUN"):
        nxt = slot_object(clause, head) if head.pos_ == "VERB" else []
        return [Arg(a.token, (*a.steps, f"asked by: {head.lemma_}")) for a in nxt]
    return []


def described_by_verb(clause: Clause, verb: Token, depth: int = 0) -> list[Arg]:
    """The entity a clause is about: the subject of an active verb, the patient of a passive one,
    the name after an opening participle (« Basé à Caen, le numéro deux Agrial … »)."""
    detached = "Part" in verb.morph.get("VerbForm", []) and not any(
        c.dep_.startswith("aux") or c.dep_ in SUBJECTS for c in verb.children
    )
    if detached:
        opening = _after_opening(clause, verb)
        if opening is not None:
            return [opening]
    if verb.pos_ in ("VERB", "AUX") and is_passive(verb):
        return patient(clause, verb, depth)
    return logical_subject(clause, verb, depth)


def patient(clause: Clause, verb: Token, depth: int = 0) -> list[Arg]:
    """The logical object of a passive verb: its subject, or the noun a participle modifies."""
    found = _explicit_subject(verb)
    if found is not None:
        return [Arg(a.token, (*a.steps, "passive")) for a in referents(clause, found)]
    opening = _after_opening(clause, verb)  # « Racheté en 2021 par Vivendi, l'éditeur Prisma Media … »
    if opening is not None:
        return [opening]
    head = verb.head
    if verb.dep_ in ("acl", "amod", "appos") and head.i != verb.i:
        modified = _modified_noun(clause, verb)
        return (
            [Arg(a.token, (*a.steps, "participle")) for a in referents(clause, modified)] if modified else []
        )
    if verb.dep_ in ("advcl", "advmod") and head.i != verb.i:
        opening = _after_opening(clause, verb)
        if opening is not None:
            return [opening]
        return [Arg(a.token, (*a.steps, "participle")) for a in logical_subject(clause, head, depth + 1)]
    if verb.dep_ == "conj" and head.i != verb.i:
        if head.pos_ in ("VERB", "AUX"):
            found_args = [
                Arg(a.token, (*a.steps, "coordinated verb"))
                for a in described_by_verb(clause, head, depth + 1)
            ]
        else:  # « X, homologue de Y et possédé par Z »
            found_args = [Arg(a.token, (*a.steps, "coordination")) for a in slot_described(clause, head)]
        segment = _apposition_segment(clause, verb)
        if segment is not None and not any(c.dep_.startswith("aux") for c in verb.children):
            return [segment]
        return found_args
    if verb.dep_ == "xcomp" and head.i != verb.i:
        return logical_subject(clause, head, depth + 1)
    before = _name_before_verb(clause, verb)
    return [before] if before is not None else []


def _apposition_segment(clause: Clause, word: Token) -> Arg | None:
    """The name a comma-delimited apposition that holds ``word`` is about:
    « X, homologue de Y et également possédé par Z, … »."""
    doc = clause.doc
    j = word.i - 1
    while j > 0 and doc[j].text != "," and doc[j].pos_ not in ("VERB", "AUX"):
        j -= 1
    if j > 0 and doc[j].text == "," and clause.is_ref(doc[j - 1]):
        return Arg(doc[j - 1], ("apposition",))
    return None


def _after_opening(clause: Clause, word: Token) -> Arg | None:
    """« Basé à Caen, le numéro deux Agrial … », « À la tête de la Société Générale depuis 2023,
    Slawomir Krupa … »: a phrase opening the sentence is said of the first name after the comma
    that closes it."""
    doc = clause.doc
    first = min([word.i, *(t.i for t in word.lefts)])
    if first > 1 or word.dep_ in ("nsubj", "nsubj:pass", "obj"):
        return None
    if any(c.dep_ in SUBJECTS or c.dep_ == "cop" for c in word.children):
        return None  # « L'AJ Auxerre est aux mains de X, et … »: a clause of its own, no opening phrase
    comma = next((t for t in doc[word.i + 1 :] if t.text == ","), None)
    if comma is None or any(
        t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm", []) for t in doc[word.i + 1 : comma.i]
    ):
        return None
    k = comma.i + 1
    while k < min(len(doc), comma.i + 7):
        token = doc[k]
        if clause.is_ref(token) and preposition(token):
            # « Installée à Palo Alto, en Californie, la start-up X »: a place still in the opening
            after = next((t for t in doc[k + 1 : k + 4] if t.text == ","), None)
            if after is None:
                return None
            k = after.i + 1
            continue
        if clause.is_ref(token):
            return Arg(token, ("opening phrase",))
        if token.pos_ in ("VERB", "AUX"):
            return None
        if token.pos_ == "PUNCT":
            return _subject_after_appositions(clause, comma.i)
        k += 1
    return None


def _subject_after_appositions(clause: Clause, comma: int) -> Arg | None:
    """« Créée par X, son directeur général, Y, son directeur médical, et Z, ingénieur, l'entreprise W
    compte … »: an opening phrase whose names carry appositions is said of the first name that
    follows a description and is followed by none (the list's last item opens with « et »)."""
    doc = clause.doc
    end = next((t.i for t in doc[comma + 1 :] if t.text in (";", ":", ".")), len(doc))
    cuts = [comma, *(t.i for t in doc[comma + 1 : end] if t.text == ","), end]
    segments = [doc[a + 1 : b] for a, b in zip(cuts, cuts[1:], strict=False)]

    def description(segment) -> bool:
        return len(segment) > 0 and not any(clause.is_ref(t) or t.pos_ in ("VERB", "AUX") for t in segment)

    for n, segment in enumerate(segments[1:], start=1):
        if not len(segment) or not description(segments[n - 1]) or lower(segment[0]) in ("et", "ou"):
            continue
        first = segment[0]
        if clause.is_ref(first) and not preposition(first):
            if n + 1 < len(segments) and description(segments[n + 1]):
                continue
            return Arg(first, ("opening phrase",))
    return None


def _modified_noun(clause: Clause, participle: Token) -> Token | None:
    """The noun a participle modifies: its head if that is the word right before it (adverbs and a
    comma aside), else that word when it names an entity; the parser often hangs it further away."""
    j = participle.i - 1
    while j >= 0 and (clause.doc[j].pos_ in ("ADV", "ADJ") or clause.doc[j].text == ","):
        j -= 1
    if j < 0:
        return None
    before = clause.doc[j]
    if participle.head.i == before.i or clause.is_ref(before):
        return before
    if (
        participle.head.i < participle.i
        and participle.head.right_edge.i >= j
        and before.pos_ not in ("NOUN", "PROPN")
    ):
        return participle.head
    return None


def _name_before_verb(clause: Clause, verb: Token) -> Arg | None:
    """The name right before a verb group (« X a racheté », « X est déjà lié »), when the parse lost it."""
    doc = clause.doc
    j = verb.i - 1
    while j >= 0 and (
        doc[j].dep_.startswith("aux")
        or doc[j].pos_ in ("ADV", "AUX", "PART")
        or doc[j].dep_ in ("advmod", "fixed")
        and not clause.is_ref(doc[j])  # « a d'abord racheté »
        or doc[j].lower_ in ("se", "s'", "ne", "n'")
    ):
        j -= 1
    if j >= 1 and doc[j].text == ")":  # « la Maif (15 %) et la Macif (25 %) détenaient »
        opening = next((k for k in range(j - 1, max(-1, j - 12), -1) if doc[k].text == "("), None)
        if opening is not None:
            j = opening - 1
    if j >= 1 and doc[j].text == ",":
        # « X, le réseau social américain, a racheté », « X, à la tête de Y, a dévoilé »: the name before
        # the apposition
        k = j - 1
        while k > 0 and doc[k].text != "," and doc[k].pos_ not in ("VERB", "AUX") and j - k < 15:
            k -= 1
        if k > 0 and doc[k].text == "," and clause.is_ref(doc[k - 1]) and not preposition(doc[k - 1]):
            return Arg(doc[k - 1], ("word order",))
        if clause.is_ref(doc[j - 1]) and doc[j - 1].pos_ != "PRON":
            j -= 1
    subject = _explicit_subject(verb)
    if subject is not None and subject.i < j <= subject.right_edge.i:
        # « le géant du luxe LVMH s'offre … » names the subject; in « le patron de Numéricable/SFR met
        # la main sur … » SFR, after a preposition or another name, completes it
        completes = any(c.dep_ == "case" for c in doc[j].children)
        if completes or any(clause.is_ref(t) for t in doc[subject.i + 1 : j]):
            return None
    if j >= 0 and clause.is_ref(doc[j]) and not preposition(doc[j]):
        return Arg(doc[j], ("word order",))
    return None


# -- the slots -------------------------------------------------------------------------------------


def _complements(token: Token) -> Iterator[Token]:
    for child in token.children:
        if child.dep_ in COMPLEMENTS or child.dep_ in ("nsubj", "conj", "flat:name", "dep"):
            yield child


def slot_subject(clause: Clause, trigger: Token) -> list[Arg]:
    if trigger.pos_ in ("VERB", "AUX") and is_passive(trigger):
        return slot_agent(clause, trigger)
    found = logical_subject(clause, trigger)
    if found or trigger.pos_ not in ("VERB", "AUX"):
        return found
    before = _name_before_verb(clause, trigger)
    return [before] if before is not None else []


def slot_object(clause: Clause, trigger: Token) -> list[Arg]:
    if trigger.pos_ in ("VERB", "AUX") and is_passive(trigger):
        return patient(clause, trigger)
    for child in trigger.children:
        if child.dep_ == "obj":
            found = referents(clause, child)
            if found:
                return found
    if trigger.dep_ == "xcomp" and trigger.head.i != trigger.i:
        for child in trigger.head.children:
            if child.dep_ == "obj" and child.i > trigger.i:
                found = referents(clause, child)
                if found:
                    return [Arg(a.token, (*a.steps, "misattached object")) for a in found]
    # a relative pronoun object: « Y, que X a racheté »
    for child in trigger.children:
        if child.dep_ in ("obj", "nsubj") and lower(child) in ("que", "qu'") and child.i < trigger.i:
            return referents(clause, child)
    # the name right after the verb (« a racheté l'assureur X », « possédait aussi, avant cette fusion,
    # X »), the parse having hung it elsewhere
    doc = clause.doc
    j = trigger.i + 1
    if doc[j : j + 3].text.lower() == "à la fois":
        j += 3
    while j < len(doc) and doc[j].pos_ in ("DET", "ADV", "ADJ", "NUM"):
        j += 1
    if j + 1 < len(doc) and doc[j].pos_ == "NOUN" and doc[j].text.islower() and doc[j - 1].pos_ == "DET":
        k = j + 1  # « le concessionnaire autoroutier portugais Brisa »
        while k < len(doc) and doc[k].pos_ == "ADJ" and doc[k].text.islower():
            k += 1
        if k < len(doc) and clause.is_ref(doc[k]):
            j = k
    if j < len(doc) and doc[j].text == ",":
        close = next((k for k in range(j + 1, min(len(doc), j + 8)) if doc[k].text == ","), None)
        if (
            close is not None
            and doc[j + 1].pos_ in ("ADP", "ADV")
            and not any(clause.is_ref(t) for t in doc[j:close])
        ):
            j = close + 1
    if j < len(doc) and clause.is_ref(doc[j]) and not preposition(doc[j]):
        return [Arg(doc[j], ("word order",))]
    return []


def slot_agent(clause: Clause, trigger: Token) -> list[Arg]:
    """« par X »: the agent of a passive verb or of an event noun."""
    candidates = [c for c in trigger.children if c.dep_ == "obl:agent" or preposition(c) == "par"]
    if trigger.pos_ == "NOUN":  # « une levée de 173 millions d'euros menée par X »
        for word in trigger.subtree:
            modifier = word.i > trigger.i and word.dep_ in ("acl", "amod") and word.pos_ in ("VERB", "ADJ")
            if modifier and not any(t.text == "," for t in clause.doc[trigger.i : word.i]):
                candidates += [c for c in word.children if c.dep_ == "obl:agent" or preposition(c) == "par"]
    if not candidates and trigger.pos_ in ("VERB", "AUX"):
        # the agent hung on a neighbour: the first « par X » after the verb in its clause
        start, end = clause_words(trigger)
        for token in clause.doc[trigger.i + 1 : end]:
            if clause.is_ref(token) and preposition(token) == "par":
                candidates.append(token)
                break
    found: list[Arg] = []
    for candidate in sorted(candidates, key=lambda t: t.i):
        found.extend(Arg(a.token, (*a.steps, "passive agent")) for a in referents(clause, candidate))
        if found:
            break
    return found


def slot_prep(clause: Clause, trigger: Token, words: frozenset[str]) -> list[Arg]:
    """The complement of ``trigger`` introduced by one of ``words`` (« dans », « auprès de »); « de »
    stands for its elided form too (« d'une structure », « auprès d'Idinvest »)."""
    words = words | {w[:-2] + "d'" for w in words if w == "de" or w.endswith(" de")}
    places = [trigger]
    if trigger.pos_ in ("NOUN", "ADJ"):
        verb = governing_verb(trigger)
        if verb is not None and (
            verb.lemma_ in clause.grammar.light_verbs
            or trigger.dep_ in ("obj", "xcomp", "nsubj", "nsubj:pass")
        ):
            places.append(verb)  # « a réalisé un investissement dans X » with X hung on the verb
    given = trigger.dep_ == "obj" and trigger.head.lemma_ in clause.grammar.dative_verbs
    for place in places:
        for child in sorted(_complements(place), key=lambda t: t.i):
            if child.i == trigger.i:
                continue
            if given and place is trigger and preposition(child) in ("à", "au", "aux"):
                continue  # « céder son réseau à Free »: the one it is given to, whatever the parse says
            if preposition(child) in words:
                found = referents(clause, child)
                if found:
                    return [
                        Arg(a.token, a.steps if place is trigger else (*a.steps, "light verb")) for a in found
                    ]
    # « en Afrique, où il ambitionne de devenir leader »: the place a relative « où » stands for
    if words & {"en", "à", "au", "aux", "dans"}:
        node = trigger
        for _ in range(4):
            where = [c for c in node.children if lower(c) == "où"]
            if where:
                found = referents(clause, where[0])
                if found:
                    return found
            if node.head.i == node.i:
                break
            node = node.head
    # the words after the trigger in its clause: the first name introduced by one of the words
    # (never « de », which completes any noun on the way)
    words = words - DE
    if not words:
        return []
    start, end = clause_words(trigger)
    doc = clause.doc
    k = trigger.i + 1
    while k < end:
        token = doc[k]
        k += 1
        if token.text == ",":
            if k < end and lower(doc[k]) in words:
                continue  # « deux usines X, à Cholet et à Vannes, … »: the phrase after the comma is it
            close = _incidental_end(doc, token.i)  # « mettre la main, par l'intermédiaire de Y, sur X »
            if close is None:
                break
            k = close + 1
            continue
        if clause.is_ref(token) and preposition(token) in words:
            if given and preposition(token) in ("à", "au", "aux"):
                break  # « céder son réseau à Free »: Free is the verb's, not the network's
            return [Arg(token, ("word order",))]
    return []


def _incidental_end(doc: Doc, comma: int) -> int | None:
    """The comma closing an incidental phrase opened by the comma at ``comma`` with a preposition or
    an adverb (« , par l'intermédiaire de sa filiale, »), or None."""
    if comma + 1 >= len(doc) or doc[comma + 1].pos_ not in ("ADP", "ADV"):
        return None
    return next((k for k in range(comma + 2, min(len(doc), comma + 12)) if doc[k].text == ","), None)


def slot_of(clause: Clause, trigger: Token, depth: int = 0) -> list[Arg]:
    """« de X »: the complement of a noun or adjective (« filiale de X », « PDG d'X »), or of a
    verb phrase's object (« prendre le contrôle de X »)."""
    if trigger.pos_ in ("VERB", "AUX") and not depth:
        for child in trigger.children:
            if child.dep_ == "obj" and child.pos_ == "NOUN":
                found = slot_of(clause, child, depth=1)
                if found:
                    return found
    for child in sorted(trigger.children, key=lambda t: t.i):
        if child.dep_ in ("nmod", "obl", "obl:arg", "obl:mod", "iobj") and preposition(child) in DE:
            found = referents(clause, child)
            if found:
                return found
    nxt = _surface_of(clause, trigger)
    if (
        nxt is not None
        and lower(clause.doc[nxt.i - 1]) in DE
        or (nxt is not None and clause.doc[nxt.i - 1].pos_ == "DET" and lower(clause.doc[nxt.i - 2]) in DE)
    ):
        found = referents(clause, nxt) if nxt is not None else []
        return [Arg(a.token, (*a.steps, "word order")) for a in found]
    for child in trigger.children:  # « fondateur et PDG de X »: the complement of the coordinated noun
        if child.dep_ == "conj" and child.pos_ == "NOUN" and child.i > trigger.i and not depth:
            return [Arg(a.token, (*a.steps, "coordination")) for a in slot_of(clause, child, depth=1)]
    for child in trigger.children:  # « X, dont le siège est à Y »
        if lower(child) == "dont" and child.dep_ in ("nmod", "obl", "obl:arg", "det", "dep"):
            return referents(clause, child)
    if trigger.dep_ in (*SUBJECTS, "obj") and trigger.head.i != trigger.i:
        for child in trigger.head.children:  # « dont le siège se trouve à Y », « dont » hung on the verb
            if lower(child) == "dont" and child.i < trigger.i:
                return referents(clause, child)
    # « PDG à la fois d'EDP et d'EDP Renewables »: the first « de X » after a few words of no weight
    # (and after the agent: « le rachat par X de Y »)
    doc = clause.doc
    for k in range(trigger.i + 1, min(len(doc), trigger.i + 9)):
        word = doc[k]
        if clause.is_ref(word) and preposition(word) == "par":
            continue  # « le rachat par Rockwell Collins de B/E Aerospace »: the agent comes first
        if clause.is_ref(word):
            return [Arg(word, ("word order",))] if preposition(word) in DE else []
        if word.pos_ in ("VERB", "AUX", "PUNCT", "CCONJ", "SCONJ") or (
            word.pos_ == "NOUN" and lower(word) not in ("fois", "chef", "date")  # « à la fois », « en chef »,
            # « de longue date »
        ):
            return []
    return []


def slot_possessor(clause: Clause, trigger: Token) -> list[Arg]:
    """The owner a possessive determiner names: « sa filiale », « son PDG »."""
    for child in trigger.lefts:
        if (
            child.dep_ in ("det", "nmod:poss")
            and "Yes" in child.morph.get("Poss", [])
            and clause.is_ref(child)
        ):
            return [Arg(child, ("possessive",))]
    return []


def slot_light(clause: Clause, trigger: Token) -> list[Arg]:
    """The subject of the light verb that governs an event noun: « X a signé un partenariat »."""
    node = trigger
    steps: tuple[str, ...] = ()
    for _ in range(3):
        head = node.head
        if head.i == node.i:
            return []
        if head.pos_ in ("VERB", "AUX") and head.lemma_ in clause.grammar.light_verbs:
            if node.dep_ in ("obj", "nsubj:pass", "nsubj", "obl:arg", "xcomp") or node.i > head.i:
                step = f"light verb: {head.lemma_}"
                return [Arg(a.token, (*a.steps, *steps, step)) for a in described_by_verb(clause, head)]
            return []
        if head.pos_ == "NOUN" and head.lemma_ in clause.grammar.light_nouns:
            node = head
            steps = (*steps, f"through: {head.lemma_}")
            continue
        if head.pos_ in ("NOUN", "NUM") and node.dep_ == "nmod" and not preposition(node) and head.i < node.i:
            node = head  # « a annoncé le 23 avril le rachat de Y »: the noun hung on the date before it
            continue
        if head.pos_ == "ADJ" and head.dep_ == "xcomp":
            node = head  # « X a rendu officiel un partenariat »: the noun hung on the attribute
            continue
        if node.dep_ == "appos" and head.pos_ in ("NOUN", "NUM") and _after_comma(node):
            node = head  # « X a finalisé, pour 12 milliards, sa prise de contrôle de Y »: the object
            continue  # hung on the incidental phrase before it
        if head.pos_ == "ADV" and node.dep_ in ("obl:arg", "obl", "obl:mod") and _ends_with_de(node):
            node = head  # « X a obtenu 3 millions lors d'un tour de table »
            continue
        return []
    return []


def _ends_with_de(token: Token) -> bool:
    """Whether a complement is introduced by « de » or a phrase ending in it (« lors d'un tour »)."""
    words = preposition(token).split()
    return bool(words) and words[-1] in DE


def slot_described(clause: Clause, trigger: Token) -> list[Arg]:
    """The entity a relation noun or adjective is said of.

    « X, filiale de Y » and « sa filiale X » (apposition), « X est le PDG de
    Y » (copula), « X a été nommé PDG » (appointment), « en tant que PDG de
    Y, X » (capacity), « la start-up X, basée à Y » (modifier), « X, qui est
    PDG de Y » (relative clause); for a verb, the entity its clause is about.
    """
    doc = clause.doc
    if clause.is_ref(trigger):
        return [Arg(trigger, ("kind",))]  # « sa filiale EDF Nouveau Business » read as one name
    if trigger.pos_ in ("VERB", "AUX"):
        return described_by_verb(clause, trigger)
    opening = _after_opening(clause, trigger)
    if opening is not None:
        return [opening]  # « Présent dans 18 pays, Orange … »
    if trigger.pos_ in ("ADP", "ADV") and trigger.dep_ in ("case", "fixed", "advmod"):
        verb = governing_verb(trigger.head)  # « X s'est imposé face à Y »
        return described_by_verb(clause, verb) if verb is not None else []
    before = _name_before(clause, trigger)
    if before is not None and any(
        c.dep_ == "det" and "Yes" in c.morph.get("Poss", []) for c in trigger.lefts
    ):
        return [before]  # « Clément Goehrs, son directeur général, Louis Létinier, … »: the name before
    # the name right after the noun: « sa filiale X », « son PDG, X », « sa filiale spécialisée dans Z, X »
    j = trigger.i + 1
    for child in trigger.rights:
        if child.dep_ in ("amod", "acl") and child.i == j and not clause.is_ref(child):
            j = child.i + 1
            while (
                j < len(doc) and doc[j].text != "," and not clause.is_ref(doc[j]) and j <= child.right_edge.i
            ):
                j += 1
    if j < len(doc) and doc[j].text in (",", ":"):
        j += 1
        while j < len(doc) and doc[j].pos_ == "ADV" or j < len(doc) and lower(doc[j]) in ("sûr", "exemple"):
            j += 1  # « 70 marques : bien sûr X, … », « : notamment X »
    if j < len(doc) and clause.is_ref(doc[j]) and not preposition(doc[j]):
        return [Arg(doc[j], ("apposition",))]
    # « Le patron de LVMH, Bernard Arnault, … »: the name after the noun's own complement
    end = max([trigger.i, *(_phrase_end(c) for c in trigger.rights if preposition(c))])
    named_after = (
        end > trigger.i and end + 2 < len(doc) and doc[end + 1].text == "," and clause.is_ref(doc[end + 2])
    )
    listing = trigger.dep_ == "nmod" and "Plur" in trigger.morph.get("Number", [])  # « de ses marques, A, B »
    if (
        named_after
        and not preposition(doc[end + 2])
        and (trigger.dep_ in ("nsubj", "nsubj:pass", "ROOT", "obj", "appos") or listing)
    ):
        return [Arg(doc[end + 2], ("apposition",))]
    # the noun in apposition to a name: « X, filiale de Y »
    if trigger.dep_ in ("appos", "nmod", "acl", "amod", "dep", "conj") and trigger.head.i < trigger.i:
        head = trigger.head
        if preposition(trigger) == "" and (clause.is_ref(head) or head.pos_ == "PRON"):
            found = referents(clause, head)
            if found:
                return [Arg(a.token, (*a.steps, "apposition")) for a in found]
    # « l'arrivée de X à la direction de Y »: the noun that brings the person in
    head = trigger.head
    if (
        head.pos_ == "NOUN"
        and head.lemma_ in clause.grammar.light_nouns
        and preposition(trigger) in ("à", "au", "aux")
    ):
        for child in head.children:
            if child.i < trigger.i and preposition(child) in DE:
                found = referents(clause, child)
                if found:
                    return [Arg(a.token, (*a.steps, f"through: {head.lemma_}")) for a in found]
    # « dont le propriétaire officiel reste X », « le PDG est X »: the noun is the subject of a copula
    if trigger.dep_ in ("nsubj", "nsubj:pass") and trigger.head.lemma_ in (
        "être",
        "rester",
        "devenir",
        "demeurer",
    ):
        for child in trigger.head.children:
            if child.i > trigger.i and child.dep_ in (
                "xcomp",
                "obj",
                "attr",
                "obl:arg",
                "ROOT",
                "nmod",
                "appos",
            ):
                found = referents(clause, child)
                if found:
                    return [Arg(a.token, (*a.steps, "copula")) for a in found]
    subject_of_name = trigger.dep_ in ("nsubj", "nsubj:pass") and clause.is_ref(trigger.head)
    if subject_of_name and trigger.head.i > trigger.i and any(c.dep_ == "cop" for c in trigger.head.children):
        return [Arg(trigger.head, ("copula",))]  # « le PDG est X » parsed with X as the root
    # copula or appointment: « X est PDG de Y », « X devient le partenaire de Y », « X a été nommé PDG »
    for child in trigger.children:
        if child.dep_ in ("nsubj", "nsubj:pass") and any(c.dep_ == "cop" for c in trigger.children):
            found = referents(clause, child)
            if found:
                return [Arg(a.token, (*a.steps, "copula")) for a in found]
    if trigger.dep_ == "obj" and trigger.head.lemma_ in COPULAR_OBJECT_VERBS:
        # « le Japon représente le deuxième marché du groupe »: the verb says what its subject is
        return [Arg(a.token, (*a.steps, "copula")) for a in logical_subject(clause, trigger.head)]
    if (
        trigger.dep_ == "conj"
        and trigger.head.lemma_ in COPULAS
        and not any(c.dep_ in SUBJECTS for c in trigger.children)
    ):  # « X restera ainsi fidèle à Y », the attribute parsed as a coordinated word
        return [Arg(a.token, (*a.steps, "copula")) for a in described_by_verb(clause, trigger.head)]
    if trigger.dep_ in ("xcomp", "obj", "obl:arg", "obl", "obl:mod", "ccomp"):
        head = trigger.head
        capacity = preposition(trigger) in clause.grammar.capacity_words
        placed = preposition(trigger) not in ("", "de", "du", "des", "par", "avec", "pour", "contre", "sur")
        if head.pos_ in ("VERB", "AUX") and (
            head.lemma_ in clause.grammar.appoint_verbs or capacity or placed
        ):
            if head.lemma_ in clause.grammar.appoint_verbs and not is_passive(head):
                objects = [c for c in head.children if c.dep_ == "obj" and c.i != trigger.i]
                if objects and head.lemma_ not in ("devenir", "rester", "être", "demeurer", "redevenir"):
                    return [Arg(a.token, (*a.steps, "appointment")) for a in referents(clause, objects[0])]
            step = (
                "capacity"
                if capacity
                else "copula"
                if head.lemma_ in ("être", "devenir", "rester")
                else "appointment"
            )
            return [Arg(a.token, (*a.steps, step)) for a in described_by_verb(clause, head)]
    if trigger.dep_ == "conj" and trigger.head.pos_ in ("NOUN", "ADJ") and trigger.head.i < trigger.i:
        found = slot_described(clause, trigger.head)  # « X est actionnaire de Y et à la tête de Z »
        if found:
            return [Arg(a.token, (*a.steps, "coordination")) for a in found]
    if trigger.dep_ == "ROOT" or trigger.dep_ == "conj":
        for child in trigger.children:
            if child.dep_ in ("nsubj",):
                found = referents(clause, child)
                if found:
                    return [Arg(a.token, (*a.steps, "copula")) for a in found]
    before = _name_before(clause, trigger)
    if before is not None:
        return [before]
    if trigger.pos_ == "ADJ" and trigger.dep_ in ("amod", "acl") and trigger.head.i != trigger.i:
        return [Arg(a.token, (*a.steps, "modifier")) for a in referents(clause, trigger.head)]
    if trigger.dep_ == "advcl" and trigger.head.i != trigger.i:
        return [Arg(a.token, (*a.steps, "participle")) for a in described_by_verb(clause, trigger.head)]
    return []


def _name_before(clause: Clause, trigger: Token) -> Arg | None:
    """The name an apposition follows: « X, filiale de Y », « X, à la tête de Y », « X (Y), numéro un ».

    A name introduced by a preposition counts only before a bare or possessive apposition (« … avec
    Eurial, propriétaire de Soignon », « par X, son directeur général »), not before a noun phrase
    with an article (« Déjà propriétaire de Libération, le patron de Numéricable … »).
    """
    doc = clause.doc
    first = trigger.i  # the noun and the words right before it that modify it (« son directeur »)
    while first > 0 and doc[first - 1].head.i == trigger.i and doc[first - 1].dep_ in MODIFIER_DEPS:
        first -= 1
    k = first - 1
    if k < 1 or doc[k].text != ",":
        return None
    bare = not any(c.dep_ == "det" and "Yes" not in c.morph.get("Poss", []) for c in trigger.lefts)
    k -= 1
    if doc[k].text == ")":  # « X (Y), numéro un de … »
        while k > 0 and doc[k].text != "(":
            k -= 1
        k -= 1
    if k >= 0 and clause.is_ref(doc[k]) and (bare or not preposition(doc[k])):
        return Arg(doc[k], ("apposition",))
    return None


def slot_between(clause: Clause, trigger: Token) -> list[Arg]:
    """« entre X et Y »: the first name after « entre » and those coordinated with it."""
    for token in clause.doc[trigger.i + 1 : clause_words(trigger)[1]]:
        if clause.is_ref(token) and preposition(token) == "entre":
            return conjuncts(clause, token)
    return []


def slot_parenthesis(clause: Clause, trigger: Token) -> list[Arg]:
    """The name alone inside the parentheses ``trigger`` opens: « Zara (Inditex) »; not a short form
    of the name before them (« Air Calédonie International (AirCalin) »: same first letter)."""
    doc = clause.doc
    j = trigger.i + 1
    before = doc[trigger.i - 1] if trigger.i > 0 else None
    if before is not None and lower(before)[:1] == lower(doc[min(j, len(doc) - 1)])[:1]:
        return []
    if j + 1 < len(doc) and clause.is_ref(doc[j]) and doc[j + 1].text == ")":
        return [Arg(doc[j], ("parentheses",))]
    return []


def slot_before(clause: Clause, trigger: Token) -> list[Arg]:
    """The name right before ``trigger`` (no word between)."""
    j = trigger.i - 1
    if j >= 0 and clause.is_ref(clause.doc[j]) and not (j > 0 and clause.doc[j - 1].pos_ == "NOUN"):
        return [Arg(clause.doc[j], ("parentheses",))]
    return []


def slot_complement(clause: Clause, trigger: Token) -> list[Arg]:
    """The name a prepositional trigger introduces: « face à Temu » (the parse makes « face » hang on
    its complement), or the « de » complement of a noun it introduces (« face à la concurrence de Temu »)."""
    if trigger.dep_ in ("case", "fixed", "mark", "advmod") and trigger.head.i > trigger.i:
        found = referents(clause, trigger.head)
        if found:
            return found
        return slot_of(clause, trigger.head)
    return []


def slot_owner(clause: Clause, trigger: Token) -> list[Arg]:
    """The name right after a noun of a site, without preposition: « deux usines Michelin », « le
    magasin Ikea de Lyon » (after a kind noun the name is the thing itself: « le groupe X »)."""
    if fold(trigger.lemma_) in clause.kind_nouns or fold(trigger.text) in clause.kind_nouns:
        return []
    j = trigger.i + 1
    if j < len(clause.doc) and clause.is_ref(clause.doc[j]) and not preposition(clause.doc[j]):
        return [Arg(clause.doc[j], ("owner",))]
    return []


def slot_maker(clause: Clause, trigger: Token) -> list[Arg]:
    """Who makes or sells a product: the subject of the verb of making (``make_verbs``) that
    governs the product noun (« X fabrique les yaourts Y », « … vendus sous la marque Y »)."""
    makes = clause.grammar.make_verbs
    verb = governing_verb(trigger)
    while verb is not None and (verb.dep_ == "acl" or verb.dep_ == "conj" and verb.lemma_ not in makes):
        # « des pâtisseries surgelées (vendues) sous la marque Y »: up to the verb that has a maker
        above = governing_verb(verb)
        if above is None and verb.lemma_ in makes:
            break
        verb = above
    if verb is None or verb.lemma_ not in makes:
        return []
    return [Arg(a.token, (*a.steps, f"made by: {verb.lemma_}")) for a in described_by_verb(clause, verb)]


def slot_main(clause: Clause, trigger: Token) -> list[Arg]:
    """The article's main organisation, for a title with no complement (« le PDG, X, a dit »)."""
    if clause.main is None:
        return []
    return [Arg(trigger, ("main entity of the article",), clause.main)]


def fill(clause: Clause, trigger: Token, slot: str) -> list[Arg]:
    """The tokens that fill ``slot`` of ``trigger`` (before coordination)."""
    if slot.startswith("prep:"):
        return slot_prep(clause, trigger, frozenset(slot[5:].split("|")))
    return SLOTS[slot](clause, trigger)


SLOTS = {
    "subject": slot_subject,
    "object": slot_object,
    "agent": slot_agent,
    "of": slot_of,
    "possessor": slot_possessor,
    "light": slot_light,
    "described": slot_described,
    "between": slot_between,
    "main": slot_main,
    "owner": slot_owner,
    "maker": slot_maker,
    "parenthesis": slot_parenthesis,
    "before": slot_before,
    "complement": slot_complement,
}
