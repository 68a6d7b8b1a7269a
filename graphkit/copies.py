"""Wire copies: the same story republished by several outlets, found so that it is read once.

Two documents are copies when their texts, normalised (lowercase, no
accents, words only), share most of their five-word shingles: an estimated
Jaccard similarity of :data:`THRESHOLD` or more. A different headline or an
added closing paragraph leaves a long article above it; two articles on the
same event written apart stay well below. Texts of fewer than
:data:`MIN_WORDS` words are never folded (briefs and notes are too short to
tell a copy from a coincidence).

The estimate is a bottom-k sketch: the :data:`SKETCH` smallest shingle hashes
of each text (BLAKE2b, so the same on every run and machine), exact for texts
of fewer shingles. Candidates are found through an index of each text's
:data:`ANCHORS` smallest hashes; a copy shares most of them with its original.
A hash listing :data:`MAX_POSTINGS` stories is boilerplate (a footer, a
template): it lists no more, and later stories take their next smallest hash
as anchor instead. Only the :data:`CANDIDATES` stories sharing the most
anchors are compared (an anchor counts less the more stories it lists), so
the work per text is bounded and grows linearly with the corpus; memory too,
about 1 kB a story.
Documents arrive sorted by name; the first of a story is read, the later
ones are its copies.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from array import array
from dataclasses import dataclass, field

from graphkit.textprep import fold_same_length

__all__ = [
    "THRESHOLD",
    "MIN_WORDS",
    "SHINGLE",
    "SKETCH",
    "ANCHORS",
    "MAX_POSTINGS",
    "CANDIDATES",
    "CopyFinder",
    "sketch",
    "similarity",
]

THRESHOLD = 0.8
MIN_WORDS = 50
SHINGLE = 5
SKETCH = 128
ANCHORS = 8
MAX_POSTINGS = 64
CANDIDATES = 32

_WORD = re.compile(r"\w+")


Sketch = array  # of unsigned 64-bit hashes ("Q"), sorted


def sketch(text: str) -> Sketch | None:
    """The sorted :data:`SKETCH` smallest shingle hashes of ``text``, or None when it is too short.

    >>> sketch("trop court") is None, len(sketch(" ".join(f"mot{i}" for i in range(200))))
    (True, 128)
    """
    words = _WORD.findall(fold_same_length(text))
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in shingles)
    return array("Q", heapq.nsmallest(SKETCH, hashes))


def similarity(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity of two texts from their sketches.

    >>> text = " ".join(f"mot{i}" for i in range(300))
    >>> similarity(sketch(text), sketch(text + " et un paragraphe de plus à la fin")) > 0.9
    True
    >>> similarity(sketch(text), sketch(" ".join(f"autre{i}" for i in range(300))))
    0.0
    """
    union = sorted(set(a) | set(b))[:SKETCH]
    both = set(a) & set(b)
    return sum(1 for h in union if h in both) / len(union)


@dataclass
class CopyFinder:
    """Remembers the stories seen so far; :meth:`original` says which one a new text copies."""

    sketches: dict[str, Sketch] = field(default_factory=dict)
    anchors: dict[int, list[str]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)

    def original(self, name: str, text: str) -> str | None:
        """The name of the earlier document ``text`` copies, else None (and ``text`` is remembered)."""
        mine = sketch(text)
        if mine is None:
            return None
        scanned = self._scan(mine)
        shared: dict[str, float] = {}  # anchors shared, each counting less the more stories it lists
        for h in scanned:
            stories = self.anchors.get(h, ())
            for other in stories:
                shared[other] = shared.get(other, 0.0) + 1 / len(stories)
        candidates = sorted(shared, key=lambda other: (-shared[other], self.order[other]))[:CANDIDATES]
        best, best_score = None, THRESHOLD
        for other in sorted(candidates, key=self.order.__getitem__):  # the earliest story wins a tie
            score = similarity(mine, self.sketches[other])
            if score > best_score or (best is None and score >= best_score):
                best, best_score = other, score
        if best is not None:
            return best
        self.sketches[name] = mine
        self.order[name] = len(self.order)
        for h in scanned:
            stories = self.anchors.setdefault(h, [])
            if len(stories) < MAX_POSTINGS:
                stories.append(name)
        return None

    def _scan(self, mine: Sketch) -> list[int]:
        """A sketch's smallest hashes, up to its :data:`ANCHORS`-th whose list of stories is not full.

        Those are its anchors; the full ones before them are boilerplate, still looked up (an
        earlier story may be listed there) but not added to.
        """
        scanned, anchors = [], 0
        for h in mine:
            scanned.append(h)
            anchors += len(self.anchors.get(h, ())) < MAX_POSTINGS
            if anchors == ANCHORS:
                break
        return scanned
