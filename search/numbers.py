"""Official numbers of norms as comparable keys.

A norm's number is written many ways ("ORDENANZA MUNICIPAL N° 012-2019-MDM", "Ordenanza
12-2019", "OM 12-2019"). Each becomes one key — type code, number without leading zeros,
year — such as ``OM-12-2019``, ``RGM-45-2024``, ``DS-4-2019``; national laws and legislative
decrees run without a year: ``LEY-27972``, ``DLEG-1440``.

The same functions read a document's own number when it is indexed, the citations in its
text, and what the user types in the search box, so "ordenanza 12-2019" finds the
ordinance whatever its padding and suffixes.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from search.analysis import accent_pattern, fold
from search.registry import DATA_FILE, abbreviation_pattern, name_pattern, registry

# Every type, its spellings and its numbering come from the registry (doc_types.yaml).
_REGISTRY = registry()
TYPE_CODES: dict[str, str] = _REGISTRY.names()

# Types whose numbers do not restart each year: the key carries no year.
NO_YEAR_TYPES = _REGISTRY.no_year_codes()

# A name, then (types named after an office) up to seven words of the office's name
# before the number: "Resolución de Gerencia de Desarrollo Urbano N° 21-2024".
_OFFICE_WORDS = (r"(?:\s+(?!n\b)[a-záéíóúñ]+){0,7}?"
                 r"(?=\s*(?:n\s*\.?\s*[°ºo]|nro\b|n[uú]mero\b|n\.?\s*\d|\d))")   # "N 12": a bare N
_NAME_PHRASES = [(code, phrase) for code, phrase in _REGISTRY.phrases()
                 if not _REGISTRY[code].unnumbered]
_NAME_PATTERNS: list[tuple[str, str]] = [
    (code, name_pattern(phrase) + (_OFFICE_WORDS if _REGISTRY[code].named_office else ""))
    for code, phrase in _NAME_PHRASES]
_ABBREV_PATTERNS: list[tuple[str, str]] = sorted(
    {(t.code, abbreviation_pattern(a)) for t in _REGISTRY.types for a in t.abbreviations},
    key=lambda p: (-len(p[1]), p))

# "N°", "Nº" ("no" once folded), "N.°", "No.", "Nro.", "Núm.", "número", and a bare "N"
# right before the digits (the degree sign left out or lost: "D.S. N 004-2019-JUS").
# Patterns accept accented and folded spellings alike, so lower-cased text needs no folding.
# An OCR'd page may print the degree sign as "*", "?", "”" or '"' ("LEY N? 28832"): read only
# right before the digits.
_MARKER = (r"(?:n\s*\.?\s*[°ºo]\s*\.?|n\s?[*?”\"](?=\s*\d)|nros?\s*\.?|n[uú]m\s*\.|n[uú]mero"
           r"|n\.?(?=\s*\d))")
# The number, an optional year (old numbers have two digits: "026-99-AG"), optional
# suffixes such as -GM-MDM, -A/MDM, -JUS, -MTC/12. A number given by the State's document
# management system (SGD) opens with a D and six digits ("D000226-2025-MIMP-DM"): the D
# is left out of the key, as the zeros are.
SGD_PREFIX = r"(?:d(?=\d{6}(?![0-9])))?"
_NUMBER = (SGD_PREFIX + r"(?P<num>\d{1,3}(?:\.\d{3})+|\d{1,6})"
           r"(?:\s*[-/]\s*(?P<year>(?:19|20)\d{2}|\d{2}(?![0-9])))?"
           r"(?P<suffix>(?:[-/][a-z0-9áéíóúüñ][a-z0-9áéíóúüñ]{0,11})*)")  # "-PROMPERÚ/PE"
# Typed, a space may part the number from a four-digit year ("DS 4 2019", "ordenanza 12
# 2019"); in running text it does not (a number followed by a year is something else).
_TYPED_NUMBER = _NUMBER.replace(r"(?:\s*[-/]\s*(?P<year>",
                                r"(?:(?:\s*[-/]\s*|\s+(?=(?:19|20)\d{2}(?![0-9])))(?P<year>")


def _group(patterns: list[tuple[str, str]]) -> str:
    return "|".join(f"(?P<t_{code}_{i}>{pat})" for i, (code, pat) in enumerate(patterns))


_LEFT = r"(?<![a-z0-9])"


def _first_word(phrase: str) -> str:
    return re.split(r"[\s-]+", phrase.strip())[0]


def _text_pattern(word: str) -> tuple[re.Pattern, tuple[tuple[str, str], ...]]:
    """The names that start with ``word``, then a number (groups named as in _group), and
    the (group, type code) pairs of those names: a match's type is found among these few
    groups rather than among all of the pattern's."""
    groups = tuple((f"t_{code}_{i}", code) for i, ((code, _), (_, phrase))
                   in enumerate(zip(_NAME_PATTERNS, _NAME_PHRASES))
                   if _first_word(phrase) == word)
    names = "|".join(f"(?P<{group}>{_NAME_PATTERNS[int(group.rsplit('_', 1)[1])][1]})"
                     for group, _ in groups)
    return (re.compile(r"(?:" + names + r")\s*(?:" + _MARKER + r"\s*)?" + _NUMBER
                       + r"(?![0-9])"), groups)


