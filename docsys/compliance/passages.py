"""The passages two texts share, word for word (accents and case aside).

Used to show *why* an existing norm looks like the text being checked: the runs of at
least ``MIN_WORDS`` words they have in common, longest first. Runs are found from
``SEED``-word shingles of one text looked up in the other, then extended, so the cost is
linear in the length of both texts.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from search.folding import fold
from search.analysis import WORD_RE

SEED = 6
MIN_WORDS = 8
MAX_PASSAGE_CHARS = 400


@dataclass(frozen=True)
class Run:
    """``words`` words in common: from word ``a`` of the first text, ``b`` of the second."""

    a: int
    b: int
    words: int


@dataclass(frozen=True)
class Words:
    """A text cut into folded words; character spans and shingles worked out when asked."""

    text: str
    folded: str
    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "Words":
        folded = fold(text)
        return cls(text, folded, tuple(WORD_RE.findall(folded)))

    @cached_property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return tuple(m.span() for m in WORD_RE.finditer(self.folded))

    @cached_property
    def seeds(self) -> tuple[tuple[str, ...], ...]:
        """The ``SEED``-word shingle starting at each word."""
        w = self.words
        return tuple(w[i:i + SEED] for i in range(len(w) - SEED + 1))

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
    for index, shingle in enumerate(b.seeds):
        seeds.setdefault(shingle, index)
    aw, bw, a_seeds = a.words, b.words, a.seeds
    runs = []
    i = 0
    while i < len(a_seeds):
        j = seeds.get(a_seeds[i])
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

