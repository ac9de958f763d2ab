"""The three readers of a norm's number agree on its key, sector included where it is printed
after a space (issue 11, point 1): the importer (plain text and front matter), the citation
extractor and search's number parser (with the heading reader built on it).

The spellings are real ones, from files of the development slice of legalize-pe
(bench/national_corpus.py); the file is named so each excerpt can be checked against it.
"""
from __future__ import annotations

import pytest

from bench.national_corpus import CORPUS, held_out
from docsys.archive.frontmatter import read_structured
from docsys.archive.metadata import guess_metadata
from docsys.archive.norms import compose_official_number
from docsys.compliance.citations import extract_citations
from search.headings import heading_id
from search.numbers import extract_number_keys, find_number_in_query, number_keys

# (development file, the mention as printed, what follows it there, the key with its sector)
REAL_SPELLINGS = [
    ("DS-006-2007-DE-EP.md", "D.S. Nº 021-2006 DE/EP", " del 14 de septiembre del 2006.",
     "DS-21-2006-DE"),
    ("DS-002-2004-DE-SG.md", "Decreto Supremo Nº 005-87 DE/SG", " de fecha 4 de diciembre de 1987",
     "DS-5-1987-DE"),
    ("DS-045-DE-MGP-2001.md", "Decreto Supremo Nº 001-88 DE/MGP", " de fecha 3 junio 1988",
     "DS-1-1988-DE"),
    ("LEY-23843-1984.md", "D.S. Nº 25-95 PRES", " (Comprenden dentro del ámbito", "DS-25-1995-PRES"),
    ("LEY-32489-2025.md", "Resolución Ministerial N° 557-2018 MTC/01.02",
     ", que modifica la trayectoria", "RM-557-2018-MTC"),
    ("RESOLUCION-DIRECTORAL-1084-2024-MGP-DICAPI-2025.md",
     "RESOLUCIÓN DIRECTORAL N° 1084-2024 MGP/DICAPI", "**\n\n30 de diciembre del 2024",
     "RD-1084-2024-MGP"),
    ("RESOLUCION-DIRECTORAL-1084-2024-MGP-DICAPI-2025.md",
     "Resolución Directoral N° 477-2019 MGP/DGCG", " de fecha 12 de julio del 2019",
     "RD-477-2019-MGP"),
    ("RM-225-2012-MINAM.md", "DS Nº 085-2003 PCM", "\n\n14 RM Nº 3", "DS-85-2003-PCM"),
    # a year printed after the sector (issue 11, known-item-4): read by every reader alike
    ("RESOLUCION-JEFATURAL-120-RJ-INEN-2008.md", "RESOLUCION JEFATURAL Nº 120-RJ-INEN-2008",
     "  \n\n", "RJ-120-2008-RJ"),
    # the sector joined to the number, as most copies print it
    ("DS-006-2007-DE-EP.md", "DECRETO SUPREMO Nº 006-2007-DE/EP", "\n\nEL PRESIDENTE",
     "DS-6-2007-DE"),
]
IDS = [f"{file}:{key}" for file, _, _, key in REAL_SPELLINGS]


@pytest.mark.parametrize("file, mention, after, key", REAL_SPELLINGS, ids=IDS)
def test_the_spellings_are_real_development_text(file, mention, after, key):
    if not (CORPUS / "pe" / file).is_file():
        pytest.skip("corpus not available")
    assert not held_out(file)
    text = (CORPUS / "pe" / file).read_text(encoding="utf-8")
    if key != "DS-6-2007-DE":   # the joined control is composed, not printed so in the file
        assert mention + after.split("\n")[0] in text


@pytest.mark.parametrize("file, mention, after, key", REAL_SPELLINGS, ids=IDS)
def test_citation_extractor_and_number_parser_agree(file, mention, after, key):
    text = "Que, mediante el " + mention + after
    plain = key.rsplit("-", 1)[0]
    assert [c.canonical_id for c in extract_citations(text)] == [key]
    typed = find_number_in_query(text)
    assert typed is not None and (typed.key, typed.sector_key) == (plain, key)
    assert typed.text == mention
    if not mention.startswith(("D.S.", "DS ")):   # running text reads spelled-out names only
        assert extract_number_keys(text) == {plain, key}


