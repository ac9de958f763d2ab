"""What a norm does to other norms: the operative clauses that repeal, modify or regulate.

``find_relations(text)`` reads clauses such as

* "DERÓGUESE la Ordenanza Municipal N° 012-2019-MDM"                -> deroga, whole norm
* "Artículo 2.- DÉJESE SIN EFECTO la Resolución de Alcaldía N° ..."  -> deroga, whole norm
* "MODIFÍQUESE el artículo 3 de la Ordenanza Municipal N° ..."       -> modifica, art. 3
* "DERÓGANSE los artículos 5 y 8 de la Ordenanza ..."                -> deroga, arts. 5, 8
* "INCORPÓRESE el artículo 15-A a la Ordenanza ..."                  -> modifica, art. 15-A
* "APRUÉBESE el Reglamento de la Ordenanza Municipal N° ..."         -> reglamenta

A verb counts only where it opens an operative clause: at the start of a paragraph, after
an article label ("ARTÍCULO SEGUNDO.-", "Artículo 2.-", "PRIMERA.-") or after "la presente
ordenanza". Considerandos ("Que, mediante la Ordenanza ... se derogó ...") and relative
clauses ("la ordenanza que modifica ...") describe other acts and are ignored. The objects
of the verb are the first norm cited after it and those listed with it ("la Ordenanza
N° 12-2019-MDM y la Resolución ..."); a norm cited later in the clause ("..., aprobada
por Acuerdo de Concejo N° ...") is not an object.

Pure functions over text; storing and confirming the relations is
:mod:`docsys.compliance.norms`.
"""
from __future__ import annotations

# Raise it when a change to these readers (or to the SPIJ notes' reader, or the title
# index) changes what they find: an upgraded installation then analyses its archive again
# (docsys.compliance.pending.queue_if_readers_changed). The number readers' changes raise
# search.numbers.EXTRACTOR_REVISION, which counts too.
RULES_REVISION = 4   # 2: the Constitution's key (CONST), LP's footnotes, "D.L." told by number;
                    # 3: a TUO modified with its law, SPIJ's notes on a TUO's article,
                    # a law cited by its name and then its number; 4: the quoted clause
                    # without Markdown's marks, every locator of a list of articles, LP's
                    # footnote under a heading that is the article's number alone, the
                    # article incorporated after its norm, SPIJ's note naming no article
                    # given the one it stands under

import bisect
import re
from dataclasses import dataclass, replace

from docsys.compliance.citations import (KINDS, SECTOR_KINDS, Citation, articles_in,
                                         extract_citations, parse_norm_reference)
from docsys.compliance.scan import LETTERS, word_matches
from docsys.compliance.titles import TitleIndex
from search.folding import fold
from search.headings import heading_id
from search.markup import without_markdown
from search.numbers import normalize_type

EVIDENCE_CHARS = 600

_VERBS = [
    ("deroga", r"derog(?:uen?se|an?se|ar|an?)"),
    ("deroga", r"dej(?:en?se|an?se|ar|an?)\s+sin\s+efecto"),
    # "Modifácase", "Incorpáranse": El Peruano's PDFs swap accented vowels (í -> á)
    ("modifica", r"modif(?:iquen?se|[iau]can?se|icar|ican?)"),
    ("modifica", r"sustit(?:uyan?se|uir|uyen?)"),
    ("modifica", r"incorp(?:orar|orese|orense|[oau]rase|[oau]ranse|oran?)"),
    ("modifica", r"adicion(?:ese|ense|ar|ase)"),
    ("modifica", r"agreg(?:uen?se|an?se|ar)"),          # "Agrégase el siguiente párrafo al ..."
    ("modifica", r"incluy(?:an?se|en?se)"),                # "Inclúyase como último párrafo ..."
    ("reglamenta", r"reglament(?:ese|ense|ar|ase|an?)"),
    ("aprueba", r"aprue?b(?:ese|ense|ase|anse|ar|a|an)"),
]
_VERB_RE = re.compile(r"(?<![a-z])(?:" + "|".join(
    f"(?P<v{i}>{pattern})" for i, (_, pattern) in enumerate(_VERBS)) + r")(?![a-z])")
# The letters every verb above starts with: _VERB_RE is matched only where one of them
# starts a word (``_verbs``). An alternation of literals is scanned in C, several times
# faster than _VERB_RE's look-behind tried at every character.
_VERB_STARTS = ("derog", "dej", "modif", "sustit", "incorp", "adicion", "agreg", "incluy",
                "reglament", "apru")
_VERB_START = re.compile("|".join(_VERB_STARTS))
# What may stand before an operative verb in its paragraph: an article label ("articulo
# segundo.-", "art. 2°.-", "primera.-", "2.-"), or "la presente ordenanza".
# ("7.1 Deróguese ...": a numbered paragraph of an article needs no stop after its number)
_LABEL = re.compile(r"^(?:[^\n]{0,80}?[.:°º)]\s?[-–—]+|\d+(?:\.\d+)*[.)]|\d+(?:\.\d+)+|"
                    r"[a-z]+\s?[.:]-?)\s*$")
_LABEL_HEADING = re.compile(r"^[^\n]{0,80}?[.:°º)]\s?[-–—]+\s*(?P<heading>[^.;:]{1,100})$")
_SUBJECT = re.compile(r"(?:^|[.:]\s?[-–—]*\s*)(?:la\s+presente|el\s+presente|por\s+la\s+presente,?"
                      r"\s+se|mediante\s+la\s+presente,?\s+se|se)\s+"
                      r"(?:[a-z]+\s+)?$")
_ACT_NOUNS = r"(?:modificacion|derogacion|incorporacion|sustitucion|adicion|derogatoria)(?:es)?"
# A clause label ("Artículo 2.", "ÚNICA.", "CENTÉSIMA TERCERA.-", "Artículo único.") with the
# heading of an act ("Modificación del artículo 8 de la Ley 29735 ..."), maybe "se" after.
_CLAUSE_LABEL = (r"(?:[*#_\s]*)(?:articulo\s+(?:\d+[°º]?(?:-[a-z])?|[a-z]+)|art\.\s?\d+[°º]?"
                 r"|(?:[a-z]+\s){0,2}[a-z]+)\s?[*_]*\s?[.:]\s?[-–—]?[*_\s]*")
