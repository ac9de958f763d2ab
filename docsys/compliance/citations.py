"""Citations of norms in Peruvian municipal documents, with canonical ids.

``extract_citations(text)`` finds "la Ley N° 27972", "el numeral 6 del artículo 20 de la
Ley Orgánica de Municipalidades", "Ordenanzas N° 012-2019-MDM y 015-2020-MDM", "D.S.
N° 004-2019-JUS"... in any case, with or without accents, and returns one
:class:`Citation` per norm mentioned, with the articles cited.

Canonical ids (``canonical_id_for``) — one string per norm, whatever the spelling:

* national laws and legislative decrees number without a year: ``LEY-27972``,
  ``DLEG-1440``, ``DLEY-25967`` (decreto ley);
* a TUO keys on the norm it orders: ``TUO-LEY-27444`` (the supreme decree approving it is
  a citation of its own: ``DS-4-2019-JUS``);
* supreme decrees and national resolutions (ministerial, viceministerial, suprema,
  de Contraloría, de Superintendencia, directoral, jefatural) key on number-year-sector:
  ``DS-4-2019-JUS``, ``RM-123-2020-MINSA``, ``RC-320-2006-CG`` (sector = first lettered
  segment of the suffix; ``DS-4-2019`` when the suffix is missing); urgency decrees on
  number-year: ``DU-14-2019``;
* municipal norms (OM, RA, RGM, DA, AC, DIR, RG) key on type-number-year: ``OM-12-2019``,
  ``RGM-45-2024`` — the same keys as :mod:`search.numbers`. Two additions avoid
  collisions: a "Resolución de Gerencia" and a directive add the issuing office, since
  each office numbers its own (``RG-12-2023-GDUR``, ``DIR-2-2024-GM``), and a norm of
  another municipality or a national entity adds its code (``OM-10-2018-MPLC``,
  ``DIR-1-2019-EF``). Our own code (``MDM``) and the Alcaldía's ``A`` never appear;
* the Constitution is ``CONST``.

Numbers never carry leading zeros in ids; ``canonical_label`` pads them back for display
("Ordenanza Municipal N° 012-2019-MDM").

Articles are strings, outermost unit first, joined by dots: "artículo 20" -> ``"20"``,
"numeral 6 del artículo 20" and "artículo 20, inciso 6)" -> ``"20.6"``, "numeral 85.2 del
artículo 85" -> ``"85.2"`` (not repeated), "literal a) del numeral 2 del artículo 5" ->
``"5.2.a"``, "artículo IV del Título Preliminar" -> ``"IV"``, "Artículo Primero" ->
``"1"``, "artículo 11-A" -> ``"11-A"``. Lists are split ("artículos 3, 5 y 7" -> 3, 5, 7);
ranges are expanded up to 50 items ("artículos 3 al 6" -> 3, 4, 5, 6), longer ones kept
as ``"3..60"``.

Informes, oficios, memorandos and expedientes are documents, not norms: never reported.
A bare "la Constitución" is reported only when an article of it is cited. Anaphoric
mentions with a cited article ("el artículo 27 de la misma ley") are reported as a
citation of the last compatible norm, with ``anaphoric=True``.

Every pattern is bounded and runs on one folded copy of the text (see
:mod:`search.folding`), so extraction is linear in the size of the text.
"""
from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from docsys.compliance.scan import word_matches
from search.folding import fold
from search.numbers import (GLUED_YEAR, SGD_PREFIX, SPACED_SECTOR_TYPES, TYPE_CODES,
                            is_law_number, number_key, spaced_sector)
from search.registry import abbreviation_pattern, name_pattern, registry

# Issuer codes of this municipality: never part of a canonical id.
OWN_ISSUER_CODES = frozenset({"MDM"})
# National entities that issue directives and other "municipal-type" norms.
_NATIONAL_CODES = frozenset({"EF", "CG", "PCM", "OSCE", "SERVIR", "JUS", "SUNAT", "VIVIENDA",
                             "PRODUCE", "TR", "SA", "ED", "AG", "EM", "RE", "IN", "DE", "SGP",
                             "INEI", "ONPE", "JNE", "RENIEC", "SBS", "OEFA"})
_MUNICIPALITY_CODE = re.compile(r"^M[A-Z]{1,8}$")

# Kinds, names and numbering come from the registry of document types (doc_types.yaml).
_REGISTRY = registry()
NATIONAL_NO_YEAR = _REGISTRY.no_year_codes()
# National and regional norms numbered per year and sector: "D.S. N° 004-2019-JUS" ->
# DS-4-2019-JUS.
SECTOR_KINDS = SPACED_SECTOR_TYPES
MUNICIPAL_KINDS = frozenset(_REGISTRY.codes("municipal"))
# Numbered per issuing office: the office is part of the id (RG-21-2024-GDUR, DIR-2-2024-GM).
OFFICE_KINDS = frozenset({"RG", "DIR"})
YEARLY_KINDS = MUNICIPAL_KINDS | SECTOR_KINDS | {"DU"}
KINDS = frozenset(_REGISTRY.codes())

_THIS_YEAR = datetime.date.today().year
_LABELS = dict(TYPE_CODES)   # every type of the registry, by its name
_PADDING = {t.code: t.padding for t in _REGISTRY.types}   # zeros when labels are shown


