"""Co-occurrence: two entities named in one sentence are linked, once per sentence."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from graphkit.model import DocResult

__all__ = ["sentence_pairs"]


def sentence_pairs(result: DocResult, keys: Sequence[str | None]) -> Iterator[tuple[str, str, int]]:
    """``(a, b, sentence index)`` for each pair of distinct entities named in a sentence.

    ``keys[i]`` is the entity key of mention ``i`` (None for a mention that
    names no entity). Pairs are sorted (``a < b``) and each comes once per
    sentence, however often the two entities are named in it.

    >>> from graphkit.model import Mention, DocResult, Sentence
    >>> m = [Mention("A", "ORG", 0, 1, 0), Mention("B", "ORG", 2, 3, 0), Mention("A", "ORG", 4, 5, 0)]
    >>> r = DocResult("d", (), (Sentence(0, 5, "A B A"),), tuple(m), ())
    >>> list(sentence_pairs(r, ["a", "b", "a"]))
    [('a', 'b', 0)]
    """
    by_sentence: dict[int, set[str]] = {}
    for mention, key in zip(result.mentions, keys, strict=True):
        if key is not None:
            by_sentence.setdefault(mention.sent, set()).add(key)
    for sent in sorted(by_sentence):
        names = sorted(by_sentence[sent])
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                yield a, b, sent