@pytest.mark.parametrize("file, mention, after, key", REAL_SPELLINGS, ids=IDS)
def test_heading_reader_and_importer_agree(file, mention, after, key):
    assert heading_id(mention) == key
    assert heading_id(f"{mention}  ") == key
    guess = guess_metadata(f"{mention}\n\nCONSIDERANDO:\n\nQue, es necesario aprobar.\n")
    assert (guess.doc_type, guess.number, guess.year) == tuple(
        [key.split("-")[0], int(key.split("-")[1]), int(key.split("-")[2])])
    official = compose_official_number(guess.doc_type, guess.number_label, guess.number,
                                       guess.year, None, "MDM")
    assert number_keys(guess.doc_type, official, guess.year) == [key.rsplit("-", 1)[0], key]


@pytest.mark.parametrize("heading, rank, identifier, key", [
    ("RESOLUCIÓN DIRECTORAL N° 1084-2024 MGP/DICAPI", "resolucion_directoral", "RD-1084-2024",
     "RD-1084-2024-MGP"),
    ("DECRETO SUPREMO Nº 005-87 DE/SG", "decreto_supremo", "DS-005-87", "DS-5-1987-DE"),
    # SPIJ bolds the marker alone, and Relaciones Exteriores prints the year after the sector
    ("**RESOLUCION MINISTERIAL Nº** 0536-RE-2019", "resolucion_ministerial", "RM-0536-RE-2019",
     "RM-536-2019-RE"),
])
def test_front_matter_official_number_keeps_a_sector_printed_after_a_space(heading, rank,
                                                                           identifier, key):
    """An identifier without the sector: the heading's printed sector is kept."""
    structured = read_structured(f"---\nrank: {rank}\nidentifier: {identifier}\n---\n"
                                 f"# {heading}\n\nCONSIDERANDO:\n")
    assert structured is not None and structured.official_number is not None
    meta = structured.metadata
    assert key in number_keys(meta.doc_type, structured.official_number, meta.year)


# Ordinary words after a number are no sector, for any of the readers.
ORDINARY = [
    ("DECRETO SUPREMO Nº 004-2019 QUE APRUEBA EL REGLAMENTO", "DS-4-2019"),
    ("APROBADO POR DECRETO SUPREMO Nº 004-2019 DE LA PRESIDENCIA", "DS-4-2019"),
    ("DECRETO SUPREMO Nº 004-2019 DE", "DS-4-2019"),           # a function word alone
    ("DECRETO SUPREMO Nº 004-2019 QUE.", "DS-4-2019"),
    ("el Decreto Supremo Nº 004-2019 de la Presidencia", "DS-4-2019"),
    ("el Decreto Supremo Nº 004-2019 que aprueba", "DS-4-2019"),
    ("la Resolución Ministerial N° 557-2018 mtc/01.02", "RM-557-2018"),  # capitals only
    ("RESOLUCIÓN DIRECTORAL N° 1084-2024 MGP DICAPI QUE", "RD-1084-2024"),  # bare, not closing
    ("ORDENANZA MUNICIPAL N° 012-2019 MDM", "OM-12-2019"),    # municipal: never spaced
]


@pytest.mark.parametrize("text, key", ORDINARY)
def test_no_sector_from_ordinary_text(text, key):
    assert [c.canonical_id for c in extract_citations(text)] == [key]
    mention = find_number_in_query(text)
    assert mention is not None and (mention.sector_key or mention.key) == key
    assert {k for k in extract_number_keys(text) if k.count("-") > 2} <= {key}


@pytest.mark.parametrize("line", ["DECRETO SUPREMO Nº 004-2019 QUE", "DECRETO SUPREMO Nº 004-2019 DE",
                                  "DECRETO SUPREMO Nº 004-2019 de la Presidencia"])
def test_a_heading_followed_by_a_word_is_no_heading(line):
    assert heading_id(line) is None


def test_a_typed_query_in_lower_case_reads_no_sector_from_a_word():
    mention = find_number_in_query("ds 85-2003 de ambiente")
    assert mention is not None and (mention.key, mention.sector_key) == ("DS-85-2003", "")
    mention = find_number_in_query("DS 85-2003 PCM")
    assert mention is not None and mention.sector_key == "DS-85-2003-PCM"