# Matched at the positions _NAME_START finds, and only the names that begin with the word
# found there ("ley ..." tries the few names that start with "ley", not the hundred others):
# scanning for a few words first is many times faster than letting every name scan long
# bodies. Group numbers stay those of _NAME_PATTERNS.
_FIRST_WORDS = sorted({_first_word(phrase) for _, phrase in _REGISTRY.phrases()})
# Each word's first letter is plain (no heading starts "Ácuerdo"): alternatives that all open
# with a literal let the scan skip most positions at C speed.
_NAME_START = re.compile("|".join(re.escape(word[0]) + accent_pattern(word[1:])
                                  for word in _FIRST_WORDS))
_TEXT_BY_WORD = {word: _text_pattern(word) for word in _FIRST_WORDS}
# The first words as found in text (lower case, maybe accented) -> folded: folding every
# occurrence again took a good part of a rebuild (bodies cite dozens of norms each).
_WORD_OF: dict[str, str] = {word: word for word in _FIRST_WORDS}
# An abbreviation that several types share ("d.l.": Decreto Legislativo and Decreto Ley):
# the pattern's group names the first of them; the others, by pattern.
_SHARED_CODES: dict[str, tuple[str, ...]] = {}
for _code, _pattern in _ABBREV_PATTERNS:
    _SHARED_CODES[_pattern] = _SHARED_CODES.get(_pattern, ()) + (_code,)
_QUERY_PATTERNS = _NAME_PATTERNS + _ABBREV_PATTERNS
# Typed (and in a document's own number), the type may be joined to the number by a hyphen,
# as in the open data's identifiers and file names: "DS-004-2019-JUS", "RM-1110-2023-MINSA".
_QUERY_RE = re.compile(
    _LEFT + r"(?:" + _group(_NAME_PATTERNS + _ABBREV_PATTERNS) + r")(?:\s*-\s*|\s*)(?:"
    + _MARKER + r"\s*)?" + _TYPED_NUMBER + r"(?![a-z0-9])"
)
_BARE_NUMBER_RE = re.compile(r"(?:" + _MARKER + r"\s*)?" + _NUMBER)

_TYPE_ALIASES: dict[str, str] = _REGISTRY.aliases()


def normalize_type(value: str) -> str:
    """A type code from a code or a name: 'Resolución de Alcaldía' -> 'RA', 'om' -> 'OM'.
    Unknown types come back as upper-case codes ('tuo' -> 'TUO')."""
    folded = " ".join(re.sub(r"[.\s]+", " ", fold(value)).split())
    if folded in _TYPE_ALIASES:
        return _TYPE_ALIASES[folded]
    squeezed = folded.replace(" ", "")
    if squeezed in _TYPE_ALIASES:
        return _TYPE_ALIASES[squeezed]
    return squeezed.upper()


def full_year(year: str | int | None) -> int | None:
    """1999 for "99", 2003 for "03" (old two-digit years), the year itself otherwise."""
    if year is None or year == "":
        return None
    value = int(year)
    if value < 100:
        return value + (1900 if value >= 40 else 2000)
    return value


