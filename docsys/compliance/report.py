"""The compliance report of a text: citations, warnings, relations stated, similar norms.

``check_text`` is the one entry point behind the API, the CLI, the check page and the
report on every draft version:

1. citations found, each normalised to its canonical id and matched to the archive;
2. cited norms of this municipality that are not in the archive (with the norms of the
   same number from nearby years, the usual slip);
3. cited norms that are repealed or modified, naming the norm that did it and the date —
   and those for which such a relation is proposed and awaits the archive's confirmation;
4. the structural requirements of the document type the text misses (rules as data);
5. the archive's norms on the same subject, with the passages they share.

A report names only the archive's norms its reader may see, as a search would show them
(``visibility``): a norm issued but not yet published, of another office, is reported to a
drafter as not found among the norms they may consult — never by its number or title —
and a pending relation it proposes is not announced.
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from typing import Sequence

from sqlalchemy.orm import Session

from docsys.archive.norms import TYPE_NAMES
from docsys.archive.provenance import TextSource, sources_of
from docsys.compliance import archive
from docsys.compliance.archive import (ArchiveNorm, NoteLine, norm_canonical_id,
                                       relation_scope, whole_norm)
from docsys.compliance.citations import Citation, canonical_label_for, extract_citations
from docsys.compliance.relations import RelationMention, find_relations
from docsys.compliance.similar import DUPLICATE_SHARE, SimilarNorm, similar_norms
from docsys.compliance.structure_rules import check_structure, detect_doc_type
from docsys.compliance.text import document_text, prepare_text
from docsys.errors import ValidationError
from docsys.models import NormRelation, SourceRelation
from docsys.rendering.ordinals import long_date
from search import SearchError

log = logging.getLogger("docsys.compliance")

# The municipal norm types (those the structural rules know), as the archive names them.
DOC_TYPE_LABELS = TYPE_NAMES
# Warning kinds, most serious first (the order of the report).
WARNING_KINDS = ("repealed", "modified", "relation_pending", "not_found", "duplicate",
                 "missing_structure")
HEADING_LINES = 4          # a norm's own number is in one of its first lines


@dataclass
class CitationResult:
    citation: Citation
    match: ArchiveNorm | None

    def to_dict(self) -> dict:
        data = self.citation.to_dict()
        data["label"] = data.pop("canonical_label")
        data["in_archive_scope"] = self.citation.is_local
        data["match"] = self.match.to_dict() if self.match else None
        return data


@dataclass
class Warning:
    kind: str
    message: str
    canonical_id: str | None = None
    start: int | None = None
    end: int | None = None
    document_id: int | None = None      # the archive norm concerned
    by_document_id: int | None = None   # the norm that repealed or modified it
    rule: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class RelationResult:
    mention: RelationMention
    match: ArchiveNorm | None

    def to_dict(self) -> dict:
        data = self.mention.to_dict()
        data["match"] = self.match.to_dict() if self.match else None
        return data


@dataclass
class Report:
    doc_type: str | None
    own_number: str | None
    characters: int
    citations: list[CitationResult] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    relations: list[RelationResult] = field(default_factory=list)
    similar: list[SimilarNorm] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    text: str = ""            # the text checked (not serialised: the caller sent it)
    limited_view: bool = False  # checked as a reader who sees only part of the archive

    @property
    def doc_type_label(self) -> str | None:
        return DOC_TYPE_LABELS.get(self.doc_type or "", self.doc_type)

    @property
    def cited_norms(self) -> int:
        return len({c.citation.canonical_id for c in self.citations})

    def warnings_of(self, *kinds: str) -> list[Warning]:
        return [w for w in self.warnings if w.kind in kinds]

    def to_dict(self) -> dict:
        return {
            "doc_type": self.doc_type, "doc_type_label": self.doc_type_label,
            "own_number": self.own_number, "characters": self.characters,
            "summary": {"citations": len(self.citations), "cited_norms": self.cited_norms,
                        "warnings": len(self.warnings), "similar": len(self.similar)},
            "citations": [c.to_dict() for c in self.citations],
            "warnings": [w.to_dict() for w in self.warnings],
            "relations": [r.to_dict() for r in self.relations],
            "similar": [s.to_dict() for s in self.similar],
            "notes": list(self.notes), "elapsed_ms": round(self.elapsed_ms, 1),
        }


# --------------------------------------------------------------------------- checking

def check_text(session: Session, text, *, doc_type: str | None = None,
               own_canonical_id: str | None = None, backend=None, visibility=None,
               exclude_document_ids=(), similar_limit: int = 5) -> Report:
    """The compliance report of ``text`` (a string; see ``prepare_text`` for what is
    refused). ``doc_type`` chooses the structural rules (read from the heading when not
    given); ``own_canonical_id`` is the norm's own number when the text is a stored norm.
    ``visibility`` (a ``search.Visibility``) is what the reader may see: the report names
    no other norm; None names them all (the command line). Similar norms are searched when
    ``backend`` and ``visibility`` are given; an index that cannot be searched only adds a
    note."""
    started = time.perf_counter()
    text = prepare_text(text)
    doc_type = _known_doc_type(doc_type)
    citations = extract_citations(text)
    # None: read the own number from the heading; "" : the text has none (a draft).
    own = _own_number(text, citations) if own_canonical_id is None else None
    own_id = own_canonical_id or (own.canonical_id if own else None)
    citations = [c for c in citations if c.canonical_id != own_id]
    doc_type = (doc_type or (own.kind if own else None) or detect_doc_type(text) or None)
    report = Report(doc_type=doc_type.upper() if doc_type else None,
                    own_number=own.text if own else None, characters=len(text), text=text,
                    limited_view=_limited(visibility))

    found = archive.find_norms(session, citations, visibility)
    report.citations = [CitationResult(c, found.get(c.canonical_id)) for c in citations]
    report.warnings.extend(_status_warnings(session, citations, found, visibility))
    report.warnings.extend(_not_found_warnings(session, citations, found, visibility))
    report.relations = [RelationResult(m, found.get(m.target.canonical_id))
                        for m in find_relations(text, citations, own=own_id)]

    if report.doc_type:
        for finding in check_structure(text, report.doc_type, citations):
            report.warnings.append(Warning("missing_structure", finding.message,
                                           rule=finding.rule))
    else:
        report.notes.append("No se reconoció el tipo de documento (el encabezado no dice "
                            "«RESOLUCIÓN DE …», «ORDENANZA …», etc.): no se revisó su "
                            "estructura. Indique el tipo para revisarla.")

    if backend is not None and visibility is not None:
        _add_similar(session, report, backend, visibility, exclude_document_ids, similar_limit)
    report.warnings.sort(key=lambda w: (WARNING_KINDS.index(w.kind), w.start or 0))
    report.elapsed_ms = (time.perf_counter() - started) * 1000
    return report


def _limited(visibility) -> bool:
    """Does the reader see only part of the archive?"""
    return visibility is not None and not visibility.all


def _known_doc_type(doc_type) -> str | None:
    """``doc_type`` as a code of DOC_TYPE_LABELS, or None when not given; ValidationError
    (Spanish) for anything else."""
    if doc_type is None:
        return None
    code = doc_type.strip().upper() if isinstance(doc_type, str) else "?"
    if code and code not in DOC_TYPE_LABELS:
        raise ValidationError("Tipo de documento desconocido; use "
                              + ", ".join(DOC_TYPE_LABELS) + ".")
    return code or None


def _own_number(text: str, citations: list[Citation]) -> Citation | None:
    """The norm's own number: a citation that opens one of the first lines (the heading:
    "RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM")."""
    lines_end = 0
    for _ in range(HEADING_LINES):
        nxt = text.find("\n", lines_end)
        if nxt < 0:
            lines_end = len(text)
            break
        lines_end = nxt + 1
    for c in citations:
        if c.start >= lines_end:
            break
        before = text[text.rfind("\n", 0, c.start) + 1:c.start]
        if not before.strip() and not c.anaphoric:
            return c
    return None


def _first_mentions(citations: list[Citation]) -> dict[str, Citation]:
    first: dict[str, Citation] = {}
    for c in citations:
        first.setdefault(c.canonical_id, c)
    return first


def _date(value: str | None) -> str:
    return long_date(value) if value else ""


MASCULINE = frozenset({"DA", "AC", "DS", "DLEG", "DLEY", "DU", "TUO"})


def _the(label: str, kind: str) -> str:
    """"la Ordenanza Municipal N° …", "el Decreto de Alcaldía N° …"."""
    return ("el " if kind.upper() in MASCULINE else "la ") + label


def _ending(kind: str) -> str:
    return "o" if kind.upper() in MASCULINE else "a"


def _source(relation: NormRelation, visible: set[int]) -> str:
    """The norm that states ``relation``, named only if the reader may see it."""
    source = relation.source
    if source is None or relation.source_document_id not in visible:
        return "otra norma"
    norm = archive.as_archive_norm(source)
    return _the(norm.label or norm.number, source.doc_type)


def _relation_phrase(relation: NormRelation, kind: str, visible: set[int]) -> str:
    """"la Ordenanza Municipal N° 002-2025-MDM la derogó, desde el 14 de febrero de 2025";
    "la Ordenanza … modificó el artículo 12, desde …"."""
    verb = {"deroga": "derogó", "modifica": "modificó", "rectifica": "rectificó",
            "deja_sin_efecto": "dejó sin efecto"}.get(relation.kind, relation.kind)
    if relation.articles:
        what = f"{verb} {relation_scope(relation.articles)}"
    elif relation.kind == "deja_sin_efecto":
        what = ("lo " if kind.upper() in MASCULINE else "la ") + "dejó sin efecto"
    else:
        what = ("lo " if kind.upper() in MASCULINE else "la ") + verb
    when = f", desde el {_date(relation.effective_date)}" if relation.effective_date else ""
    return f"{_source(relation, visible)} {what}{when}"


MAX_NOTES_TOLD = 3    # the changes a source's notes name in a warning, the newest (a law
#                       changed often)


def _note_phrase(line: NoteLine, kind: str) -> str:
    """"la Ley N° 32114 la derogó, desde el 3 de septiembre de 2024"; "el Decreto
    Legislativo N° 1262 modificó parte de ella (artículos 5 y 6), desde …" (a source's
    notes of one change)."""
    verb = {"deroga": "derogó", "modifica": "modificó"}.get(line.kind, line.kind)
    pronoun = "lo" if kind.upper() in MASCULINE else "la"
    what = (f"{pronoun} {verb}" if line.whole else
            f"{verb} parte de {'él' if pronoun == 'lo' else 'ella'}"
            + (f" ({line.scope})" if line.scope else ""))
    by = _the(line.by_label, line.by_canonical_id.split("-")[0])
    when = f", desde el {_date(line.effective_date)}" if line.effective_date else ""
    return f"{by} {what}{when}"


def _status_warnings(session: Session, citations: list[Citation],
                     found: dict[str, ArchiveNorm], visibility=None) -> list[Warning]:
    """Cited norms repealed or modified (confirmed), and relations proposed about them.
    The norms that did it are named only to a reader who may see them; a proposal stated
    by a norm the reader may not see is not announced."""
    first = _first_mentions(citations)
    cited_articles: dict[str, set[str]] = {}
    for c in citations:
        cited_articles.setdefault(c.canonical_id, set()).update(c.articles)
    ids = [n.document_id for n in found.values()]
    confirmed = archive.relations_affecting(session, ids)
    pending = archive.relations_affecting(session, ids, statuses=("propuesta",))
    noted = archive.source_notes(session, ids)
    sources = sources_of(session, noted.keys())   # whose notes they are: SPIJ's, LP's...
    visible = archive.visible_ids(session, (r.source_document_id for relations in
                                            (*confirmed.values(), *pending.values())
                                            for r in relations), visibility)
    out = []
    for cid, norm in found.items():
        mention = first[cid]
        name = _the(norm.label or norm.number, norm.doc_type)
        name = name[0].upper() + name[1:]
        if norm.legal_status in ("derogada", "modificada", "sin_efecto", "rectificada"):
            changed = _changed_warning(norm, name, mention, confirmed.get(norm.document_id, []),
                                       cited_articles.get(cid, set()), visible,
                                       noted.get(norm.document_id, []),
                                       sources.get(norm.document_id))
            if changed is not None:
                out.append(changed)
        for relation in pending.get(norm.document_id, []):
            if relation.source_document_id not in visible:
                continue
            verb = {"deroga": "derogad", "modifica": "modificad"}.get(relation.kind,
                                                                     "afectad")
            scope = f" en {relation_scope(relation.articles)}" if relation.articles else ""
            out.append(Warning(
                "relation_pending",
                f"{name} podría estar {verb}{_ending(norm.doc_type)}{scope} por "
                f"{_source(relation, visible)}: la relación está propuesta y pendiente de "
                "confirmación por el archivo.", cid, mention.start, mention.end,
                norm.document_id, relation.source_document_id))
    return out


def _changed_warning(norm: ArchiveNorm, name: str, mention: Citation,
                     relations: list[NormRelation], cited_articles: set[str],
                     visible: set[int], noted: Sequence[SourceRelation] = (),
                     source: TextSource | None = None) -> Warning | None:
    """"La Ordenanza … está derogada: la Ordenanza … la derogó, desde …" (or modified, left
    without effect, rectified). A norm left without effect is not in force, as a repealed
    one ("repealed"); a rectified one is, with its error corrected ("modified"). Without
    a relation of the archive that says it, the source's notes on the imported text do
    (SPIJ: "la Ley N° 32114 la derogó ..."), named as theirs (``source``: the text's, when
    its file named it). A norm in force that the notes show changed article by article
    (the Constitution's reforms) is told only of the cited articles they name: None when
    they name none of them."""
    kind = norm.doc_type
    repealed = norm.legal_status in ("derogada", "sin_efecto")
    ending = _ending(kind)
    if norm.legal_status == "sin_efecto":
        shown = [r for r in relations if r.kind == "deja_sin_efecto" and not r.articles]
        state = f"fue dejad{ending} sin efecto y no está vigente"
    elif repealed:
        shown = [r for r in relations if r.kind == "deroga" and not r.articles]
        state = "está derogad" + ending
    elif norm.legal_status == "rectificada":
        shown = relations
        state = f"fue rectificad{ending} por error material (cítela con su rectificación)"
    else:
        shown = relations
        state = "fue modificad" + ending
    notes = [n for n in noted if not repealed or (n.kind == "deroga" and whole_norm(n.part))]
    noted_cited: list[str] = []
    if notes and not shown and not repealed and cited_articles:
        articles = [noted_article(n.part) for n in notes]
        cited = {a.split(".")[0].upper() for a in cited_articles}
        about = [n for n, a in zip(notes, articles) if a in cited]
        if not about and None not in articles:
            return None       # changed, but in none of the articles the text cites
        if about:
            notes = about
            noted_cited = sorted({a for a in articles if a in cited}, key=_article_order)
    if shown:
        message = f"{name} {state}: " + "; ".join(
            _relation_phrase(r, kind, visible) for r in shown) + "."
    elif notes and norm.legal_status in ("derogada", "modificada"):
        changes = archive.note_lines(notes)
        told = changes[-MAX_NOTES_TOLD:]
        more = len(changes) - len(told)
        message = (f"{name} {state}: " + "; ".join(_note_phrase(n, kind) for n in told)
                   + (f"; y {more} cambio{'s' if more > 1 else ''} anterior"
                      f"{'es' if more > 1 else ''}" if more else "")
                   + " (según las notas del texto importado"
                   + (f" de {source.name}" if source is not None else "") + ").")
    else:
        message = (f"{name} figura como {norm.legal_status.replace('_', ' ')} en el archivo "
                   "normativo.")
    touched = {a for r in relations for a in (r.articles or [])}
    hit = sorted(touched & cited_articles) or noted_cited
    if not repealed and hit:
        message += (f" Se cita {relation_scope(hit)}, que fue modificado o derogado: "
                    if len(hit) == 1 else
                    f" Se citan {relation_scope(hit)}, que fueron modificados o derogados: ")
        message += "verifique su texto vigente."
    by = shown[-1].source_document_id if shown else None
    return Warning("repealed" if repealed else "modified", message, mention.canonical_id,
                   mention.start, mention.end, norm.document_id,
                   by if by in visible else None)


_NOTED_ARTICLE = re.compile(r"art[íi]culo\s+(\d{1,4}(?:-[A-Z])?|[IVXL]{1,6})(?![\w-])",
                            re.IGNORECASE)


def noted_article(part: str) -> str | None:
    """The article a source's note names in the part it changed ("Artículo 194",
    "Párrafo primero del artículo 23" -> "23"), upper case; None when it names none
    ("Capítulo", "Disposición", "Subtítulo")."""
    found = _NOTED_ARTICLE.search(part or "")
    return found.group(1).upper() if found else None


def _article_order(article: str) -> tuple:
    number = re.match(r"\d+", article)
    return (0, int(number.group(0)), article) if number else (1, 0, article)


def _not_found_warnings(session: Session, citations: list[Citation],
                        found: dict[str, ArchiveNorm], visibility=None) -> list[Warning]:
    """Cited norms of this municipality that the archive does not hold — or, for a reader
    who sees part of it, that are not among what they may see (the same words either way,
    so the message never tells a hidden norm exists)."""
    first = _first_mentions(citations)
    missing = [c for cid, c in first.items() if cid not in found and c.is_local]
    if not missing:
        return []
    near = archive.near_misses(session, missing, visibility)
    where = ("no está en el archivo normativo, al menos entre las normas que usted puede "
             "consultar" if _limited(visibility) else "no está en el archivo normativo")
    out = []
    for c in missing:
        name = _the(canonical_label_for(c.kind, c.number, c.year, c.issuer), c.kind)
        message = f"{name[0].upper()}{name[1:]} {where}: verifique el número y el año."
        options = near.get(c.canonical_id, [])
        if options:
            message += " ¿Quiso decir " + " o ".join(
                _the(n.label or n.number, n.doc_type) for n in options[:3]) + "?"
        out.append(Warning("not_found", message, c.canonical_id, c.start, c.end))
    return out


def _add_similar(session, report: Report, backend, visibility, exclude, limit) -> None:
    try:
        report.similar = similar_norms(session, backend, report.text, visibility=visibility,
                                       limit=limit, exclude_document_ids=exclude)
    except SearchError as exc:
        log.warning("Normas similares no disponibles: %s", exc)
        report.notes.append(f"No se pudieron buscar normas similares: {exc}")
        return
    cited = {c.match.document_id for c in report.citations if c.match}
    for similar in report.similar:
        if similar.overlap >= DUPLICATE_SHARE and similar.norm.document_id not in cited:
            report.warnings.append(Warning(
                "duplicate",
                f"El texto coincide en un {round(similar.overlap * 100)} % con "
                f"{_the(similar.norm.label or similar.norm.number, similar.norm.doc_type)} "
                f"(«{similar.norm.title}»), que no cita: ¿duplica o contradice una norma "
                "existente?", document_id=similar.norm.document_id))



def check_version(session: Session, document, version, *, backend=None,
                  visibility=None) -> Report:
    """The report of one saved version of a document (a draft, or the text of a norm),
    checked as it prints, by the rules of its type; the document itself is left out of
    its similar norms."""
    return check_text(session, document_text(document, version.content),
                      doc_type=document.doc_type if document.doc_type in DOC_TYPE_LABELS
                      else None,
                      own_canonical_id=norm_canonical_id(document) or "",
                      backend=backend, visibility=visibility,
                      exclude_document_ids=[document.id])