# "Artículo 4.- Disposición Derogatoria.", "Artículo 10.- Deroga dispositivos legales"
_HEADING_ACTS = (r"(?:(?:disposicion(?:es)?|dispositivos?)\s+)?(?:" + _ACT_NOUNS
                 + r"|derogatori[oa]s?|modificatori[oa]s?|derogan?|modifican?)")
# "Artículo 3. Decretos supremos que se dejan sin efecto Se dejan sin efecto ..."
_WHAT_IS_ACTED_ON = (r"[^.;]{0,120}?\s+que\s+se\s+(?:derogan?|modifican?|dejan?\s+sin\s+efecto)")
# The heading of the section the clause opens, on the line above with no stop after it
# ("Disposición Complementaria Derogatoria\nÚNICA. Derogación Se deroga ..."; in capitals,
# such a line is left out of the paragraph anyway, see ``_is_operative``)
_SECTION_HEADING = (r"(?:[*#_\s]*disposicion(?:es)?\s+complementarias?\s+(?:finale?s?|"
                    r"transitorias?|modificatorias?|derogatorias?)[*_\s]+)?")
# (a period inside a word or number, "numeral 207.2", "N.°", "D.S.", does not end the heading)
_LABEL_ACT_HEADING = re.compile(r"^" + _SECTION_HEADING + _CLAUSE_LABEL + r"(?:" + _HEADING_ACTS
                                + r"(?![a-z])(?:[^.;]|\.(?=\S)){0,300}?\.?|" + _WHAT_IS_ACTED_ON
                                + r")?(?:\s+se)?[*_\s]*$")
_ACT_HEADING = re.compile(r"(?:^|\n)" + _CLAUSE_LABEL.replace("(?:[*#_\\s]*)", "[ \t*#_]*")
                          + r"(?P<noun>" + _ACT_NOUNS + r")(?![a-z])(?P<rest>[^\n]{0,400})")
# The same after a line break only: a pattern opening with a literal is scanned in C from
# one line break to the next (``_act_headings``).
_ACT_HEADING_AFTER_BREAK = re.compile(r"\n" + _ACT_HEADING.pattern.removeprefix(r"(?:^|\n)"))
# (a Markdown heading line, "#### **ÚNICA.- Derogación**", opens a paragraph of its own)
_PARAGRAPH_END = re.compile(r"(?:[.;:]\s*\n|\n\s*\n|\n(?=[ \t]*#))")
# Where a clause ends: "; ", ". " + capital or end of line, ":" (a new wording follows).
_CLAUSE_END = re.compile(r";|:|\.(?=\s*(?:\n|$))|\.\s+(?=[A-ZÁÉÍÓÚÑ])|\n\s*\n")
# Between two objects of the same verb: ", ", " y la ", ", así como la ".
_LIST_GAP = re.compile(r"^\s?(?:,|;)?\s?(?:(?:y|e)\s+|asi\s+como\s+)?(?:(?:el|la|los|las)\s+)?"
                       r"(?:(?:articulos?|numerales?|incisos?|literales?)(?:[^,;]{0,60}?|"
                       # "los artículos 238, 239 y 240 del Código Penal"
                       r"(?:\s?(?:,\s?|\s(?:y|e)\s)?\s?\d[0-9a-z.°º-]*){1,30})"
                       r"\s?(?:del?|de\s+la)\s+)?$")
_REGLAMENTO_GAP = re.compile(r"reglamento\s+(?:general\s+)?(?:de\s+la|del|de)\s+$")
MAX_OBJECT_GAP = 200      # characters between the verb and its first object
_APPROVED_BY = re.compile(r"aprobad[oa]s?\s+(?:por|mediante|a\s+traves\s+del?|con)"
                          r"(?:\s+|(?=[*_\[]))"  # "aprobado por[Decreto ...](enlace)"
                          r"(?:(?:el|la)\s+)?[*_\[]*")
_REGLAMENTO_BEFORE = re.compile(r"reglamento[^.;]{0,150}?(?:de\s+la|del|de)\s+[*_\[]*$")
_REGLAMENTO_WORD = re.compile(r"reglamento(?!s)")   # not "... de los Reglamentos Técnicos"
_OWN_REGLAMENTO = re.compile(r"(?:^|[^a-z])(?:y|e)\s+(?:su|sus)\s+reglamento")
# "... las siguientes leyes:", "... los siguientes decretos supremos:", "... las siguientes
# disposiciones:"
_LIST_INTRO = re.compile(r"(?:el|la|los|las)\s+siguientes?\s+(?P<noun>[a-z]+(?:\s+(?:de\s+)?"
                         r"(?!que)[a-z]+)?)\s*:?\s*$|siguientes?\s+(?P<any>normas|disposiciones|"
                         r"dispositivos)")
# A verb whose list follows its colon at once: "Se derogan expresamente: el Decreto Ley N°
# 26122; el Decreto Legislativo N° 691; ...", "Deróganse:"
_BARE_LIST = re.compile(r"\s*(?:expresamente|asimismo|tambien|ademas)?\s*:")
# Where a list of norms ends: the next clause, the closing formulas, SPIJ's CONCORDANCIAS
# block or a link to the annexes, or its last item "- Las demás que se opongan ..."
_NEXT_CLAUSE = re.compile(r"\n[\s*#_\-–•\[]*(?:articulo|art\.|disposicion|(?:primer|segund|tercer|"
                          r"cuart|quint|sext|septim|setim|octav|noven|decim|unic)[oa]\s?[.:-]|por\s+tanto"
                          r"|registrese|comuniquese|mando\s+se|dado\s+en|concordancias|enlace\s+web"
                          r"|(?:las\s+demas|toda|todas\s+las)[^\n]{0,60}?que\s+se\s+opong)")
_BARE_ITEM = re.compile(r"(?<![\w.-])\d{1,6}(?:-\d{2,4}(?:-[a-z]{1,10}(?:-[a-z]{1,10}){0,3})?)?"
                        r"(?![\w.])")
_HEADING_LINK = re.compile(r"^\s*(?:de|del|de\s+la|de\s+los|de\s+las|al|a\s+la|en\s+(?:el|la))"
                           r"\s+[^.;]{0,200}?(?:de\s+la|del|de|al|a\s+la|en\s+(?:el|la))?\s*[*_\[]*$")


