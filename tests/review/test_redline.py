"""The redline: word diffs, item alignment, moves, fields, closing, summary and HTML."""
from __future__ import annotations

import random
import unicodedata

import pytest

from docsys.rendering.layout import (Closing, Paragraph, Article, RenderMeta, SectionTitle,
                                     block_lines, layout_blocks)
from docsys.review.redline import (DELETE, DELETED, EQUAL, INSERT, INSERTED, MODIFIED, MOVED,
                                   UNCHANGED, DiffOp, ItemChange, MoveOrigin, compare,
                                   count_words, diff_words, new_text, old_text, render_html,
                                   tokenize, version_lines)

ARTICLES = [
    "APROBAR el expediente técnico de la obra «Mejoramiento del servicio de "
    "transitabilidad vehicular en la comunidad nativa de Timpía».",
    "ENCARGAR a la Gerencia de Desarrollo Urbano y Rural el cumplimiento de la presente "
    "resolución.",
    "NOTIFICAR la presente resolución a las unidades orgánicas competentes.",
    "DISPONER la publicación de la presente resolución en el portal institucional.",
]
CONSIDERANDOS = [
    "Que, el artículo 194 de la Constitución Política del Perú establece que las "
    "municipalidades tienen autonomía política, económica y administrativa;",
    "Que, el artículo 39 de la Ley N° 27972 establece que las gerencias resuelven los "
    "aspectos administrativos a su cargo;",
]


def resolution(articles=None, considerandos=None, *, fields=None, closing=None,
               ids=None) -> dict:
    """A resolution's content; ``ids`` names the articles' ids (default a1, a2...)."""
    articles = ARTICLES if articles is None else articles
    considerandos = CONSIDERANDOS if considerandos is None else considerandos
    ids = ids or [f"a{n}" for n in range(1, len(articles) + 1)]
    return {
        "doc_type": "RGM",
        "fields": {"sumilla": "Aprobar el expediente técnico de la obra", "lugar": "Camisea",
                   **(fields or {})},
        "sections": [
            {"key": "visto", "title": "VISTO:", "kind": "paragraphs", "numbering": "none",
             "items": [{"id": "v1", "text": "El Informe N° 045-2024-GDUR-MDM; y,"}]},
            {"key": "considerando", "title": "CONSIDERANDO:", "kind": "paragraphs",
             "numbering": "none",
             "items": [{"id": f"c{n}", "text": text}
                       for n, text in enumerate(considerandos, start=1)]},
            {"key": "resuelve", "title": "SE RESUELVE:", "kind": "articles",
             "numbering": "ordinal_upper",
             "items": [{"id": item_id, "text": text} for item_id, text in zip(ids, articles)]},
        ],
        "closing": "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE." if closing is None else closing,
    }


def section(redline, key):
    return next(s for s in redline.sections if s.key == key)


def items(redline, key):
    return section(redline, key).items


def changed(ops, tag):
    return [op.text for op in ops if op.tag == tag]


# --------------------------------------------------------------------------- word diff

def test_insert_word():
    ops = diff_words("APROBAR el expediente.", "APROBAR el expediente técnico.")
    assert ops == (DiffOp(EQUAL, "APROBAR el expediente"), DiffOp(INSERT, " técnico"),
                   DiffOp(EQUAL, "."))


def test_delete_word():
    ops = diff_words("el expediente técnico definitivo", "el expediente definitivo")
    assert changed(ops, DELETE) == ["técnico "]
    assert changed(ops, INSERT) == []


def test_replace_word():
    ops = diff_words("El plazo es de 30 días hábiles.", "El plazo es de 45 días calendario.")
    assert changed(ops, DELETE) == ["30", "hábiles"]
    assert changed(ops, INSERT) == ["45", "calendario"]
    assert ops[0] == DiffOp(EQUAL, "El plazo es de ")


def test_accent_change_is_a_change_of_that_word_only():
    ops = diff_words("la resolucion de alcaldía", "la resolución de alcaldía")
    assert ops == (DiffOp(EQUAL, "la "), DiffOp(DELETE, "resolucion"),
                   DiffOp(INSERT, "resolución"), DiffOp(EQUAL, " de alcaldía"))


def test_n_with_tilde_and_dieresis_are_letters_of_their_word():
    assert tokenize("Año pingüino") == ["Año", " ", "pingüino"]
    ops = diff_words("Ano del pinguino", "Año del pingüino")
    assert changed(ops, DELETE) == ["Ano", "pinguino"]
    assert changed(ops, INSERT) == ["Año", "pingüino"]