def test_front_matter_number_printed_without_year_keeps_its_sector():
    """No heading to read it from: the number composed from the identifier keeps the sector
    even when it has no year ("DS-032-DE-SG-2001": "Decreto Supremo N° 032-DE-SG")."""
    structured = read_structured("---\nrank: decreto_supremo\nidentifier: DS-032-DE-SG-2001\n"
                                 "publication_date: '2001-06-14'\n---\n# Aprueban el reglamento\n")
    assert structured is not None
    assert structured.official_number == "Decreto Supremo N° 032-DE-SG"


@pytest.mark.parametrize("typed, sector_key", [
    ("R.M. 0536-RE-2019", "RM-536-2019-RE"),
    ("Resolución Ministerial N° 536-RE-2019", "RM-536-2019-RE"),
    ("RM 536-2019-RE", "RM-536-2019-RE"),
    ("resolucion ministerial 536-2019", "")])
def test_a_year_after_the_sector_is_read_as_typed_and_as_cited(typed, sector_key):
    mention = find_number_in_query(typed)
    assert mention is not None and (mention.key, mention.sector_key) == ("RM-536-2019", sector_key)
    cited = "conforme a la Resolución Ministerial Nº 0536-RE-2019, que aprueba el plan"
    assert extract_number_keys(cited) == {"RM-536-2019", "RM-536-2019-RE"}
    assert [c.canonical_id for c in extract_citations(cited)] == ["RM-536-2019-RE"]


def test_a_letter_after_the_number_is_no_sector_before_a_year():
    """"001-A-2004-DE-SG": the letter belongs to the number; no year is read after it."""
    assert find_number_in_query("Decreto Supremo Nº 001-A-2004-DE-SG") is None


# Abbreviations the registry gives (search.registry, doc_types.yaml) as printed in
# development files: the citation extractor reads them as search's number parser does
# (it read "R.M." alone and took "D.Ley Nº 25661" for Ley 25661).
ABBREVIATED = [
    ("DS-084-98-EF-1998.md", "R.S. N° 045-2006-EF", ", Art. 4]", "RS-45-2006-EF"),
    ("DS-009-2002-MINCETUR.md", "R.D. N° 682-2003-MINCETUR-VMT-DNT", "](/spij-ext-web",
     "RD-682-2003-MINCETUR"),
    ("DS-008-2005-AG.md", "R.J. N° 087-2006-AG-SENASA", "](/spij-ext-web", "RJ-87-2006-AG"),
    ("DS-005-2013-MC.md", "R.VM. N° 001-2015-VMI-MC", " (Aprueban documento",
     "RVM-1-2015-VMI"),
    ("RESOLUCION-DIRECTORAL-0003-2014-MINAGRI-SENASA-DSV.md", "RD Nº 039-2007-AG-SENASA-DSV",
     ", las cuales consolidan", "RD-39-2007-AG"),
    ("DS-027-82-EM-RPM-1982.md", "R.J. Nº 516-84-RPM", " (Aprueban Directiva",
     "RJ-516-1984-RPM"),
    ("DLEG-681-1991.md", "D.Ley Nº 25661", "](/spij-ext-web", "DLEY-25661"),
    # a law's rank between its type and its number
    ("DS-292-2024-EF.md", "Ley Orgánica Nº 27785", " - Ley Orgánica del Sistema", "LEY-27785"),
    # a gazette's slips: the year glued to the sector, the marker glued to the number
    ("LEY-32416-2025.md", "Decreto Supremo N° 132-2017EF", ", así como", "DS-132-2017-EF"),
    ("LEY-32379-2025.md", "Ley N31419", ", Ley que establece", "LEY-31419"),
    ("RESOLUCION-JEFATURAL-013-98-INRENA-1998.md", "Decreto Legislativo N 653", ", estipula",
     "DLEG-653"),
    # an accented sector: the key is folded, whoever reads it
    ("LEY-32242-2025.md", "Resolución de Presidencia Ejecutiva N° 060-2019-PROMPERÚ/PE", ", q",
     "RPE-60-2019-PROMPERU"),
]
ABBREVIATED_IDS = [f"{file}:{key}" for file, _, _, key in ABBREVIATED]


