"""The tracked-changes DOCX, read back with python-docx and lxml.

The key test: accepting every revision of the body gives exactly the new version's
reading lines, rejecting every revision the old version's; the revisions' text is exactly
the words inserted and deleted.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import random
import unicodedata

import pytest
from docx import Document

from docsys.review.redline import compare, version_lines
from docsys.review.redline_docx import BODY_STYLES, render_tracked_docx, revision_date
from tests.review.test_redline import ARTICLES, CONSIDERANDOS, resolution

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AUTHOR = "Asesoría Jurídica"
WHEN = dt.datetime(2024, 3, 12, 15, 30, 5, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def render(old, new, **kwargs) -> bytes:
    options = {"title": "Aprobar el expediente técnico", "old_version": 3, "new_version": 4,
               "author": AUTHOR, "date": WHEN}
    options.update(kwargs)
    return render_tracked_docx(compare(old, new), **options)


def body_of(data: bytes):
    return Document(io.BytesIO(data)).element.body


def revisions(data: bytes, tag: str) -> list:
    """The run-level w:ins / w:del elements (not the paragraph-mark ones)."""
    return [e for e in body_of(data).iter(W + tag) if e.getparent().tag == W + "p"]


def mark_revisions(data: bytes, tag: str) -> list:
    return [e for e in body_of(data).iter(W + tag) if e.getparent().tag == W + "rPr"]


def revision_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t", W + "delText"))


def reading(data: bytes, accept: bool) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph once all revisions are accepted (or all
    rejected), as Word does it: revised runs kept or dropped, and a paragraph whose mark
    goes away joins the next one (which keeps its own mark, hence its style)."""
    document = Document(io.BytesIO(data))
    style_names = {style.style_id: style.name for style in document.styles}
    out, carried = [], ""
    for p in document.element.body.iter(W + "p"):
        text = carried
        for child in p:
            if child.tag == W + "r":
                text += "".join(t.text or "" for t in child.iter(W + "t"))
            elif child.tag == W + "ins" and accept:
                text += "".join(t.text or "" for t in child.iter(W + "t"))
            elif child.tag == W + "del" and not accept:
                text += "".join(t.text or "" for t in child.iter(W + "delText"))
        mark = p.find(f"{W}pPr/{W}rPr")
        removed = mark is not None and mark.find(W + ("del" if accept else "ins")) is not None
        if removed:
            carried = text
            continue
        carried = ""
        style = p.find(f"{W}pPr/{W}pStyle")
        out.append((style_names.get(style.get(W + "val")) if style is not None else "Normal",
                    text))
    assert carried == ""
    return out


def accepted(data: bytes) -> list[str]:
    return [text for style, text in reading(data, True) if style in BODY_STYLES]


def rejected(data: bytes) -> list[str]:
    return [text for style, text in reading(data, False) if style in BODY_STYLES]


def assert_round_trip(old, new):
    data = render(old, new)
    assert accepted(data) == version_lines(new)
    assert rejected(data) == version_lines(old)
    check_structure(data)
    return data


def check_structure(data: bytes) -> None:
    """Revisions well formed: ids unique, author and date set, runs only inside, no w:t
    in a deletion and no w:delText outside one."""
    body = body_of(data)
    tracked = list(body.iter(W + "ins", W + "del"))
    ids = [e.get(W + "id") for e in tracked]
    assert len(ids) == len(set(ids))
    assert all(i and i.isdigit() for i in ids)
    for element in tracked:
        assert element.get(W + "author") == AUTHOR
        assert element.get(W + "date") == "2024-03-12T20:30:05Z"
        if element.getparent().tag == W + "p":
            assert element.getchildren() and all(c.tag == W + "r" for c in element)
        else:
            assert element.getparent().getparent().tag == W + "pPr"
            assert len(element) == 0
    for deleted in (e for e in tracked if e.tag == W + "del"):
        assert not list(deleted.iter(W + "t"))
    for text in body.iter(W + "delText"):
        assert text.getparent().getparent().tag == W + "del"
    # Nothing in the body is both a revision and a paragraph without text.
    for p in body.iter(W + "p"):
        assert [c.tag for c in p].count(W + "pPr") <= 1


