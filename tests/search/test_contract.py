"""The contract every search backend keeps (embedded always; Elasticsearch when configured)."""
from __future__ import annotations

import threading
from collections import Counter

import pytest

from search import SearchBackend, SearchDoc, Visibility, parse_query
from tests.search.conftest import ALL, CORPUS, ids, make_doc

BY_ID = {d.id: d for d in CORPUS}


def found(backend, query, visibility=ALL, **kw) -> set[str]:
    return set(ids(backend.search(query, visibility=visibility, per_page=100, **kw)))


def test_backends_implement_the_protocol(any_backend):
    assert isinstance(any_backend, SearchBackend)


def test_index_and_count(loaded):
    assert loaded.count() == len(CORPUS)


# -- Spanish-aware matching ----------------------------------------------------------------

@pytest.mark.parametrize("query", ["resolucion", "RESOLUCIÓN", "Resolución"])
def test_accents_and_case_are_ignored_in_the_number(loaded, query):
    # "resolución" appears only in numbers; numbers are searchable text too
    assert "doc-3" in found(loaded, query + " apelacion")


@pytest.mark.parametrize("query", ["apelacion", "APELACIÓN", "ApElAcIoN"])
def test_accents_and_case_are_ignored(loaded, query):
    assert found(loaded, query) == {"doc-3"}


def test_stemming_plural_finds_singular(loaded):
    # "ordenanzas" never appears; "ordenanza" does
    assert {"doc-1", "doc-5"} <= found(loaded, "ordenanzas")


def test_stemming_verb_finds_noun(loaded):
    # "derogó" finds "DERÓGASE"
    assert "doc-1" in found(loaded, "derogó")


def test_a_type_noun_is_not_stemmed_into_other_words(loaded):
    # "ordenanza" and "ordenamiento" / "órdenes" share the stem "orden": a type of norm is
    # matched as written (singular or plural), never through that stem (issue 15).
    loaded.index([
        make_doc(50, "RA", "Nota sobre órdenes de servicio", "Órdenes de servicio varias."),
        make_doc(51, "RA", "Nota sobre la ordenanza", "Texto de la ordenanza."),
        make_doc(52, "RA", "Nota sobre el ordenamiento", "Ordenamiento territorial."),
        make_doc(53, "RA", "Nota sobre las ordenanzas", "Varias ordenanzas."),
    ])
    hits = ids(loaded.search("ordenanza tipo:RA", visibility=ALL))
    assert "doc-51" in hits and "doc-53" in hits
    assert "doc-50" not in hits and "doc-52" not in hits


def test_stop_words_are_not_required(loaded):
    plain = found(loaded, "licencia funcionamiento")
    assert plain == found(loaded, "la licencia de funcionamiento")
    assert plain == {"doc-2", "doc-11"}


def test_only_stop_words_lists_everything_with_a_warning(loaded):
    r = loaded.search("de la", visibility=ALL)
    assert r.total == len(CORPUS)
    assert any("muy comunes" in w for w in r.warnings)


# -- query syntax ---------------------------------------------------------------------------

def test_all_words_must_match_by_default(loaded):
    assert found(loaded, "licencia edificación") == {"doc-6"}
    assert found(loaded, "licencia") >= {"doc-2", "doc-6", "doc-11"}


def test_exact_phrase(loaded):
    assert found(loaded, '"licencia de funcionamiento"') == {"doc-2", "doc-11"}
    assert found(loaded, '"licencia de edificación"') == {"doc-6"}
    # words present but not as a phrase
    assert found(loaded, '"funcionamiento de licencia"') == set()


def test_phrase_ignores_accents_and_case(loaded):
    assert found(loaded, '"RECURSO DE APELACION"') == {"doc-3"}


def test_exclusion(loaded):
    assert found(loaded, "licencia -edificación") == {"doc-2", "doc-11"}
    assert found(loaded, 'licencia -"sin efecto"') == {"doc-2", "doc-6"}
    assert found(loaded, "licencia NOT edificación") == {"doc-2", "doc-11"}


def test_only_exclusion_means_everything_else(loaded):
    assert found(loaded, "-arbitrios") == {d.id for d in CORPUS} - {"doc-1", "doc-4", "doc-5"}


