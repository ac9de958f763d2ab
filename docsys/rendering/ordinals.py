"""Spanish ordinal words and long dates, as written in Peruvian official documents.

Ordinals are upper case with accents and use the composed form customary in municipal
resolutions: 11 → "DÉCIMO PRIMERO", 21 → "VIGÉSIMO PRIMERO", 101 → "CENTÉSIMO PRIMERO".
"""
from __future__ import annotations

import datetime as _dt

MAX_ORDINAL = 999

_UNITS = ("", "PRIMERO", "SEGUNDO", "TERCERO", "CUARTO", "QUINTO",
          "SEXTO", "SÉPTIMO", "OCTAVO", "NOVENO")
_TENS = ("", "DÉCIMO", "VIGÉSIMO", "TRIGÉSIMO", "CUADRAGÉSIMO", "QUINCUAGÉSIMO",
         "SEXAGÉSIMO", "SEPTUAGÉSIMO", "OCTOGÉSIMO", "NONAGÉSIMO")
_HUNDREDS = ("", "CENTÉSIMO", "DUCENTÉSIMO", "TRICENTÉSIMO", "CUADRINGENTÉSIMO",
             "QUINGENTÉSIMO", "SEXCENTÉSIMO", "SEPTINGENTÉSIMO", "OCTINGENTÉSIMO",
             "NONINGENTÉSIMO")

MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "setiembre", "octubre", "noviembre", "diciembre")
"""Month names as the Peruvian public administration writes them ("setiembre")."""


def ordinal_upper(number: int) -> str:
    """The masculine ordinal word of ``number`` (1–999), upper case with accents."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError("number must be an int")
    if not 1 <= number <= MAX_ORDINAL:
        raise ValueError(f"ordinal out of range 1..{MAX_ORDINAL}: {number}")
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = [_HUNDREDS[hundreds], _TENS[tens], _UNITS[units]]
    return " ".join(word for word in words if word)


def ordinal_upper_feminine(number: int) -> str:
    """The feminine ordinal ("PRIMERA", "DÉCIMA SEGUNDA") used for disposiciones."""
    return " ".join(word[:-1] + "A" if word.endswith("O") else word
                    for word in ordinal_upper(number).split())


def parse_iso_date(value) -> _dt.date | None:
    """A date from an ISO "YYYY-MM-DD" string (or a date); None when empty or invalid."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return _dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def long_date(value) -> str:
    """"12 de marzo de 2024" from a date or an ISO date string; "" when it is not a date."""
    date = parse_iso_date(value)
    if date is None:
        return ""
    return f"{date.day} de {MONTHS[date.month - 1]} de {date.year}"