# --------------------------------------------------------------------------- counting

def test_word_changes_are_exactly_the_revisions():
    old = resolution()
    new_articles = list(ARTICLES)
    new_articles[1] = ARTICLES[1].replace("resolución", "resolucion").replace(
        "el cumplimiento", "el estricto cumplimiento")
    data = render(old, resolution(new_articles))
    assert [revision_text(e) for e in revisions(data, "ins")] == ["estricto ", "resolucion"]
    assert [revision_text(e) for e in revisions(data, "del")] == ["resolución"]
    assert mark_revisions(data, "ins") == mark_revisions(data, "del") == []


def test_accent_only_change_is_one_deletion_and_one_insertion():
    old = resolution(["la resolucion de alcaldía"], ids=["a1"])
    new = resolution(["la resolución de alcaldía"], ids=["a1"])
    data = assert_round_trip(old, new)
    assert [revision_text(e) for e in revisions(data, "del")] == ["resolucion"]
    assert [revision_text(e) for e in revisions(data, "ins")] == ["resolución"]


def test_nfd_text_is_not_a_change():
    old = resolution()
    old["sections"][1]["items"][0]["text"] = unicodedata.normalize("NFD", CONSIDERANDOS[0])
    data = render(old, resolution())
    assert revisions(data, "ins") == revisions(data, "del") == []


def test_identical_versions_have_no_revisions():
    data = assert_round_trip(resolution(), resolution())
    assert list(body_of(data).iter(W + "ins", W + "del")) == []


def test_revision_attributes_and_unique_ids():
    data = render(resolution(), resolution(ARTICLES[::-1], ids=["a4", "a3", "a2", "a1"],
                                           closing="REGÍSTRESE Y CÚMPLASE."))
    check_structure(data)
    assert len(list(body_of(data).iter(W + "ins", W + "del"))) > 10


def test_deleted_article_is_a_deleted_paragraph_with_its_mark():
    new = resolution([ARTICLES[0], *ARTICLES[2:]], ids=["a1", "a3", "a4"])
    data = assert_round_trip(resolution(), new)
    deleted_text = "".join(revision_text(e) for e in revisions(data, "del"))
    assert deleted_text.startswith("ARTÍCULO SEGUNDO.- " + ARTICLES[1])
    (mark,) = mark_revisions(data, "del")
    paragraph = mark.getparent().getparent().getparent()
    assert all(child.tag in (W + "pPr", W + "del") for child in paragraph)
    # The renumbered articles change only the ordinal word of their label.
    assert [revision_text(e) for e in revisions(data, "ins")] == ["SEGUNDO", "TERCERO"]


def test_inserted_article_is_an_inserted_paragraph_with_its_mark():
    new = resolution([*ARTICLES, "AUTORIZAR la transferencia."],
                     ids=["a1", "a2", "a3", "a4", "n1"])
    data = assert_round_trip(resolution(), new)
    assert "".join(revision_text(e) for e in revisions(data, "ins")) == \
        "ARTÍCULO QUINTO.- AUTORIZAR la transferencia."
    assert len(mark_revisions(data, "ins")) == 1
    assert revisions(data, "del") == []


def test_moved_article_is_deleted_at_its_old_place_and_inserted_at_the_new():
    new = resolution([ARTICLES[2], ARTICLES[0], ARTICLES[1], ARTICLES[3]],
                     ids=["a3", "a1", "a2", "a4"])
    data = assert_round_trip(resolution(), new)
    inserted = "".join(revision_text(e) for e in revisions(data, "ins"))
    deleted = "".join(revision_text(e) for e in revisions(data, "del"))
    assert f"ARTÍCULO PRIMERO.- {ARTICLES[2]}" in inserted
    assert f"ARTÍCULO TERCERO.- {ARTICLES[2]}" in deleted
    cover = [text for style, text in reading(data, True) if style not in BODY_STYLES]
    assert "– ARTÍCULO TERCERO pasó a ser ARTÍCULO PRIMERO." in cover


