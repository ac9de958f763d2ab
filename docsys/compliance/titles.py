"""The archive's norms by their title, for a clause that names its object by title only:
"Modifícase por la presente Ley el literal e) del artículo 44 de la Ley Orgánica del
Registro Nacional de Identificación y Estado Civil, con el siguiente texto:" (Ley 28413)
acts on Ley 26497, whose title that is.

Only titles that are a norm's name are kept: they open with "Ley" or "Código" and say more
than the type ("Ley N° 32213" is a number, cited as such; "Aprueban ..." describes a
decree). A title two norms of the archive share names neither, and is dropped. A title
matches whole, from a word's start, and the text after it must not go on naming ("... y
Estado Civil Peruano"): a capitalised word right after it is a longer name.

A name is also worn by the laws that replaced each other under it ("Ley Orgánica del
Poder Judicial": Decreto Ley 14605, then Decreto Legislativo 767 of 1991): a text names
one in force when it was given, so the norms given after it are left out (``until``).

A law consolidated in a Texto Único Ordenado ("TUO de la Ley del Procedimiento
Administrativo General", "Aprueban Texto Único Ordenado de la Ley Nº 29344, ...") is
known by that decree too (``consolidation``): a later law modifying the law modifies the
text in force, the TUO, which drafters cite.

Pure: built from (title, citation, date) triples, the caller's norms
(docsys.compliance.archive); dates "YYYY-MM-DD" or None (unknown: never left out).
"""
from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import Iterable, Optional

from docsys.compliance.citations import Citation, extract_citations
from search.folding import fold

# A norm as the index takes it: its title, its citation (what a clause naming it cites)
# and its issue date (ISO, or None).
NamedNorm = tuple[str, Citation, Optional[str]]

MIN_WORDS = 4             # "Ley General de Salud"; "Código Civil" is a known name already
MAX_TITLE_CHARS = 300
_WORD = re.compile(r"[a-z0-9]+")
_NAME_START = re.compile(r"(?<![a-z0-9])(?:ley|codigo)(?![a-z0-9])")
# between two words of a title as printed: spaces, a line break, a hyphen or comma
_SEPARATOR = re.compile(r"[\s\-–,]{1,4}")
# what may follow a title: punctuation, the end, or a word in lower case ("..., con el")
_AFTER = re.compile(r"[ \t]*(?:[,;:.)”\"]|\n|$)|\s+[a-záéíóúñü]")
# A decree's title saying it is (or approves) the TUO of a law, folded: what follows names
# the law, by number or by name up to a comma or dash ("TUO del D.Leg. 728 - Ley de ...").
# Not a TUO of a reglamento (a decree's, found as such) nor a title that only mentions one
# ("Precisan que ... del TUO de la Ley del Impuesto General a las Ventas").
_TUO_TITLE = re.compile(r"(?:decreto supremo que )?(?:aprueban? )?(?:el )?"
                        r"(?:tuo|texto unico ordenado) (?:de la |del |de )"
                        r"(?!reglamento|normatividad)(?P<law>.+)")
_NAME_END = re.compile(r"\s*(?:,|\s[-–]\s)")
_TUO_OPENINGS = frozenset({"tuo", "texto", "aprueban", "aprueba", "decreto"})   # cheap test


def _words(title: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(title)))


def _is_name(title: str, words: tuple[str, ...]) -> bool:
    """A norm's name ("Ley Orgánica de Municipalidades"), not its number nor a summary."""
    return (len(words) >= MIN_WORDS and words[0] in ("ley", "codigo")
            and len(title) <= MAX_TITLE_CHARS
            and not any(c.number for c in extract_citations(title)))