@dataclass(frozen=True)
class Citation:
    """One mention of a norm. ``number`` is a string without leading zeros ("" for the
    Constitution); for a TUO, ``number`` is the ordered norm's and ``issuer`` its type
    ("LEY" or "DLEG")."""

    start: int
    end: int
    text: str
    kind: str
    number: str
    year: int | None = None
    issuer: str | None = None
    articles: tuple[str, ...] = ()
    anaphoric: bool = False

    @property
    def canonical_id(self) -> str:
        return canonical_id_for(self.kind, self.number, self.year, self.issuer)

    @property
    def canonical_label(self) -> str:
        return canonical_label_for(self.kind, self.number, self.year, self.issuer)

    @property
    def archive_key(self) -> str | None:
        return archive_key_for(self.kind, self.number, self.year)

    @property
    def is_local(self) -> bool:
        """A norm of this municipality: its archive should hold it."""
        return self.kind in MUNICIPAL_KINDS and _foreign_tag(_segments(self.issuer)) is None

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
                "number": self.number, "year": self.year, "issuer": self.issuer,
                "articles": list(self.articles), "anaphoric": self.anaphoric,
                "canonical_id": self.canonical_id, "canonical_label": self.canonical_label,
                "archive_key": self.archive_key}


# --------------------------------------------------------------------------- canonical ids

def _segments(issuer: str | None) -> list[str]:
    return [s for s in re.split(r"[-/–\s]+", (issuer or "").upper()) if s]


def _foreign_tag(segments: list[str]) -> str | None:
    """The code of another municipality or a national entity in a municipal-type suffix."""
    if any(s in OWN_ISSUER_CODES for s in segments):
        return None
    for seg in reversed(segments):
        if _MUNICIPALITY_CODE.match(seg) or seg in _NATIONAL_CODES:
            return seg
    return None


@lru_cache(maxsize=16384)  # pure; asked for every citation, several times
def canonical_id_for(kind: str, number: int | str, year: int | None = None,
                     issuer: str | None = None) -> str:
    """The canonical id of a norm (rules in the module docstring):
    ``canonical_id_for("OM", "012", 2019, "MDM") == "OM-12-2019"``."""
    kind = kind.upper()
    if kind == "CONST":
        return "CONST"
    num = _strip_zeros(str(number))
    if kind == "TUO":
        return f"TUO-{(issuer or 'LEY').upper()}-{num}"
    if kind in NATIONAL_NO_YEAR or year is None:
        return f"{kind}-{num}"
    key = f"{kind}-{num}-{int(year)}"
    segments = _segments(issuer)
    if kind in SECTOR_KINDS:
        sector = next((s for s in segments if re.search(r"[A-Z]", s)), None)
        return f"{key}-{fold(sector).upper()}" if sector else key   # "PROMPERÚ": PROMPERU
    if kind not in MUNICIPAL_KINDS:
        return key
    tag = _foreign_tag(segments)
    if kind in OFFICE_KINDS:
        offices = [s for s in segments if re.search(r"[A-Z]", s)
                   and s not in OWN_ISSUER_CODES and s != tag]
        if offices:
            key += f"-{offices[0]}"
    return f"{key}-{tag}" if tag else key


@lru_cache(maxsize=4096)
def archive_key_for(kind: str, number: int | str, year: int | None = None) -> str | None:
    """The key the archive files this norm under: ``documents.number_key``, made by the
    same :func:`search.numbers.number_key` — type, number and year, without offices or
    sectors: ``archive_key_for("RG", "021", 2024) == "RG-21-2024"``. The Constitution, a
    type that is one norm, is filed under its code (``CONST``); a TUO under none (it is
    found as the decree that approved it)."""
    kind = kind.upper()
    info = _REGISTRY.get(kind)
    if info is not None and info.single:
        return kind
    if kind == "TUO":
        return None
    num = _strip_zeros(str(number))
    if not num.isdigit():
        return None
    if kind in NATIONAL_NO_YEAR:
        year = None
    return number_key(kind, f"{num}-{year}" if year else num) or None


@lru_cache(maxsize=16384)  # pure; asked for every citation, several times
def canonical_label_for(kind: str, number: int | str, year: int | None = None,
                        issuer: str | None = None) -> str:
    """A Spanish label: "Ley N° 27972", "Ordenanza Municipal N° 012-2019-MDM"."""
    kind = kind.upper()
    num = _strip_zeros(str(number))
    if kind == "CONST":
        return "Constitución Política del Perú"
    if kind == "TUO":
        base = (issuer or "LEY").upper()
        article = "del" if base.startswith("D") else "de la"
        return f"Texto Único Ordenado {article} {_LABELS.get(base, base)} N° {num}"
    name = _LABELS.get(kind, kind)
    if kind in NATIONAL_NO_YEAR or year is None:
        return f"{name} N° {num}"
    label = f"{name} N° {num.zfill(_PADDING.get(kind, 3)) if num.isdigit() else num}-{year}"
    return f"{label}-{issuer.upper()}" if issuer else label


def _strip_zeros(number: str) -> str:
    digits = number.replace(".", "").strip()
    return str(int(digits)) if digits.isdigit() else number.strip()


# --------------------------------------------------------------------------- patterns
# All patterns run on folded text (lower case, no accents).

# An OCR'd page may read the degree sign as "*", "?", "”" or '"' ("Ley N* 26410"): taken only
# right before the digits, never as a marker of its own.
_MARKER = (r"(?:n\s?\.?\s?[°º˚ª]\s?s?\.?|n\s?[*?”\"](?=\s?\d)|nros?(?:\s?\.)?(?![a-z])|"
           r"nos?\s?\.|no(?=\s?\d)|n(?=\s?\d)|num\s?\.|numeros?(?![a-z]))")   # "N 653", "N1565"
# Words of a gerencia's or directive's name, up to the number marker; never the start of
# another document ("... y el Informe N° 123-2024-GAJ-MDM").
_NAME_WORDS = (r"(?:\s+(?!(?:informes?|oficios?|memorandos?|memorandums?|expedientes?|cartas?|"
               r"proveidos?|actas?|dictamen(?:es)?|solicitud(?:es)?|el|la|los|las|mediante|con|"
               r"que|segun|y\s+(?:el|la|los|las))(?![a-z]))[a-z]+){0,10}?"
               r"(?=\s{0,3}(?:" + _MARKER + r"|\d))")   # the number, with or without its marker
