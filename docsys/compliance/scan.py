"""Regex scans that start from a literal: a pattern opening with a look-behind or a group
is tried by ``re`` at every character of a text, in Python's regex loop; an alternation of
literals (the places where a match may start) is found in C, several times faster. The
compliance readers (citation heads, locators, operative verbs) scan whole norms this way."""
from __future__ import annotations

import re
from typing import Iterator

LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
WORD_CHARS = LETTERS | frozenset("0123456789")


def word_matches(starts: re.Pattern, pattern: re.Pattern, folded: str,
                 word_chars: frozenset[str] = WORD_CHARS) -> Iterator[re.Match]:
    """``pattern.finditer(folded)`` for a pattern that matches only at a word start: it is
    tried where ``starts`` finds one of its beginnings not preceded by ``word_chars``, and
    its matches do not overlap."""
    end = 0
    for start in starts.finditer(folded):
        pos = start.start()
        if pos < end or (pos and folded[pos - 1] in word_chars):
            continue
        match = pattern.match(folded, pos)
        if match is not None:
            end = match.end()
            yield match