# A year printed after the sector ("R.M. Nº 0536-RE-2019", as Relaciones Exteriores
# numbers its resolutions): the last part of the suffix that is a four-digit year.
_SUFFIX_YEARS = re.compile(r"[-/]((?:19|20)\d{2})(?![0-9])")
_LETTER_AFTER_NUMBER = re.compile(r"[-/][a-z](?![a-z0-9])")   # "001-A-2004": part of it


def _year_of(match: re.Match) -> str | None:
    """The year of a matched number (folded text): right after it ("004-2019-jus"), or after
    its sector ("0536-re-2019"); None when it has none."""
    year, suffix = match.group("year"), match.group("suffix")
    if year or not suffix or _LETTER_AFTER_NUMBER.match(suffix):
        return year  # a letter after the number is part of it ("001-A-2004-DE-SG"): no year read
    years = _SUFFIX_YEARS.findall(suffix)
    return years[-1] if years else None


def _make_key(code: str, num: str, year: str | int | None) -> str:
    digits = num.replace(".", "")
    n = int(digits)
    if code in NO_YEAR_TYPES or not year:
        return f"{code}-{n}"
    return f"{code}-{n}-{full_year(year)}"


def _sector(code: str, suffix: str | None) -> str:
    """The issuing sector of a number's suffix ("-JUS", "-MTC/12" -> "MTC") for the types
    numbered per sector; "" otherwise."""
    doc_type = _REGISTRY.get(code)
    if doc_type is None or not doc_type.has_sector or not suffix:
        return ""
    for part in re.split(r"[-/\s]+", suffix):
        if part and not part.isdigit():
            glued = GLUED_YEAR.fullmatch(part)
            return fold(glued["sector"] if glued else part).upper()   # "PROMPERÚ": PROMPERU
    return ""


# A year printed glued to the sector ("D.S. N° 132-2017EF", a gazette's slip), read by the
# citation extractor the same way.
GLUED_YEAR = re.compile(r"(?P<year>(?:19|20)\d\d)(?P<sector>[^\W\d_]{2,10})")


# A sector printed after a space ("D.S. Nº 021-2006 DE/EP", "DS Nº 085-2003 PCM"), read on
# the original text, since only its capitals tell a sector from a word: capitals only, and
# either joined to an office ("DE/EP", "EM-DGAA", "MGP/DICAPI") or closing the mention (line
# end, punctuation), so a heading in capitals ("... 004-2019 QUE APRUEBA") or a following
# word is never a sector. The citation extractor reads it with the same rule.
_SPACED_SECTOR = re.compile(
    r"[ \t](?:(?P<joined>[A-Z]{2,10}(?:[-/][A-Z0-9]{1,10}(?:\.[A-Z0-9]{1,6})*){1,3})"
    r"|(?P<bare>[A-Z]{2,10})(?=[ \t]*(?:[\n,;:.)(\]*]|$)))(?![A-Za-z0-9])")
# Capital words that may close a sentence set in capitals: never a bare sector.
_NOT_SECTORS = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "EL", "EN", "AL", "QUE", "SE", "CON",
                          "POR", "PARA", "SU", "SUS", "UN", "UNA", "ES", "NO"})
# The types whose sector may be printed after a space: national and regional ones numbered
# per sector (a municipal number's suffix is joined to it).
SPACED_SECTOR_TYPES = frozenset(t.code for t in _REGISTRY.types
                                if t.has_sector and not t.municipal)


def spaced_sector(text: str, end: int) -> tuple[str, int] | None:
    """The sector printed after a space where a number ends at ``end`` in ``text`` (original
    letter case), as printed ("DE/EP", "PCM"), and where it ends; None when there is none."""
    match = _SPACED_SECTOR.match(text, end)
    if match is None or match.group("bare") in _NOT_SECTORS:
        return None
    group = "joined" if match.group("joined") else "bare"
    return match.group(group), match.end(group)


def _sector_after(code: str, original: str, folded: str, match: re.Match) -> tuple[str, int]:
    """The sector of ``match``'s number (its suffix, else printed after a space in
    ``original``, of which ``folded`` is a same-length lower-case copy) and the end of the
    mention; ("", end) when it has none."""
    end = match.end()
    sector = _sector(code, match.group("suffix"))
    if (not sector and code in SPACED_SECTOR_TYPES and match.group("year")
            and len(original) == len(folded)):
        spaced = spaced_sector(original, end)
        if spaced is not None:
            sector, end = _sector(code, spaced[0]), spaced[1]
    return sector, end