def test_labels_are_bold():
    data = render(resolution(), resolution())
    bold_texts = ["".join(t.text for t in r.iter(W + "t")) for r in body_of(data).iter(W + "r")
                  if r.find(f"{W}rPr/{W}b") is not None]
    assert "ARTÍCULO PRIMERO.-" in bold_texts and "Sumilla:" in bold_texts


# --------------------------------------------------------------------------- accept / reject

def edited_resolution():
    new = resolution(
        [ARTICLES[3].replace("portal", "diario"), ARTICLES[0].replace("técnico", "técnico "
                                                                      "definitivo"),
         "AUTORIZAR la transferencia.", ARTICLES[2]],
        CONSIDERANDOS[::-1] + ["Que, mediante Informe Legal N° 120-2024-GAJ-MDM, la Gerencia "
                               "de Asesoría Jurídica opina que es procedente;"],
        ids=["a4", "a1", "n1", "a3"],
        fields={"sumilla": "Aprobar el expediente técnico definitivo de la obra",
                "expediente": "2024-004512"},
        closing="REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE.")
    new["sections"][1]["items"][0]["id"] = "c2"
    new["sections"][1]["items"][1]["id"] = "c1"
    new["sections"][2]["items"][1]["heading"] = "Aprobación"
    return new


def test_accept_all_gives_the_new_text_and_reject_all_the_old():
    old, new = resolution(), edited_resolution()
    data = assert_round_trip(old, new)
    assert revisions(data, "ins") and revisions(data, "del")
    assert accepted(data) != rejected(data)
    assert "Comparación de la versión 3 con la versión 4" in [
        text for style, text in reading(data, True)]


def test_round_trip_backwards():
    assert_round_trip(edited_resolution(), resolution())


@pytest.mark.parametrize("old, new", [
    ({}, {}),
    ({}, resolution()),
    (resolution(), {}),
    ({"doc_type": "RGM", "sections": []}, resolution()),
    (resolution(), {"doc_type": "RGM", "sections": [{"key": "resuelve", "title": "",
                                                      "kind": "articles", "items": []}]}),
])
def test_empty_versions(old, new):
    data = assert_round_trip(old, new)
    if not old and not new:
        assert accepted(data) == rejected(data) == []


def test_multiline_items_and_headings():
    old, new = resolution(), resolution()
    old["sections"][2]["items"][1]["text"] = "ENCARGAR a la gerencia.\nSegunda línea.\nTercera."
    new["sections"][2]["items"][1]["text"] = "ENCARGAR a la gerencia.\nTercera línea nueva."
    old["sections"][2]["items"][2]["heading"] = "Notificación"
    new["sections"][2]["items"][3]["heading"] = "Publicación"
    new["sections"][2]["items"][3]["text"] = "DISPONER la publicación.\nEn el diario oficial."
    assert_round_trip(old, new)
    assert_round_trip(new, old)


def test_sections_inserted_deleted_reordered_and_items_across_sections():
    old, new = resolution(), resolution()
    new["sections"] = [new["sections"][1], new["sections"][0], new["sections"][2]]
    new["sections"][2]["title"] = "RESUELVE:"
    moved = new["sections"][0]["items"].pop(0)
    new["sections"][2]["items"].insert(1, moved)
    new["sections"].append({"key": "final", "title": "DISPOSICIÓN FINAL:", "kind": "text",
                            "items": [{"id": "f1", "text": "Única."}]})
    old["sections"].insert(1, {"key": "antecedentes", "title": "ANTECEDENTES:",
                               "items": [{"id": "x1", "text": "Antecedente."}]})
    assert_round_trip(old, new)
    assert_round_trip(new, old)