def test_composed_and_decomposed_accents_are_not_a_change():
    composed = "Resolución de Gerencia Municipal N° 0045"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert diff_words(composed, decomposed) == (DiffOp(EQUAL, composed),)
    old = resolution(fields={"sumilla": decomposed})
    old["sections"][2]["items"][0]["text"] = unicodedata.normalize("NFD", ARTICLES[0])
    redline = compare(old, resolution(fields={"sumilla": composed}))
    assert not redline.summary.has_changes
    assert all(item.status == UNCHANGED for item in redline.items())


def test_decomposed_accent_stays_inside_its_word():
    text = unicodedata.normalize("NFD", "acción")
    # NFC first (diff_words), but the tokenizer alone also keeps marks in the word.
    assert tokenize(text) == [text]


def test_punctuation_is_compared_on_its_own():
    ops = diff_words("Que, el artículo 194", "Que el artículo 194;")
    assert changed(ops, DELETE) == [","]
    assert changed(ops, INSERT) == [";"]
    # The degree sign is a mark; the ordinal indicator º is a letter (Unicode Lo).
    ops = diff_words("Ley N° 27972", "Ley Nº 27972")
    assert changed(ops, DELETE) == ["N°"] and changed(ops, INSERT) == ["Nº"]
    ops = diff_words("Decreto Supremo N° 004-2019-JUS", "Decreto Supremo N° 004-2020-JUS")
    assert changed(ops, DELETE) == ["2019"] and changed(ops, INSERT) == ["2020"]


def test_rewritten_phrase_reads_as_one_change():
    ops = diff_words("remitir el informe de gerencia", "remitir el oficio de alcaldía")
    assert ops == (DiffOp(EQUAL, "remitir el "), DiffOp(DELETE, "informe de gerencia"),
                   DiffOp(INSERT, "oficio de alcaldía"))


def test_deleted_line_is_deleted_whole():
    ops = diff_words("ENCARGAR a la gerencia.\nSegunda línea.", "ENCARGAR a la gerencia.")
    assert ops == (DiffOp(EQUAL, "ENCARGAR a la gerencia."),
                   DiffOp(DELETE, "\nSegunda línea."))


@pytest.mark.parametrize("old, new", [("", ""), ("", "texto nuevo"), ("texto viejo", ""),
                                      ("  espacios  raros ", "espacios raros")])
def test_edge_texts(old, new):
    ops = diff_words(old, new)
    assert old_text(ops) == old and new_text(ops) == new
    assert all(op.text for op in ops)


def test_whitespace_is_kept_and_changes_are_exact_on_random_texts():
    rng = random.Random(2024)
    vocabulary = ("la", "resolución", "resolucion", "de", "alcaldía", "Ley", "N°", "27972",
                  ",", ";", ".", "artículo", "Que", "municipalidad", "Año", "ñandú", "\n")
    for _ in range(400):
        old = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 30)))
        words = old.split(" ")
        new_words = [w for w in words if rng.random() > 0.2]
        for _ in range(rng.randint(0, 4)):
            new_words.insert(rng.randint(0, len(new_words)), rng.choice(vocabulary))
        new = rng.choice([" ", "  "]).join(new_words)
        ops = diff_words(old, new)
        assert old_text(ops) == old
        assert new_text(ops) == new
        assert all(op.text for op in ops)
        assert all(a.tag != b.tag for a, b in zip(ops, ops[1:]))


def test_count_words():
    assert count_words("Que, el artículo 194 de la Ley N° 27972;") == 9      # "N" counts


# --------------------------------------------------------------------------- items

def test_identical_versions_have_no_changes():
    redline = compare(resolution(), resolution())
    assert not redline.summary.has_changes
    assert redline.summary.items_unchanged == 7
    assert [s.key for s in redline.sections] == ["visto", "considerando", "resuelve"]


def test_items_aligned_by_id_and_word_diff_of_a_modified_item():
    new_articles = list(ARTICLES)
    new_articles[1] = new_articles[1].replace("cumplimiento", "fiel cumplimiento")
    redline = compare(resolution(), resolution(new_articles))
    articles = items(redline, "resuelve")
    assert [i.status for i in articles] == [UNCHANGED, MODIFIED, UNCHANGED, UNCHANGED]
    modified = articles[1]
    assert modified.old_id == modified.new_id == "a2" and modified.matched_by == "id"
    assert changed(modified.text_ops, INSERT) == ["fiel "]
    assert changed(modified.text_ops, DELETE) == []
    assert modified.old_label == modified.new_label == "ARTÍCULO SEGUNDO.-"


