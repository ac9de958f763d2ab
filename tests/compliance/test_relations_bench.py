"""The relations benchmark's independent check (bench/bench_relations_national.py): a
proposal SPIJ does not note on the target's copy is confirmed only by SPIJ's notes
elsewhere in the sample, on excerpts of the development slice."""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import bench_relations_national as bench  # noqa: E402


@dataclass(frozen=True)
class Norm:
    """An entry of the sample's manifest with its text (bench reads ``read()``)."""

    file: str
    type: str
    number: str
    year: int | None
    title: str
    identifier: str
    text: str
    date: str = ""

    def read(self) -> str:
        return self.text


NOTE_TUO = ("(\\*) De conformidad con el [Artículo Único de la Ley Nº 32016](/spij-ext-web/"
            "detallenorma/H1375732), publicada el 09 mayo 2024, se dispone la modificación del "
            "artículo 3 de la Ley 29344, Ley Marco de Aseguramiento Universal en Salud, "
            "correspondiendo adecuar el presente Texto Único Ordenado.\n")
NOTE_BUDGET = ("(\\*) De conformidad con el [Numeral 13.1 del Artículo 13 de la Ley Nº 32416]"
               "(/spij-ext-web/detallenorma/H1412189), publicada el 01 agosto 2025, se autoriza "
               "al Ministerio de Transportes y Comunicaciones a efectuar modificaciones "
               "presupuestarias en el marco de la Ley 32185.\n")


def sample(*extra: Norm) -> list[Norm]:
    return [Norm("LEY-29344-2009.md", "LEY", "29344", 2009, "Ley Marco de Aseguramiento "
                 "Universal en Salud", "LEY-29344-2009", "Artículo 1.- Objeto"),
            Norm("LEY-32016-2024.md", "LEY", "32016", 2024, "Ley N.° 32016", "LEY-32016-2024",
                 "Artículo único. Modificación del artículo 3 de la Ley 29344"),
            Norm("LEY-32416-2025.md", "LEY", "32416", 2025, "Ley N.° 32416", "LEY-32416-2025",
                 "Artículo 13."),
            Norm("LEY-32185-2024.md", "LEY", "32185", 2024, "Ley N.° 32185", "LEY-32185-2024",
                 "Artículo 1."), *extra]


def keys(entries):
    by_key = {bench.entry_key(e): e for e in entries}
    by_base: dict[str, list[str]] = {}
    for k, e in by_key.items():
        by_base.setdefault(bench.key(e.type, e.number, e.year), []).append(k)
    return by_key, by_base


def test_the_notes_of_the_targets_tuo_confirm_a_proposal():
    """DS-020-2014-SA.md approves the TUO of Ley 29344: its notes are a later version's."""
    tuo = Norm("DS-020-2014-SA.md", "DS", "20", 2014, "Aprueban Texto Único Ordenado de la "
               "Ley Nº 29344, Ley Marco de Aseguramiento Universal en Salud",
               "DS-020-2014-SA", "## DECRETO SUPREMO Nº 020-2014-SA\n" + NOTE_TUO
               + "(\\*) Artículo modificado por el [Artículo 5 de la Ley Nº 32416](/spij-ext-"
               "web/detallenorma/H1412189), publicada el 01 agosto 2025, cuyo texto es:\n")
    entries = sample(tuo)
    # the note stating the act, and the TUO's own modification note (its text is the law's)
    assert bench.recorded_elsewhere(entries, *keys(entries)) == {
        ("LEY-32016", "LEY-29344", "modifica"), ("LEY-32416", "LEY-29344", "modifica")}
    # the same note in a copy that is not the law's TUO confirms only the stated act
    plain = Norm("DS-021-2014-SA.md", "DS", "21", 2014, "Aprueban el Reglamento",
                 "DS-021-2014-SA", tuo.text)
    entries = sample(plain)
    assert bench.recorded_elsewhere(entries, *keys(entries)) == {
        ("LEY-32016", "LEY-29344", "modifica")}