def test_or(loaded):
    assert found(loaded, "edificación OR apelación") == {"doc-3", "doc-6"}
    assert found(loaded, "licencia edificación OR funcionamiento") == {"doc-2", "doc-6", "doc-11"}


@pytest.mark.parametrize("query, expected", [
    ("tipo:OM", {"doc-1", "doc-4"}),
    ("tipo:ordenanza", {"doc-1", "doc-4"}),
    ('tipo:"resolución de gerencia municipal"', {"doc-3", "doc-8", "doc-12"}),
    ("tipo:OM,DA", {"doc-1", "doc-4", "doc-5"}),
    ("año:2024", {"doc-3", "doc-6", "doc-12"}),
    ("anio:2023-2024", {"doc-2", "doc-3", "doc-6", "doc-11", "doc-12"}),
    ("oficina:gdur", {"doc-6", "doc-7"}),
    ("estado:derogada", {"doc-4"}),
    ("estado:vigentes tipo:OM", {"doc-1"}),
    ("estado:borrador", {"doc-7", "doc-8", "doc-9"}),
    ('firmante:"pérez"', {"doc-1", "doc-4"}),
    ('firmante:"juan perez quispe" arbitrios', {"doc-1", "doc-4"}),
    ("desde:2023-01-01 hasta:2023-12-31", {"doc-2", "doc-11"}),
    ("desde:2024-03-12", {"doc-3", "doc-6", "doc-12"}),
    ("hasta:2015", {"doc-4", "doc-10"}),
    ("arbitrios año:2019", {"doc-1"}),
])
def test_filters(loaded, query, expected):
    assert found(loaded, query) == expected


def test_facets_count_the_visible_matches(loaded):
    vis = Visibility.for_user(["GM"], 10)
    r = loaded.search("", visibility=vis, per_page=1)
    visible = [d.normalized() for d in CORPUS if vis.allows(d)]
    assert r.total == len(visible)
    expected = {
        "doc_type": Counter(d.doc_type for d in visible),
        "office": Counter(d.office for d in visible),
        "status": Counter(d.status for d in visible),
        "year": Counter(str(d.year) for d in visible if d.year),
        "signer": Counter(d.signer for d in visible if d.signer),
    }
    for field, counts in expected.items():
        assert {v.value: v.count for v in r.facets[field]} == dict(counts), field
    years = [int(v.value) for v in r.facets["year"]]
    assert years == sorted(years, reverse=True)


def test_facets_follow_query_and_filters(loaded):
    r = loaded.search("arbitrios tipo:OM", visibility=ALL)
    assert {v.value: v.count for v in r.facets["doc_type"]} == {"OM": 2}
    assert {v.value: v.count for v in r.facets["status"]} == {"vigente": 1, "derogada": 1}


# -- known items ----------------------------------------------------------------------------

@pytest.mark.parametrize("query, first", [
    ("ordenanza 12-2019", "doc-1"),
    ("ordenanza municipal n° 012-2019-mdm", "doc-1"),
    ("ORDENANZA MUNICIPAL N° 012-2019-MDM", "doc-1"),
    ("OM 12-2019", "doc-1"),
    ("RGM 45-2024", "doc-3"),
    ("resolución de gerencia municipal 45-2024", "doc-3"),
    ("Ley 27972", "doc-10"),
    ("ley n° 27972", "doc-10"),
    ("RA 145-2023", "doc-2"),
    ("decreto de alcaldía 3-2020", "doc-5"),
    ("resolución de gerencia 21-2024", "doc-6"),
])
def test_known_item_first(loaded, query, first):
    r = loaded.search(query, visibility=ALL)
    assert r.hits and r.hits[0].id == first


def test_known_item_then_the_norms_citing_it(loaded):
    hits = ids(loaded.search("ordenanza 12-2019", visibility=ALL))
    assert hits[0] == "doc-1"
    assert {"doc-2", "doc-5"} <= set(hits[1:3])


def test_known_item_with_more_words(loaded):
    hits = ids(loaded.search("ordenanza 12-2019 licencia", visibility=ALL))
    assert hits == ["doc-2"]  # cites the ordinance and mentions "licencia"


