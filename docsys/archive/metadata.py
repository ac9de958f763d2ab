"""Guess a norm's type, number, year, office, date and sumilla from its text and file name.

The archive's norms follow the municipal heading conventions ("RESOLUCIÓN DE GERENCIA
MUNICIPAL N° 0045-2024-GM-MDM", "Megantoni, 15 de marzo de 2024", "ORDENANZA QUE APRUEBA
...") but many were read by OCR, which turns "N°" into "N*" or "Nº", "0" into "O", and
breaks lines anywhere. Matching runs on a folded copy of the text (upper case, no accents,
same length, so positions point back into the original) with patterns that accept those
confusions, and only accepts a number that comes with a plausible year.

Every field has a confidence (0-1) and a source ("texto" or "nombre de archivo"); the
archivist is asked to confirm :meth:`GuessedMetadata.to_confirm`. Office codes are the
project's (demo/data/offices.yaml): the number's suffix when it has one ("-GM-MDM"
-> GM, "-A-MDM" -> A), else the template's issuing office: Alcaldía (A) for RA and DA,
Gerencia Municipal (GM) for RGM and DIR, Secretaría General (SG), which keeps the register
of the Concejo's norms, for OM and AC (templates/documents/*.yaml).
"""
from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import NotRequired, TypedDict

from search.folding import fold
from search.headings import opening_number
from search.numbers import full_year
from search.registry import registry
from docsys.rendering.ordinals import MONTHS

FIELDS = ("doc_type", "number", "year", "office", "date", "sumilla")
CONFIRM_BELOW = 0.8
SUMILLA_MAX = 240
TOP_LINES = 15  # a heading found in these lines of the first page is "at the top"

# Type phrases, most specific first (upper case, no accents; O/I/L/S accept OCR lookalikes):
# the spellings the registry does not hold, then every name of search/doc_types.yaml.
_OWN_PHRASES = [
    ("RGM", "RESOLUCION DE GERENCIA MUNICIPAL"),
    ("RGM", "RESOLUCION GERENCIAL MUNICIPAL"),
    ("RG", "RESOLUCION DE (?:SUB ?)?GERENCIA"),
    ("RG", "RESOLUCION (?:SUB ?)?GERENCIAL"),
    ("RA", "RESOLUCION DE ALCALDIA"),
    ("RA", "RESOLUCION ALCALDICIA"),
    ("DA", "DECRETO DE ALCALDIA"),
    ("AC", "ACUERDO DE CONCEJO"),
    ("AC", "ACUERDO MUNICIPAL"),
    ("OM", "ORDENANZA MUNICIPAL"),
    ("OM", "ORDENANZA"),
    ("DIR", "DIRECTIVA"),
]
_TYPE_PHRASES = _OWN_PHRASES + [
    (code, phrase.upper()) for code, phrase in registry().phrases()
    if (code, phrase.upper()) not in _OWN_PHRASES and re.fullmatch(r"[a-z ]+", phrase)]
_TYPE_PHRASES.sort(key=lambda p: -len(p[1].replace("(?:SUB ?)?", "")))
# Abbreviations used in file names ("RGM 045-2024.pdf").
_TYPE_ABBREVIATIONS = {"RGM": "RGM", "RG": "RG", "RA": "RA", "DA": "DA", "AC": "AC", "OM": "OM",
                       "DIR": "DIR", "ORD": "OM", "ACU": "AC", "DEC": "DA"}
DEFAULT_OFFICE = {"RA": "A", "DA": "A", "RGM": "GM", "DIR": "GM", "OM": "SG", "AC": "SG"}
_OFFICE_ALIASES = {"ALC": "A", "AL": "A", "CM": "SG", "CMM": "SG", "SGM": "SG"}
_MONTHS = {**{name.upper(): n for n, name in enumerate(MONTHS, 1)}, "SEPTIEMBRE": 9}


