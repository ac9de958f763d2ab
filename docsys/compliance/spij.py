"""The relation notes SPIJ writes into a norm's text: "(*) Numeral modificado por el
[Artículo 1 de la Ley Nº 31433](/spij-ext-web/detallenorma/H1306629), publicada el 06
marzo 2022, ...", "(*) Derogado por ...", "(*) Artículo dejado sin efecto por ...".

Each note says that a later norm (the linked one) modified or repealed this norm (or a
part of it). The structured import stores them as relations confirmed by the source, apart
from the ones docsys proposes from operative text; the relations benchmark uses them as
gold for the operative-text finder (which never reads them: :func:`strip_notes`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from docsys.compliance.citations import Citation, extract_citations

_VERBS = {"modifica": r"modificad|sustituid|incorporad|agregad|adicionad|incluid|reemplazad",
          "deroga": r"derogad|dejad[oa]s?\s+sin\s+efecto"}
# A note's mark: "(*)", "(**)" (escaped "(\\*\\*)" in the Markdown), or a number at the
# start of a line ("(1) Literal agregado por el [...]", older copies)
# The pattern opens with the literal "(" so that the scan skips text in C; a numbered mark
# is checked to open its line in :func:`_at_line_start`.
_MARK = r"\((?:(?:\\?\*)+|(?P<numbered>\d{1,2}))\)(?(numbered)(?=[*_\s]*[a-z]))"
_NOTE_RE = re.compile(
    _MARK + r"\s*(?P<what>[^\[\n]{0,160}?)(?<![a-z])(?:(?P<modifica>" + _VERBS["modifica"]
    + r")|(?P<deroga>" + _VERBS["deroga"] + r"))[a-z]*[*_]*\s+(?:[^\[\n]{0,60}?[\s*_])?"
    # "modificado por el [...]", and the slips SPIJ also writes: "modificado del [...]",
    # "modificado con la [...]", "modificado el [...]"; SPIJ's bold markers may stand
    # between ("**(\\*)** **DEROGADO** **por la [...]", "derogada por el** **[...]")
    r"(?:(?:por|con)\s+(?:el|la|los|las|lo)?|del|el|la)[*_\s]*\[(?P<link>[^\]\n]{3,300})\]",
    re.IGNORECASE | re.MULTILINE)
_STARS = re.compile(r"\((?:\\?\*)+\)|^[ \t*_]*\(\d{1,2}\)")
_EMPHASIS = re.compile(r"[*_]+")        # Markdown bold / italics around the note's words
_NOTE_LINE = re.compile(r"^[ \t]*\(\\?\*+\).*$", re.MULTILINE)
# ("publicada el** 07 enero 2017**": the note's bold markers may come between)
_DATE_RE = re.compile(r"\]\([^)]*\)[*_]*,?[*_\s]*publicad[oa]s?\s+el[*_\s]+(?P<day>\d{1,2})\s+(?P<month>[a-z]+)"
                      r"\s+(?:de\s+)?(?P<year>\d{4})", re.IGNORECASE)
_MONTHS = {m: n for n, m in enumerate("enero febrero marzo abril mayo junio julio agosto "
                                      "septiembre octubre noviembre diciembre".split(), 1)}
_MONTHS["setiembre"] = 9


@dataclass(frozen=True)
class SourceRelation:
    """"``by`` modifies / repeals (part of) this norm", as SPIJ records it."""

    kind: str          # "modifica" or "deroga"
    by: Citation       # the later norm, as cited in the note's link
    part: str          # what was changed, as the note says ("Numeral", "Artículo 5"...)
    note: str          # the note's line
    date: str | None   # the later norm's publication date (YYYY-MM-DD) when the note gives it
    # The note stands before the norm's body, under its title and heading ("## DECRETO
    # SUPREMO Nº 001-2015-JUS (*)" then "(*) DEROGADO por ..."): SPIJ's note on the norm as a
    # whole, when it names no part.
    opening: bool = False


def source_relations(text: str) -> list[SourceRelation]:
    """Every modify / repeal note of ``text`` whose link names a numbered norm."""
    out: list[SourceRelation] = []
    text = text or ""
    pos = 0
    body = -1   # where the body begins, found once a note needs it
    while (match := _NOTE_RE.search(text, pos)) is not None:
        pos, start = match.end(), match.start()
        if match["numbered"]:
            start = _at_line_start(text, start)
            if start < 0:   # a number in running text: no note; look on from the next char
                pos = match.start() + 1
                continue
        cited = _source_citations(match["link"])
        if not cited:
            continue
        kind = "modifica" if match["modifica"] else "deroga"
        line_end = text.find("\n", match.end())
        note = text[start:line_end if line_end != -1 else len(text)].strip()
        part = " ".join(_EMPHASIS.sub(" ", _STARS.sub(" ", match["what"])).split())
        if body < 0:
            body = _body_start(text)
        out.append(SourceRelation(kind, cited[0], part, note[:1000],
                                  _note_date(text, match.end()), start < body))
    return out


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
# What may stand above a norm's body: its title and heading (Markdown "#", bold or italics
# markers) and other notes; any other line is the body (considerations, articles, signatures).
_HEADING_LIKE = ("#", "*", "_", "(\\*", "(*")


def _body_start(text: str) -> int:
    """Where the norm's body begins: the first line, past the front matter, that is no
    heading, note or blank line (the text's length if there is none)."""
    head = _FRONT_MATTER.match(text)
    pos = head.end() if head else 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        line = text[pos:end].lstrip()
        if line and not line.startswith(_HEADING_LIKE):
            return pos
        pos = end + 1
    return len(text)


def _at_line_start(text: str, mark: int) -> int:
    """Where the line of a numbered mark ("(1) Literal agregado por ...") begins, or -1 if
    anything but spaces and Markdown emphasis comes before the mark on its line."""
    start = text.rfind("\n", 0, mark) + 1
    return start if not text[start:mark].strip(" \t*_") else -1


# "[Primera Disposición Complementaria Modificatoria del Reglamento de la Ley N° 32213
# aprobado por el Artículo 1 del Decreto Supremo Nº 009-2025-EM]": the part of an instrument
# (a reglamento, an annex, a TUO) approved by the norm named after "aprobado por"
_APPROVED_BY = re.compile(r"(?<![a-z])aprobad[oa]s?\s+(?:por|mediante)(?![a-z])", re.IGNORECASE)
_RELATIVE = re.compile(r"(?<![a-z])que(?![a-z])", re.IGNORECASE)


def _source_citations(link: str) -> list[Citation]:
    """The norms a note's link names, the one that made the change first: in "... del
    Reglamento de la Ley N° 32213 aprobado por el Artículo 1 del Decreto Supremo Nº
    009-2025-EM" the decree (which approved that reglamento), not the law it regulates.
    Not past a relative clause ("Ley N° 1, que modifica el Reglamento aprobado por ...")."""
    cited = [c for c in extract_citations(link) if c.kind != "CONST" and c.number]
    approved = _APPROVED_BY.search(link)
    if approved and not _RELATIVE.search(link, 0, approved.start()):
        after = [c for c in cited if c.start >= approved.end()]
        if after:
            return after
    return cited


def _note_date(text: str, pos: int) -> str | None:
    found = _DATE_RE.match(text, text.find("]", pos - 1) if pos else 0)
    if not found:
        return None
    month = _MONTHS.get(found["month"].lower())
    if not month:
        return None
    return f"{int(found['year']):04d}-{month:02d}-{int(found['day']):02d}"


def strip_notes(text: str) -> str:
    """The text without SPIJ's editorial note lines (they describe later norms' acts,
    not this norm's own clauses)."""
    return _NOTE_LINE.sub("", text or "")