@dataclass(frozen=True)
class RelationMention:
    """One relation stated in a text: ``kind`` applied to ``target`` (its ``articles``, by
    number, or a part other than articles as the text names it, "la Quinta Disposición
    Final"; the whole norm when empty). ``start``/``end`` span the operative clause."""

    kind: str
    target: Citation
    articles: tuple[str, ...]
    start: int
    end: int
    evidence: str

    @property
    def whole_norm(self) -> bool:
        return not self.articles

    def to_dict(self) -> dict:
        return {"kind": self.kind, "target": self.target.canonical_id,
                "target_label": self.target.canonical_label,
                "articles": list(self.articles), "whole_norm": self.whole_norm,
                "start": self.start, "end": self.end, "evidence": self.evidence}


# A law delegating legislative powers lists what the executive may do ("El Congreso de la
# República delega facultades para legislar ... 2.1.4. Modificar el Código Penal, Decreto
# Legislativo 635, a fin de ..."): an infinitive opening an item there is a matter of the
# delegation, not an act of the law. The legislative decree made under it cites that law
# ("la Ley N° 32089, Ley que delega en el Poder Ejecutivo la facultad de legislar") and its
# "Artículo 2.- Modificar los artículos 36 ... de la Ley N° 27444" is its act, as is a
# municipality's "ARTÍCULO PRIMERO.- MODIFICAR ...".
_DELEGATION = re.compile(r"(?:congreso\s+de\s+la\s+republica\s+delega|tiene\s+por\s+objeto\s+"
                         r"delegar|delegase|deleguese)\s+(?:en\s+el\s+poder\s+ejecutivo\s+)?"
                         r"(?:la\s+|las\s+)?facultad(?:es)?")
DELEGATION_REACH = 6000
_ITEM_LABEL = re.compile(r"(?:^|\n)[ \t*_]*(?:\d+(?:\.\d+)*\.?|[a-z]\))[ \t*_]*$")


# What stands between the norm an article is incorporated into and the article: "al Código
# Penal el artículo 279-D", "a la Ley N° 27444, los artículos 32-A y 32-B"
_ARTICLE_AFTER = re.compile(r"\s?,?\s?(?:el|los)\s+(?=articulos?\s|arts?\.)")


def _quoted(clause: str) -> str:
    """A clause as the proposal quotes it to the archivist: its words on one line, without
    the marks of an imported Markdown text («**Única.-** Deróganse…»), cut with an ellipsis
    past EVIDENCE_CHARS."""
    evidence = " ".join(without_markdown(clause).split())
    if len(evidence) > EVIDENCE_CHARS:
        evidence = evidence[:EVIDENCE_CHARS - 1].rstrip() + "…"
    return evidence


def find_relations(text: str, citations: list[Citation] | None = None, *,
                   own: str | None = None, folded: str | None = None,
                   titles: TitleIndex | None = None) -> list[RelationMention]:
    """The repeal / modify / regulate clauses of ``text``, in reading order. Pass the
    text's ``citations`` when they are already known (they are extracted otherwise), and
    ``own``, the canonical id of the norm the text is: on a gazette page holding several
    norms only the clauses under its own heading are its relations (:func:`own_spans`).
    ``folded``: ``fold(text)`` when the caller has it already. ``titles``: the archive's
    norms by name, for a clause that cites none by number but names one by its title
    ("Modifícase ... de la Ley Orgánica del Registro Nacional de Identificación y Estado
    Civil"; :func:`_named_object`)."""
    if not text:
        return []
    folded = fold(text) if folded is None else folded
    if citations is None:
        citations = extract_citations(text, folded)
    citations = sorted(citations, key=lambda c: c.start)
    starts = [c.start for c in citations]
    spans = own_spans(text, own, folded) if own else None
    consolidated = _consolidated_text_start(folded)
    if consolidated is not None:
        # a Texto Único Ordenado printed after the decree that approved it
        spans = [(start, min(end, consolidated)) for start, end in spans or [(0, len(text))]]
    out: list[RelationMention] = []
    for verb in word_matches(_VERB_START, _VERB_RE, folded, LETTERS):
        if spans is not None and not _within(spans, verb.start()):
            continue      # a clause of another norm of the page
        if not _is_operative(text, folded, verb.start()):
            continue
        group = verb.lastgroup
        assert group is not None, "every alternative of _VERB_RE is a named group"
        kind = _VERBS[int(group[1:])][0]
        if _INTO_A_REGIME.match(folded, verb.end()):
            continue      # "se incorporan al régimen laboral del Decreto Legislativo 728"
        if folded[verb.end() - 1] == "r" and _ITEM_LABEL.search(
                folded, max(0, verb.start() - 40), verb.start()) and _DELEGATION.search(
                folded, max(0, verb.start() - DELEGATION_REACH), verb.start()):
            continue      # "delega facultades para legislar en: ... 2.1.4. Modificar el ..."
        end = _clause_end(text, verb.end(), citations, starts)
        objects = _objects(folded, verb.end(), end, citations, starts)
        if not objects and titles is not None and kind != "aprueba":
            objects = _named_object(text, folded, verb.end(), end, titles)
        if kind == "aprueba":
            if not objects or not _REGLAMENTO_GAP.search(folded[verb.end():objects[0].start]):
                continue
            kind = "reglamenta"
        start = _clause_start(folded, verb.start())
        evidence = _quoted(text[start:end])
        if kind != "reglamenta":
            if kind == "deroga" and objects and text[end - 1:end] == ";" \
                    and _ITEM_START.match(folded, verb.end()):
                # "Deróganse el artículo 5 del Decreto Legislativo Nº 803, ...; el artículo 2
                # de la Ley Nº 27046, ...; el artículo 5 del Texto Único Ordenado ..."
                more, end = _semicolon_items(text, folded, end, citations, starts)
                objects += more
            objects = _approving_decrees(folded, verb.end(), end, objects, citations, starts)
            objects += _approved_items(folded, verb.end(), end, objects, citations, starts)
            intro = _LIST_INTRO.search(folded, verb.end(), end) if folded[end - 1:end] == ":" \
                else None
            if (intro and _names_norms(intro)) or (
                    not objects and _BARE_LIST.fullmatch(folded, verb.end(), end)):
                listed = _listed_norms(text, folded, end, citations, starts)
                objects += listed
                if listed:
                    end = listed[-1].end
        for n, target in enumerate(objects):
            if target.kind == "CONST":
                continue
            articles = target.articles
            if not articles and n == 0:
                # "MODIFÍQUESE el artículo 12 del Reglamento ..., aprobado por la Ordenanza"
                articles = articles_in(text[verb.end():target.start])
            if not articles and len(objects) == 1 and folded.startswith("incorpor", verb.start()):
                # "Incorpórase al Código Penal el artículo 279-D": the article after the norm
                after = _ARTICLE_AFTER.match(folded, target.end)
                articles = articles_in(text[after.end():end]) if after else ()
            if not articles and kind != "reglamenta":
                # "Deróguese la Quinta Disposición Final de la Ley Nº 28773": that part
                part = _part_before(text, folded, objects[n - 1].end if n else verb.end(),
                                    target.start)
                articles = (part,) if part else ()
            if kind == "reglamenta":
                articles = ()
            out.append(RelationMention(kind, target, tuple(articles), start, end, evidence))
    out += _heading_mentions(text, folded, citations, starts, out, spans)
    if titles is not None:
        out += _consolidations(out, titles)
    return _unique(out)


