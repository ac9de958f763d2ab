"""Accent- and case-insensitive matching that keeps character offsets.

The patterns of this package run on a *folded* copy of the text: lower case, accents
stripped, odd spaces made plain. Folding maps every character to exactly one character,
so a match at ``folded[i:j]`` is the span ``text[i:j]`` of the original, with no offset
tables. Characters whose lower case is longer than one character keep their original.
"°" and "º" stay as they are: they tell number markers ("N°") from the word "no".
"""
from __future__ import annotations

import unicodedata


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
                lower = char
            base = unicodedata.normalize("NFD", lower)[0]
            folded = base if not unicodedata.combining(base) else char
        self[code] = ord(folded)
        return self[code]


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """'RESOLUCIÓN DE ALCALDÍA N° 5' -> 'resolucion de alcaldia n° 5', same length."""
    return text.translate(_TABLE)