def test_known_item_not_in_archive_falls_back_to_words(loaded):
    r = loaded.search("ordenanza 99-2030", visibility=ALL)
    assert r.total == 0
    assert r.warnings == ["Ninguna norma del archivo tiene el número «ordenanza 99-2030»; "
                          "se muestran los documentos que lo mencionan."]
    r = loaded.search("ley 2019", visibility=ALL)  # not a law here: the words still match
    assert "doc-1" in ids(r)
    assert any("ningu" in w.lower() and "«ley 2019»" in w for w in r.warnings)


def test_a_number_no_norm_has_is_said_so_above_the_texts_citing_it(any_backend):
    """A law every ordinance cites but nobody imported: the page says that what it shows
    only mentions it; a number one norm has, or one the searcher may not see, says
    nothing (the notice tells of the whole index, whoever may see it); a sector typed
    wrong falls back to its namesakes, which exist."""
    any_backend.index([
        make_doc(95, "OM", "Ordenanza de licencias", "Conforme a la Ley N° 27972, Ley "
                 "Orgánica de Municipalidades.", number="ORDENANZA MUNICIPAL N° 010-2024-MDM"),
        make_doc(96, "DS", "Reglamento de transporte", "Texto.", date="2009-02-01",
                 number="DECRETO SUPREMO N° 003-2009-MTC"),
        make_doc(97, "RA", "Resolución por publicar", "Texto.", date="2026-01-10",
                 number="RESOLUCIÓN DE ALCALDÍA N° 005-2026-MDM", published=False),
    ])
    absent = [w for w in any_backend.search("Ley N° 27972", visibility=ALL).warnings
              if w.startswith("Ninguna norma")]
    assert absent == ["Ninguna norma del archivo tiene el número «Ley N° 27972»; se muestran "
                      "los documentos que lo mencionan."]
    assert ids(any_backend.search("Ley N° 27972", visibility=ALL))[0] == "doc-95"
    for typed, visibility in (("DS 3-2009", ALL), ("D.S. 003-2009-MTC", ALL),
                              ("D.S. 003-2009-EF", ALL),
                              ("RA 5-2026", Visibility.public())):
        r = any_backend.search(typed, visibility=visibility)
        assert not any(w.startswith("Ninguna norma") for w in r.warnings), typed


# -- a number that fits several norms (search.fitting) --------------------------------------

def _ds(n: int, sector: str, date: str, title: str, body: str = "Texto del decreto.",
        **kw) -> SearchDoc:
    return make_doc(n, "DS", title, body, number=f"DECRETO SUPREMO N° 003-2009-{sector}",
                    date=date, **kw)


def _cite(n: int, body: str, **kw) -> SearchDoc:
    return make_doc(n, "RM", "Resolución que cita decretos", body, date="2009-06-01",
                    number=f"RESOLUCIÓN MINISTERIAL N° {n:03d}-2009-EF", **kw)


def test_namesakes_come_first_the_most_cited_before(any_backend):
    """"D.S. 3-2009" fits three decrees: all three first, the one more norms cite first
    (drafts do not count), then the newest."""
    any_backend.index([
        _ds(60, "PRODUCE", "2009-03-01", "Reglamento de la ley de pesca"),
        _ds(61, "EF", "2009-01-10", "Modifican el reglamento del impuesto"),
        _ds(62, "MTC", "2009-02-01", "Aprueban el reglamento de transporte"),
        _cite(63, "Conforme al Decreto Supremo N° 003-2009-EF."),
        _cite(64, "Visto el Decreto Supremo N° 003-2009-EF y el Decreto Supremo N° "
                  "003-2009-MTC."),
        make_doc(65, "RA", "Proyecto", "Decreto Supremo N° 003-2009-MTC", status="borrador",
                 published=False),
        make_doc(66, "RA", "Otro proyecto", "Decreto Supremo N° 003-2009-MTC",
                 status="borrador", published=False),
    ])
    r = any_backend.search("D.S. 3-2009", visibility=ALL)
    assert ids(r)[:3] == ["doc-61", "doc-62", "doc-60"]
    (notice,) = [w for w in r.warnings if "corresponde a 3 normas" in w]
    assert notice.index("003-2009-EF (citada por 2 normas") < notice.index(
        "003-2009-MTC (citada por 1 norma del archivo)") < notice.index(
        "003-2009-PRODUCE (sin citas")
    assert "«D.S. 3-2009-EF»" in notice