# A part of a norm other than its articles, named right before it: "la Quinta Disposición
# Complementaria Final de la", "; y la disposición complementaria transitoria única de la",
# "el Título III del", "el Anexo I del", "el segundo párrafo de la disposición ... de la".
# (never across a sentence's end: "... el Decreto Legislativo 1230. b. La Tercera ...")
_PART_CHAR = r"(?:[^,;:.]|\.(?=\S))"
_PART_BEFORE = re.compile(r"(?:^|[\s,;:.])(?P<part>(?:la|el|las|los)\s" + _PART_CHAR
                          + r"{0,80}?(?<![a-z])(?:disposicion(?:es)?|titulo|capitulo|anexos?|"
                          r"seccion|subcapitulo)(?![a-z])" + _PART_CHAR
                          + r"{0,100}?)\s+(?:de\s+la|del|de)\s+(?:[*_\[\s]*)$")
PART_CHARS = 120
_MARKUP = re.compile(r"[*_\[\]]+|\([^)]*spij[^)]*\)")   # bold, links ("[Octava ...](/spij-ext...)")


def _part_before(text: str, folded: str, start: int, end: int) -> str | None:
    """The part of the norm cited at ``end`` that a clause names just before it, as
    printed ("la Quinta Disposición Complementaria Final"), or None: a relation on it is
    on that part, not the whole norm (its articles are read by ``articles_in``)."""
    start = max(start, end - PART_CHARS - 20)
    match = _PART_BEFORE.search(folded, start, end)
    if match is None or "artic" in match["part"]:
        return None
    return " ".join(_MARKUP.sub(" ", text[match.start("part"):match.end("part")]).split())


def _consolidations(mentions: list[RelationMention], titles: TitleIndex
                    ) -> list[RelationMention]:
    """A law modified after its Texto Único Ordenado was approved: the TUO, the text in
    force that drafters cite, is modified too ("Modifícase el artículo 45 de la Ley 27444"
    in 2023 changes the TUO approved by Decreto Supremo 004-2019-JUS). Its articles are
    numbered otherwise, so none is named; a repeal carries over only for the whole law."""
    named = {m.target.canonical_id for m in mentions}
    out = []
    for mention in mentions:
        if mention.kind not in ("modifica", "deroga") or (
                mention.kind == "deroga" and mention.articles):
            continue
        tuo = titles.consolidation(mention.target)
        if tuo is not None and tuo.canonical_id not in named:
            named.add(tuo.canonical_id)
            out.append(replace(mention, target=replace(
                tuo, start=mention.target.start, end=mention.target.end,
                text=mention.target.text, articles=(), anaphoric=False), articles=()))
    return out


# A norm's own heading on its line ("LEY N° 31761", "## DECRETO SUPREMO Nº 004-2019-JUS",
# "RESOLUCIÓN MINISTERIAL N° 102-2023-MC"), told from a citation on a line of its own by
# the enacting formula or date that follows it within a few lines.
_HEADING_LINE = re.compile(r"^[ \t#*_>|\[]*(?P<heading>[a-z][^\n]{3,90}?)[ \t*_\].:]*$", re.M)
# The same line after its line break (a match never spans lines): scanned in C from one
# break to the next rather than trying ``^`` at every character (``_heading_lines``).
_HEADING_LINE_AFTER_BREAK = re.compile(r"\n" + _HEADING_LINE.pattern.removeprefix("^"), re.M)
_ENACTING = re.compile(r"(?:presidente|presidenta)\s+de\s+la\s+republica|por\s+cuanto|"
                       r"considerando|vistos?(?![a-z])|el\s+congreso\s+de\s+la\s+republica|"
                       r"la\s+comision\s+permanente|^[ \t#*_]*lima,|alcalde|concejo|"
                       r"se\s+resuelve|decreta\s*:|ha\s+dado\s+la\s+ley", re.M)
HEADING_FORMULA_WINDOW = 500
# A budget law's separata prints the enacting formula before each law's number:
# "... Ha dado la Ley siguiente:\n\nLEY N° 32186\n\nLEY DE EQUILIBRIO FINANCIERO ..."
_ENACTED_BEFORE = re.compile(r"ha\s+dado\s+la\s+ley\s+siguiente\s*:[\s*_#]*$")


_ASCII_DIGIT = re.compile(r"[0-9]")


def _has_digit(text: str, start: int, end: int) -> bool:
    """``any(ch.isdigit() for ch in text[start:end])``, without a Python step a character
    (it ran on every short line of every norm): a regular expression finds an ASCII digit,
    and only a line with other characters is looked at one by one (superscripts...)."""
    if _ASCII_DIGIT.search(text, start, end) is not None:
        return True
    piece = text[start:end]
    return not piece.isascii() and any(ch.isdigit() for ch in piece)


def _heading_lines(folded: str):
    """The matches of _HEADING_LINE.finditer(folded): the first line's, then those after
    a line break (one line each: the same spans and groups, the break aside)."""
    first = _HEADING_LINE.match(folded)
    if first is not None:
        yield first
    yield from _HEADING_LINE_AFTER_BREAK.finditer(folded)


