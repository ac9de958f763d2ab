"""The Spanish text of a correcting draft: its sumilla, considerandos and operative
articles, written from the norm it corrects and the kind of correction, with bracketed
prompts ("[texto erróneo]") for what only the drafting office knows. Pure text built on the
norm's template (docsys.corrections.flow creates the draft)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from docsys.compliance.archive import as_archive_norm
from docsys.drafting.structure import normalize_content
from docsys.drafting.templates import instantiate
from docsys.errors import Conflict, ValidationError
from docsys.models import Document
from docsys.rendering.ordinals import long_date
from docsys.versions import latest_version

_MASCULINE = frozenset({"DA", "AC"})
_NOUNS = {"OM": "ordenanza", "AC": "acuerdo", "DA": "decreto", "RA": "resolución",
          "RGM": "resolución", "RG": "resolución"}
# Fields a correction asks again (its own file, session, vote and date), not copied over.
_FRESH_FIELDS = ("expediente", "informes", "fecha", "firmante_nombre", "sesion_tipo",
                 "sesion_fecha", "votacion", "dictamen")
# The usual closing articles of a template, kept after the correcting ones.
_TAIL_VERBS = ("ENCARGAR", "NOTIFICAR", "DISPONER", "PUBLICAR", "REMITIR")
_PROMPT_MARK = "["


@dataclass(frozen=True)
class CorrectionKind:
    key: str
    label: str           # as offered on the page
    relation: str        # the NormRelation kind recorded when the correction is issued
    sumilla: str         # "{norma}" is "la Resolución … N° …"
    denomination: str    # an ordinance's "ORDENANZA QUE …"


KINDS: dict[str, CorrectionKind] = {k.key: k for k in (
    CorrectionKind("rectificar", "Rectificar error material", "rectifica",
                   "Rectificar el error material incurrido en {norma}",
                   "RECTIFICA EL ERROR MATERIAL INCURRIDO EN {norma}"),
    CorrectionKind("dejar_sin_efecto", "Dejar sin efecto", "deja_sin_efecto",
                   "Dejar sin efecto {norma}", "DEJA SIN EFECTO {norma}"),
    CorrectionKind("modificar", "Modificar", "modifica",
                   "Modificar {norma}", "MODIFICA {norma}"),
)}


def parse_kind(raw) -> CorrectionKind:
    kind = KINDS.get(raw.strip().lower().replace("-", "_").replace(" ", "_")
                     if isinstance(raw, str) else "")
    if kind is None:
        raise ValidationError("Indique el tipo de corrección: rectificar (error material), "
                              "dejar_sin_efecto o modificar.")
    return kind


def norm_name(norm: Document) -> str:
    """"la Resolución de Gerencia Municipal N° 0045-2026-GM-MDM" (or "el Decreto …")."""
    archived = as_archive_norm(norm)
    text = archived.label or norm.official_number or norm.title
    return ("el " if norm.doc_type.upper() in _MASCULINE else "la ") + text


def _noun(doc_type: str) -> str:
    """"la presente resolución" / "el presente decreto"."""
    noun = _NOUNS.get(doc_type.upper(), "norma")
    return ("el presente " if doc_type.upper() in _MASCULINE else "la presente ") + noun


def _cited(doc_type: str) -> str:
    """"la citada resolución" / "el citado decreto"."""
    noun = _NOUNS.get(doc_type.upper(), "norma")
    return ("el citado " if doc_type.upper() in _MASCULINE else "la citada ") + noun


def _considerandos(norm: Document, kind: CorrectionKind) -> list[str]:
    name = norm_name(norm)
    date = long_date(norm.issue_date)
    cited = _cited(norm.doc_type)
    intro = (f"Que, mediante {name}, de fecha {date}, se dispuso: «{norm.title.rstrip('. ')}»;"
             if date else f"Que, mediante {name}, se dispuso: «{norm.title.rstrip('. ')}»;")
    tuo = ("del Texto Único Ordenado de la Ley N° 27444, Ley del Procedimiento Administrativo "
           "General, aprobado por Decreto Supremo N° 004-2019-JUS")
    if kind.key == "rectificar":
        return [
            intro,
            f"Que, en {cited} se ha incurrido en error material: en [indique el artículo, "
            "considerando o parte en que figura el error] se consignó «[texto erróneo]», "
            "cuando correspondía consignar «[texto correcto]»;",
            f"Que, el numeral 212.1 del artículo 212 {tuo}, establece que los errores "
            "material o aritmético en los actos administrativos pueden ser rectificados con "
            "efecto retroactivo, en cualquier momento, de oficio o a instancia de los "
            "administrados, siempre que no se altere lo sustancial de su contenido ni el "
            "sentido de la decisión; y el numeral 212.2 dispone que la rectificación adopta "
            "las formas y modalidades de comunicación o publicación que corresponda para el "
            "acto original;",
            "Que, la rectificación no altera lo sustancial del contenido ni el sentido de la "
            f"decisión adoptada en {cited}, por lo que corresponde rectificarla;",
        ]
    if kind.key == "dejar_sin_efecto":
        return [
            intro,
            f"Que, [exponga los hechos por los que corresponde dejar sin efecto {cited}];",
            f"Que, el numeral 213.1 del artículo 213 {tuo}, dispone que, en cualquiera de los "
            "casos enumerados en el artículo 10, puede declararse de oficio la nulidad de los "
            "actos administrativos, aun cuando hayan quedado firmes, siempre que agravien el "
            "interés público o lesionen derechos fundamentales; y el numeral 214.1 del "
            "artículo 214 establece los casos en que cabe la revocación de actos "
            "administrativos, con efectos a futuro;",
            "Que, [precise la causal que se aplica (nulidad de oficio, artículo 213, o "
            "revocación, artículo 214) y por qué concurre en el presente caso];",
        ]
    return [
        intro,
        f"Que, [exponga los hechos y el fundamento por los que corresponde modificar {cited}];",
    ]


def _articles(norm: Document, kind: CorrectionKind) -> list[str]:
    name = norm_name(norm)
    date = long_date(norm.issue_date)
    dated = f"{name}, de fecha {date}" if date else name
    if kind.key == "rectificar":
        return [f"RECTIFICAR el error material incurrido en [indique el artículo, considerando "
                f"o parte] de {dated}, en los términos siguientes: DICE: «[texto erróneo]»; "
                "DEBE DECIR: «[texto correcto]».",
                f"DEJAR SUBSISTENTE {name} en todo lo demás que contiene."]
    if kind.key == "dejar_sin_efecto":
        return [f"DEJAR SIN EFECTO {dated}, por los fundamentos expuestos en la parte "
                f"considerativa de {_noun(norm.doc_type)}.",
                "[Disponga lo que corresponda sobre los actos realizados o los efectos "
                "producidos en aplicación de la norma que se deja sin efecto.]"]
    return [f"MODIFICAR [indique el artículo o la parte] de {dated}, que queda redactado "
            "de la siguiente manera: «[nuevo texto]».",
            f"DEJAR SUBSISTENTE {name} en todo lo demás que contiene."]


def _fields(session: Session, norm: Document, definition: dict, kind: CorrectionKind) -> dict:
    """The new draft's fields: the norm's (office, delegation, place, position), a new
    sumilla, and its own file, date and signer left to complete."""
    old = dict((latest_version(session, norm).content or {}).get("fields") or {}) \
        if norm.latest_version else {}
    name = norm_name(norm)
    keys = {f["key"] for f in definition.get("fields") or []}
    values = {key: str(old.get(key) or "") for key in keys if key not in _FRESH_FIELDS}
    values["sumilla"] = kind.sumilla.format(norma=name)
    if "denominacion" in keys:
        values["denominacion"] = kind.denomination.format(norma=name.upper())
    return values


def draft_content(session: Session, norm: Document, definition: dict,
                   kind: CorrectionKind) -> dict:
    """The template instantiated, its considerandos and operative articles rewritten for
    the correction (the template's legal bases first, the correction's facts and law, then
    the template's prompts for the reports; the correcting articles, then its closing
    ones)."""
    content = instantiate(definition, _fields(session, norm, definition, kind))
    sections = content.get("sections") or []
    considerando = next((s for s in sections if s.get("key") == "considerando"), None)
    operative = next((s for s in sections[sections.index(considerando) + 1:]
                      if s.get("kind") == "articles"), None) if considerando else None
    if considerando is None or operative is None:
        raise Conflict(f"La plantilla de {norm.doc_type} no tiene considerandos ni parte "
                       "resolutiva: este tipo de norma se corrige mediante la norma que la "
                       "aprobó.")
    bases = [i for i in considerando["items"] if _PROMPT_MARK not in i.get("text", "")]
    prompts = [i for i in considerando["items"] if _PROMPT_MARK in i.get("text", "")
               and "mediante [" in i.get("text", "")]
    considerando["items"] = (bases + [{"text": t} for t in _considerandos(norm, kind)]
                             + prompts)
    tail = [i for i in operative["items"]
            if i.get("text", "").split(" ", 1)[0].upper() in _TAIL_VERBS]
    operative["items"] = [{"text": t} for t in _articles(norm, kind)] + tail
    return normalize_content(content)


__all__ = ["CorrectionKind", "KINDS", "parse_kind", "norm_name", "draft_content"]