def test_a_yearly_number_typed_without_its_year_finds_every_year_s(any_backend):
    """"RM 148" names the RM 148 of each year: all of them first, the one the archive
    cites first, and the notice says to type the year; a text that only mentions 148
    comes after them."""
    any_backend.index([
        make_doc(80, "RM", "Aprueban el protocolo de extradiciones", "Texto.",
                 number="RESOLUCIÓN MINISTERIAL N° 148-2024-JUS", date="2024-05-02"),
        make_doc(81, "RM", "Designan a la directora de administración", "Texto.",
                 number="RESOLUCIÓN MINISTERIAL N° 0148-2026-JUS", date="2026-03-20"),
        make_doc(82, "RA", "Resolución que cita", "Conforme a la Resolución Ministerial "
                 "N° 148-2024-JUS y al artículo 148 del reglamento.", date="2025-01-10",
                 number="RESOLUCIÓN DE ALCALDÍA N° 010-2025-MDM"),
    ])
    r = any_backend.search("RM 148", visibility=ALL)
    assert ids(r)[:2] == ["doc-80", "doc-81"]   # cited first, though older
    (notice,) = [w for w in r.warnings if "corresponde a 2 normas" in w]
    assert "«RM 148-2024»" in notice
    assert ids(any_backend.search("Resolución Ministerial Nro. 148 extradiciones",
                                  visibility=ALL))[:1] == ["doc-80"]
    assert ids(any_backend.search("RM 148-2026", visibility=ALL))[:1] == ["doc-81"]


def test_namesakes_nobody_cites_come_newest_first(any_backend):
    any_backend.index([
        _ds(70, "JUS", "2009-01-05", "Decreto supremo 3 2009 aprueba reglamento decreto"),
        _ds(71, "AG", "2009-11-20", "Aprueban el texto único de procedimientos administrativos "
                                    "del ministerio de agricultura y riego"),
    ])
    assert ids(any_backend.search("decreto supremo 3-2009", visibility=ALL))[:2] == [
        "doc-71", "doc-70"]


def test_the_sector_typed_needs_no_notice(any_backend):
    any_backend.index([_ds(60, "PRODUCE", "2009-03-01", "Pesca"),
                       _ds(61, "EF", "2009-01-10", "Impuesto"),
                       _cite(63, "Conforme al Decreto Supremo N° 003-2009-EF.")])
    r = any_backend.search("DS 003-2009-PRODUCE", visibility=ALL)
    assert ids(r)[:2] == ["doc-60", "doc-61"]
    assert not any("corresponde a" in w for w in r.warnings)


def test_a_number_typed_as_the_open_data_identifier(any_backend):
    any_backend.index([_ds(60, "PRODUCE", "2009-03-01", "Pesca"),
                       _ds(61, "EF", "2009-01-10", "Impuesto")])
    assert ids(any_backend.search("DS-003-2009-EF", visibility=ALL))[0] == "doc-61"


@pytest.mark.parametrize("typed", ["R.M. 0536-RE-2019", "RM N° 536-RE-2019", "R.M. 536-2019-RE",
                                   "resolución ministerial 536-2019"])
def test_a_number_with_its_year_after_the_sector(any_backend, typed):
    """Relaciones Exteriores prints the year after the sector ("0536-RE-2019"): typed so, or
    with the year first, it names that resolution, before the norm that cites it."""
    any_backend.index([
        make_doc(90, "RM", "Cita el plan", "Conforme a la Resolución Ministerial Nº 0536-RE-2019.",
                 number="RESOLUCIÓN MINISTERIAL N° 0100-RE-2020", date="2020-02-01"),
        make_doc(91, "RM", "Aprueban el Plan Estratégico Institucional", "Texto del plan.",
                 number="RESOLUCIÓN MINISTERIAL N° 0536-RE-2019", date="2019-08-11"),
        make_doc(92, "RM", "Otra resolución", "Texto.", date="2019-05-01",
                 number="RESOLUCIÓN MINISTERIAL N° 0536-2019-MINSA"),
    ])
    found = ids(any_backend.search(typed, visibility=ALL))
    assert found[0] in (("doc-91",) if "RE" in typed else ("doc-91", "doc-92"))
    assert found.index("doc-91") < found.index("doc-90")