def norm_headings(text: str, folded: str | None = None) -> list[tuple[int, str]]:
    """The headings of the norms a text holds, as (offset, canonical id), in reading
    order: a line that is a norm's type and number and nothing else, followed by the
    enacting formula ("EL PRESIDENTE DE LA REPÚBLICA", "POR CUANTO", "CONSIDERANDO",
    "VISTO", "Lima, 3 de marzo de 2023"...). A gazette page holds several."""
    folded = fold(text) if folded is None else folded
    out: list[tuple[int, str]] = []
    for line in _heading_lines(folded):
        start, end = line.span("heading")
        if not _has_digit(folded, start, end) or not (_ENACTING.search(
                folded, line.end(), line.end() + HEADING_FORMULA_WINDOW)
                or _ENACTED_BEFORE.search(folded, max(0, start - 200), start)):
            continue
        heading = heading_id(text[start:end])
        if heading is not None:
            out.append((start, heading))
    return out


_TUO_HEADING = re.compile(r"^[ \t#*_]*texto\s+unico\s+ordenado(?![a-z])[^\n]{0,200}$", re.M)


def _consolidated_text_start(folded: str) -> int | None:
    """Where a Texto Único Ordenado starts that the text prints after the decree approving
    it (DS-007-2010-PCM.md: the decree's articles, "Dado en la Casa de Gobierno", then
    "TEXTO ÚNICO ORDENADO DE LA NORMATIVA DEL SERVICIO CIVIL"). A TUO consolidates: the
    repeals and amendments it reprints are the consolidated norms' (there, Decreto
    Legislativo 1023's repeal of Title II of Ley 28175), not the decree's."""
    closing = _CLOSING.search(folded)
    if closing is None:
        return None
    heading = _TUO_HEADING.search(folded, closing.end())
    return heading.start() if heading else None


def _same_norm(heading: str, own: str) -> bool:
    """The heading's id is the norm's, its sector aside when one of them lacks it
    ("DS-4-2019" and "DS-4-2019-JUS")."""
    if heading == own:
        return True
    shorter, longer = sorted((heading, own), key=len)
    return longer.startswith(shorter + "-") and shorter.count("-") == 2 \
        and shorter.split("-")[0] in SECTOR_KINDS


def own_spans(text: str, own: str, folded: str | None = None) -> list[tuple[int, int]] | None:
    """Where the norm ``own`` (a canonical id) is on a page that also holds other norms:
    the spans from each of its headings to the next heading of another norm. None when the
    text holds no other norm's heading, or not its own (nothing can then be told apart).
    A heading of its own with nothing under it before the next heading (a file's title,
    "# Ley N.° 31761", over the page's first norm) counts only when it is the only one."""
    headings = norm_headings(text, folded)
    folded = fold(text) if folded is None else folded
    if not any(not _same_norm(h, own) for _, h in headings):
        return _after_another_norms_end(folded, [pos for pos, _ in headings])
    mine = [n for n, (_, h) in enumerate(headings) if _same_norm(h, own)]
    headed = [n for n in mine if n + 1 == len(headings) or len(
        "".join(text[headings[n][0]:headings[n + 1][0]].split())) > _EMPTY_SECTION]
    mine = headed or mine
    if not mine:
        return _before_other_norms(folded, headings[0][0])
    spans = []
    for n in mine:
        end = next((pos for pos, h in headings[n + 1:] if not _same_norm(h, own)), len(text))
        spans.append((headings[n][0], end))
    if not any(_ARTICLE_LABEL.search(folded, start, end) for start, end in spans):
        # a page laid out in columns, read across them: the heading is there but not the
        # norm's articles (they came out under another norm's heading, or under none)
        return _headless_part(folded, headings, own)
    return [(_after_own_formula(folded, start, end), end) for start, end in spans]


_ENACTED = re.compile(r"ha\s+dado\s+(?:la\s+ley|el\s+decreto\s+legislativo)\s+siguiente")


def _after_own_formula(folded: str, start: int, end: int) -> int:
    """Where the norm's own text starts under its heading: past its enacting formula when
    another law's articles and closing came out between the two (LEY-32238-2025.md, read
    across columns: "LEY N° 32238 / LA PRESIDENTA DE LA REPÚBLICA POR CUANTO:", then Ley
    32237's title, article and "Mando se publique y cumpla", then 32238's "EL CONGRESO DE
    LA REPÚBLICA; Ha dado la Ley siguiente:"). A law's articles follow its formula."""
    formula = _ENACTED.search(folded, start, end)
    if formula is None or not _ARTICLE_LABEL.search(folded, start, formula.start()) \
            or not _CLOSING.search(folded, start, formula.start()):
        return start
    return formula.end()


def _line_end(folded: str, pos: int, end: int) -> int:
    """The end of the line at ``pos``, or ``end`` when it comes first."""
    found = folded.find("\n", pos, end)
    return end if found < 0 else found


def _opens_a_norm(folded: str, start: int, end: int) -> bool:
    """A part whose lines before its first article hold a numbered line followed by an
    enacting formula: the heading of a norm of a type not read as one (LEY-32437-2025.md:
    "RESOLUCIÓN LEGISLATIVA DEL CONGRESO 001-2025-2026-CR", then "POR CUANTO"). A title
    citing a norm ("... DECRETO LEGISLATIVO 728, LEY") has no formula after it."""
    article = _ARTICLE_LABEL.search(folded, start, end)
    preamble_end = article.start() if article else end
    for line in _HEADING_LINE.finditer(folded, start, preamble_end):
        if _has_digit(folded, *line.span("heading")) and _ENACTING.search(
                folded, line.end(), preamble_end):
            return True
    return False


# El Peruano closes each norm with its own code on a line of its own: the order number and
# the norm's place in it ("2191769-1", "2191769-2").
_GAZETTE_CODE = re.compile(r"^[ \t*_]*\d{6,8}-\d{1,2}[ \t*_]*$", re.M)