def _code_of(match: re.Match) -> str:
    for name, value in match.groupdict().items():
        if value is not None and name.startswith("t_"):
            return name.split("_")[1]
    raise ValueError("match without a type group")


def _other_codes(match: re.Match) -> tuple[str, ...]:
    """The other types a query match's abbreviation names ("d.l." read as DLEG: DLEY)."""
    for name, value in match.groupdict().items():
        if value is not None and name.startswith("t_"):
            code, index = name.split("_")[1], int(name.rsplit("_", 1)[1])
            codes = _SHARED_CODES.get(_QUERY_PATTERNS[index][1], ())
            return tuple(c for c in codes if c != code)
    return ()


def number_key(doc_type: str, number: str, year: int | None = None) -> str:
    """The key of a document's own number, or "" when it has none (drafts).

    ``doc_type`` decides the type code; ``number`` is the official number string
    ("RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM" or just "0045-2024-GM-MDM");
    ``year`` is used when the number carries none ("N° 646-MSB").
    """
    keys = _own_keys(doc_type, number, year)
    return keys[0] if keys else ""


def number_keys(doc_type: str, number: str, year: int | None = None) -> list[str]:
    """The keys a document is found by: :func:`number_key`, and for the types numbered
    per sector the same key with the sector ("DS-4-2019" and "DS-4-2019-JUS"), so a query
    that names the sector puts that sector's norm before a namesake of another sector."""
    return list(_own_keys(doc_type, number, year))


@lru_cache(maxsize=1024)
def _own_keys(doc_type: str, number: str, year: int | None) -> tuple[str, ...]:
    """``number_keys`` read once: indexing an entry asks for its key and then for all its
    keys, and each reading folds the number and runs the patterns."""
    if not number or not number.strip():
        return ()
    code = normalize_type(doc_type) if doc_type else ""
    folded = fold(number)
    match = _QUERY_RE.search(folded)
    if match is not None:
        code = code or _code_of(match)
    else:
        match = _BARE_NUMBER_RE.search(folded)
        if match is None or not code:
            return ()
    key = _make_key(code, match.group("num"), _year_of(match) or year)
    sector, _ = _sector_after(key.split("-")[0], number, folded, match)
    return (key, f"{key}-{sector}") if sector else (key,)


# What extract_number_keys finds depends on this code and on the registry: keys stored with
# another revision (docsys keeps each version's, see docsys.indexing) are found again.
# Bump the first part when the extraction rules here change.
EXTRACTOR_REVISION = "7-" + hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()[:12]


def is_law_number(number: str) -> bool:
    """Laws are numbered with 3 to 5 digits ("Ley 27.972" too); anything else after the
    word "Ley" is a numeral or a date. The citation extractor reads them alike."""
    return 3 <= len(number.replace(".", "")) <= 5


# "D." right before a name's "Ley" ("D. Ley N° 25844", "D.Ley"): the decree's initial.
_DECREE_INITIAL = re.compile(r"(?<![a-z0-9])d\.\s?$")