_RESOL = r"resoluci(?:on|ones)"
# A law cited by its name, then its number with an explicit marker: "Ley General de Salud Nº
# 26842", "Ley de Creación N° 23844", "Ley Orgánica de Elecciones, Nº 26859". Never across
# another norm's head or a document ("Ley de Extranjería aprobada por Decreto Legislativo Nº
# 703", "Ley ... y el Reglamento N° 5", "Ley de Promoción ... y Nº 877"): the name's words
# are none of those, it ends in no conjunction, and the marker is written.
_LAW_NAME = (r"ley(?:\s+(?!(?:leye?s?|decretos?|resolucion(?:es)?|reglamentos?|ordenanzas?|"
             r"acuerdos?|directivas?|codigos?|texto|tuo|aprobad[oa]s?|que|informes?|oficios?|"
             r"expedientes?|articulos?|dl|ds|du|dleg|rm|rs|rd|om|ra|n|nro|nros|no|num|"
             r"numero)(?![a-z]))[a-z]+){1,12}?(?<!\sy)(?<!\se)(?<!\so),?"
             r"(?=\s{0,3}(?:n\s?\.?\s?[°º˚]\s?\.?|nro\s?\.?)\s{0,3}\d)")
_HEADS: list[tuple[str, str]] = [
    ("TUO", r"texto\s+unico\s+ordenado|t\.\s?u\.\s?o\.?|tuo"),
    ("RGM", _RESOL + r"\s+de\s+gerencia\s+municipal|r\.\s?g\.\s?m\.?|rgm"),
    ("RA", _RESOL + r"\s+de\s+alcaldia|r\.\s?a\.|ra"),
    ("RM", _RESOL + r"\s+ministerial(?:es)?|r\.\s?m\.|rm"),
    ("RVM", _RESOL + r"\s+vice\s?ministerial(?:es)?"),
    ("RS", _RESOL + r"\s+supremas?"),
    ("RC", _RESOL + r"\s+de\s+contraloria(?:\s+general)?"),
    ("RSI", _RESOL + r"\s+de\s+superintendencia(?:\s+nacional)?"),
    ("RD", _RESOL + r"\s+directorales?"),
    ("RJ", _RESOL + r"\s+jefatura(?:l|les)"),
    ("RG", _RESOL + r"\s+(?:de\s+(?:la\s+)?)?(?:sub\s?)?gerencia(?:l(?:es)?)?" + _NAME_WORDS
     + r"|r\.\s?g\.|rg"),
    ("DLEY", r"decretos?(?:\s+|\s?-\s?)ley(?:es)?"),
    # ("D-L 25940": LP's spelling of a Decreto Ley; its number tells it, see ``_make``)
    ("DLEG", r"decretos?\s+legislativos?|d\.\s?leg(?:islativo)?\.?|d\.\s?l\.|d-l|dleg|dl"),
    ("DS", r"decretos?\s+supremos?|d\.\s?s\.|ds"),
    ("DU", r"decretos?\s+de\s+urgencia|d\.\s?u\.|du"),
    ("DA", r"decretos?\s+de\s+alcaldia|d\.\s?a\.|da"),
    ("AC", r"acuerdos?\s+del?\s+concejo(?:\s+municipal)?|a\.\s?c\."),
    ("OM", r"ordenanzas?(?:\s+municipal(?:es)?)?|o\.\s?m\.|ord\.|om"),
    ("DIR", r"directivas?(?:\s+generale?s?)?(?:" + _NAME_WORDS + r")?|dir\."),
    ("LEY", _LAW_NAME + r"|ley\s+organica,?|leyes|ley"),     # "Ley Orgánica Nº 27785"
]
# Every other type of the registry by its names (regional ordinances, de Presidencia
# Ejecutiva...), and the registry's spellings of the types above ("resolución gerencial
# municipal" is the municipal manager's RGM, not a gerencia's RG).
_SPECIAL_HEADS = {"TUO", "RG", "DIR", "LEY", "CONST"}
_HEADS = [(kind, "|".join(name_pattern(n) for n in _REGISTRY[kind].names) + "|" + pattern)
          if kind not in _SPECIAL_HEADS else (kind, pattern) for kind, pattern in _HEADS]
_HEADS[1:1] = [(t.code, "|".join(name_pattern(n) for n in t.names)) for t in _REGISTRY.types
               if t.code not in {k for k, _ in _HEADS} and t.names]


def _compile_heads(heads: list[tuple[str, str]]) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(
        f"(?P<{kind}>{pattern})" for kind, pattern in heads) + r")(?![a-z])")


def _unshared_abbreviations() -> dict[str, list[str]]:
    """The registry's abbreviations of each type that no other type shares ("r.d.", "rj",
    "d. ley"), lower case. A shared one ("d.l.": Decreto Legislativo and Decreto Ley) keeps
    the reading written above."""
    owners: dict[str, set[str]] = {}
    for t in _REGISTRY.types:
        for abbreviation in t.abbreviations:
            owners.setdefault(re.sub(r"[.\s]+", "", abbreviation.lower()), set()).add(t.code)
    return {t.code: [a.lower() for a in t.abbreviations
                     if owners[re.sub(r"[.\s]+", "", a.lower())] == {t.code}]
            for t in _REGISTRY.types}