@pytest.mark.parametrize("typed", ["R.M. N° D000226-2025-MIMP-DM", "RM D000226-2025-MIMP",
                                   "resolución ministerial 226-2025-MIMP", "R.M. 226-2025"])
def test_an_sgd_number_typed_with_or_without_its_d(any_backend, typed):
    """The State's document system numbers resolutions "D000226-2025-MIMP-DM": typed so, or
    as a plain number, it names that resolution, before the norm that cites it."""
    any_backend.index([
        make_doc(93, "RM", "Cita la guía", "Conforme a la Resolución Ministerial N° "
                 "D000226-2025-MIMP-DM.", number="RESOLUCIÓN MINISTERIAL N° D000300-2025-MIMP-DM",
                 date="2025-08-01"),
        make_doc(94, "RM", "Aprueban la Guía de diseño arquitectónico", "Texto de la guía.",
                 number="RESOLUCIÓN MINISTERIAL N° D000226-2025-MIMP-DM", date="2025-06-12"),
    ])
    found = ids(any_backend.search(typed, visibility=ALL))
    assert found[:2] == ["doc-94", "doc-93"]


def test_dl_finds_a_decreto_ley_and_a_decreto_legislativo(any_backend):
    any_backend.index([
        make_doc(80, "DLEY", "Ley de Concesiones Eléctricas", "Texto.",
                 number="DECRETO LEY N° 25844", date="1992-11-19"),
        make_doc(81, "DLEG", "Decreto Legislativo del Sistema Nacional de Presupuesto",
                 "Texto.", number="DECRETO LEGISLATIVO N° 1440", date="2018-09-16"),
        make_doc(82, "RM", "Cita la ley de concesiones", "Conforme al Decreto Ley N° 25844.",
                 number="RESOLUCIÓN MINISTERIAL N° 010-2020-MINEM", date="2020-01-10"),
    ])
    assert ids(any_backend.search("D.L. 25844", visibility=ALL))[:2] == ["doc-80", "doc-82"]
    r = any_backend.search("DL 1440", visibility=ALL)
    assert ids(r)[0] == "doc-81" and not any("corresponde a" in w for w in r.warnings)


def test_the_notice_names_only_the_norms_the_searcher_may_see(any_backend):
    any_backend.index([_ds(60, "PRODUCE", "2009-03-01", "Pesca"),
                       _ds(61, "EF", "2009-01-10", "Impuesto"),
                       _ds(62, "MTC", "2009-02-01", "Transporte", published=False)])
    r = any_backend.search("D.S. 3-2009", visibility=Visibility.public())
    (notice,) = [w for w in r.warnings if "corresponde a" in w]
    assert "2 normas" in notice and "MTC" not in notice
    assert not any("corresponde a" in w for w in any_backend.search(
        "D.S. 3-2009 tipo:DS año:2009 pesca", visibility=ALL).warnings)


# -- results --------------------------------------------------------------------------------

def test_hit_fields(loaded):
    hit = loaded.search("ordenanza 12-2019", visibility=ALL).hits[0]
    assert hit.id == "doc-1" and hit.document_id == 1 and hit.version_number == 1
    assert hit.number == "ORDENANZA MUNICIPAL N° 012-2019-MDM"
    assert hit.title == BY_ID["doc-1"].title
    assert (hit.doc_type, hit.year, hit.date, hit.status, hit.office) == (
        "OM", 2019, "2019-05-02", "vigente", "CM")
    assert hit.published is True and hit.score is not None


def test_snippets_highlight_the_matched_words(loaded):
    hit = loaded.search("serenazgo", visibility=ALL).hits[0]
    assert hit.id == "doc-1"
    assert any("<mark>serenazgo</mark>" in s for s in hit.snippets)


def test_snippets_highlight_stemmed_and_accented_forms(loaded):
    hit = loaded.search("apelacion", visibility=ALL).hits[0]
    assert "<mark>apelación</mark>" in hit.title_html
    assert any("<mark>apelación</mark>" in s for s in hit.snippets)