@dataclass
class GuessedMetadata:
    """What was read, field by field; None where nothing credible was found.

    ``confidence`` maps each of FIELDS to 0-1 (0 when missing); ``sources`` says where a
    field came from ("texto" or "nombre de archivo"); ``notes`` are Spanish remarks for the
    archivist (the text and the file name disagree, a date of another year...).
    """

    doc_type: str | None = None
    number: int | None = None
    year: int | None = None
    office: str | None = None
    number_label: str | None = None  # the number as written, e.g. "0045-2024-GM-MDM"
    date: datetime.date | None = None
    place: str | None = None
    sumilla: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Where the text was taken from, as a structured export says (its front matter's
    # ``source`` and ``identifier``); kept with the archived norm (ArchivedNorm.source_url).
    source_url: str | None = None
    source_identifier: str | None = None

    @property
    def missing(self) -> list[str]:
        return [name for name in FIELDS if getattr(self, name) is None]

    def to_confirm(self, threshold: float = CONFIRM_BELOW) -> list[str]:
        """Fields the archivist should check: missing or below ``threshold``. The
        Constitution, a type that is one norm, has no number to check."""
        info = registry().get(self.doc_type or "")
        single = (info is not None and info.single
                  and self.confidence.get("doc_type", 0.0) >= threshold)
        return [name for name in FIELDS if self.confidence.get(name, 0.0) < threshold
                and not (single and name == "number")]

    def stored_date(self) -> str | None:
        """The issue date an import stores (ISO): only a date read with confidence; a
        doubtful one waits for the archivist."""
        sure = self.confidence.get("date", 0.0) >= CONFIRM_BELOW
        return self.date.isoformat() if self.date is not None and sure else None


def guess_metadata(text: str, filename: str = "", *, muni_code: str = "MDM") -> GuessedMetadata:
    """Read the metadata of one norm from its extracted text (mostly the first page, where
    the heading is) and fall back on its file name."""
    text = unicodedata.normalize("NFC", text or "")
    first = _first_page(text)
    folded = _fold(first)
    meta = GuessedMetadata()
    heading = _national_heading(first, folded, meta) or _find_heading(first, folded, muni_code)
    if heading:
        _set(meta, "doc_type", heading["doc_type"], heading["type_confidence"])
        if heading.get("number") is not None:
            for name in ("number", "year"):
                if heading[name] is not None:  # laws are numbered without a year
                    _set(meta, name, heading[name], heading["number_confidence"])
            meta.number_label = heading["label"]
            if heading["office"]:
                _set(meta, "office", heading["office"], heading["number_confidence"] - 0.05)

    _merge_filename(meta, _from_filename(filename, muni_code))
    if meta.office is None and meta.doc_type in DEFAULT_OFFICE:
        # The number carries no office (ordinances never do): the type's issuing office is
        # then the rule, as sure as the type itself.
        _set(meta, "office", DEFAULT_OFFICE[meta.doc_type],
             min(0.85, meta.confidence.get("doc_type", 0.0)), source="tipo de norma")

    # The heading's date, unless the closing formula further on ("Dado en la Casa de
    # Gobierno ...", "Regístrese ...") gives a surer one: a law's first page may carry only
    # the Congress's date or another norm's.
    # A law (numbered without a year) carries no heading date: its dates are the closing
    # formulas, and the last of them (the promulgation) is its own.
    yearless = meta.doc_type in registry().no_year_codes()
    date = _find_date(first, folded, meta.year, last=yearless)
    if date is None or date["confidence"] < _PROMULGATED:
        closing = _find_date(text, _fold(text), meta.year, given_only=True)
        if closing and (date is None or closing["confidence"] > date["confidence"] or (
                yearless and closing["confidence"] == date["confidence"])):
            date = closing
    if date is None or date["confidence"] < _PROMULGATED:
        stamped = _promulgation_stamp(folded)
        if stamped:
            date = stamped
    if date:
        meta.date, meta.place = date["date"], date.get("place")
        meta.confidence["date"], meta.sources["date"] = date["confidence"], "texto"
        if meta.year and meta.date.year != meta.year:
            meta.notes.append(f"La fecha ({meta.date:%d/%m/%Y}) es de otro año que la norma "
                              f"({meta.year}).")
    if meta.year is None and meta.date and (meta.number or yearless) and meta.doc_type \
            and meta.confidence.get("date", 0.0) >= 0.85:
        # a law's year is the year it was given ("Lima, ... de 2003", "Dado en ..."; its
        # number carries none), never that of a later note's date. Without its number (a
        # gazette page) the year of a law is still its promulgation's, sure as the date.
        _set(meta, "year", meta.date.year, min(meta.confidence.get("number", 0.0)
                                               if meta.number else 1.0,
                                               meta.confidence.get("date", 0.0)))
    if meta.year is None and yearless and meta.number:
        # An old law's SPIJ copy holds no date, only the link to its scan, filed by the
        # year and month of its publication: ".../Textos-PDF/Leyes/1951/Febrero/11585.pdf".
        for link in _SCAN_LINK_RE.finditer(text):
            if int(link["number"]) == meta.number:
                _set(meta, "year", int(link["year"]), 0.85, source="enlace al texto")
                break
    sumilla = _find_sumilla(first, folded, text, meta.doc_type)
    if sumilla:
        meta.sumilla = sumilla[0]
        meta.confidence["sumilla"], meta.sources["sumilla"] = sumilla[1], "texto"
    for name in FIELDS:
        meta.confidence.setdefault(name, 0.0)
    return meta


def _set(meta: GuessedMetadata, name: str, value, confidence: float, source: str = "texto"):
    setattr(meta, name, value)
    meta.confidence[name] = round(min(max(confidence, 0.0), 0.99), 2)
    meta.sources[name] = source


# ---------------------------------------------------------------------------- folding


def _fold(text: str) -> str:
    """Upper case without accents, one character for one (search.folding, in
    capitals), so match positions are valid in the original text."""
    folded = fold(text)
    upper = folded.upper()
    if len(upper) == len(folded):
        return upper
    return "".join(ch if len(ch.upper()) != 1 else ch.upper() for ch in folded)  # "ß" -> "SS"


def _fuzzy(phrase: str) -> str:
    """A regex for an upper-case phrase that accepts OCR lookalikes and broken spacing."""
    lookalikes = {"O": "[O0Q]", "I": "[I1L|!]", "L": "[L1I|]", "S": "[S5]", "E": "[EF]"}
    out, in_group = [], 0
    for ch in phrase:
        if ch in "(?:)":
            out.append(ch)
        elif ch == " ":
            out.append(r"\s*" if in_group else r"\s+")
        else:
            out.append(lookalikes.get(ch, re.escape(ch)))
    return "".join(out)


_TYPE_RE = [(code, re.compile(r"(?<![A-Z])" + _fuzzy(phrase) + r"(?![A-Z])"))
            for code, phrase in _TYPE_PHRASES]
_DIGITISH = "0-9OQDIL|"
_NUMBER_RE = re.compile(
    r"(?<![A-Z0-9])N\s*(?:RO|UM(?:ERO)?)?\s*[.:]?(?:\s*[°º*ª'\"”“´`^?]{1,2}|[E0O](?=[\s.]))?\s*[.:]?\s*"
    rf"(?P<sgd>D(?=[0-9]{{6}}[^0-9]))?(?P<num>[{_DIGITISH}]{{1,6}})\s*[-–—_./]\s*"
    rf"(?P<year>[12IL][09OQ][{_DIGITISH}]{{2}})(?![0-9])"
    r"(?P<suffix>(?:\s*[-–—_/.]\s*[A-Z]{1,10}(?![a-z]))*)")
_DIGIT_FIXES = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1"})


_SCAN_LINK_RE = re.compile(r"/Textos-PDF/[A-Za-z-]+/(?P<year>(?:19|20)[0-9]{2})/[A-Za-z]+/"
                           r"0*(?P<number>[0-9]{1,6})\.pdf", re.IGNORECASE)


def _first_page(text: str) -> str:
    """The first page (PDF pages are separated by form feeds), or the first 4,000 chars."""
    page = text.split("\f", 1)[0]
    return page[:6000] if "\f" in text else text[:4000]


# ---------------------------------------------------------------------------- heading


def _find_heading(original: str, folded: str, muni_code: str) -> dict | None:
    """The first "TYPE ... N° number-year-suffix" of the first page; else the first type
    phrase alone. Citations of other norms come later in the text, after the heading."""
    top_end = _offset_of_line(folded, TOP_LINES)
    for match in _NUMBER_RE.finditer(folded):
        number = _parse_number(match, muni_code)
        if number is None:
            continue
        window_start = max(0, match.start() - 120)
        found = _closest_type(folded, window_start, match.start())
        if found is None:
            continue
        code, type_match = found
        if not _starts_heading(original, folded, type_match.start()):
            continue  # "VISTO: La Resolución de Alcaldía N° ..." cites another norm
        top = type_match.start() < top_end
        if code == "RG" and number["office"] in ("GM",):
            code = "RGM"  # "RESOLUCIÓN DE GERENCIA N° ...-GM-MDM" is the municipal manager's
        corrected = number.pop("corrected")
        return {"doc_type": code, "type_confidence": 0.95 if top else 0.8,
                "number_confidence": (0.95 if top else 0.8) - (0.15 if corrected else 0.0),
                **number}
    for code, pattern in _TYPE_RE:
        for match in pattern.finditer(folded, 0, top_end):
            if _starts_heading(original, folded, match.start()):
                return {"doc_type": code, "type_confidence": 0.6}
    return None


_CONCORDANCES = re.compile(r"CONCORDANCIAS|CONCORDANCIA:")
_MARKUP = re.compile(r"^[\s#*_>|\[-]+|[*_]+")
_LIST_ITEM = re.compile(r"\s*(?:[-•]|\*(?!\*)|[0-9]{1,2}[.)])\s+\S")


def _national_heading(original: str, folded: str, meta: GuessedMetadata) -> dict | None:
    """A national or regional norm's own heading as El Peruano and SPIJ print it: a line
    that opens with the type and its number ("LEY N° 27972", "DECRETO SUPREMO Nº
    004-2019-JUS", "# Resolución Ministerial N° 291-2006-VIVIENDA"), before any
    CONCORDANCIAS block (whose numbers are other norms'). A gazette page that opens with
    several norms' headings is noted and its type left to the archivist."""
    stop = _CONCORDANCES.search(folded)
    end = min(stop.start() if stop else len(folded), _offset_of_line(folded, TOP_LINES + 15))
    found: dict[str, dict] = {}
    # a list item ("- Decreto Ley Nº 19893" under BASE LEGAL) cites a norm: no heading
    lines = ["" if _LIST_ITEM.match(line) else _MARKUP.sub("", line)[:200]
             for line in original[:end].split("\n")]
    lines = [line for line in lines if line.strip()]
    for index, line in enumerate(lines):
        # (the heading reader the relation finder shares: a sentence of the considerations
        # that opens with a citation, "Ley Nº 30157, Ley de ..., dispone que", is none)
        mention = opening_number(line)
        if mention is None and index + 1 < len(lines) and _NUMBER_LINE.match(lines[index + 1]) \
                and _type_only(line):
            # "## RESOLUCIÓN SUPREMA" then "## Nº 008-2026-MIDIS": one heading on two lines
            line = f"{line.strip()} {lines[index + 1].strip()}"
            mention = opening_number(line)
        if mention is None:
            continue
        code, number, *rest = mention.key.split("-")
        doc_type = registry().get(code)
        if doc_type is None or doc_type.municipal or not number.isdigit():
            continue
        found.setdefault(mention.key, {"doc_type": code, "number": int(number),
                                       "year": int(rest[0]) if rest else None,
                                       "label": _number_label(line[mention.start:mention.end])})
    if not found:
        return None
    if len(found) > 1:
        meta.notes.append("El texto abre con los encabezados de varias normas ("
                          + ", ".join(found) + "): parece una página de diario con varias "
                          "normas; confirme de cuál se trata.")
        # The first heading (a file's own title line, the first entry of a gazette's
        # summary) is proposed, type and number alike, for the archivist to confirm.
        first = next(iter(found.values()))
        return {**first, "office": None, "type_confidence": 0.5, "number_confidence": 0.5}
    heading = next(iter(found.values()))
    return {**heading, "office": None, "type_confidence": 0.95, "number_confidence": 0.95}


# "Nº 008-2026-MIDIS", also lower case as some copies print it ("## nº 010-2026-minedu")
_NUMBER_LINE = re.compile(r"\s*N(?:RO|UM(?:ERO)?)?\s*\.?\s*[°º.]*\s*D?[0-9]", re.I)


def _type_only(line: str) -> bool:
    """The line is a type's name and nothing else ("RESOLUCIÓN SUPREMA")."""
    folded = _fold(line).strip(" .:")
    return any(pattern.fullmatch(folded) for _, pattern in _TYPE_RE)


def _number_label(text: str) -> str:
    """The number as printed after the type and its marker ("004-2019-JUS"), with a sector
    printed after a space that the heading reader took ("1084-2024 MGP/DICAPI")."""
    match = re.search(r"(?:D(?=\d{6}(?!\d)))?\d[\w./ \t-]*$", text.strip())
    return match.group(0) if match else text.strip()


_CITING = re.compile(r"(?<![A-Z])(?:VISTOS?|MEDIANTE|SEGUN|CONFORME|CON|POR|LA|EL|LAS|LOS|DE)"
                     r"\W*$")


def _starts_heading(original: str, folded: str, position: int) -> bool:
    """A heading opens its line (an OCR'd letterhead in capitals may share it); a type
    after lower-case words or after "VISTO: La" is a citation of another norm."""
    line_start = folded.rfind("\n", 0, position) + 1
    prefix = original[line_start:position]
    return not (any(ch.islower() for ch in prefix) or _CITING.search(folded[line_start:position]))


_BETWEEN_STOP = re.compile(
    r"(?<![A-Z])(?:INFORME|OFICIO|MEMORANDO|MEMORANDUM|EXPEDIENTE|CARTA|SOLICITUD|LEY|DECRETO|"
    r"RESOLUCION|ACUERDO|ORDENANZA|DIRECTIVA|VISTOS?|CONSIDERANDO|ENERO|FEBRERO|MARZO|ABRIL|"
    r"MAYO|JUNIO|JULIO|AGOSTO|SET?IEMBRE|OCTUBRE|NOVIEMBRE|DICIEMBRE)(?![A-Z])")


def _closest_type(folded: str, start: int, end: int):
    """The type phrase that ends closest before ``end`` (the longest if two end together)."""
    best = None
    for code, pattern in _TYPE_RE:
        for match in pattern.finditer(folded, start, end):
            between = folded[match.end():end]
            if "\n\n" in between or len(between) > 90 or _BETWEEN_STOP.search(between):
                continue  # the number belongs to something else ("VISTO: El Informe N° ...")
            key = (match.end(), match.end() - match.start())
            if best is None or key > best[0]:
                best = (key, code, match)
    return (best[1], best[2]) if best else None


def _parse_number(match: re.Match, muni_code: str) -> dict | None:
    raw_number, raw_year = match.group("num"), match.group("year")
    if not any(ch.isdigit() for ch in raw_number):
        return None
    number_text = raw_number.translate(_DIGIT_FIXES)
    year_text = raw_year.translate(_DIGIT_FIXES)
    if not (number_text.isdigit() and year_text.isdigit()):
        return None
    number, year = int(number_text), int(year_text)
    if number == 0 or not 1980 <= year <= datetime.date.today().year + 1:
        return None
    tokens = [t for t in re.split(r"[\s\-–—_/.]+", match.group("suffix")) if t]
    office = next((t for t in tokens if t != muni_code.upper()), None)
    office = _OFFICE_ALIASES.get(office, office) if office else None
    # an SGD number keeps its D ("D000502-2025-AL-MDI", search.numbers.SGD_PREFIX)
    label = "-".join([("D" if match.group("sgd") else "") + number_text, year_text] + tokens)
    return {"number": number, "year": year, "office": office, "label": label,
            "corrected": number_text != raw_number or year_text != raw_year}


def _offset_of_line(text: str, lines: int) -> int:
    position = 0
    for _ in range(lines):
        position = text.find("\n", position) + 1
        if position == 0:
            return len(text)
    return position


# ---------------------------------------------------------------------------- file name


def _from_filename(filename: str, muni_code: str) -> dict:
    """Type, number, year and office from names like "RGM 045-2024.pdf" or
    "Ordenanza_012-2019-MDM.pdf"."""
    stem = PurePath(filename or "").name
    stem = re.sub(r"\.(pdf|docx?|txt|rtf)$", "", stem, flags=re.I)
    folded = " " + _fold(re.sub(r"[_+]+", " ", stem)) + " "
    found: dict = {}
    for code, pattern in _TYPE_RE:
        if pattern.search(folded):
            found["doc_type"] = code
            break
    else:
        abbreviation = re.search(r"(?<![A-Z])(R\.?G\.?M|R\.?G|R\.?A|D\.?A|A\.?C|O\.?M|DIR|ORD|ACU|DEC)"
                                 r"\.?(?![A-Z])", folded)
        if abbreviation:
            found["doc_type"] = _TYPE_ABBREVIATIONS[abbreviation.group(1).replace(".", "")]
    number = re.search(r"(?<![0-9])(?P<num>[0-9]{1,5})\s*[-– ]\s*(?P<year>(?:19|20)[0-9]{2})"
                       r"(?![0-9])(?P<suffix>(?:\s*[-–]\s*[A-Z]{1,10}(?![A-Z]))*)", folded)
    if number and int(number.group("num")) > 0:
        tokens = [t for t in re.split(r"[\s\-–]+", number.group("suffix")) if t]
        office = next((t for t in tokens if t != muni_code.upper() and t not in _TYPE_ABBREVIATIONS),
                      None)
        found.update(number=int(number.group("num")), year=int(number.group("year")),
                     office=_OFFICE_ALIASES.get(office, office) if office else None)
        found["label"] = "-".join([number.group("num"), number.group("year")] + tokens)
    return found


def _merge_filename(meta: GuessedMetadata, named: dict) -> None:
    """Fill what the text lacks from the file name; agreement raises the confidence,
    disagreement lowers it and is noted (the text wins)."""
    labels = {"doc_type": "el tipo", "number": "el número", "year": "el año", "office": "la oficina"}
    for name in ("doc_type", "number", "year", "office"):
        value = named.get(name)
        if value is None:
            continue
        current = getattr(meta, name)
        if current is None:
            _set(meta, name, value, 0.7, source="nombre de archivo")
            if name == "number" and not meta.number_label:
                meta.number_label = named.get("label")
        elif current == value:
            meta.confidence[name] = 0.99
        else:
            meta.confidence[name] = min(meta.confidence[name], 0.5)
            meta.notes.append(f"El nombre del archivo indica otro valor para {labels[name]} "
                              f"({value}) que el texto ({current}).")


# ---------------------------------------------------------------------------- date

_DAY_WORDS = {w: n for n, w in enumerate(
    "UNO DOS TRES CUATRO CINCO SEIS SIETE OCHO NUEVE DIEZ ONCE DOCE TRECE CATORCE QUINCE "
    "DIECISEIS DIECISIETE DIECIOCHO DIECINUEVE VEINTE VEINTIUNO VEINTIDOS VEINTITRES "
    "VEINTICUATRO VEINTICINCO VEINTISEIS VEINTISIETE VEINTIOCHO VEINTINUEVE TREINTA".split(), 1)}
_DAY_WORDS.update({"PRIMERO": 1, "PRIMER": 1, "UN": 1, "VEINTIUN": 21, "TREINTIUNO": 31,
                   "TREINTIUN": 31, "TREINTA Y UNO": 31,
                   "TREINTA Y UN": 31})
_DAY_ALT = "|".join(sorted(map(re.escape, _DAY_WORDS), key=len, reverse=True)).replace(r"\ ", r"\s+")
# Years in words, as laws are dated ("dos mil veinticinco", "mil novecientos ochentidós",
# "noventaiuno", "noventa y uno"): the century, then 1-29 or tens and units.
_TENS = {"TREINT": 30, "CUARENT": 40, "CINCUENT": 50, "SESENT": 60, "SETENT": 70,
         "OCHENT": 80, "NOVENT": 90}
_UNITS = {w: n for w, n in _DAY_WORDS.items() if n < 10 and " " not in w}
_UNIT_ALT = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_RE = re.compile(r"(?P<tens>" + "|".join(_TENS) + r")(?:A(?:\s*[YI]\s*)?|I\s*)"
                      r"(?P<unit>" + _UNIT_ALT + r")?$")
_YEAR_REST = (r"(?:(?:" + "|".join(_TENS) + r")(?:A(?:\s*[YI]\s*)?|I\s*)(?:" + _UNIT_ALT
              + r")?(?![A-Z])|" + _DAY_ALT + r")")
_YEAR_ALT = r"(?:DOS\s+MIL|MIL\s+NOVECIENTOS)(?:\s+" + _YEAR_REST + r")?"
# An OCR-damaged day word ("veintión", "veintidías"), read as the closest day word
_OCR_DAY = r"(?:VEINTI|TREINTI)[A-Z]{1,6}(?=\s+DIAS?\b)"
_MONTH_ALT = "|".join(_fuzzy(m) for m in sorted(_MONTHS, key=len, reverse=True))
_DATE_RE = re.compile(
    r"(?<![A-Z0-9])(?:A\s+LOS\s+)?(?P<day>[0-3]?[0-9]|" + _DAY_ALT + r"|" + _OCR_DAY + r")(?![0-9])"
    r"\s*(?:[°º]|RO\.?)?"
    r"\s*(?:DIAS?\s+)?(?:DE\s*|DEL\s+MES\s+DE\s+|\.\s*)?(?P<month>" + _MONTH_ALT + r")(?![A-Z])"
    r"\s*[,.]?\s*(?:DE\s*L?|DEL)?\s*(?:ANO\s+)?(?P<year>(?:19|20)[0-9]{2}|" + _YEAR_ALT + r")")
_NUMERIC_DATE_RE = re.compile(
    r"(?<![0-9])(?P<day>[0-3]?[0-9])\s*(?P<sep>[/.-])\s*(?P<month>[01]?[0-9])\s*(?P=sep)\s*"
    r"(?P<year>(?:19|20)[0-9]{2})(?![0-9])")
_PLACE_RE = re.compile(r"(?:^|\n)[ \t\xa0]*(?P<place>[A-Z][A-Z .'-]{2,40}?)\s*,\s*"
                       r"(?:(?:LUNES|MARTES|MIERCOLES|JUEVES|VIERNES|SABADO|DOMINGO)\s*,?\s*)?$")
_GIVEN_RE = re.compile(r"DADO\s+EN\s+|POR\s+TANTO|REGISTRESE|MANDO\s+SE\s+(?:REGISTRE|PUBLIQUE)"
                       r"|CASA\s+DEL\s+CONGRESO|PUBLIQUE\s+Y\s+CUMPLA|COMUNIQUESE")
# "Dado en la Casa de Gobierno, en Lima, a los ...": the promulgation of a law, legislative
# or supreme decree, its date of issue (the Congress's "En Lima, a los ..." comes before).
_PROMULGATION_RE = re.compile(r"DADO\s+E[NL]\s+(?:LA\s+)?CASA\s+DE\s+GOBIERNO\b[^\n]{0,40}$")
_PROMULGATED = 0.95


# SPIJ's header of an old code or decree: "Promulgado : 31-07-91" / "Promulgado : 10.01.2006"
_STAMP_RE = re.compile(r"(?:^|\n)[ \t*_]*PROMULGAD[OA][ \t*_]*:[ \t*_]*(?P<day>[0-3]?[0-9])\s*"
                       r"(?P<sep>[-./])\s*(?P<month>[01]?[0-9])\s*(?P=sep)\s*"
                       r"(?P<year>(?:19|20)?[0-9]{2})(?![0-9])")


def _promulgation_stamp(folded: str) -> "_FoundDate | None":
    match = _STAMP_RE.search(folded)
    if match is None:
        return None
    try:
        value = datetime.date(full_year(match["year"]) or 0, int(match["month"]),
                              int(match["day"]))
    except ValueError:
        return None
    return {"date": value, "confidence": _PROMULGATED}


class _FoundDate(TypedDict):
    date: datetime.date
    confidence: float
    place: NotRequired[str]


def _find_date(original: str, folded: str, year: int | None,
               given_only: bool = False, last: bool = False) -> _FoundDate | None:
    """The issue date: "Place, 15 de marzo de 2024" at a line start beats "Dado en ... a los
    quince días del mes de ..." and the closing formula, which beat any other date.
    ``last``: of two as sure, the later in the text (always so in the closing formulas)."""
    last = last or given_only
    candidates = []
    for match in _DATE_RE.finditer(folded):
        value = _date_of(match)
        if value:
            candidates.append((match, value, False))
    for match in _NUMERIC_DATE_RE.finditer(folded):
        try:
            value = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            continue
        candidates.append((match, value, True))
    best: _FoundDate | None = None
    for match, value, numeric in candidates:
        before = folded[max(0, match.start() - 60):match.start()]
        place = _PLACE_RE.search(before)
        given = _GIVEN_RE.search(folded[max(0, match.start() - 250):match.start()])
        if given_only and not given:
            continue
        if _PROMULGATION_RE.search(folded[max(0, match.start() - 80):match.start()]):
            confidence = _PROMULGATED
        elif place:
            confidence = 0.9
        elif given:
            confidence = 0.85
        else:
            confidence = 0.5
        if numeric:
            confidence -= 0.1
        if year and value.year != year:
            confidence -= 0.3
        # In the closing formulas the last date is the norm's (a law: the Congress's date,
        # then its promulgation); elsewhere the first (the heading's).
        if best is None or confidence > best["confidence"] + 1e-9 or (
                last and confidence > best["confidence"] - 1e-9):
            found: _FoundDate = {"date": value, "confidence": round(confidence, 2)}
            if place:
                start = match.start() - len(before) + place.start("place")
                found["place"] = original[start:start + len(place["place"])].strip().title()
            best = found
    return best


def _date_of(match: re.Match) -> datetime.date | None:
    day = match["day"]
    day = int(day) if day.isdigit() else _DAY_WORDS.get(re.sub(r"\s+", " ", day))
    if day is None:  # an OCR-damaged day word
        close = difflib.get_close_matches(match["day"], _YEAR_WORDS, n=1, cutoff=0.8)
        day = _YEAR_WORDS[close[0]] if close else None
    month_text = match["month"].translate(str.maketrans("01|!5", "OIIIS"))
    month = next((n for name, n in _MONTHS.items()
                  if re.fullmatch(_fuzzy(name), month_text)), None)
    year: int | None = _year_of(re.sub(r"\s+", " ", match["year"]))
    if year in (1900, 2000):  # the century alone: is an OCR-damaged word next?
        after = _WORD_AFTER.match(match.string, match.end())
        if after and after[1][:3] in _YEAR_PREFIXES:  # a number word, not the next word
            close = difflib.get_close_matches(after[1], _YEAR_WORDS, n=1, cutoff=0.8)
            year = year + _YEAR_WORDS[close[0]] if close and year else None
    try:
        return datetime.date(year, month, day) if day and month and year else None
    except ValueError:
        return None


# Every way 1-99 is written in a year, for an OCR-damaged word ("VEINTISIIS"): 1-29 as
# days are, then the tens with and without "Y" ("TREINTA Y UNO", "OCHENTIDOS").
_YEAR_WORDS = {w: n for w, n in _DAY_WORDS.items() if " " not in w}
_YEAR_WORDS.update({stem + "A": n for stem, n in _TENS.items()})
_YEAR_WORDS.update({stem + "I" + unit: n + u for stem, n in _TENS.items()
                    for unit, u in _UNITS.items()})
_YEAR_PREFIXES = {w[:3] for w in _YEAR_WORDS}
_WORD_AFTER = re.compile(r"[ \t]+([A-Z]{4,})(?![A-Z])")


def _year_of(text: str) -> int:
    """A year in figures or in words ("DOS MIL TRECE", "MIL NOVECIENTOS OCHENTIDOS")."""
    if text.isdigit():
        return int(text)
    century = 2000 if text.startswith("DOS MIL") else 1900
    rest = text[len("DOS MIL" if century == 2000 else "MIL NOVECIENTOS"):].strip()
    if not rest:
        return century
    if rest in _DAY_WORDS:
        return century + _DAY_WORDS[rest]
    tens = _TENS_RE.match(rest)
    return century + (_TENS[tens["tens"]] + _UNITS.get(tens["unit"] or "", 0) if tens else 0)


# ---------------------------------------------------------------------------- sumilla

_LABEL_RE = re.compile(r"(?:^|\n)[ \t]*(?:SUMILLA|ASUNTO)\s*[:.\-]+\s*")
_TITLE_RE = re.compile(r"(?:^|\n)[ \t]*(?P<title>(?:ORDENANZA|DECRETO|ACUERDO|DIRECTIVA)?\s*"
                       r"QUE\s+(?:APRUEBA|REGULA|ESTABLECE|MODIFICA|DEROGA|DECLARA|CREA|"
                       r"AUTORIZA|DISPONE|PROMUEVE|OTORGA|FIJA|PRORROGA|REGLAMENTA|INCORPORA)\b)")
_ARTICLE_RE = re.compile(r"ART[I1L]CULO\s+(?:PRIMERO|1\s*[°º]?|UNICO)\s*[.:\-–—]+\s*")
_STOP_RE = re.compile(r"\n\s*\n|\n[ \t]*(?:VISTOS?|CONSIDERANDO|EL\s+(?:ALCALDE|GERENTE|CONCEJO)|"
                      r"POR\s+CUANTO|SE\s+RESUELVE|ART[I1L]CULO)\b")


_DIRECTIVE_RE = re.compile(r"(?:^|\n)[ \t]*D[I1]RECT[I1]VA\s+N[^\n]{0,60}\n")
_DIRECTIVE_PART_RE = re.compile(r"\n[ \t]*(?:[IVX1L]+\s*[.)\-–]\s*|[0-9]+\s*[.)\-–]\s*)?"
                                r"(?:OBJETIVO|FINALIDAD|BASE\s+LEGAL|ALCANCE)\b")
# Where the operative sentence stops saying what and starts saying why or where from.
_TAIL_RE = re.compile(r",\s+(?:conforme\s+a|de\s+conformidad\s+con|en\s+m[eé]rito\s+a|"
                      r"por\s+los\s+fundamentos|estando\s+a|en\s+atenci[oó]n\s+a|"
                      r"seg[uú]n\s+los\s+considerandos)\b", re.IGNORECASE)
_OPERATIVE_VERB_RE = re.compile(r"(?:[A-Z]{2,}(?:AR|ER|IR)(?:SE)?)(?:\s+(?:EN\s+)?[A-Z]{2,})?\b")


def _find_sumilla(original: str, folded: str, full: str,
                  doc_type: str | None = None) -> tuple[str, float] | None:
    """The SUMILLA / ASUNTO line, else an ordinance-style title ("QUE APRUEBA ..."), else a
    directive's title (the lines under its heading), else the first sentence of the first
    article, which says what is resolved: sure when it opens with the operative verb in
    capitals ("APROBAR el expediente ..."), as resolutions are written."""
    label = _LABEL_RE.search(folded)
    if label:
        return _clip(original, folded, label.end()), 0.9
    title = _TITLE_RE.search(folded)
    if title and title.start() < _offset_of_line(folded, TOP_LINES + 10):
        start = title.start("title")
        if not folded[start:start + 60].startswith("QUE"):
            return _clip(original, folded, start), 0.8
        return _clip(original, folded, start), 0.75
    if doc_type == "DIR":
        found = _directive_title(original, folded)
        if found:
            return found, 0.8
    full_folded = folded if full is original else _fold(full)
    article = _ARTICLE_RE.search(full_folded)
    if article:
        sumilla = _TAIL_RE.split(_clip(full, full_folded, article.end(), sentence=True), 1)[0]
        verb = _OPERATIVE_VERB_RE.match(full, article.end())
        return sumilla, 0.8 if verb and len(sumilla) >= 20 else 0.6
    return None


def _directive_title(original: str, folded: str) -> str | None:
    """The title of a directive: the upper-case lines between "DIRECTIVA N° ..." (and its
    date line) and its first part (OBJETIVO, FINALIDAD...)."""
    heading = _DIRECTIVE_RE.search(folded, 0, _offset_of_line(folded, TOP_LINES))
    if heading is None:
        return None
    part = _DIRECTIVE_PART_RE.search(folded, heading.end())
    end = part.start() if part else min(len(folded), heading.end() + 400)
    lines = [line for line in original[heading.end():end].split("\n")
             if line.strip() and not _DATE_RE.search(_fold(line))]
    title = " ".join(line.strip() for line in lines).strip(" «»\"“”")
    letters = [ch for ch in title if ch.isalpha()]
    if len(title) < 15 or sum(ch.isupper() for ch in letters) < 0.8 * len(letters):
        return None
    return _clip(title, _fold(title), 0)


def _clip(original: str, folded: str, start: int, sentence: bool = False) -> str:
    """From ``start`` to the end of the paragraph (or first sentence), one line, short."""
    stop = _STOP_RE.search(folded, start)
    end = stop.start() if stop else len(folded)
    piece = original[start:end]
    if sentence:
        cut = re.search(r"(?<=[a-záéíóúñ)»\"”])[.;](?=\s|$)", piece[20:])
        if cut:
            piece = piece[:20 + cut.start()]
    piece = re.sub(r"(?<=[a-záéíóúñ])-\n(?=[a-záéíóúñ])", "", piece)  # OCR hyphenation
    piece = re.sub(r"\s+", " ", piece).strip(" .;:,-")
    if len(piece) > SUMILLA_MAX:
        piece = piece[:SUMILLA_MAX].rsplit(" ", 1)[0].rstrip(",;: ") + "…"
    return piece