def test_edit_that_changes_most_words_still_aligned_by_id():
    new_articles = list(ARTICLES)
    new_articles[0] = "DECLARAR improcedente la solicitud presentada."
    redline = compare(resolution(), resolution(new_articles))
    first = items(redline, "resuelve")[0]
    assert first.status == MODIFIED and first.new_id == "a1"
    assert redline.summary.items_inserted == redline.summary.items_deleted == 0


def test_reordered_articles_are_moved_not_deleted_and_inserted():
    old = resolution()
    new = resolution([ARTICLES[2], ARTICLES[0], ARTICLES[1], ARTICLES[3]],
                     ids=["a3", "a1", "a2", "a4"])
    redline = compare(old, new)
    entries = section(redline, "resuelve").entries
    moved = [i for i in items(redline, "resuelve") if i.status == MOVED]
    assert len(moved) == 1
    (item,) = moved
    assert (item.old_position, item.new_position) == (3, 1)
    assert item.old_label == "ARTÍCULO TERCERO.-" and item.new_label == "ARTÍCULO PRIMERO.-"
    assert item.move_label == "Movido: antes ARTÍCULO TERCERO"
    assert item.move_description == "ARTÍCULO TERCERO pasó a ser ARTÍCULO PRIMERO"
    assert not item.changed
    # Its old place is kept in the old reading order.
    origins = [e for e in entries if isinstance(e, MoveOrigin)]
    assert [o.change for o in origins] == [item]
    assert entries.index(origins[0]) == 3          # after ARTÍCULO SEGUNDO (old a2)
    # The others kept their order: renumbered, not moved.
    others = [i for i in items(redline, "resuelve") if i.status != MOVED]
    assert [i.status for i in others] == [UNCHANGED] * 3
    assert [i.renumbered for i in others] == [True, True, False]
    assert others[0].move_label == "Antes ARTÍCULO PRIMERO"
    summary = redline.summary
    assert (summary.items_moved, summary.items_inserted, summary.items_deleted) == (1, 0, 0)
    assert summary.words_inserted == summary.words_deleted == 0


def test_moved_article_that_was_also_edited():
    old = resolution()
    new = resolution([ARTICLES[0], ARTICLES[3].replace("portal", "diario"), ARTICLES[1],
                      ARTICLES[2]], ids=["a1", "a4", "a2", "a3"])
    redline = compare(old, new)
    (item,) = [i for i in items(redline, "resuelve") if i.status == MOVED]
    assert item.new_id == "a4" and item.changed
    assert item.move_description == "ARTÍCULO CUARTO pasó a ser ARTÍCULO SEGUNDO"
    assert changed(item.text_ops, DELETE) == ["portal"]
    assert changed(item.text_ops, INSERT) == ["diario"]
    assert redline.summary.items_modified == 1


def test_swapped_articles_one_is_moved():
    redline = compare(resolution(ARTICLES[:2]),
                      resolution([ARTICLES[1], ARTICLES[0]], ids=["a2", "a1"]))
    statuses = sorted(i.status for i in items(redline, "resuelve"))
    assert statuses == [MOVED, UNCHANGED]


def test_article_inserted_renumbers_the_following_without_moving_them():
    new = resolution([ARTICLES[0], "AUTORIZAR la transferencia.", *ARTICLES[1:]],
                     ids=["a1", "n1", "a2", "a3", "a4"])
    redline = compare(resolution(), new)
    articles = items(redline, "resuelve")
    assert [i.status for i in articles] == [UNCHANGED, INSERTED, UNCHANGED, UNCHANGED,
                                           UNCHANGED]
    inserted = articles[1]
    assert inserted.new_label == "ARTÍCULO SEGUNDO.-" and inserted.old_label == ""
    assert inserted.text_ops == (DiffOp(INSERT, "AUTORIZAR la transferencia."),)
    assert articles[2].renumbered and articles[2].new_label == "ARTÍCULO TERCERO.-"
    assert redline.summary.items_inserted == 1 and redline.summary.items_moved == 0
    assert redline.summary.words_inserted == 3