def test_snippets_and_titles_are_escaped(loaded):
    hit = loaded.search("licencia efecto", visibility=ALL).hits[0]
    assert hit.id == "doc-11"
    text = hit.title_html + " ".join(hit.snippets)
    assert "<script>" not in text and "<provisional>" not in text
    assert "&lt;provisional&gt;" in hit.title_html and "&amp;" in hit.title_html
    assert "<mark>licencia</mark>" in hit.title_html
    assert "&lt;script&gt;" in " ".join(hit.snippets)
    # the only tags left are the marks
    stripped = text.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped


def test_phrase_is_highlighted_as_a_whole(loaded):
    hit = loaded.search('"recurso de apelación"', visibility=ALL).hits[0]
    assert any("<mark>recurso de apelación</mark>" in s for s in hit.snippets)


def test_sort_by_date(loaded):
    r = loaded.search("", visibility=ALL, sort="date", per_page=100)
    dates = [h.date for h in r.hits]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates[: len(dated)] == dated  # undated drafts last
    assert all(h.score is None for h in r.hits)
    r = loaded.search("arbitrios", visibility=ALL, sort="date")
    assert ids(r) == ["doc-5", "doc-1", "doc-4"]


def test_relevance_sort_puts_title_matches_first(loaded):
    r = loaded.search("arbitrios", visibility=ALL)
    assert r.sort == "relevance"
    assert set(ids(r)[:3]) == {"doc-1", "doc-4", "doc-5"}
    scores = [h.score for h in r.hits]
    assert scores == sorted(scores, reverse=True)


def test_unknown_sort_reads_as_relevance(loaded):
    r = loaded.search("arbitrios", visibility=ALL, sort="alfabético")
    assert r.sort == "relevance" and r.warnings


def test_pagination(loaded):
    seen = []
    first = loaded.search("", visibility=ALL, per_page=5, sort="date")
    assert (first.total, first.pages, first.page) == (len(CORPUS), 3, 1)
    for page in (1, 2, 3):
        r = loaded.search("", visibility=ALL, per_page=5, page=page, sort="date")
        assert r.page == page
        seen.extend(ids(r))
    assert len(seen) == len(set(seen)) == len(CORPUS)
    assert first.has_next and not first.has_previous


def test_page_out_of_range_shows_the_last_page_with_a_warning(loaded):
    last = loaded.search("", visibility=ALL, per_page=5, page=3, sort="date")
    r = loaded.search("", visibility=ALL, per_page=5, page=99, sort="date")
    assert r.page == 3 and ids(r) == ids(last)
    assert any("La página 99 no existe" in w for w in r.warnings)


@pytest.mark.parametrize("page, per_page", [(0, 20), (-3, 20), ("x", 20), (1, 0), (1, 10_000),
                                            (10**9, 20)])
def test_odd_pages_never_fail(loaded, page, per_page):
    r = loaded.search("arbitrios", visibility=ALL, page=page, per_page=per_page)
    assert r.hits and 1 <= r.per_page <= 100 and 1 <= r.page <= r.pages


def test_no_results(loaded):
    r = loaded.search("inexistentepalabra", visibility=ALL)
    assert (r.total, r.hits, r.page, r.pages) == (0, [], 1, 1)
    # Asking for page 5 of nothing is page 1 of 1, not "page 5 of 1".
    r = loaded.search("inexistentepalabra", visibility=ALL, page=5)
    assert (r.total, r.hits, r.page, r.pages) == (0, [], 1, 1)


@pytest.mark.parametrize("query", [
    '"sin cerrar', "OR", "- NOT OR", "campo:valor arbitrios", "x" * 10_000,
    "arbitrios " * 2000, "año:abc estado:raro desde:2024-99-99", "((((", '"""', "tipo:",
    "\x00\x01 arbitrios \t\n", "ordenanza 12-2019 OR", "-tipo:OM", "🙂 licencia", None, "",
])
def test_bad_input_never_fails(loaded, query):
    r = loaded.search(query, visibility=ALL)
    assert r.total >= 0 and isinstance(r.warnings, list)


def test_long_query_is_cut_and_said(loaded):
    r = loaded.search("arbitrios " * 2000, visibility=ALL)
    assert any("demasiado larga" in w for w in r.warnings)
    assert "doc-1" in ids(r)


def test_parsed_tree_is_accepted(loaded):
    tree = parse_query("arbitrios tipo:OM")
    assert found(loaded, tree) == {"doc-1", "doc-4"}