def extract_number_keys(text: str) -> set[str]:
    """Keys of the norms cited in ``text`` ("... la Ley N° 27972 y la Ordenanza Municipal
    N° 012-2019-MDM ..." -> {"LEY-27972", "OM-12-2019"}). Municipal norms need a year.

    A citation of a type numbered per sector gives its key with the sector as well
    ("Decreto Supremo N° 004-2019-JUS" -> "DS-4-2019" and "DS-4-2019-JUS"): the plain key
    finds every norm citing that number, the sector key counts the citations of that one
    norm among its namesakes (search.fitting)."""
    if not text:
        return set()
    keys: set[str] = set()
    low = text.lower()
    consumed = 0   # the end of the last mention read: "Ley" inside "Decreto Ley N° 25844"
    for start in _NAME_START.finditer(low):
        pos = start.start()
        if pos < consumed or (pos and low[pos - 1].isalnum()):
            continue
        found = start.group(0)
        word = _WORD_OF.get(found)
        if word is None:  # a spelling not seen yet (accents): fold it once
            word = _WORD_OF.setdefault(found, fold(found))
        pattern, groups = _TEXT_BY_WORD[word]
        match = pattern.match(low, pos)
        if match is None:
            continue
        consumed = match.end()
        code = next(c for g, c in groups if match.group(g) is not None)
        if code == "LEY" and _DECREE_INITIAL.search(low, max(0, pos - 4), pos):
            code = "DLEY"   # "D. Ley N° 25844": a Decreto Ley, not Ley 25844
        year = _year_of(match)
        if code not in NO_YEAR_TYPES and not year:
            continue
        if code == "LEY" and not is_law_number(match.group("num")):
            continue   # "la Ley\n3.1. ...": a numeral
        if code in NO_YEAR_TYPES and match.group("year"):
            continue   # "Proyecto de Ley N° 1837-2017-PE": a bill; a law has no year
        key = _make_key(code, match.group("num"), year)
        keys.add(key)
        sector, _ = _sector_after(code, text, low, match)
        if sector:
            keys.add(f"{key}-{sector}")
    return keys


_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class NumberMention:
    key: str          # e.g. "OM-12-2019"
    start: int        # character span in the text searched
    end: int
    text: str         # the words as typed
    sector_key: str = ""  # the key with the sector typed ("DS-4-2019-JUS"), if any
    other_keys: tuple[str, ...] = ()  # the same number of the other types an abbreviation
    #                                   names ("D.L. 25844": DLEY-25844 beside DLEG-25844)


def yearless_key(key: str) -> str | None:
    """The key of a yearly number without its year ("RM-148-2026" -> "RM-148"), which the
    index holds too so a number typed without its year finds every year's; None for the
    keys that have no year ("LEY-27972") or carry a sector."""
    match = _YEARLY_KEY.match(key or "")
    return match.group(1) if match else None


def key_year(key: str) -> str | None:
    """The year of a yearly number's key ("RM-148-2026" -> "2026"); None as above."""
    match = _YEARLY_KEY.match(key or "")
    return match.group(2) if match else None


_YEARLY_KEY = re.compile(r"^([A-Z]+-\d+)-(\d{4})$")


def key_sector(key: str, sector_key: str) -> str | None:
    """The sector a norm's sector key adds to its plain key ("DS-4-2019" and
    "DS-4-2019-JUS" -> "JUS"); None when the second is not the first with a sector."""
    if not sector_key.startswith(key + "-"):
        return None
    return sector_key[len(key) + 1:] or None


def _plausible_year(number: str) -> bool:
    """"ordenanza 2024" asks for the ordinances of 2024, not for one numbered 2024."""
    return len(number) == 4 and 1900 <= int(number) <= 2099


def find_number_in_query(text: str, *, yearless: bool = False) -> NumberMention | None:
    """The first norm number typed in a query ("ordenanza 12-2019", "RGM 45-2024",
    "ley n° 27972"), or None. Municipal and supreme-decree numbers need their year, unless
    ``yearless``: then "RM 148" is read too, as every year's RM 148 (``yearless_key``);
    a number that reads as a year ("ordenanza 2024") is not."""
    if not _DIGIT.search(text):
        return None  # every number has digits: most queries (words, phrases) end here
    folded = fold(text)
    if len(folded) != len(text):  # rare characters that change length when folded
        folded = "".join(fold(ch)[:1] or " " for ch in text)
    for match in _QUERY_RE.finditer(folded):
        code = _code_of(match)
        year = _year_of(match)
        without_year = code not in NO_YEAR_TYPES and not year
        if without_year and (not yearless or _plausible_year(match.group("num"))
                             or match.group("suffix")):
            continue
        start = match.start()
        key = _make_key(code, match.group("num"), year)
        sector, end = _sector_after(code, text, folded, match)
        if without_year:   # every year's: the sector's key, with its year, is unknown
            sector, end = "", match.end()
        others = tuple(_make_key(other, match.group("num"), year)
                       for other in _other_codes(match)
                       if other in NO_YEAR_TYPES or year or without_year)
        return NumberMention(key, start, end, text[start:end],
                             f"{key}-{sector}" if sector else "", others)
    return None