def _headless_part(folded: str, headings: list[tuple[int, str]],
                   own: str) -> list[tuple[int, int]] | None:
    """A page read across its columns whose norm's heading stands apart from its articles
    (LEY-31809-2023.md: "LEY N° 31809" at the top of the page, Ley 31808 under its own
    heading, then Ley 31809's articles under no heading, each norm closed by its gazette
    code). The norm is the part between two codes that holds articles and no heading, when
    it is the only such part, the norm the only one whose headings have no articles
    under them, and its heading opens an enacting formula of its own; otherwise nothing
    can be told apart (None)."""
    codes = [m.end() for m in _GAZETTE_CODE.finditer(folded)]
    if not codes:
        return None
    # a norm starts after a code; the text before the first one may end a norm begun on
    # an earlier page (LEY-32209-2024.md: the tails of Leyes 32208 and 32209 together)
    bounds = codes + [len(folded)]
    parts = [(a, b) for a, b in zip(bounds, bounds[1:])
             if _ARTICLE_LABEL.search(folded, a, b) and not _opens_a_norm(folded, a, b)
             and not any(a <= pos < b for pos, _ in headings)]
    ends = [pos for pos, _ in headings[1:]] + [len(folded)]
    bare = [(pos, h, end) for (pos, h), end in zip(headings, ends)
            if not _ARTICLE_LABEL.search(folded, pos, end)]
    if len(parts) != 1 or any(not _same_norm(h, own) for _, h, _ in bare):
        return None
    # its heading opens its own enacting formula ("LEY N° 31809 / LA PRESIDENTA DE LA
    # REPÚBLICA"): a heading stacked on the next one (LEY-32262-2025.md: "LEY N° 32262",
    # then "LEY N° 32263" and one formula) may own the text under either
    if not any(_ENACTING.search(folded, _line_end(folded, pos, end), end) for pos, _, end in bare):
        return None
    return parts


# How a promulgated norm ends: "POR TANTO: Mando se publique y cumpla", "Dado en la Casa de
# Gobierno", "Regístrese, comuníquese y publíquese"
_CLOSING = re.compile(r"mando\s+se\s+publique|dado\s+en\s+la\s+casa\s+de\s+gobierno|"
                      r"registrese,?\s+comuniquese")


def _after_another_norms_end(folded: str, own_headings: list[int]) -> list[tuple[int, int]] | None:
    """A copy that opens with the end of the norm printed before it on the gazette page
    (DLEG-1724-2026.md: the last clauses and signatures of Decreto Legislativo 1723, then
    "DECRETO LEGISLATIVO N° 1724"): the norm is what follows its own heading. None (the
    whole text) when no closing formula stands before its first heading with articles."""
    previous = 0
    for n, pos in enumerate(own_headings):
        if _CLOSING.search(folded, previous, pos):
            return [(pos, len(folded))]
        following = own_headings[n + 1] if n + 1 < len(own_headings) else len(folded)
        if _ARTICLE_LABEL.search(folded, pos, following):
            return None        # its text starts here; a closing formula after it is its own
        previous = pos
    return None


def _before_other_norms(folded: str, first_other: int) -> list[tuple[int, int]] | None:
    """The norm's copy whose own heading was not found, before the other norms printed
    after it (LEY-32185-2024.md, the budget law's separata, then Leyes 32186 and 32187 under
    their own headings): the norm is the text before the first other heading, when its
    articles are there; otherwise nothing can be told apart (None)."""
    if _ARTICLE_LABEL.search(folded, 0, first_other):
        return [(0, first_other)]
    return None


_ARTICLE_LABEL = re.compile(r"(?:^|\n)[ \t#*_]*(?:articulo|art\.)\s*(?:\d|unico|primero)")
_EMPTY_SECTION = 120       # characters of a heading line with nothing under it