def test_a_note_that_only_mentions_both_norms_confirms_nothing():
    other = Norm("LEY-28933-2006.md", "LEY", "28933", 2006, "Ley N.° 28933",
                 "LEY-28933-2006", "Artículo 1.\n" + NOTE_BUDGET)
    entries = sample(other)
    assert bench.recorded_elsewhere(entries, *keys(entries)) == set()


def test_a_note_dating_its_norm_in_another_year_is_about_another_norm():
    """DS-020-2011-PRODUCE.md's note names "Decreto Supremo N° 001-2007-PRODUCE, publicada
    el 07 enero 2017" (SPIJ's misprint for 001-2017): not the sample's DS 001-2007, of 2007."""
    from docsys.compliance.spij import source_relations
    note = ("**(\\*) Disposición modificada por la [Única Disposición Complementaria "
            "Modificatoria del Decreto Supremo N° 001-2007-PRODUCE](/spij-ext-web/detallenorma/"
            "H1171707), publicada el** 07 enero 2017**, cuyo texto es el siguiente:**\n")
    decree = Norm("DS-001-2007-PRODUCE.md", "DS", "1", 2007, "Establecen disposiciones",
                  "DS-001-2007-PRODUCE", "Artículo 1.", "2007-01-26")
    [rel] = source_relations(note)
    assert bench.dated_otherwise(rel, decree)
    assert not bench.dated_otherwise(rel, replace(decree, date="2017-01-07"))
    assert not bench.dated_otherwise(rel, replace(decree, date=""))


def test_identifiers_with_two_digit_years_keep_their_sector():
    entry = Norm("DS-009-99-MTC-1999.md", "DS", "9", 1999, "Aprueban el Texto Unico Ordenado",
                 "DS-009-99-MTC-1999", "")
    assert bench.entry_key(entry) == "DS-9-1999-MTC"
    assert bench.own_id(entry) == "DS-9-1999-MTC"


# The hand verdicts (bench/labels/relations_national.json): identifiers and a short reason,
# never corpus text; the bench's precision by reading is read from them.
_IDENT = re.compile(r"^(?:[A-Z]+-\d+(?:-\d{4})?(?:-[A-Z]+)?)$")


def test_the_labels_file_is_well_formed():
    data = json.loads(bench.LABELS.read_text(encoding="utf-8"))
    seen = set()
    for item in data["labels"]:
        assert set(item) == {"source", "target", "kind", "verdict", "reason", "slice"}, item
        assert _IDENT.match(item["source"]) and _IDENT.match(item["target"]), item
        assert item["kind"] in ("modifica", "deroga") and item["verdict"] in bench.VERDICTS
        assert item["slice"] in ("development", "held-out")
        # one line of the labeller's own words, not a pasted clause
        assert 0 < len(item["reason"]) <= 140 and "\n" not in item["reason"], item
        pair = (item["source"], item["target"], item["kind"])
        assert pair not in seen
        seen.add(pair)
    assert len(bench.read_labels()) == len(data["labels"]) > 0


def test_precision_by_reading_counts_spij_labels_and_leaves_out_the_unlabelled():
    proposed = {("LEY-1", "LEY-2", "modifica"), ("LEY-1", "LEY-3", "deroga"),
                ("LEY-1", "LEY-4", "modifica"), ("LEY-1", "LEY-5", "modifica")}
    recorded = {("LEY-1", "LEY-2", "modifica"), ("LEY-1", "LEY-5", "modifica")}
    labels = {("LEY-1", "LEY-3", "deroga"): "wrong",
              ("LEY-1", "LEY-5", "modifica"): "wrong"}   # a label overrides SPIJ
    assert bench.by_reading(proposed, recorded, labels) == (1, 3, 1)


def test_a_malformed_labels_file_is_an_error(tmp_path):
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"labels": [{"source": "LEY-1", "target": "LEY-2", "kind":
                                            "modifica", "verdict": "maybe", "reason": "x"}]}))
    with pytest.raises(ValueError):
        bench.read_labels(path)
    path.write_text(json.dumps({"labels": [{"source": "LEY-1", "target": "LEY-2", "kind":
                                            "modifica", "verdict": "right", "reason": " "}]}))
    with pytest.raises(ValueError):
        bench.read_labels(path)