def test_random_edits_round_trip():
    """Seeded random edits of every kind: the DOCX always reads back as both versions."""
    rng = random.Random(20241112)
    words = ("municipalidad", "resolución", "resolucion", "gerencia", "Ley", "N°", "27972",
             "expediente", "técnico", "obra", "comunidad", "nativa", "Timpía", "de", "la", ",",
             ";", ".", "Año", "ñ")

    def sentence():
        return " ".join(rng.choice(words) for _ in range(rng.randint(1, 25)))

    def text():
        return "\n".join(sentence() for _ in range(rng.choice((1, 1, 1, 2, 3))))

    for round_ in range(60):
        old = resolution([text() for _ in range(rng.randint(0, 6))],
                         [text() for _ in range(rng.randint(0, 4))])
        new = copy.deepcopy(old)
        for section_ in new["sections"]:
            items = section_["items"]
            for _ in range(rng.randint(0, 4)):
                action = rng.choice(("edit", "insert", "delete", "move", "heading", "reid"))
                if action == "insert" or not items:
                    items.insert(rng.randint(0, len(items)),
                                 {"id": f"n{round_}{rng.randrange(10**6)}", "text": text()})
                elif action == "edit":
                    item = rng.choice(items)
                    tokens = item["text"].split(" ")
                    tokens[rng.randrange(len(tokens))] = rng.choice(words)
                    item["text"] = " ".join(tokens)
                elif action == "delete":
                    items.pop(rng.randrange(len(items)))
                elif action == "move":
                    items.insert(rng.randint(0, len(items) - 1), items.pop(rng.randrange(len(items))))
                elif action == "heading":
                    rng.choice(items)["heading"] = sentence()
                else:
                    rng.choice(items)["id"] = f"r{round_}{rng.randrange(10**6)}"
        if rng.random() < 0.3:
            new["fields"]["sumilla"] = sentence()
        if rng.random() < 0.2:
            new["closing"] = rng.choice(("", "REGÍSTRESE Y CÚMPLASE."))
        assert_round_trip(old, new)


# --------------------------------------------------------------------------- document

def test_cover_settings_and_properties():
    data = render(resolution(), edited_resolution(),
                  heading="RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM")
    document = Document(io.BytesIO(data))
    cover = [p.text for p in document.paragraphs if p.style.name not in BODY_STYLES]
    assert cover[:3] == ["RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0045-2024-GM-MDM",
                         "Aprobar el expediente técnico",
                         "Comparación de la versión 3 con la versión 4"]
    assert "Cambios marcados como revisiones de «Asesoría Jurídica», 12 de marzo de 2024." \
        in cover
    assert any("pasó a ser" in line for line in cover)
    settings = document.settings.element
    assert settings.find(W + "trackRevisions") is not None
    # trackRevisions sits where the schema puts it (before defaultTabStop, compat...).
    tags = [child.tag for child in settings]
    assert tags.index(W + "trackRevisions") < tags.index(W + "defaultTabStop")
    assert document.core_properties.title == "Aprobar el expediente técnico"
    assert document.core_properties.author == AUTHOR
    assert document.core_properties.language == "es-PE"


def test_revision_date_formats():
    assert revision_date(WHEN) == "2024-03-12T20:30:05Z"
    assert revision_date(dt.datetime(2024, 3, 12, 9, 0)) == "2024-03-12T09:00:00"
    assert revision_date(dt.date(2024, 3, 12)) == "2024-03-12T00:00:00"
    assert revision_date().endswith("Z")


def test_default_author_and_text_escaping():
    new = resolution(["<script>alert(1)</script> & APROBAR"], ids=["a1"])
    data = render_tracked_docx(compare(resolution(), new), title="  ", old_version=1,
                               new_version=2)
    tracked = list(body_of(data).iter(W + "ins", W + "del"))
    assert {e.get(W + "author") for e in tracked} == {"docsys"}
    assert "<script>alert(1)</script> & APROBAR" in "".join(
        revision_text(e) for e in revisions(data, "ins"))
    assert Document(io.BytesIO(data)).core_properties.title == "Comparación de versiones"