def _within(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(start <= pos < end for start, end in spans)


def _approving_decrees(folded: str, verb_end: int, clause_end: int, objects: list[Citation],
                       citations: list[Citation], starts: list[int]) -> list[Citation]:
    """A reglamento is the decree that approved it: "Derógase el Reglamento de la Ley
    N° 29033, ..., aprobado por Decreto Supremo N° 003-2008-VIVIENDA" repeals the decree,
    not the law; "el Decreto Legislativo N° 1131 ... y su Reglamento ... aprobado por
    Decreto Supremo N° 036-2013-PCM" repeals both."""
    out: list[Citation] = []
    for n, target in enumerate(objects):
        before = folded[(objects[n - 1].end if n else verb_end):target.start]
        limit = objects[n + 1].start if n + 1 < len(objects) else clause_end
        approving = _APPROVED_BY.search(folded, target.end, min(limit, target.end + 400))
        decree = _inside(citations, starts, approving.end()) if approving else None
        if decree is None or decree.start != approving.end() or decree in objects:  # type: ignore[union-attr]
            out.append(target)
            continue
        between = folded[target.end:approving.start()]  # type: ignore[union-attr]
        if _REGLAMENTO_BEFORE.search(before) and not _REGLAMENTO_WORD.search(between):
            out.append(decree)                 # the reglamento of the law, approved by it
        elif _OWN_REGLAMENTO.search(between):
            out += [target, decree]            # the law and its reglamento
        else:
            out.append(target)
    return out


_APPROVED_BY_END = re.compile("(?:" + _APPROVED_BY.pattern + ")$")
_NEW_ITEM = re.compile(r"\s?[,;]?\s?(?:y|e)\s")


def _approved_items(folded: str, verb_end: int, clause_end: int, objects: list[Citation],
                    citations: list[Citation], starts: list[int]) -> list[Citation]:
    """Instruments listed by name, each with the norm that approved it: "Dejar sin efecto
    las Directivas DI-010 ..., aprobada mediante Resolución Jefatural Nº 845-2004-JEF/RENIEC
    y DI-222 ..., aprobada mediante Resolución Jefatural Nº 666-2009-JNAC/RENIEC" acts on
    both resolutions. Only when the clause's first object is itself such an approving norm."""
    if not objects or not _APPROVED_BY_END.search(
            folded, max(verb_end, objects[0].start - 60), objects[0].start):
        return []
    out: list[Citation] = []
    last = objects[-1]
    for citation in citations[bisect.bisect_right(starts, last.start):]:
        if citation.start >= clause_end:
            break
        approved = _APPROVED_BY_END.search(folded, max(last.end, citation.start - 60),
                                           citation.start)
        if approved and _NEW_ITEM.match(folded, last.end, approved.start()) \
                and citation not in objects:
            out.append(citation)
            last = citation
    return out


_ITEM_START = re.compile(r"\s*(?:(?:y|e)\s+)?(?:el|la|los|las)\s+(?:articulos?|numerales?|incisos?|"
                         r"literales?|parrafos?|(?:primer|segundo|tercer|cuarto|quinto|ultimo)\s+"
                         r"parrafo|disposicion|decreto|ley|resolucion)(?![a-z])")


def _semicolon_items(text: str, folded: str, end: int, citations: list[Citation],
                     starts: list[int]) -> tuple[list[Citation], int]:
    """The parts of norms a repeal lists after its first one, each after a semicolon
    ("...; el artículo 2 de la Ley Nº 27046, ...;"), and where the list ends."""
    out: list[Citation] = []
    while text[end - 1:end] == ";" and _ITEM_START.match(folded, end):
        item_end = _clause_end(text, end, citations, starts)
        first = _objects(folded, end, item_end, citations, starts)
        if not first:
            break
        out.append(first[0])
        # "...; la Resolución Ministerial Nº 0174-98-IN, Encargan ..., y la Resolución
        # Ministerial Nº 0689-2000-IN/1701, Modifica ...": the list's last item
        for citation in citations[bisect.bisect_right(starts, first[0].start):]:
            if citation.start >= item_end:
                break
            if _LAST_ITEM.search(folded, max(end, citation.start - 12), citation.start):
                out.append(citation)
        end = item_end
    return out, end


_LAST_ITEM = re.compile(r",\s+(?:y|e)\s+(?:el|la|los|las)\s+$")


def _listed_norms(text: str, folded: str, pos: int, citations: list[Citation],
                  starts: list[int]) -> list[Citation]:
    """The norms listed after "Déjanse sin efecto las siguientes disposiciones:" (cited
    in full), or after "... las siguientes leyes:" (bare numbers of that type), up to the
    next clause label."""
    stop = _NEXT_CLAUSE.search(folded, pos, pos + 20000)
    end = stop.start() if stop else min(len(folded), pos + 20000)
    cited = _first_of_each_item(folded, [c for c in citations[bisect.bisect_left(starts, pos):]
                                         if c.start < end])
    intro = _LIST_INTRO.search(folded, max(0, pos - 300), pos)
    kind = _kind_named(intro.group("noun") or "") if intro else ""
    if kind not in KINDS:
        return cited
    # "... los siguientes decretos supremos:" then bare numbers ("053-68-HC 008-97-AG"),
    # some of which the citation reader may have taken for a citation ("IT-DS 005-78-PM")
    out = list(cited)
    for item in _BARE_ITEM.finditer(folded, pos, end):
        if any(c.start <= item.start() < c.end for c in cited):
            continue
        found = parse_norm_reference(item.group(0), kind)
        if found is not None and found.kind == kind:
            out.append(replace(found, start=item.start(), end=item.end(), text=item.group(0)))
    return sorted(out, key=lambda c: c.start)


def _first_of_each_item(folded: str, cited: list[Citation]) -> list[Citation]:
    """The norm each line of a list names, and those listed with it ("Decretos Supremos
    Nº 008-97-AG y Nº 003-98-AG"), not the norms its title or note cites ("2. Ley 27140,
    Ley que modifica la Ley 27067", "a. El artículo 46 del Decreto Legislativo 1149 ...
    modificado por el Decreto Legislativo 1230")."""
    out: list[Citation] = []
    previous: Citation | None = None
    for citation in cited:
        if previous is None or "\n" in folded[previous.end:citation.start] or \
                _LIST_GAP.match(folded[previous.end:citation.start]):
            out.append(citation)
            previous = citation
    return out


_NORM_NOUNS = re.compile(r"(?:normas?|disposicion(?:es)?|dispositivos?|instrumentos?)"
                         r"(?:\s+(?:legales|normativ[oa]s|reglamentari[oa]s))?$")


def _names_norms(intro: re.Match) -> bool:
    """"... las siguientes disposiciones:", "... las siguientes leyes:" introduce a list of
    norms; "... en los siguientes términos:", "... el texto siguiente:" the new wording,
    whose citations are not the clause's objects."""
    if intro.group("any"):
        return True
    noun = intro.group("noun") or ""
    return bool(_NORM_NOUNS.match(noun)) or _kind_named(noun) in KINDS


def _kind_named(noun: str) -> str:
    """The type of a plural noun: "leyes" -> LEY, "decretos supremos" -> DS."""
    for candidate in (noun, " ".join(re.sub(r"(?<=[^aeiou])es$|(?<=[aeiou])s$", "", w)
                                     if w not in ("de", "del") else w for w in noun.split())):
        kind = normalize_type(candidate)
        if kind in KINDS:
            return kind
    return ""


def _act_headings(folded: str):
    """_ACT_HEADING.finditer(folded): a match at the start, then those after a break."""
    first = _ACT_HEADING.match(folded)
    yield from ([first] if first is not None else [])
    yield from _ACT_HEADING_AFTER_BREAK.finditer(folded, first.end() if first else 0)


def _heading_mentions(text: str, folded: str, citations: list[Citation], starts: list[int],
                      found: list[RelationMention],
                      spans: list[tuple[int, int]] | None = None) -> list[RelationMention]:
    """Acts named by a clause's heading ("Artículo 2. Modificación del artículo 51 del
    Decreto Legislativo 052 ...") when the clause's own verb did not give them (a garbled
    "Modifácase", a verb with no object of its own)."""
    known = {(m.kind, m.target.canonical_id) for m in found}
    out = []
    for heading in _act_headings(folded):
        if spans is not None and not _within(spans, heading.end("noun")):
            continue
        kind = "deroga" if heading.group("noun").startswith("deroga") else "modifica"
        rest_start, rest_end = heading.span("rest")
        i = bisect.bisect_left(starts, rest_start)
        previous = None
        while i < len(citations) and citations[i].start < rest_end:
            target = citations[i]
            i += 1
            gap = folded[previous.end if previous else rest_start:target.start]
            if not (_LIST_GAP.match(gap) if previous else _HEADING_LINK.match(gap)):
                break      # the first norm named, and those listed with it
            if not previous and _REGLAMENTO_BEFORE.search(gap) and not _APPROVED_BY.search(gap):
                break      # "Modificación ... del Reglamento de la Ley N° 30003": not the law
            previous = target
            if target.kind == "CONST" or (kind, target.canonical_id) in known:
                continue
            known.add((kind, target.canonical_id))
            evidence = _quoted(text[heading.start():rest_end])
            out.append(RelationMention(kind, target, tuple(target.articles or articles_in(
                text[rest_start:target.start])), heading.start(), rest_end, evidence))
    return out


def _paragraph_start(folded: str, pos: int) -> int:
    """Where the paragraph holding ``pos`` starts. Text pasted from a PDF is wrapped at
    every line, so a paragraph ends only at a line ending in ".", ";" or ":" or a blank
    line."""
    window_start = max(0, pos - 2000)
    last = None
    for last in _PARAGRAPH_END.finditer(folded, window_start, pos):
        pass
    return last.end() if last is not None else (0 if window_start == 0 else window_start)


_LINE_OPENING = re.compile(r"[\s*_#>]*")
_LOWER = re.compile(r"[a-záéíóúñü]")
_TITLE_VERB = re.compile(r"(?<![a-z])que\s+(?:se\s+)?$")


def _is_operative(text: str, folded: str, pos: int) -> bool:
    if _TITLE_VERB.search(folded, max(0, pos - 12), pos):
        # "Decreto Legislativo 1316, Decreto Legislativo que modifica la Ley 27933": the
        # title of the norm acted on, not this clause's act
        return False
    para = _paragraph_start(folded, pos)
    line = text.rfind("\n", para, pos) + 1
    if line > para and not _LOWER.search(text, para, line):
        # lines in capitals above the clause's own (the norm's title, a section's name,
        # with no stop after them): the clause starts on its line
        para = line
    prefix = " ".join(folded[para:pos].split())
    if not prefix:
        return True
    if re.match(r"(?:que|visto|vistos|considerando)(?![a-z])", prefix):
        return False
    if _LABEL.match(prefix):
        return True
    # "Artículo 5.- INFRACCIONES Y SANCIONES Incorpórense ...": a label and its heading,
    # told from a sentence by its capitals.
    titled = _LABEL_HEADING.match(" ".join(text[para:pos].split()))
    if titled and not re.search(r"[a-záéíóúñü]", titled.group("heading")):
        return True
    # "**Tercera.- De la Comisión Nacional sobre la Diversidad Biológica**\n Derógase ...":
    # a label and its heading on a line of their own, the verb opening the next line
    if titled and _LINE_OPENING.fullmatch(text, text.rfind("\n", para, pos) + 1, pos) \
            and "\n" in text[para:pos]:
        return True
    # National laws: "ÚNICA. Derogación Derógase ...", "Artículo único. Modificación de la
    # Ley 29735 ... Se modifica ...": a label, a heading naming the act, then the verb.
    if _LABEL_ACT_HEADING.match(prefix):
        return True
    return bool(_SUBJECT.search(prefix + " ")) and len(prefix) <= 160


def _clause_start(folded: str, pos: int) -> int:
    """The clause quoted as evidence starts with the paragraph (its article label)."""
    para = _paragraph_start(folded, pos)
    while para < pos and folded[para].isspace():
        para += 1
    return para if pos - para <= 160 else pos


def _inside(citations: list[Citation], starts: list[int], pos: int) -> Citation | None:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and citations[i].start <= pos < citations[i].end:
        return citations[i]
    return None


def _clause_end(text: str, pos: int, citations: list[Citation], starts: list[int]) -> int:
    """The end of the clause opened at ``pos``: the first boundary outside a citation
    (citations hold periods and colons of their own: "D.S. N° 004", "N.° 27972")."""
    limit = min(len(text), pos + 3000)
    for match in _CLAUSE_END.finditer(text, pos, limit):
        if _inside(citations, starts, match.start()) is None:
            return match.start() + (1 if text[match.start()] in ".;:" else 0)
    return limit


def _objects(folded: str, verb_end: int, clause_end: int, citations: list[Citation],
             starts: list[int]) -> list[Citation]:
    """The norms the verb acts on: the first cited in the clause and those listed with it."""
    i = bisect.bisect_left(starts, verb_end)
    objects: list[Citation] = []
    while i < len(citations) and citations[i].start < clause_end:
        citation = citations[i]
        if not objects:
            if citation.start - verb_end > MAX_OBJECT_GAP:
                break
            if _BY_AGENT.search(folded, max(verb_end, citation.start - 200), citation.start):
                # "... incorporada en el Anexo ... por el Artículo 2 del Decreto Supremo
                # Nº 035-97-EF": the norm that once changed the object, not the object
                i += 1
                continue
            objects.append(citation)
        elif _LIST_GAP.match(folded[objects[-1].end:citation.start]):
            objects.append(citation)
        else:
            break
        i += 1
    return objects


# what makes a law's title name another instrument: "el Reglamento de la Ley General de
# ...", "el Texto Único Ordenado de la Ley ...", or the norm that changed the object
# ("..., modificado por la Ley ...")
_NOT_THE_NAMED = re.compile(r"(?:reglamento|texto\s+unico\s+ordenado|\btuo|normas?\s+"
                            r"reglamentarias?|(?:modificad|aprobad|sustituid|"
                            r"incorporad|derogad)[oa]s?)(?![a-z])")


def _named_object(text: str, folded: str, verb_end: int, clause_end: int,
                  titles: TitleIndex) -> list[Citation]:
    """The norm a clause that cites none by number names by its title, within
    ``MAX_OBJECT_GAP`` of the verb; none when the title is that of the law another
    instrument belongs to (its reglamento, its TUO, its annex) or of a norm that changed
    the object."""
    named = titles.find(text, folded, verb_end, min(clause_end, verb_end + MAX_OBJECT_GAP))
    if named is None or _NOT_THE_NAMED.search(folded, verb_end, named.start):
        return []
    return [named]


_INTO_A_REGIME = re.compile(r"\s+(?:al|en\s+el)\s+regimen(?![a-z])")
_BY_AGENT = re.compile(r"(?:modificad|incorporad|sustituid|agregad|adicionad)[oa]s?\s+"
                       r"(?:[^;:]{0,80}?\s)?(?:por|mediante)\s+(?:el|la)\s+(?:(?:articulo|numeral|"
                       r"inciso|literal)\s+[\w.°º-]+\s+(?:del?|de\s+la)\s+)?[*_\[]*$")


def _unique(mentions: list[RelationMention]) -> list[RelationMention]:
    """One mention per (kind, norm, articles): a clause repeated keeps its first place."""
    seen: set[tuple] = set()
    out = []
    for m in mentions:
        key = (m.kind, m.target.canonical_id, m.articles)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
