"""Accent- and case-insensitive matching that keeps character offsets.

The patterns of this package run on a *folded* copy of the text: lower case, accents
stripped, odd spaces made plain. Folding maps every character to exactly one character,
so a match at ``folded[i:j]`` is the span ``text[i:j]`` of the original, with no offset
tables. "°" and "º" stay as they are: they tell number markers ("N°") from the word "no".

The search layer's :func:`search.analysis.fold_in_place` does the common part (lower case,
the accented letters of Spanish) fast; what it leaves — no-break and thin spaces from word
processors, form feeds, letters of other languages ("ã") — is folded here, one character
for one.
"""
from __future__ import annotations

import re
import unicodedata

from search.analysis import fold_in_place


class _FoldTable(dict):
    """``str.translate`` table filled on first use of each character."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        if char in "\n\r\t":
            folded = char
        elif char.isspace():
            folded = " "                      # no-break and thin spaces from word processors
        else:
            lower = char.lower()
            if len(lower) != 1:
                lower = char                  # its lower case is longer: kept
            base = unicodedata.normalize("NFD", lower)[0]
            folded = base if not unicodedata.combining(base) else char
        self[code] = ord(folded)
        return self[code]


_TABLE = _FoldTable()
# What fold_in_place leaves to the table: every character outside ASCII (most are "°",
# quotes and dashes, which the table keeps), and the ASCII spaces other than " \n\r\t"
# (form feeds between the pages of a PDF).
_LEFT_OVER = re.compile(r"[^\x00-\x0a\x0d-\x1b\x20-\x7f]")


def _fold_left_over(match: re.Match) -> str:
    return match.group().translate(_TABLE)


def fold(text: str) -> str:
    """'RESOLUCIÓN DE ALCALDÍA N° 5' -> 'resolucion de alcaldia n° 5', same length."""
    folded = fold_in_place(text)
    if folded is None:                        # a character whose lower case is longer
        return text.translate(_TABLE)
    return _LEFT_OVER.sub(_fold_left_over, folded)