# -- visibility -----------------------------------------------------------------------------

VISIBILITIES = [
    Visibility.everything(),
    Visibility.public(),
    Visibility.for_user(["GM"], 10),
    Visibility.for_user(["GDUR"], 20),
    Visibility.for_user([], 99),
    Visibility.for_user(["GAF", "GM"], None),
]


@pytest.mark.parametrize("vis", VISIBILITIES, ids=repr)
@pytest.mark.parametrize("query", ["", "proyecto", "borrador", "caja chica", "estado:borrador",
                                   "modificación presupuestaria", "contrataciones"])
def test_visibility_rule_holds(loaded, vis, query):
    r = loaded.search(query, visibility=vis, per_page=100)
    assert all(vis.allows(BY_ID[h.id]) for h in r.hits)
    everything = found(loaded, query)
    assert set(ids(r)) == {i for i in everything if vis.allows(BY_ID[i])}
    assert r.total == len(r.hits)


def test_drafter_never_sees_another_offices_drafts(loaded):
    drafter_gm = Visibility.for_user(["GM"], 10)
    assert "doc-7" not in found(loaded, "modificación presupuestaria", drafter_gm)
    assert "doc-7" not in found(loaded, "estado:borrador", drafter_gm)
    assert found(loaded, "estado:borrador", drafter_gm) == {"doc-8", "doc-9"}  # own office + own
    facets = loaded.search("", visibility=drafter_gm).facets
    assert "GDUR" in {v.value for v in facets["office"]}  # published GDUR norm
    assert {v.value: v.count for v in facets["status"]}["borrador"] == 2


def test_public_portal_sees_only_published(loaded):
    r = loaded.search("", visibility=Visibility.public(), per_page=100)
    assert set(ids(r)) == {d.id for d in CORPUS if d.published}
    assert found(loaded, "RGM 46-2024", Visibility.public()) == set()


def test_visibility_is_required(loaded):
    with pytest.raises(TypeError):
        loaded.search("arbitrios")


# -- writes ---------------------------------------------------------------------------------

def test_upsert_by_id(loaded):
    changed = SearchDoc(**{**BY_ID["doc-3"].as_dict(), "title": "Declaran fundado el recurso",
                           "version_number": 2, "status": "modificada"})
    loaded.index([changed])
    assert loaded.count() == len(CORPUS)
    r = loaded.search("fundado", visibility=ALL)
    assert ids(r) == ["doc-3"] and r.hits[0].version_number == 2
    assert r.hits[0].status == "modificada"
    assert found(loaded, "estado:vigente") == found(loaded, "") - {
        "doc-3", "doc-4", "doc-5", "doc-7", "doc-8", "doc-9"}


def test_accepts_plain_dicts(any_backend):
    any_backend.index([CORPUS[0].as_dict()])
    assert found(any_backend, "arbitrios") == {"doc-1"}


def test_delete(loaded):
    loaded.delete(["doc-1", "doc-404"])
    assert loaded.count() == len(CORPUS) - 1
    assert "doc-1" not in found(loaded, "arbitrios")
    loaded.delete_documents([4, 5])
    assert found(loaded, "arbitrios") == set()


def test_clear(loaded):
    loaded.clear()
    assert loaded.count() == 0
    assert loaded.search("", visibility=ALL).total == 0


def test_rebuild_swaps_while_searching(loaded):
    """Searches keep answering from the old index during a rebuild; a change indexed
    meanwhile survives the swap."""
    new_corpus = [make_doc(100 + i, "RA", f"Resolución nueva número {i} sobre serenazgo",
                           "Texto nuevo.", date="2025-01-0%d" % (1 + i % 9)) for i in range(30)]
    started, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def docs():
        yield new_corpus[0]
        started.set()
        assert release.wait(20)
        yield from new_corpus[1:]

    def rebuild():
        try:
            loaded.rebuild(docs())
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    before = found(loaded, "arbitrios")
    thread = threading.Thread(target=rebuild)
    thread.start()
    try:
        assert started.wait(20)
        for _ in range(5):
            assert found(loaded, "arbitrios") == before
        loaded.index([make_doc(200, "OM", "Ordenanza de serenazgo comunal", "Texto.",
                               date="2025-02-01")])
        assert "doc-200" in found(loaded, "serenazgo")
    finally:
        release.set()
        thread.join(30)
    assert not errors
    assert found(loaded, "arbitrios") == set()
    assert found(loaded, "serenazgo") == {d.id for d in new_corpus} | {"doc-200"}
    assert loaded.count() == len(new_corpus) + 1