def test_article_deleted_keeps_its_old_place():
    new = resolution([ARTICLES[0], *ARTICLES[2:]], ids=["a1", "a3", "a4"])
    redline = compare(resolution(), new)
    articles = items(redline, "resuelve")
    assert [i.status for i in articles] == [UNCHANGED, DELETED, UNCHANGED, UNCHANGED]
    deleted = articles[1]
    assert deleted.old_label == "ARTÍCULO SEGUNDO.-" and deleted.new_position is None
    assert redline.summary.items_deleted == 1
    assert redline.summary.words_deleted == count_words(ARTICLES[1])


def test_replacement_lists_deletion_before_insertion():
    new = resolution([ARTICLES[0], "AUTORIZAR la transferencia.", *ARTICLES[2:]],
                     ids=["a1", "n1", "a3", "a4"])
    statuses = [i.status for i in items(compare(resolution(), new), "resuelve")]
    assert statuses == [UNCHANGED, DELETED, INSERTED, UNCHANGED, UNCHANGED]


def test_items_without_matching_ids_fall_back_on_text_similarity():
    new_articles = list(ARTICLES)
    new_articles[1] = new_articles[1].replace("el cumplimiento", "el estricto cumplimiento")
    new = resolution(new_articles, ids=["x1", "x2", "x3", "x4"])     # ids all different
    redline = compare(resolution(), new)
    articles = items(redline, "resuelve")
    assert [i.status for i in articles] == [UNCHANGED, MODIFIED, UNCHANGED, UNCHANGED]
    assert all(i.matched_by == "text" for i in articles)
    assert changed(articles[1].text_ops, INSERT) == ["estricto "]


def test_text_fallback_recognises_a_move_and_leaves_unrelated_text_alone():
    new = resolution([ARTICLES[3], ARTICLES[0], ARTICLES[1], "Texto sin relación alguna."],
                     ids=["x4", "x1", "x2", "x5"])
    articles = items(compare(resolution(), new), "resuelve")
    by_status = {}
    for item in articles:
        by_status.setdefault(item.status, []).append(item)
    assert [i.old_label for i in by_status[MOVED]] == ["ARTÍCULO CUARTO.-"]
    assert [i.new_text for i in by_status[INSERTED]] == ["Texto sin relación alguna."]
    assert [i.old_text for i in by_status[DELETED]] == [ARTICLES[2]]


def test_items_without_ids_and_string_items():
    old, new = resolution(), resolution()
    old["sections"][2]["items"] = [{"text": text} for text in ARTICLES]       # no ids
    new["sections"][2]["items"] = list(ARTICLES)                                # plain strings
    new["sections"][2]["items"][2] = ARTICLES[2].replace("competentes", "pertinentes")
    articles = items(compare(old, new), "resuelve")
    assert [i.status for i in articles] == [UNCHANGED, UNCHANGED, MODIFIED, UNCHANGED]


def test_duplicate_ids_do_not_break_the_alignment():
    old = resolution(ids=["a1", "a1", "a3", "a4"])
    new = resolution(ids=["a1", "a1", "a3", "a4"])
    redline = compare(old, new)
    assert not redline.summary.has_changes


def test_item_moved_to_another_section():
    old = resolution()
    new = resolution()
    moved = new["sections"][1]["items"].pop(1)                  # considerando c2 ...
    new["sections"][0]["items"].append(moved)                    # ... now in the visto
    redline = compare(old, new)
    (item,) = redline.moves()
    assert item.moved_across_sections and item.new_section == "visto"
    assert item.move_label == "Movido: antes párrafo 2 de «CONSIDERANDO»"
    origins = [e for e in section(redline, "considerando").entries if isinstance(e, MoveOrigin)]
    assert [o.change for o in origins] == [item]
    assert redline.summary.items_deleted == redline.summary.items_inserted == 0


def test_headings_are_compared():
    old, new = resolution(), resolution()
    old["sections"][2]["items"][0]["heading"] = "Aprobacion"
    new["sections"][2]["items"][0]["heading"] = "Aprobación del expediente"
    item = items(compare(old, new), "resuelve")[0]
    assert item.status == MODIFIED
    assert changed(item.heading_ops, DELETE) == ["Aprobacion"]
    assert changed(item.heading_ops, INSERT) == ["Aprobación del expediente"]


# --------------------------------------------------------------------------- empty versions

EMPTY_VERSIONS = [{}, {"doc_type": "RGM", "fields": {}, "sections": [], "closing": ""},
                  {"doc_type": "RGM", "sections": [{"key": "resuelve", "title": "",
                                                    "kind": "articles", "items": []}]}]