class TitleIndex:
    """Norms by name: ``find`` the one a clause names by its title, if only one has it.
    Not changed once built: ``adding`` gives a new index (a caller may share one)."""

    def __init__(self, norms: Iterable[NamedNorm] = ()):
        self._named: dict[tuple[str, ...], Citation | None] = {}
        self._dates: dict[str, str] = {}
        self._names_of: dict[str, tuple[str, ...]] = {}   # a named norm's title words
        # TUOs: (the decree, the law it consolidates if its title numbers it, else the
        # law's name's words)
        self._tuos: list[tuple[Citation, Citation | None, tuple[str, ...]]] = []
        self._until: str | None = None
        self._add(norms)

    def adding(self, norms: Iterable[NamedNorm]) -> "TitleIndex":
        """This index with more norms (an archive that grew)."""
        grown = copy.copy(self)
        grown._named, grown._dates = dict(self._named), dict(self._dates)
        grown._names_of, grown._tuos = dict(self._names_of), list(self._tuos)
        grown._add(norms)
        return grown

    def _add(self, norms: Iterable[NamedNorm]) -> None:
        for title, citation, date in norms:
            if date:
                self._dates[citation.canonical_id] = date
            words = _words(title or "")
            if words and words[0] in _TUO_OPENINGS:
                self._add_consolidation(title, citation)
            if not _is_name(" ".join((title or "").split()), words):
                continue
            self._names_of[citation.canonical_id] = words
            held = self._named.get(words, citation)
            if words in self._named and (held is None
                                         or held.canonical_id != citation.canonical_id):
                self._named[words] = None   # two norms of that name: neither is meant by it
            else:
                self._named[words] = citation
        by_start: dict[tuple[str, ...], list[tuple[tuple[str, ...], Citation]]] = {}
        for words, named in self._named.items():
            if named is not None:
                by_start.setdefault(words[:2], []).append((words, named))
        for candidates in by_start.values():
            candidates.sort(key=lambda item: -len(item[0]))   # the longest name first
        self._by_start = by_start

    def _add_consolidation(self, title: str, citation: Citation) -> None:
        printed = " ".join(title.split())
        folded = fold(printed)      # same offsets
        tuo = _TUO_TITLE.fullmatch(folded)
        if tuo is None:
            return
        law = printed[tuo.start("law"):]
        numbered = next((c for c in extract_citations(law) if c.number), None)
        if numbered is not None and numbered.start > 0:
            numbered = None       # a number further on, not the law's own
        name = _NAME_END.split(law, maxsplit=1)[0]
        self._tuos.append((citation, numbered, _words(name)))

    def consolidation(self, law: Citation) -> Citation | None:
        """The TUO of ``law`` in force on this index's date (the latest given before it;
        any, without a date), or None when the archive holds none."""
        name = self._names_of.get(law.canonical_id)
        found: Citation | None = None
        for tuo, numbered, words in self._tuos:
            of_law = (numbered.canonical_id == law.canonical_id if numbered is not None
                      else name is not None and words == name)
            if not of_law or tuo.canonical_id == law.canonical_id:
                continue
            date = self._dates.get(tuo.canonical_id)
            if self._until and (date is None or date >= self._until):
                continue      # given with or after the text: not the text it changed
            if found is None or (date or "") > self._dates.get(found.canonical_id, ""):
                found = tuo
        return found

    def until(self, date: str | None) -> "TitleIndex":
        """The same index for a text given on ``date``: the norms given after it left out
        (its own name then names none of them). None: no norm left out."""
        view = copy.copy(self)
        view._until = date or None
        return view

    def __len__(self) -> int:
        return sum(len(c) for c in self._by_start.values())

    def find(self, text: str, folded: str, start: int, end: int) -> Citation | None:
        """The first norm named by its title from a word starting in ``[start, end)`` of
        ``text`` (``folded`` its folded form, same offsets), spanning the title."""
        for head in _NAME_START.finditer(folded, start, end):
            found = self.at(text, folded, head.start())
            if found is not None:
                return found
        return None

    def at(self, text: str, folded: str, pos: int) -> Citation | None:
        """The norm whose title is printed at ``pos``, the longest name matching."""
        spans: list[tuple[int, int]] = []
        for word in _WORD.finditer(folded, pos, min(len(folded), pos + MAX_TITLE_CHARS + 100)):
            if spans and not _SEPARATOR.fullmatch(folded, spans[-1][1], word.start()):
                break
            spans.append((word.start(), word.end()))
        read = tuple(folded[s:e] for s, e in spans)
        for words, citation in self._by_start.get(read[:2], []):
            if read[:len(words)] != words or self._later(citation):
                continue
            title_end = spans[len(words) - 1][1]
            if not _AFTER.match(text, title_end):
                continue      # the printed name goes on: a longer one
            return replace(citation, start=pos, end=title_end, text=text[pos:title_end],
                           articles=(), anaphoric=False)
        return None

    def _later(self, citation: Citation) -> bool:
        date = self._dates.get(citation.canonical_id)
        return bool(self._until and date and date > self._until)