def _unread_abbreviations(heads: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The registry's own abbreviations that ``heads`` do not read as their type yet."""
    written = _compile_heads(heads)
    return {kind: [a for a in abbreviations
                   if not any(m.lastgroup == kind for m in written.finditer(a))]
            for kind, abbreviations in _unshared_abbreviations().items()}


# The registry's abbreviations the patterns above missed ("R.D.", "R.J.", "R.S.", "D. Ley"),
# added so that the extractor cites what search's number parser finds.
_ABBREVIATED = _unread_abbreviations(_HEADS)
_HEADS = [(kind, "|".join([abbreviation_pattern(a) for a in _ABBREVIATED.get(kind, [])]
                          + [pattern])) for kind, pattern in _HEADS]
_HEAD_RE = _compile_heads(_HEADS)
# Where a head may start: the first letters of every head's words and abbreviations. The
# full alternation above is tried only there, which is several times faster on long texts
# than letting it scan every position (finding the same heads: tests/compliance).
# Written as a trie on the first character (every alternative starts with a literal one):
# the regular expression engine then skips the other characters in C, about twice as fast
# (only where a match starts counts: ``_heads`` matches _HEAD_RE there).
_HEAD_STARTS = sorted({"texto", "resoluci", "decret", "acuerd", "ordenan", "directiv", "ley",
                       "constit"}
                      | {fold(name).split()[0][:7] for t in _REGISTRY.types for name in t.names}
                      | {c + "." for c in "tdraoc"} | {"ord.", "dir.", "d-l"}
                      | {a.split(".")[0] + "." for added in _ABBREVIATED.values() for a in added
                         if not a.isalpha()})
_HEAD_BARE_STARTS = tuple(sorted(
    {"tuo", "rgm", "ra", "rm", "rg", "dleg", "dl", "ds", "du", "da", "om"}
    | {a for added in _ABBREVIATED.values() for a in added if a.isalpha()}))


def _first_letter_trie(words: list[str], bounded: tuple[str, ...]) -> str:
    """An alternation matching where any of ``words`` (or of ``bounded``, not followed by
    a letter) starts, grouped by first letter."""
    rests: dict[str, set[str]] = {}
    for word in words:
        rests.setdefault(word[0], set()).add(re.escape(word[1:]))
    for word in bounded:
        rests.setdefault(word[0], set()).add(re.escape(word[1:]) + "(?![a-z])")
    return "|".join(re.escape(first) + ("(?:" + "|".join(sorted(rest)) + ")" if all(rest) else "")
                    for first, rest in sorted(rests.items()))


_HEAD_START = re.compile(_first_letter_trie(_HEAD_STARTS, _HEAD_BARE_STARTS))
_BARE_ABBREVIATION = re.compile(r"^[a-z]{2,4}$")      # "DS", "RGM": upper case only
_PLURAL_HEAD = re.compile(r"^(?:leyes|decretos|ordenanzas|resoluciones|acuerdos|directivas)")

# A number with its suffix: "012-2019-MDM", "0312-2019-EF/15", "008-2025-A/MPCH".
_ITEM_RE = re.compile(
    r"(?P<marker>" + _MARKER + r"\s{0,3}:?\s{0,2})?"
    + SGD_PREFIX + r"(?P<num>\d{2}\.\d{3}(?!\d)|\d{1,6}(?!\d))"
    r"(?P<tail>(?:[-–/][a-z0-9]+(?:\.[a-z0-9]+)*|\s?[-–]\s?\d{2,4}(?![\d.]\d)){0,6})")
_SEGMENT_RE = re.compile(r"\s?([-–/])\s?([a-z0-9]+(?:\.[a-z0-9]+)*)")
_AFTER_HEAD = re.compile(r"\s{0,3}")
_LIST_SEP = re.compile(r"\s?(?:,\s?(?:y\s|e\s)?|;\s?|\s(?:y|e|o)\s)\s?")
_TUO_LINK = re.compile(r"\s+(?:de\s+la|del|de)\s+")

# Laws cited by name alone; matched as whole phrases.
_KNOWN_NAMES: dict[str, tuple[str, str]] = {
    "ley organica de municipalidades": ("LEY", "27972"),
    "ley del procedimiento administrativo general": ("LEY", "27444"),
    "ley de transparencia y acceso a la informacion publica": ("LEY", "27806"),
    "ley organica del sistema nacional de control y de la contraloria general de la "
    "republica": ("LEY", "27785"),
    "ley de control interno de las entidades del estado": ("LEY", "28716"),
    "ley del codigo de etica de la funcion publica": ("LEY", "27815"),
    "ley del servicio civil": ("LEY", "30057"),
    "ley de contrataciones del estado": ("LEY", "30225"),
    "ley general de contrataciones publicas": ("LEY", "32069"),
    "ley de tributacion municipal": ("DLEG", "776"),
    "ley de bases de la descentralizacion": ("LEY", "27783"),
    "ley organica de gobiernos regionales": ("LEY", "27867"),
    "codigo penal": ("DLEG", "635"),
    "codigo civil": ("DLEG", "295"),
    "codigo procesal civil": ("DLEG", "768"),
    "codigo procesal penal": ("DLEG", "957"),
    "codigo de ejecucion penal": ("DLEG", "654"),
}
# Each name's first word comes before the look-behind that says no letter or digit
# precedes it ("ley(?<![a-z0-9]ley)"): the same matches, but every alternative starts with
# a literal, so the engine skips in C the positions where none can start.
_NAME_RE = re.compile("(?:" + "|".join(
    f"{re.escape(first)}(?<![a-z0-9]{re.escape(first)})"
    + "".join(r"\s+" + re.escape(word) for word in rest)
    for first, *rest in (name.split()
                         for name in sorted(_KNOWN_NAMES, key=len, reverse=True))) + r")(?![a-z])")
_CONST_RE = re.compile(r"constitucion(?<![a-z]constitucion)\s+(?:politica(?:\s+del\s+"
                       r"(?:peru|estado))?|del\s+peru)(?:\s+de\s+1993)?(?![a-z])")
_BARE_CONST_RE = re.compile(r"constitucion(?:\s+politica)?(?:\s+del\s+(?:peru|estado))?"
                            r"(?![a-z])")
# "Ley N° 27972, Ley Orgánica de Municipalidades": what may separate a number and a name.
_APPOSITION_GAP = re.compile(r"^\s?[,(:\-–—]?\s?$")

# Article locators: "numeral 6 del artículo 20", "artículos 3, 5 y 7", "inciso a)".
_ORDINALS = {
    "primero": 1, "segundo": 2, "tercero": 3, "cuarto": 4, "quinto": 5, "sexto": 6,
    "septimo": 7, "setimo": 7, "octavo": 8, "noveno": 9, "decimo": 10, "undecimo": 11,
    "duodecimo": 12, "vigesimo": 20, "unico": 1,
}
_TENS_ORDINAL = r"decimo\s+(?:primer|segund|tercer|cuart|quint|sext|septim|setim|octav|noven)o"
_ORDINAL = (r"(?:" + _TENS_ORDINAL + r"|undecimo|duodecimo|primero|segundo|tercero|cuarto|"
            r"quinto|sexto|septimo|setimo|octavo|noveno|decimo|vigesimo|unico)(?![a-z])")
_ROMAN = r"(?:x{1,3}(?:ix|iv|v?i{0,3})|ix|iv|v?i{1,3}|v)(?![a-z0-9])"
_NUM_ITEM = r"\d{1,4}(?:\.\d{1,3}){0,3}(?:\s?-\s?[a-z](?![a-z]))?"
_ART_ITEM = r"(?:" + _NUM_ITEM + "|" + _ROMAN + "|" + _ORDINAL + r")(?:\s?[°º])?"
_SUB_ITEM = (r"(?:" + _NUM_ITEM + "|" + _ORDINAL + r"|[a-z](?=\)|[^a-z0-9]|$))(?:\s?[°º])?"
             r"(?:\s?\))?")   # "numeral 3", "literal a)", "inciso octavo"
_ITEM_SEP = r"(?:\s?,\s?(?:y\s+|e\s+)?|\s+(?:y|e|o|al|a|hasta(?:\s+el)?)\s+)"
_ART_UNIT = r"(?:articulos?|arts?\.)\s?" + _ART_ITEM + "(?:" + _ITEM_SEP + _ART_ITEM + "){0,30}"
_SUB_UNIT = (r"(?:numerales|numeral|incisos?|literales|literal)\s?" + _SUB_ITEM
             + "(?:" + _ITEM_SEP + _SUB_ITEM + "){0,30}")
_UNIT = "(?:" + _ART_UNIT + "|" + _SUB_UNIT + ")"
_CHAIN = (r"(?:\s+(?:del|de\s+la|de\s+los|de\s+las|de)\s+"
          r"|\s?,\s?(?:(?:y|e)\s+)?(?:(?:el|los|la|las|en\s+(?:su|sus|el|los))\s+)?"
          r"|\s?,?\s(?:y|e)\s+(?:el|los|la|las|en\s+(?:el|los))\s+|\s+)")
_LOCATOR = (_UNIT + "(?:" + _CHAIN + _UNIT + "){0,12}"
            r"(?:\s+(?:del|de\s+la|de\s+su)\s+titulo\s+preliminar)?")
_LOCATOR_RE = re.compile(r"(?<![a-z0-9])" + _LOCATOR)
# Where a locator may start (its unit's first letters): ``_locators`` matches _LOCATOR_RE
# only there, instead of trying the look-behind at every character of a long text.
_LOCATOR_START = re.compile(r"art|numeral|inciso|literal")
_UNIT_RE = re.compile(_UNIT)
_ART_ITEM_RE = re.compile(_ART_ITEM)
_SUB_ITEM_RE = re.compile(_SUB_ITEM)
_ITEM_SEP_RE = re.compile(_ITEM_SEP)
_ADJECTIVES = (r"mism[ao]s?|citad[ao]s?|referid[ao]s?|acotad[ao]s?|precitad[ao]s?|"
               r"mencionad[ao]s?|aludid[ao]s?|indicad[ao]s?|invocad[ao]s?|dich[ao]s?")
# From a locator to the norm it belongs to: "... de la", "... del", "... a la" (incorporations).
_NORM_LINK = re.compile(r"\s{0,3},?\s{0,3}(?:del|de|al|a|en)\s+(?:(?:la|el|los|las)\s+)?"
                        r"(?:(?P<adj>" + _ADJECTIVES + r")\s+)?")
_ANAPHOR_NOUN = re.compile(r"(?P<noun>ley|norma|ordenanza|decreto\s+supremo|decreto\s+legislativo|"
                           r"decreto\s+de\s+alcaldia|decreto|resolucion|directiva|acuerdo)"
                           r"(?![a-z])")
_ANAPHOR_KINDS: dict[str, frozenset[str]] = {
    "ley": frozenset({"LEY", "TUO"}), "ordenanza": frozenset({"OM"}),
    "decreto supremo": frozenset({"DS"}), "decreto legislativo": frozenset({"DLEG"}),
    "decreto de alcaldia": frozenset({"DA"}),
    "decreto": frozenset({"DS", "DLEG", "DU", "DA", "DLEY"}),
    "resolucion": frozenset({"RA", "RGM", "RG", "RM", "RVM", "RS", "RC", "RSI", "RD", "RJ"}), "directiva": frozenset({"DIR"}),
    "acuerdo": frozenset({"AC"}), "norma": frozenset(KINDS),
}
# From a norm to articles cited after it: ", en su artículo 20", " (artículo 20)".
_AFTER_RE = re.compile(
    r"(?:\s?,\s?(?:[^,;()\n]{3,100}?,\s?)??en\s+(?:su|sus|el|los)\s+|[ \t]en\s+(?:su|sus)\s+"
    r"|[ \t]?,[ \t]?|[ \t]?\([ \t]?"
    r"|[ \t])(?P<loc>" + _LOCATOR + ")")
_HEADING_END = re.compile(r"\s?[.:]?\s?[-–—]")        # "ARTÍCULO SEGUNDO.-" is a heading
_RANGE_SEP = re.compile(r"^\s+(?:al|a|hasta(?:\s+el)?)\s+$")
MAX_RANGE = 50
MAX_ANAPHOR_LOOKBACK = 50      # citations searched back for "la misma ley"


# --------------------------------------------------------------------------- extraction

def extract_citations(text: str, folded: str | None = None) -> list[Citation]:
    """All citations of norms in ``text``, in reading order (see the module docstring).
    ``folded``: ``fold(text)`` when the caller has it already."""
    if not text:
        return []
    folded = fold(text) if folded is None else folded
    found = _numbered_citations(text, folded)
    found = _add_spans(found, _name_citations(text, folded, found))
    found = _add_spans(found, _constitution_citations(text, folded, found))
    found = _merge_appositions(text, found)
    return _attach_articles(text, folded, found)


def parse_norm_reference(s: str, default_kind: str | None = None) -> Citation | None:
    """The first norm in ``s`` ("Ordenanza Municipal N° 012-2019-MDM"), or None.

    With ``default_kind`` a bare number is read as that type, as in a document's own
    number field: ``parse_norm_reference("0045-2024-GM-MDM", "RGM")``.
    """
    if not s:
        return None
    for citation in extract_citations(s):
        if not citation.anaphoric:
            return citation
    kind = (default_kind or "").upper()
    if kind not in KINDS or kind in ("TUO", "CONST"):
        return None
    folded = fold(s)
    for match in re.finditer(r"(?<![\d.])\d", folded):
        item = _item_citation(s, folded, kind, match.start(), match.start(), plural=True)
        if item is not None:
            return item[0]
    return None


def _after_head(folded: str, pos: int) -> int:
    """Where a citation's number may start: past up to three spaces after its head."""
    match = _AFTER_HEAD.match(folded, pos)
    assert match is not None, "_AFTER_HEAD matches the empty string"
    return match.end()


def _numbered_citations(text: str, folded: str) -> list[Citation]:
    found: list[Citation] = []
    consumed = 0
    for head in word_matches(_HEAD_START, _HEAD_RE, folded):
        if head.start() < consumed:
            continue
        kind = head.lastgroup or ""
        word = head.group(0)
        if _BARE_ABBREVIATION.match(word) and word != "ley" and not (
                text[head.start():head.end()].isupper() and folded[head.end():head.end() + 1]
                in (" ", "\t")):
            continue                      # "DS N° ..." but not "ds", "da", "DL6"
        if kind == "TUO":
            citation = _tuo_citation(text, folded, head)
            if citation is not None:
                found.append(citation)
                consumed = citation.end
            continue
        pos = _after_head(folded, head.end())
        plural = bool(_PLURAL_HEAD.match(word))
        first = _item_citation(text, folded, kind, head.start(), pos, plural)
        if first is None:
            continue
        found.append(first[0])
        end = first[1]
        while True:                       # "Ordenanzas N° 012-2019-MDM y 015-2020-MDM"
            sep = _LIST_SEP.match(folded, end)
            if sep is None:
                break
            nxt = _item_citation(text, folded, kind, sep.end(), sep.end(), plural, listed=True)
            if nxt is None:
                break
            found.append(nxt[0])
            end = nxt[1]
        consumed = end
    return found


def _item_citation(text: str, folded: str, kind: str, start: int, pos: int, plural: bool,
                   listed: bool = False) -> tuple[Citation, int] | None:
    """The citation whose number starts at ``pos`` (after an optional marker)."""
    match = _ITEM_RE.match(folded, pos)
    if match is None:
        return None
    has_marker = match.group("marker") is not None
    num = match.group("num")
    if kind in NATIONAL_NO_YEAR:
        end = match.end("num")
        if re.match(r"\s?[-–/]\s?\d", folded[end:end + 4]):
            return None                   # "Ley 012-2019": not a law number
        digits = num.replace(".", "")
        if kind == "LEY" and not is_law_number(digits):
            return None
        if not has_marker and re.fullmatch(r"(?:19|20)\d\d", digits):
            return None                   # "la ley 2024"
        if listed and not (plural or has_marker):
            return None
        return _make(text, kind, start, end, num, None, None), end
    year, issuer = _year_and_issuer(text, folded, match)
    if year is None:
        return None
    end = match.end("tail")
    if issuer is None and kind in SECTOR_KINDS:
        spaced = spaced_sector(text, end)    # the number parser's rule (search.numbers)
        if spaced is not None:
            issuer, end = spaced
    return _make(text, kind, start, end, num, year, issuer), end


def _year_and_issuer(text: str, folded: str, match: re.Match) -> tuple[int | None, str | None]:
    """Year and suffix of "012-2019-MDM"; None when there is no year or it looks like a
    date ("15-03-2019")."""
    segments = [(m.group(1), m.group(2), m.start(2), m.end(2))
                for m in _SEGMENT_RE.finditer(folded, match.start("tail"), match.end("tail"))]
    if not segments:
        return None, None
    year_index = next((i for i, s in enumerate(segments)
                       if re.fullmatch(r"(?:19|20)\d\d", s[1])), None)
    if year_index is not None:
        if year_index > 0 and re.fullmatch(r"\d{1,2}", segments[0][1]):
            return None, None             # a date, not a number
        year = int(segments[year_index][1])
    elif glued := GLUED_YEAR.fullmatch(segments[0][1]):
        # "132-2017EF": the year glued to the sector (a gazette's slip); the segment
        # becomes the sector alone, and no segment is the year's
        year = int(glued["year"])
        sep, _, seg_start, seg_end = segments[0]
        segments[0] = (sep, glued["sector"], seg_start + 4, seg_end)
        year_index = -1
    elif re.fullmatch(r"\d\d", segments[0][1]):
        year_index = 0                    # "045-24-GM-MDM"
        yy = int(segments[0][1])
        # "45-24" is 2024; "053-68-HC" is 1968 (a year to come is a past century's)
        year = 2000 + yy if 2000 + yy <= _THIS_YEAR + 1 else 1900 + yy
    else:
        return None, None
    rest = [s for i, s in enumerate(segments) if i != year_index]
    if not rest:
        return year, None
    parts = []
    for n, (sep, _, seg_start, seg_end) in enumerate(rest):
        if n:
            parts.append("-" if sep == "–" else sep)
        parts.append(text[seg_start:seg_end].upper())
    return year, "".join(parts)


# "D.L." and "DL" name a Decreto Legislativo and a Decreto Ley alike; their numbers never
# met: legislative decrees count from 1 (1,700 by 2025), decree-laws from 17,000 or so
# (1968-1980) and 25,000 (1992-1993).
FIRST_DECREE_LAW = 10_000


def _make(text: str, kind: str, start: int, end: int, number: str, year: int | None,
          issuer: str | None, **extra) -> Citation:
    number = _strip_zeros(number)
    if kind == "DLEG" and number.isdigit() and int(number) >= FIRST_DECREE_LAW:
        kind = "DLEY"
    return Citation(start=start, end=end, text=text[start:end], kind=kind,
                    number=number, year=year, issuer=issuer, **extra)


def _tuo_citation(text: str, folded: str, head: re.Match) -> Citation | None:
    """"Texto Único Ordenado de la Ley N° 27444" -> TUO of LEY 27444."""
    link = _TUO_LINK.match(folded, head.end())
    if link is None:
        return None
    base_head = _HEAD_RE.match(folded, link.end())
    if base_head is not None and base_head.lastgroup in ("LEY", "DLEG"):
        pos = _after_head(folded, base_head.end())
        base = _item_citation(text, folded, base_head.lastgroup, link.end(), pos, False)
        if base is not None:
            return _make(text, "TUO", head.start(), base[1], base[0].number, None,
                         base_head.lastgroup)
    name = _NAME_RE.match(folded, link.end())
    if name is not None:
        kind, number = _KNOWN_NAMES[" ".join(name.group(0).split())]
        return _make(text, "TUO", head.start(), name.end(), number, None, kind)
    return None


def _inside_any(found: list[Citation]):
    """A test "is this offset inside one of ``found``" (sorted, non-overlapping)."""
    starts = [c.start for c in found]

    def inside(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and found[i].start <= pos < found[i].end
    return inside


def _name_citations(text: str, folded: str, found: list[Citation]) -> list[Citation]:
    inside = _inside_any(found)
    out = []
    for match in _NAME_RE.finditer(folded):
        if not inside(match.start()):
            kind, number = _KNOWN_NAMES[" ".join(match.group(0).split())]
            out.append(_make(text, kind, match.start(), match.end(), number, None, None))
    return out


def _constitution_citations(text: str, folded: str, found: list[Citation]) -> list[Citation]:
    inside = _inside_any(found)
    return [_make(text, "CONST", m.start(), m.end(), "", None, None)
            for m in _CONST_RE.finditer(folded) if not inside(m.start())]


def _add_spans(found: list[Citation], more: list[Citation]) -> list[Citation]:
    return sorted(found + more, key=lambda c: (c.start, c.end)) if more else found


def _same_norm(named: Citation, other: Citation) -> bool:
    if other.kind == "TUO":
        return other.issuer == named.kind and other.number == named.number
    return other.kind == named.kind and other.number == named.number


def _merge_appositions(text: str, found: list[Citation]) -> list[Citation]:
    """"Ley N° 27972, Ley Orgánica de Municipalidades" is one citation, not two."""
    out: list[Citation] = []
    for citation in found:
        prev = out[-1] if out else None
        if prev is not None and _APPOSITION_GAP.match(text[prev.end:citation.start]):
            if _is_named(citation) and _same_norm(citation, prev):
                keep = prev
            elif _is_named(prev) and _same_norm(prev, citation):
                keep = citation
            else:
                keep = None
            if keep is not None:
                out[-1] = replace(keep, start=prev.start, end=citation.end,
                                  text=text[prev.start:citation.end])
                continue
        out.append(citation)
    return out


def _is_named(citation: Citation) -> bool:
    """A citation made from a known name (its text has no digits)."""
    return citation.kind in ("LEY", "DLEG") and not any(ch.isdigit() for ch in citation.text)


# --------------------------------------------------------------------------- articles

def _attach_articles(text: str, folded: str, found: list[Citation]) -> list[Citation]:
    """Attach "artículo X de la ..." before a norm and ", en su artículo X" after it;
    turn "el artículo 27 de la misma ley" into a citation of the antecedent."""
    by_start = {c.start: i for i, c in enumerate(found)}
    articles: dict[int, list[str]] = {}
    anaphors: list[Citation] = []
    starts = [c.start for c in found]
    for loc in word_matches(_LOCATOR_START, _LOCATOR_RE, folded):
        link = _NORM_LINK.match(folded, loc.end())
        if link is None:
            continue
        target = link.end()
        cited = _locator_articles(loc.group(0))
        if target in by_start:
            articles.setdefault(by_start[target], []).extend(cited)
            continue
        const = _BARE_CONST_RE.match(folded, target)
        if const is not None:
            anaphors.append(_make(text, "CONST", target, const.end(), "", None, None,
                                  articles=tuple(cited)))
            continue
        noun = _ANAPHOR_NOUN.match(folded, target)
        if noun is None or link.group("adj") is None:
            continue
        antecedent = _antecedent(found, starts, loc.start(), " ".join(noun.group("noun").split()))
        if antecedent is not None:
            start = link.start("adj")
            anaphors.append(replace(antecedent, start=start, end=noun.end(),
                                    text=text[start:noun.end()], articles=tuple(cited),
                                    anaphoric=True))
    for i, citation in enumerate(found):
        after = _AFTER_RE.match(folded, citation.end)
        if after is None or _HEADING_END.match(folded, after.end()):
            continue
        link = _NORM_LINK.match(folded, after.end())
        if link is not None and (link.end() in by_start or _ANAPHOR_NOUN.match(folded, link.end())
                                 or _BARE_CONST_RE.match(folded, link.end())):
            continue                      # these articles belong to the next norm
        articles.setdefault(i, []).extend(_locator_articles(after.group("loc")))
    out = [replace(c, articles=tuple(dict.fromkeys(articles[i]))) if i in articles else c
           for i, c in enumerate(found)]
    out.extend(replace(c, articles=tuple(dict.fromkeys(c.articles))) for c in anaphors)
    return sorted(out, key=lambda c: (c.start, c.end))


def _antecedent(found: list[Citation], starts: list[int], before: int,
                noun: str) -> Citation | None:
    kinds = _ANAPHOR_KINDS.get(noun, frozenset())
    i = bisect.bisect_left(starts, before) - 1
    for j in range(i, max(i - MAX_ANAPHOR_LOOKBACK, -1), -1):
        if found[j].kind in kinds:
            return found[j]
    return None


def articles_in(fragment: str) -> tuple[str, ...]:
    """The articles of the first locator in a fragment of text ("el artículo 12 del
    Reglamento ... aprobado por la" -> ("12",)), or ()."""
    match = _LOCATOR_RE.search(fold(fragment))
    return tuple(dict.fromkeys(_locator_articles(match.group(0)))) if match else ()


def _locator_articles(locator: str) -> list[str]:
    """'numeral 6 del artículo 20' -> ['20.6']; see the module docstring. A list of
    locators ("los artículos 36 y 36-A, los numerales 37.3 y 37.4 del artículo 37 y el
    numeral 44.7 del artículo 44") is each of them: a unit after "y" starts another, and a
    unit read as the child of the one before ("artículo 5, el numeral 7.2") is moved to
    its own when its own parent follows ("... del artículo 7")."""
    groups: list[list[list[str]]] = []      # each group: units, outermost first
    ranks: list[list[int]] = []
    prev_end = 0
    was_child = False
    for unit in _UNIT_RE.finditer(locator):
        word = unit.group(0)
        rank = 0 if word.startswith("art") else 2 if word.startswith("lit") else 1
        items = _unit_items(word, rank)
        if not items:
            continue
        gap = locator[prev_end:unit.start()]
        prev_end = unit.end()
        if groups and re.search(r"(?<![a-z])de", gap):
            if was_child:                 # "artículo 5, el numeral 7.2 del artículo 7"
                groups.append([groups[-1].pop()])
                ranks.append([ranks[-1].pop()])
            groups[-1].insert(0, items)   # "numeral 6 del artículo 20": parent follows
            ranks[-1].insert(0, rank)
            was_child = False
        elif groups and rank > ranks[-1][-1] and not re.search(r"(?<![a-z])[ye](?![a-z])", gap):
            groups[-1].append(items)      # "artículo 20, numeral 6": child follows
            ranks[-1].append(rank)
            was_child = True
        else:
            groups.append([items])
            ranks.append([rank])
            was_child = False
    out: list[str] = []
    for group in groups:
        paths = [""]
        for items in group:
            paths = [_join(parent, child) for parent in paths for child in items]
        out.extend(paths)
    return out


def _join(parent: str, child: str) -> str:
    if not parent or child.startswith(parent + "."):
        return child
    return f"{parent}.{child}"


def _unit_items(unit: str, rank: int) -> list[str]:
    """The items of one unit, ranges expanded: 'artículos 3 al 6' -> ['3', '4', '5', '6']."""
    item_re = _ART_ITEM_RE if rank == 0 else _SUB_ITEM_RE
    items: list[str] = []
    word = re.match(r"[a-z]+\.?\s?", unit)
    assert word is not None, "a unit starts with its word (_UNIT_RE)"
    match = item_re.match(unit, word.end())
    sep_text = ""
    while match is not None:
        value = _item_value(match.group(0), rank)
        prev = items[-1] if items else None
        if (value is not None and prev is not None and value.isdigit() and prev.isdigit()
                and _RANGE_SEP.match(sep_text)):
            low, high = int(prev), int(value)
            if 0 < high - low <= MAX_RANGE:
                items.extend(str(n) for n in range(low + 1, high + 1))
            elif high > low:
                items[-1] = f"{low}..{high}"
        elif value is not None:
            items.append(value)
        sep = _ITEM_SEP_RE.match(unit, match.end())
        if sep is None:
            break
        sep_text = sep.group(0)
        match = item_re.match(unit, sep.end())
    return items


def _item_value(raw: str, rank: int) -> str | None:
    value = re.sub(r"[\s°º)]", "", raw)
    if not value:
        return None
    if value[0].isdigit():
        head, _, suffix = value.partition("-")
        head = ".".join(str(int(part)) for part in head.split("."))
        return f"{head}-{suffix.upper()}" if suffix else head
    if value in _ORDINALS:
        return str(_ORDINALS[value])
    ordinal = " ".join(raw.split())
    if ordinal.startswith("decimo "):
        units = {"primero": 1, "segundo": 2, "tercero": 3, "cuarto": 4, "quinto": 5,
                 "sexto": 6, "septimo": 7, "setimo": 7, "octavo": 8, "noveno": 9}
        return str(10 + units.get(ordinal.split()[1], 0))
    if rank == 0:
        return value.upper()              # roman numerals of a Título Preliminar
    return value.lower()                  # "literal a)"
