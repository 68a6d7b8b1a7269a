"""Whether a relation is stated as a fact, and who it is attributed to.

:func:`modality` reads the clause around a relation's trigger word: negation
(« n'a pas racheté », « non plus par Y »), the conditional, a condition
(« si », « dans l'hypothèse où »), a head of wish, plan, request or
possibility (« souhaite racheter », « appelle Y à bannir X », « le projet de
rachat »), a negative head (« renonce à racheter », « l'expiration du
contrat ») or a question. An announced future (« va racheter »,
« rachètera ») is a fact. :func:`attribution` finds the source a sentence
names (« selon X », « d'après X », « X a indiqué que… », « …, a précisé X »).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from graphkit.extract.tree import Clause, _apposition_segment, lower, preposition

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["modality", "attribution"]

NEGATED = "negated"
HYPOTHETICAL = "hypothetical"
VERB_LINKS = frozenset(
    {"xcomp", "ccomp", "obj", "obl", "obl:arg", "obl:mod", "advcl", "csubj", "iobj", "conj"}
)
NOUN_LINKS = frozenset({"obj", "obl", "obl:arg", "obl:mod", "nmod", "nsubj", "nsubj:pass", "xcomp"})


def _chain(trigger: Token, clause: Clause, words: Mapping[str, frozenset[str]]) -> list[Token]:
    """The trigger and the heads whose mood, polarity or meaning its statement depends on.

    From a verb: up through complement clauses (``xcomp``, ``ccomp``, an
    infinitive object or oblique, a coordinated verb) for three steps, but not
    from a detached past participle (« Implanté dans 140 villes, X pourra … »
    takes the implantation as given) nor from an adverbial clause in the
    indicative (« quand X a racheté Y, … » states the purchase). From a
    noun: up to the light verb that states it, a noun of plan or failure that
    governs it (« le projet de rachat »), or through a relative clause to
    the noun it describes (« l'expiration du contrat qui liait X à Y »).
    """
    heads = words.get("hypothetical_heads", frozenset()) | words.get("negative_heads", frozenset())
    chain = [trigger]
    token = trigger
    for _ in range(4):
        head = token.head
        if head.i == token.i:
            break
        if token.dep_ == "acl:relcl":
            chain.append(head)
            token = head
            continue
        if token.pos_ in ("VERB", "AUX"):
            if token.dep_ not in VERB_LINKS or token.dep_ == "conj" and head.pos_ not in ("VERB", "AUX"):
                break
            if token.dep_ == "conj" and _apposition_segment(clause, token) is not None:
                break  # « X, homologue de Y et possédé par Z »: said of X, whatever the clause says
            if token.dep_ == "advcl" and _detached_participle(token):
                break  # « Implanté dans 140 villes, X pourra … »: a state the clause takes as given
            if token.dep_ == "advcl" and _indicative(token):
                break  # « quand X a racheté Y, … »: an adverbial clause in the indicative states a fact
        elif token.dep_ in NOUN_LINKS:
            lemma = head.lemma_.lower()
            if not (
                lemma in clause.grammar.light_verbs or lemma in heads or lemma in clause.grammar.light_nouns
            ):
                break
        else:
            break
        chain.append(head)
        token = head
    return chain


def _detached_participle(verb: Token) -> bool:
    """A past participle with no auxiliary: « Implanté dans 140 villes, … », « Racheté en 2019, … »."""
    morph = verb.morph
    return (
        "Part" in morph.get("VerbForm", [])
        and "Past" in morph.get("Tense", [])
        and not any(c.dep_.startswith("aux") for c in verb.children)
    )


def _indicative(verb: Token) -> bool:
    """Whether a verb is finite in the indicative, itself or through its auxiliary (« a racheté »)."""
    auxiliaries = [c for c in verb.children if c.dep_.startswith("aux")]
    return any("Ind" in w.morph.get("Mood", []) for w in (verb, *auxiliaries))


def _negated_here(word: Token, words: Mapping[str, frozenset[str]]) -> bool:
    children = {lower(c) for c in word.children}
    negators = words.get("negators", frozenset())
    if children & words.get("negation_words", frozenset()):
        return word.pos_ in ("VERB", "AUX", "ADJ") or bool(children & negators)
    return bool(children & negators) and word.pos_ in ("VERB", "AUX") and "ne" in children | {"n'"} & children


def _argument_negated(arg: Token, words: Mapping[str, frozenset[str]]) -> bool:
    """« et non plus par Nike », « mais pas Y »: a negation right before one argument."""
    doc = arg.doc
    negators = words.get("negators", frozenset()) | {"non"}
    j = arg.i - 1
    seen = 0
    while j >= 0 and seen < 4:
        word = lower(doc[j])
        if word in negators:
            return True
        if doc[j].pos_ not in ("ADP", "DET", "ADV") and word not in (",",):
            return False
        j -= 1
        seen += 1
    return False


def modality(
    clause: Clause, trigger: Token, arguments: Iterable[Token], words: Mapping[str, frozenset[str]]
) -> str | None:
    """``"negated"``, ``"hypothetical"`` or None for a relation stated at ``trigger``."""
    if any(_argument_negated(arg, words) for arg in arguments):
        return NEGATED
    chain = _chain(trigger, clause, words)
    negative = words.get("negative_heads", frozenset())
    hypothetical = words.get("hypothetical_heads", frozenset())
    for position, word in enumerate(chain):
        if _negated_here(word, words):
            return NEGATED
        if position and word.lemma_.lower() in negative:
            return NEGATED
    phrases = words.get("hypothesis_phrases", frozenset())
    modifiers = words.get("hypothetical_modifiers", frozenset())
    for position, word in enumerate(chain):
        auxiliaries = [c for c in word.children if c.dep_.startswith("aux")]
        if any("Cnd" in w.morph.get("Mood", []) for w in (word, *auxiliaries)):
            return HYPOTHETICAL
        if any(c.dep_ == "mark" and lower(c) in phrases for c in word.children):
            return HYPOTHETICAL
        if any(
            c.dep_ == "advcl" and any(m.dep_ == "mark" and lower(m) in phrases for m in c.children)
            for c in word.children
        ):
            return HYPOTHETICAL
        if position and word.lemma_.lower() in hypothetical:
            return HYPOTHETICAL
        if any(c.dep_ == "amod" and c.lemma_.lower() in modifiers for c in word.children):
            return HYPOTHETICAL
    if _in_hypothesis(trigger, phrases):
        return HYPOTHETICAL
    if clause.doc.text.rstrip().endswith("?"):
        return HYPOTHETICAL
    return None


def _in_hypothesis(trigger: Token, phrases: frozenset[str]) -> bool:
    """« dans l'hypothèse où X rachèterait Y », « si X rachète Y »: the clause opens with a condition."""
    doc = trigger.doc
    start = trigger.i
    while start > 0 and doc[start - 1].text not in (",", ";", ":", ".") and trigger.i - start < 12:
        start -= 1
    opening = " ".join(lower(t) for t in doc[start : trigger.i])
    return any(
        opening == p or opening.startswith(p + " ") or f" {p} " in f" {opening} " for p in phrases if " " in p
    ) or (start < trigger.i and _conditional_si(doc[start]))


def _conditional_si(token: Token) -> bool:
    """« si », or « s' » elided before « il(s) » (« s'il rachète »), not the reflexive « s'était »."""
    word = lower(token)
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return word == "si" or (word == "s'" and after is not None and lower(after) in ("il", "ils"))


def attribution(clause: Clause, trigger: Token, words: Mapping[str, frozenset[str]]) -> Token | None:
    """The token of the source a sentence attributes the statement at ``trigger`` to, if any."""
    doc = clause.doc
    prepositions = words.get("prepositions", frozenset())
    for token in doc:
        if clause.is_ref(token) and preposition(token) in prepositions:
            return token
    speech = words.get("speech_verbs", frozenset())
    node = trigger
    for _ in range(5):
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in speech:
            return _speaker(clause, head)
        node = head
    root = node
    for child in root.children:
        if (
            child.dep_ in ("parataxis", "conj", "advcl")
            and child.lemma_.lower() in speech
            and child.i > trigger.i
        ):
            return _speaker(clause, child)
    if root.lemma_.lower() in speech and root.i != trigger.i:
        for child in root.children:
            if child.dep_ in ("ccomp", "parataxis", "conj") and trigger.i in [t.i for t in child.subtree]:
                return _speaker(clause, root)
    return None


def _speaker(clause: Clause, verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubj:pass") and clause.is_ref(child):
            return child
    return None