def test_rebuild_reports_progress(any_backend):
    done = []
    assert any_backend.rebuild(iter(CORPUS), progress=done.append) == len(CORPUS)
    assert sum(done) == len(CORPUS)
    assert any_backend.count() == len(CORPUS)


# -- more like this (similar norms) ---------------------------------------------------------

ARBITRIOS = ("Ordenanza que regula los arbitrios municipales de limpieza pública, parques y "
             "jardines y serenazgo para el ejercicio fiscal.")


def test_more_like_this_ranks_the_same_subject_first(loaded):
    hits = loaded.more_like_this(ARBITRIOS, visibility=ALL)
    assert hits and hits[0].id == "doc-1"
    # the other arbitrios norms next; edificación, apelación... (another subject) after
    assert {h.id for h in hits[:3]} == {"doc-1", "doc-4", "doc-5"}
    assert all(h.score is not None for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].number == "ORDENANZA MUNICIPAL N° 012-2019-MDM"


def test_more_like_this_filters_statuses_visibility_and_the_document_itself(loaded):
    norms = {h.id for h in loaded.more_like_this(ARBITRIOS, visibility=ALL,
                                                 statuses=["vigente", "modificada"])}
    assert "doc-1" in norms and "doc-5" in norms and "doc-4" not in norms   # derogada
    hits = loaded.more_like_this(ARBITRIOS, visibility=ALL, exclude_document_ids=[1])
    assert "doc-1" not in {h.id for h in hits} and hits
    drafts = "Borrador de la directiva de viáticos y caja chica para comisiones de servicio."
    assert "doc-9" in {h.id for h in loaded.more_like_this(drafts, visibility=ALL)}
    assert "doc-9" not in {h.id for h in loaded.more_like_this(drafts,
                                                                visibility=Visibility.public())}
    assert "doc-9" not in {h.id for h in loaded.more_like_this(
        drafts, visibility=ALL, statuses=["vigente", "modificada", "derogada"])}


def test_more_like_this_sees_what_a_search_by_that_user_sees(loaded):
    """An issued, unpublished resolution of GM (doc-12): its office and its author find it
    among the similar norms; another office does not — the rule of ``Visibility.allows``."""
    plan = "Plan anual de contrataciones del ejercicio: se aprueba el plan anual."

    def similar(visibility):
        return {h.id for h in loaded.more_like_this(plan, visibility=visibility,
                                                    statuses=["vigente"])}

    assert "doc-12" in similar(Visibility.for_user(["GM"], 99))
    assert "doc-12" in similar(Visibility.for_user(["GDUR"], 11))      # its author
    assert "doc-12" not in similar(Visibility.for_user(["GDUR"], 99))
    assert "doc-12" not in similar(Visibility.public())
    for visibility in (Visibility.for_user(["GDUR"], 99), Visibility.public(), ALL):
        assert all(visibility.allows(d) for d in CORPUS if d.id in similar(visibility))


def test_more_like_this_limit_and_empty_text(loaded):
    assert len(loaded.more_like_this(ARBITRIOS, visibility=ALL, limit=1)) == 1
    assert loaded.more_like_this("", visibility=ALL) == []
    assert loaded.more_like_this("   \n ", visibility=ALL) == []
    assert loaded.more_like_this("zzqx wvyk", visibility=ALL) == []
    with pytest.raises(TypeError):
        loaded.more_like_this(ARBITRIOS, visibility=None)


def test_more_like_this_after_updates(loaded):
    # Updated entries leave deleted copies in the index until merged: a term may then
    # count more documents than are alive (tantivy's own MoreLikeThis panicked on that).
    before = [h.id for h in loaded.more_like_this(ARBITRIOS, visibility=ALL)]
    for _ in range(3):
        loaded.index(CORPUS)
    assert [h.id for h in loaded.more_like_this(ARBITRIOS, visibility=ALL)][:3] == before[:3]