@pytest.mark.parametrize("empty", EMPTY_VERSIONS)
def test_empty_against_empty(empty):
    redline = compare(empty, empty)
    assert not redline.summary.has_changes
    assert redline.items() == []
    html = render_html(redline)
    assert "Sin cambios" in html


def test_empty_against_none():
    redline = compare(None, None)
    assert redline.entries == () and redline.fields == ()
    assert "Ninguna de las dos versiones tiene contenido" in render_html(redline)


def test_empty_against_full_and_back():
    full = resolution()
    grown = compare({}, full)
    assert {i.status for i in grown.items()} == {INSERTED}
    assert grown.summary.items_inserted == 7
    assert {s.status for s in grown.sections} == {INSERTED}
    assert grown.summary.sections_inserted == 3
    assert grown.closing.status == INSERTED
    assert {f.status for f in grown.fields} == {INSERTED}
    words = sum(count_words(line) for line in version_lines(full)) - sum(
        count_words(i.new_label) for i in grown.items()) - count_words("Sumilla: Lugar de emisión:")
    assert grown.summary.words_inserted == words
    assert grown.summary.words_deleted == 0

    emptied = compare(full, {"doc_type": "RGM", "sections": []})
    assert {i.status for i in emptied.items()} == {DELETED}
    assert emptied.summary.items_deleted == 7 and emptied.summary.sections_deleted == 3
    assert emptied.summary.words_inserted == 0
    assert emptied.summary.words_deleted == grown.summary.words_inserted


def test_section_emptied_but_kept():
    new = resolution()
    new["sections"][2]["items"] = []
    redline = compare(resolution(), new)
    assert section(redline, "resuelve").status == UNCHANGED
    assert [i.status for i in items(redline, "resuelve")] == [DELETED] * 4


# --------------------------------------------------------------------------- fields, closing

def test_fields_are_compared():
    old = resolution(fields={"expediente": "2024-004512", "fecha": "2024-03-12"})
    new = resolution(fields={"sumilla": "Aprobar el expediente técnico de la obra vial",
                             "fecha": "2024-03-12", "firmante_nombre": "Ing. Juan Pérez"})
    redline = compare(old, new)
    fields = {f.key: f for f in redline.fields}
    assert fields["sumilla"].status == MODIFIED
    assert changed(fields["sumilla"].ops, INSERT) == [" vial"]
    assert fields["expediente"].status == DELETED
    assert fields["firmante_nombre"].status == INSERTED
    assert fields["fecha"].status == UNCHANGED
    assert fields["lugar"].label == "Lugar de emisión"
    assert redline.summary.fields_changed == 3
    # The common fields in a fixed order, whatever the order of the dicts.
    assert [f.key for f in redline.fields] == ["sumilla", "expediente", "lugar", "fecha",
                                               "firmante_nombre"]


def test_field_labels_from_the_template():
    old = resolution(fields={"informes": "Informe N° 1"})
    new = resolution(fields={"informes": "Informe N° 2"})
    redline = compare(old, new, field_labels={"informes": "Documentos del visto"})
    assert redline.fields[0].key == "informes"
    assert redline.fields[0].new_line == "Documentos del visto: Informe N° 2"


def test_closing_is_compared():
    redline = compare(resolution(), resolution(closing="REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."))
    assert redline.closing.status == MODIFIED
    assert changed(redline.closing.ops, DELETE) == ["COMUNÍQUESE"]
    assert changed(redline.closing.ops, INSERT) == ["PUBLÍQUESE"]
    assert redline.summary.closing_changed
    assert compare(resolution(closing=""), resolution()).closing.status == INSERTED


def test_section_title_change_and_section_inserted_and_deleted():
    old, new = resolution(), resolution()
    new["sections"][2]["title"] = "RESUELVE:"
    del new["sections"][0]
    new["sections"].insert(1, {"key": "disposiciones", "title": "DISPOSICIONES FINALES:",
                               "kind": "paragraphs", "items": [{"id": "d1", "text": "Única."}]})
    redline = compare(old, new)
    assert [(s.key, s.status) for s in redline.sections] == [
        ("visto", DELETED), ("considerando", UNCHANGED), ("disposiciones", INSERTED),
        ("resuelve", MODIFIED)]
    assert changed(section(redline, "resuelve").title_ops, DELETE) == ["SE "]
    assert redline.summary.sections_inserted == redline.summary.sections_deleted == 1


