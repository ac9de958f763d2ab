"""The fast scans of the citation and relation readers find exactly what the plain regular
expressions they stand for find (the analysis of an import's norms runs them over every
character of every text, so they are written for speed: a literal opening each pattern,
or a cheap pattern finding where the full one may start). Compared on inline text with
the edge cases (a match at the very start, after a letter or a digit, on the first line,
abbreviations in a row) and on a slice of the development half of the legalize-pe sample."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from docsys.compliance import citations, relations
from docsys.compliance.scan import LETTERS, WORD_CHARS, word_matches
from search.folding import fold

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import national_corpus  # noqa: E402

# The patterns as they were written before they were made fast (the reference).
_HEAD_START = re.compile("(?:" + "|".join(sorted(
    {"texto", "resoluci", "decret", "acuerd", "ordenan", "directiv", "ley", "constit"}
    | {fold(name).split()[0][:7] for t in citations._REGISTRY.types for name in t.names}))
    + r"|[tdraoc]\.|ord\.|dir\.|d-l|(?:tuo|rgm|ra|rm|rg|dleg|dl|ds|du|da|om"
    + r"|rs|rvm|rd|rj|dley|ac)(?![a-z]))")   # the registry's abbreviations (R.D., R.J.)
_VERB_RE = relations._VERB_RE
_LOCATOR_RE = re.compile(r"(?<![a-z0-9])" + citations._LOCATOR)
_NAME_RE = re.compile(r"(?<![a-z0-9])(?:" + "|".join(
    r"\s+".join(map(re.escape, name.split()))
    for name in sorted(citations._KNOWN_NAMES, key=len, reverse=True)) + r")(?![a-z])")
_CONST_RE = re.compile(r"(?<![a-z])constitucion\s+(?:politica(?:\s+del\s+(?:peru|estado))?"
                       r"|del\s+peru)(?:\s+de\s+1993)?(?![a-z])")

INLINE = [
    "ley 27972, ley organica de municipalidades",
    "Decreto Supremo N° 004-2019-JUS y D.S. N° 005-2020-EF; a.c. N° 12-2019; r.a. 3-2020",
    "DEROGUESE la Ordenanza N° 12-2019-MDM.\nModifíquese el artículo 3 de la Ley 27444",
    "artículo 5 de la Constitución Política del Perú; 1ley 2; xdecreto; 9constitucion del peru",
    "Artículo 2.- Modificación del artículo 51 del Decreto Legislativo 052\n"
    "Artículo 3.- Derogación\nDeróganse los artículos 5 y 8 de la Ley N° 30003",
    "\nÚNICA.- Derogación Derógase la Ley N° 28175\nLEY N° 31761\nEL PRESIDENTE DE LA REPÚBLICA",
    "LEY Nº 27444\n\nLEY DEL PROCEDIMIENTO ADMINISTRATIVO GENERAL\nnumeral 6 del artículo 20, "
    "inciso a) del literal b); incisos 1 y 2; arts. 3 al 7; Ley del Servicio Civil",
    "tuo de la ley 27444; rgm 45-2024; dleg 1057, dl 728, du 1-2020, da 3-2019, om 5-2020",
    "Se dejan sin efecto las normas; adicionese; agreguese; incluyase; reglamentese; apruebese",
]


def _development_texts(count: int = 25) -> list[str]:
    if not national_corpus.available():
        return []
    names = sorted(p.name for p in (national_corpus.CORPUS / "pe").glob("*.md")
                   if not national_corpus.held_out(p.name))
    step = max(1, len(names) // count)
    return [(national_corpus.CORPUS / "pe" / name).read_text("utf-8") for name in names[::step]]


TEXTS = INLINE + _development_texts()


def _verbs(folded: str):
    return word_matches(relations._VERB_START, relations._VERB_RE, folded, LETTERS)


def _locators(folded: str):
    return word_matches(citations._LOCATOR_START, citations._LOCATOR_RE, folded)


def _spans(matches) -> list[tuple]:
    return [(m.span(), m.lastgroup, m.groupdict()) for m in matches]


def _starts_not_after_word(pattern: re.Pattern, folded: str) -> list[int]:
    return [m.start() for m in pattern.finditer(folded)
            if not (m.start() and folded[m.start() - 1] in WORD_CHARS)]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_fast_scans_find_what_the_plain_patterns_find(text):
    folded = fold(text)
    # the citation scan tries _HEAD_RE where a head may start (not after a letter or digit)
    assert (_starts_not_after_word(citations._HEAD_START, folded)
            == _starts_not_after_word(_HEAD_START, folded))
    assert _spans(_verbs(folded)) == _spans(_VERB_RE.finditer(folded))
    assert _spans(_locators(folded)) == _spans(_LOCATOR_RE.finditer(folded))
    assert _spans(citations._NAME_RE.finditer(folded)) == _spans(_NAME_RE.finditer(folded))
    assert _spans(citations._CONST_RE.finditer(folded)) == _spans(_CONST_RE.finditer(folded))
    # the line patterns: the same groups (their match starts at the line break instead)
    assert ([m.span("heading") + (m.end(),) for m in relations._heading_lines(folded)]
            == [m.span("heading") + (m.end(),) for m in relations._HEADING_LINE.finditer(folded)])
    assert ([(m.span("noun"), m.span("rest")) for m in relations._act_headings(folded)]
            == [(m.span("noun"), m.span("rest")) for m in relations._ACT_HEADING.finditer(folded)])


def test_the_scans_are_exercised():
    """The inline texts reach every scan (else the comparison above proves nothing)."""
    folded = [fold(t) for t in INLINE]
    assert all(any(True for f in folded for _ in scan(f)) for scan in (
        _verbs, _locators, citations._NAME_RE.finditer,
        citations._CONST_RE.finditer, relations._heading_lines, relations._act_headings))
    assert relations._ACT_HEADING.match("derogacion") is None
    assert [m.start() for m in relations._act_headings("unica.- derogacion x")] == [0]
    assert [m.span("heading") for m in relations._heading_lines("ley n 1\nley n 2")] == [
        (0, 7), (8, 15)]


def test_every_verb_starts_where_the_verb_scan_looks():
    for _kind, pattern in relations._VERBS:
        assert any(pattern.startswith(start) for start in relations._VERB_STARTS), pattern


def test_reading_a_text_folds_it_once(monkeypatch):
    """read_norm_text folds the text once and hands it to both readers."""
    from docsys.compliance import norms
    text = "Artículo 1.- Derógase la Ley N° 28175, Ley Marco del Empleo Público."
    calls = []
    for module in (norms, citations, relations):
        real = module.fold
        monkeypatch.setattr(module, "fold",
                            lambda t, real=real: calls.append(t == text) or real(t))
    reading = norms.read_norm_text(text, "LEY-1")
    assert calls.count(True) == 1
    assert reading.mentions and reading.mentions[0].kind == "deroga"