@pytest.mark.parametrize("file, mention, after, key", ABBREVIATED, ids=ABBREVIATED_IDS)
def test_abbreviated_types_are_read_alike(file, mention, after, key):
    if (CORPUS / "pe" / file).is_file():
        assert not held_out(file)
        assert mention + after in (CORPUS / "pe" / file).read_text(encoding="utf-8")
    text = "Que, mediante el " + mention + after
    assert [c.canonical_id for c in extract_citations(text)] == [key]
    typed = find_number_in_query(text)
    assert typed is not None and typed.text == mention
    assert (typed.sector_key or typed.key) == key
    if not mention.split()[0].endswith(".") and not mention.startswith("RD "):
        assert typed.key in extract_number_keys(text)   # running text: names spelled out


# Numbers given by the State's document management system (SGD): a D and six digits
# ("D000226-2025-MIMP-DM"), the most common form of ministries' resolutions since about
# 2020. Before, only the importer's key reader took them (and the front matter import made
# "RM-D000226-2025-MIMP-DM" into "Resolución Ministerial N° 2025-MIMP-DM"); the extractor
# and search's parser read none, so a draft citing one was checked against nothing.
SGD_SPELLINGS = [
    ("RESOLUCION-SUPREMA-008-2026-MIDIS.md", "Resolución Ministerial Nº D000024-2026-MIDIS",
     ";", "RM-24-2026-MIDIS"),
    ("LEY-28923-2006.md", "Resolución Directoral Nº D000091-2023-COFOPRI-DE",
     "](/spij-ext-web", "RD-91-2023-COFOPRI"),
    ("RM-D000226-2025-MIMP-DM.md", "RESOLUCIÓN MINISTERIAL N° D000226-2025-MIMP-DM",
     "**\n\nLima, 11 de junio del 2025", "RM-226-2025-MIMP"),
]


@pytest.mark.parametrize("file, mention, after, key", SGD_SPELLINGS,
                         ids=[f"{file}:{key}" for file, _, _, key in SGD_SPELLINGS])
def test_sgd_numbers_are_read_alike(file, mention, after, key):
    if (CORPUS / "pe" / file).is_file():
        assert not held_out(file)
        assert mention + after in (CORPUS / "pe" / file).read_text(encoding="utf-8")
    text = "Que, mediante la " + mention + after
    assert [c.canonical_id for c in extract_citations(text)] == [key]
    typed = find_number_in_query(text)
    assert typed is not None and typed.text == mention and typed.sector_key == key
    assert extract_number_keys(text) == {typed.key, key}
    assert heading_id(mention) == key
    # typed as a lawyer may: the D and the zeros left out, or the sector too
    plain_number = key.split("-")[1]
    typed_short = find_number_in_query(f"{mention.split(' N')[0]} {plain_number}-"
                                       f"{key.split('-')[2]}-{key.split('-')[3]}")
    assert typed_short is not None and typed_short.sector_key == key
    guess = guess_metadata(f"{mention}\n\nCONSIDERANDO:\n\nQue, es necesario aprobar.\n")
    assert (guess.doc_type, guess.number, guess.number_label) == (
        key.split("-")[0], int(plain_number), mention.split(" ")[-1])
    official = compose_official_number(guess.doc_type, guess.number_label, guess.number,
                                       guess.year, None, "MDM")
    assert official.endswith(" N° " + mention.split(" ")[-1])
    assert number_keys(guess.doc_type, official, guess.year) == [typed.key, key]