def test_sections_reordered():
    old, new = resolution(), resolution()
    new["sections"] = [new["sections"][1], new["sections"][0], new["sections"][2]]
    redline = compare(old, new)
    moved = [s for s in redline.sections if s.status == MOVED]
    assert len(moved) == 1 and redline.summary.sections_moved == 1
    assert [type(e).__name__ for e in redline.entries].count("MoveOrigin") == 1


# --------------------------------------------------------------------------- summary

def test_summary_counts():
    old = resolution()
    new_articles = [ARTICLES[0].replace("técnico", "técnico definitivo"),   # +1 word
                    ARTICLES[2], ARTICLES[1],                              # a3 moved up
                    "AUTORIZAR el pago."]                                  # new, 3 words
    new = resolution(new_articles, ids=["a1", "a3", "a2", "n1"],
                     fields={"sumilla": "Aprobar el expediente técnico"},  # -3 words
                     closing="REGÍSTRESE Y CÚMPLASE.")                    # -1 word
    summary = compare(old, new).summary
    assert summary.items_inserted == 1
    assert summary.items_deleted == 1                     # a4
    assert summary.items_moved == 1
    assert summary.items_modified == 1
    assert summary.fields_changed == 1
    assert summary.closing_changed
    assert summary.words_inserted == 1 + 3
    assert summary.words_deleted == count_words(ARTICLES[3]) + 3 + 1


# --------------------------------------------------------------------------- HTML

def test_html_escapes_text():
    old = resolution(fields={"sumilla": "Aprobar <b>obra</b>"})
    new = resolution(["<script>alert('x')</script> & APROBAR"], ids=["a1"],
                     fields={"sumilla": "Aprobar <script>obra</script>"})
    html = render_html(compare(old, new))
    assert "<script>" not in html and "<b>obra" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; APROBAR" in html


def test_html_marks_insertions_deletions_and_moves():
    old = resolution()
    new = resolution([ARTICLES[2], ARTICLES[0].replace("técnico", "técnico definitivo"),
                      ARTICLES[1]], ids=["a3", "a1", "a2"])
    html = render_html(compare(old, new))
    assert '<ins class="rl-ins">definitivo </ins>' in html
    assert '<del class="rl-del">' in html
    assert "Movido: antes ARTÍCULO TERCERO" in html
    assert "ARTÍCULO TERCERO pasó a ser ARTÍCULO PRIMERO" in html
    assert 'class="rl-item rl-moved"' in html and 'class="rl-item rl-deleted"' in html
    assert 'data-item="a3"' in html


def test_html_of_identical_versions_has_no_marks():
    html = render_html(compare(resolution(), resolution()))
    assert "<ins" not in html.split('class="rl-legend"')[1].split("</p>", 1)[1]
    assert "<del" not in html.split('class="rl-legend"')[1].split("</p>", 1)[1]
    assert "Sin cambios entre las dos versiones." in html


# --------------------------------------------------------------------------- reading lines

def test_version_lines_follow_the_layout():
    """The comparison reads a version as the official rendering does (labels, headings,
    lines), so that "accept all" in Word gives the document's own text."""
    content = resolution()
    content["sections"][2]["items"][0]["heading"] = "Aprobación"
    content["sections"][2]["items"][1]["text"] = "ENCARGAR a la gerencia.\n\n  Segunda   línea."
    content["sections"].append({"key": "final", "title": "", "kind": "text",
                                "items": [{"id": "t1", "text": ""}, {"id": "t2", "text": "Fin."}]})
    meta = RenderMeta(municipality_name="Municipalidad Distrital de Megantoni",
                      municipality_code="MDM", location="", year_name="",
                      heading_template="{numero}", number_pattern="{seq:04d}-{year}", year=2024)
    expected = []
    for block in layout_blocks(content, meta):
        if isinstance(block, (SectionTitle, Paragraph, Article, Closing)):
            expected.extend(block_lines(block))
    lines = version_lines(content)
    assert lines[:2] == ["Sumilla: Aprobar el expediente técnico de la obra",
                         "Lugar de emisión: Camisea"]
    assert lines[2:] == expected
    assert "ARTÍCULO PRIMERO.- Aprobación" in lines and "Segunda línea." in lines


def test_item_display_lines():
    item = items(compare(resolution(), resolution()), "resuelve")[0]
    assert isinstance(item, ItemChange)
    assert item.new_display == (f"ARTÍCULO PRIMERO.- {ARTICLES[0]}",)
