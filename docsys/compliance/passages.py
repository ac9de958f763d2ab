"""The passages two texts share, word for word (accents and case aside).

Used to show *why* an existing norm looks like the text being checked: the runs of at
least ``MIN_WORDS`` words they have in common, longest first. Runs are found from
``SEED``-word shingles of one text looked up in the other, then extended, so the cost is
linear in the length of both texts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from docsys.compliance.folding import fold

SEED = 6
MIN_WORDS = 8
MAX_PASSAGE_CHARS = 400
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Run:
    """``words`` words in common: from word ``a`` of the first text, ``b`` of the second."""

    a: int
    b: int
    words: int


@dataclass(frozen=True)
class Words:
    """A text cut into folded words, with each word's character span."""

    text: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> "Words":
        folded = fold(text)
        matches = list(_WORD.finditer(folded))
        return cls(text, tuple(m.group() for m in matches), tuple(m.span() for m in matches))

    def snippet(self, first: int, count: int) -> str:
        start, end = self.spans[first][0], self.spans[first + count - 1][1]
        piece = " ".join(self.text[start:end].split())
        if len(piece) > MAX_PASSAGE_CHARS:
            piece = piece[:MAX_PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
        return piece


def common_runs(a: Words, b: Words, min_words: int = MIN_WORDS) -> list[Run]:
    """Maximal runs of words of ``a`` found in ``b``, in the order of ``a``."""
    if len(a.words) < min_words or len(b.words) < min_words:
        return []
    seeds: dict[tuple[str, ...], int] = {}
    bw = b.words
    for j in range(len(bw) - SEED + 1):
        seeds.setdefault(bw[j:j + SEED], j)
    aw = a.words
    runs = []
    i = 0
    while i <= len(aw) - SEED:
        j = seeds.get(aw[i:i + SEED])
        if j is None:
            i += 1
            continue
        n = SEED
        while i + n < len(aw) and j + n < len(bw) and aw[i + n] == bw[j + n]:
            n += 1
        if n >= min_words:
            runs.append(Run(i, j, n))
        i += n
    return runs


def coverage(runs: list[Run], total_words: int) -> float:
    """Share of the first text's words inside the runs."""
    return sum(r.words for r in runs) / total_words if total_words else 0.0