def test_an_sgd_number_in_the_front_matter_keeps_its_d():
    """The open data's identifier "RM-D000226-2025-MIMP-DM": number 226 of 2025, official
    number as printed (the real file's heading is bold text, not a Markdown heading, so the
    number is composed from the identifier)."""
    text = ("---\nrank: resolucion_ministerial\nidentifier: RM-D000226-2025-MIMP-DM\n"
            "publication_date: '2025-06-12'\n---\n**RESOLUCIÓN MINISTERIAL N° "
            "D000226-2025-MIMP-DM**\n\nLima, 11 de junio del 2025\n")
    path = CORPUS / "pe" / "RM-D000226-2025-MIMP-DM.md"
    if path.is_file():
        text = path.read_text(encoding="utf-8")
    structured = read_structured(text)
    assert structured is not None
    meta = structured.metadata
    assert (meta.doc_type, meta.number, meta.year) == ("RM", 226, 2025)
    assert structured.official_number == "Resolución Ministerial N° D000226-2025-MIMP-DM"
    assert number_keys("RM", structured.official_number, 2025) == [
        "RM-226-2025", "RM-226-2025-MIMP"]
    jefatural = read_structured(
        "---\nrank: resolucion_jefatural\nidentifier: "
        "RESOLUCION-JEFATURAL-D000264-2025-MIDAGRI-SENASA-JN\n---\n"
        "## RESOLUCIÓN JEFATURAL N° D000264-2025-MIDAGRI-SENASA-JN\n\nCONSIDERANDO:\n")
    assert jefatural is not None and jefatural.metadata.number == 264
    assert jefatural.official_number == "Resolución Jefatural N° D000264-2025-MIDAGRI-SENASA-JN"


def test_a_d_before_other_digits_is_no_sgd_number():
    """Only a D followed by exactly six digits opens an SGD number."""
    for text in ("la Resolución Ministerial N° D00022-2025-MIMP", "el Decreto Supremo N° "
                 "D0002260-2025-MIMP", "la Resolución Ministerial N° AD000226-2025-MIMP"):
        assert extract_citations(text) == [] and extract_number_keys(text) == set(), text


def test_a_decreto_ley_is_not_also_read_as_a_law():
    """"Decreto Ley N° 25844" and "D. Ley N° 25844" cite the decree alone: the "Ley" in
    them is not Ley 25844 (search's keys of the norms a text cites, and the extractor)."""
    for text in ("el Decreto Ley N° 25844, Ley de Concesiones", "el D. Ley N° 25844",
                 "los decretos leyes nº 25629 y 25630"):
        assert not any(k.startswith("LEY-") for k in extract_number_keys(text)), text
        assert not any(c.canonical_id.startswith("LEY-") for c in extract_citations(text))
    assert extract_number_keys("el D. Ley N° 25844") == {"DLEY-25844"}
    assert extract_number_keys("la Ley N° 25844") == {"LEY-25844"}


def test_a_numeral_after_the_word_law_is_no_law_number():
    """"Difusión de la Ley⏎3.1. El Ministerio" (LEY-32289-2025, a heading and its first
    numeral): no law is cited, for the extractor nor for search's keys."""
    text = "Artículo 3. Difusión de la Ley\n3.1. El Ministerio de Educación difunde"
    assert extract_number_keys(text) == set()
    assert extract_citations(text) == []
    assert extract_number_keys("la Ley 27.972 y la Ley N° 9024") == {"LEY-27972", "LEY-9024"}


def _registry_spellings():
    """Every name and abbreviation of every numbered type in the registry, with each usual
    marker (and none), before a number of the type's form."""
    from search.registry import registry
    for t in registry().types:
        if t.code in ("CONST", "TUO") or t.unnumbered:
            continue
        number = ("0123" if t.code in ("LEY", "DLEG", "DLEY") else
                  "012-2020-MINSA" if t.numbering == "anual_sector" else "012-2020-MDM")
        for spelling in list(t.names) + list(t.abbreviations):
            shown = spelling.upper() if len(spelling) < 7 else spelling.title()
            for marker in ("N° ", "Nº ", "N.° ", "Nro. ", "N ", ""):
                yield t.code, f"{shown} {marker}{number}", len(spelling) >= 7


def test_every_registry_spelling_is_read_alike_by_every_reader():
    """Point 1 of issue 11: the registry's spellings read the same by the citation
    extractor, search's number parser and (for spelled-out names) the heading reader."""
    disagree = []
    for code, text, spelled_out in _registry_spellings():
        cited = [c.canonical_id for c in extract_citations(f"Que, mediante la {text} de fecha")]
        typed = find_number_in_query(text)
        key = (typed.sector_key or typed.key) if typed else None
        heading = heading_id(text) if spelled_out else key
        # a shared abbreviation ("D.L.") names its first type, the others as well
        codes = {k.split("-")[0] for k in [key or "", *(typed.other_keys if typed else ())]}
        if not cited or cited[0] != key or heading != key or code not in codes:
            disagree.append((text, cited, key, heading))
    assert disagree == []
