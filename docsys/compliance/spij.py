"""The relation notes SPIJ writes into a norm's text: "(*) Numeral modificado por el
[Artículo 1 de la Ley Nº 31433](/spij-ext-web/detallenorma/H1306629), publicada el 06
marzo 2022, ...", "(*) Derogado por ...", "(*) Artículo dejado sin efecto por ...".

The codes and laws the open data takes from LP (lpderecho.pe) carry footnotes of their
own: "* Artículo modificado por la Ley 30293, publicada el 28 de diciembre de 2014", under
the article they speak of (``_lp_notes``). Both are read here, by ``source_relations``.

Each note says that a later norm (the linked one) modified or repealed this norm (or a
part of it). The structured import stores them as relations confirmed by the source, apart
from the ones docsys proposes from operative text; the relations benchmark uses them as
gold for the operative-text finder (which never reads them: :func:`strip_notes`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

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
# A change made to the law a TUO consolidates, noted on the TUO's article that stands for
# the law's: "(*) De conformidad con el [Artículo 2 del Decreto Legislativo Nº 1559](...),
# publicado el 25 mayo 2023, se dispone la modificación del artículo 4 del Decreto
# Legislativo Nº 1192, correspondiendo al presente artículo del Texto Único Ordenado ...".
# Only with "correspondiendo al presente": SPIJ's other "De conformidad con" notes tell of
# acts on other norms, or of no act at all.
_CORRESPONDING_RE = re.compile(
    _MARK + r"[*_\s]*De\s+conformidad\s+con\s+(?:el|la|los|las)?[*_\s]*"
    r"\[(?P<link>[^\]\n]{3,300})\][^\n]{0,120}?,\s*se\s+(?:dispone\s+|dispuso\s+)?(?:la\s+)?"
    r"(?P<act>[a-záéíóú]+)[^\n]{0,400}?correspondiendo\s+al\s+presente",
    re.IGNORECASE | re.MULTILINE)
_CORRESPONDING_ACTS = {"modific": "modifica", "incorpor": "modifica", "sustitu": "modifica",
                       "derog": "deroga"}
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


def source_relations(text: str, *, footnotes: bool = True) -> list[SourceRelation]:
    """Every modify / repeal note of ``text`` whose link names a numbered norm, and (unless
    ``footnotes`` is False: SPIJ's linked notes alone) every such footnote of the codes and
    laws the open data takes from LP (``_lp_notes``)."""
    text = text or ""
    out = _spij_notes(text)
    if footnotes and "\n*" in text:
        body = _body_start(text)
        out += [replace(note, opening=start < body) for note, start, _ in _lp_notes(text)]
    return out


def may_hold_notes(text: str) -> bool:
    """Whether ``text`` may hold a source's notes at all (a cheap test before reading)."""
    return "(" in text or "\n*" in text


def _spij_notes(text: str) -> list[SourceRelation]:
    out: list[SourceRelation] = []
    headings = _Headings(text)
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
        if start >= body:   # under an article: "Artículo" is that one (its heading above)
            part = _with_article(part, headings.above(start))
        out.append(SourceRelation(kind, cited[0], part, note[:1000],
                                  _note_date(text, match.end()), start < body))
    if "correspondiendo al presente" in text:
        out += _corresponding_notes(text, headings)
    return out


def _corresponding_notes(text: str, headings: "_Headings") -> list[SourceRelation]:
    """The notes of ``_CORRESPONDING_RE``: each changes the article it stands under."""
    out = []
    for match in _CORRESPONDING_RE.finditer(text):
        kind = next((k for stem, k in _CORRESPONDING_ACTS.items()
                     if match["act"].lower().startswith(stem)), None)
        cited = _source_citations(match["link"])
        if kind is None or not cited:
            continue
        line_end = text.find("\n", match.end())
        note = text[match.start():line_end if line_end != -1 else len(text)].strip()
        out.append(SourceRelation(kind, cited[0],
                                  _with_article("Artículo", headings.above(match.start())),
                                  note[:1000], _note_date(text, match.end("link") + 1)))
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
    """The text without its source's editorial notes, SPIJ's and LP's (they describe
    later norms' acts, not this norm's own clauses)."""
    text = _NOTE_LINE.sub("", text or "")
    if "\n*" not in text:
        return text
    spans = sorted({(start, end) for _, start, end in _lp_notes(text)})
    kept, pos = [], 0
    for start, end in spans:
        if start >= pos:
            kept.append(text[pos:start])
            pos = end
    return "".join(kept) + text[pos:]


# The footnotes of the codes and laws the open data takes from LP (lpderecho.pe): a line
# opened by one to three asterisks, under the article it speaks of:
#   "* Artículo modificado por el artículo único de la Ley 30305, publicada el 10 de marzo
#   de 2015."   "** Literal a) derogado por el literal c) de la Única Disposición
#   Complementaria Derogatoria del Decreto Legislativo 1384, publicado el 4 de setiembre
#   de 2018.*"   "* Artículo modificado por el D-L 25940, publicado el 11 de diciembre de
#   1992 (link: lpd.pe/kPLGb). Luego, este artículo fue derogado por la Ley 27524, ..."
# or a list of the norms that did it, a line each, after "... por los siguientes
# dispositivos:" ("Artículo único de la Ley 31305, publicada el 23 de julio de 2021.").
# (a line that says no "…ado por" / "…ada mediante" is skipped by the pattern itself)
_LP_LINE = re.compile(r"^[ \t]*\*{1,3}[ \t]*(?P<note>[^*\s(\\][^\n]*?[ado]s?\**\s+\**"
                      r"(?:por|mediante)\s[^\n]*)$", re.MULTILINE | re.IGNORECASE)
_LP_ACT = re.compile(
    r"(?<![a-z])(?:(?P<modifica>modificad|sustituid|incorporad|agregad|adicionad|"
    r"reemplazad)|(?P<deroga>derogad|dejad[oa]s?\s+sin\s+efecto))[oa]?s?\s+"
    r"(?:por|mediante)\s+", re.IGNORECASE)
# The act's verb comes after the part it changed ("Artículo", "El numeral 5", "Párrafos
# segundo y tercero"), which holds no full stop: "**Artículo 2.- Incorporado por ...**"
# is an article's heading, not a note.
_LP_PART = re.compile(r"[^.\n]{0,80}")
# "Posteriormente, fue derogado por la Ley 27765 ...; la misma que fue derogada por el DL
# 1106": what follows speaks of that law, not of this norm
_LP_OF_THAT = re.compile(r"(?<![a-z])(?:(?:la|el|los|las)\s+mism[oa]s?\s+que|cambio\s+que|"
                         r"(?:la|el)\s+cual)(?![a-z])", re.IGNORECASE)
# "... fue modificado por el DL 1616, publicado el ...; y por el DL 1697, publicado ...":
# a further norm that did the same
_LP_ALSO = re.compile(r"[;,]?\s+y\s+(?:luego\s+|despu[eé]s\s+)?(?:por|mediante)\s+", re.I)
_LP_LIST = re.compile(r"(?:los|las)\s+siguientes\s+(?:dispositivos|normas)\s*:", re.I)
_LP_ITEMS = 20
# ("publicada el 23 de julio de 2021", "publicado el 30 diciembre de 2016", "publicado en
# El Peruano el 30 de marzo de 2021")
_LP_DATE = re.compile(r"publicad[oa]s?\s+(?:en\s+el\s+diario\s+oficial\s+|en\s+)?"
                      r"(?:el\s+peruano\s+)?el\s+(?P<day>\d{1,2})\s+(?:de\s+)?(?P<month>[a-z]+)"
                      r"\s+(?:de\s+|del\s+)?(?P<year>\d{4})", re.IGNORECASE)
_LP_WAS = re.compile(r"\s+(?:fue|fueron|ha\s+sido|han\s+sido)$", re.IGNORECASE)
# "La presente Ley QUEDARÁ DEROGADA por ...": an act to come is no act yet
_LP_TO_COME = re.compile(r"(?<![a-z])quedar[aá]n?$", re.IGNORECASE)


# An article's heading, which LP's footnotes stand under: "Artículo 2. [Derechos ...]",
# "#### **Artículo 413-B.- Evasión ...**", "Artículo 170.-", or the number alone on its
# line, a footnote's mark after it ("**Artículo 22***")
# (the Título Preliminar's in Roman numerals: "Artículo III.- Fines del proceso")
# (SPIJ's copies indent with no-break spaces: any space but a new line; an article's new
# text, after "cuyo texto es el siguiente:", opens with a quote: «“Artículo 27.-»)
_ARTICLE_HEADING = re.compile(r"^(?:[^\S\n]|[#*_\"“])*(?i:art[íi]culo)\s+(?P<number>\d{1,4}"
                              r"(?:-[A-Z])?|[IVXL]{1,6})(?![\w-])(?:\s*[.°º:\-–]"
                              r"|(?:[^\S\n]|[*_])*$)", re.MULTILINE)
# A part named without its article ("Artículo", "Párrafo segundo", "Literal a)"), which the
# heading above completes ("Artículo 170", "Párrafo segundo del artículo 2")
_PART_ALONE = re.compile(r"^(?:(?P<article>art[íi]culo)|(?:(?:el|la|los|las)\s+)?"
                         r"(?:p[áa]rrafos?|literal(?:es)?|incisos?|numeral(?:es)?|sumilla|"
                         r"denominaci[óo]n)\b(?!.*\bart[íi]culo\b).*)$", re.IGNORECASE)


def _with_article(part: str, heading: re.Match | None) -> str:
    """``part`` with the article whose heading stands above the note, when it names none."""
    alone = _PART_ALONE.match(part)
    if heading is None or alone is None:
        return part
    if alone["article"]:
        return f"Artículo {heading['number']}"
    return f"{part} del artículo {heading['number']}"


class _Headings:
    """The articles' headings of a text, read once a note needs them."""

    def __init__(self, text: str):
        self.text = text
        self._found: list[re.Match] | None = None
        self._starts: list[int] = []

    def above(self, pos: int) -> re.Match | None:
        """The heading of the article ``pos`` stands in (the last one before it)."""
        if self._found is None:
            self._found = list(_ARTICLE_HEADING.finditer(self.text))
            self._starts = [h.start() for h in self._found]
        i = bisect.bisect_left(self._starts, pos) - 1
        return self._found[i] if i >= 0 else None


@lru_cache(maxsize=4)   # a norm's analysis reads its notes, then strips them
def _lp_notes(text: str) -> tuple[tuple[SourceRelation, int, int], ...]:
    """LP's footnotes in ``text``: (relation, where its note starts, where it ends)."""
    out: list[tuple[SourceRelation, int, int]] = []
    headings = _Headings(text)
    for line in _LP_LINE.finditer(text):
        if "](" in line["note"]:
            continue     # a note with a link: SPIJ's, read by ``_spij_notes``
        # (SPIJ's mark without a link: "**_(\*) Artículo modificado por el Artículo 2 del
        # Decreto Supremo 117-84-AG, publicado el ..._**", read here)
        note = " ".join(_EMPHASIS.sub(" ", _STARS.sub(" ", line["note"])).split())
        acts = list(_LP_ACT.finditer(note))
        if not acts or not _LP_PART.fullmatch(note, 0, acts[0].start()):
            continue
        part = _LP_WAS.sub("", note[:acts[0].start()].strip(" ,;:"))
        if _LP_TO_COME.search(part):
            continue
        part = _with_article(part, headings.above(line.start()))
        for n, act in enumerate(acts):
            if n and _LP_OF_THAT.search(note, acts[n - 1].end(), act.start()):
                break    # "..., la misma que fue derogada por ...": an act on that norm
            kind = "modifica" if act["modifica"] else "deroga"
            said = note[act.end():acts[n + 1].start() if n + 1 < len(acts) else len(note)]
            if _LP_LIST.match(said):
                items, end = _lp_list(text, line.end())
                out += [(SourceRelation(kind, by, part, note[:1000], date), line.start(), end)
                        for by, date in items]
                continue
            for each in _LP_ALSO.split(said):
                named = _source_citations(each[:_published(each)])
                if named:
                    out.append((SourceRelation(kind, named[0], part, note[:1000],
                                               _lp_date(each)), line.start(), line.end()))
    return tuple(out)


def _published(said: str) -> int:
    """Where a note's "publicado el ..." begins: the norm that acted is named before it."""
    found = re.search(r"publicad[oa]", said, re.IGNORECASE)
    return found.start() if found else len(said)


def _lp_list(text: str, pos: int) -> tuple[list[tuple[Citation, str | None]], int]:
    """The norms listed a line each from ``pos`` (after blank lines) up to the next blank
    line, and where the list ends."""
    items: list[tuple[Citation, str | None]] = []
    end = pos
    for line in re.finditer(r"\n([^\n]*)", text[pos:pos + 4000]):
        item = " ".join(_EMPHASIS.sub(" ", line[1]).split())
        if not item:
            if items:
                break
            continue
        named = _source_citations(item[:_published(item)])
        if not named or len(items) >= _LP_ITEMS:
            break
        items.append((named[0], _lp_date(item)))
        end = pos + line.end()
    return items, end


def _lp_date(said: str) -> str | None:
    found = _LP_DATE.search(said)
    month = _MONTHS.get(found["month"].lower()) if found else None
    if not found or not month:
        return None
    return f"{int(found['year']):04d}-{month:02d}-{int(found['day']):02d}"
