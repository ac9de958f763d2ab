"""The demo's entry module: reads the data files of ``demo/data`` and plays them.

``data(name)`` reads one YAML file of ``demo/data`` (``"offices"``, ``"users"``,
``"documents"`` — every file of ``demo/data/documents`` in name order —,
``"compliance_norms"``, ``"archive"``, ``"specimens"``); the rest of the package reads its
data through it.

``load_demo`` creates the offices, one user per role and a set of documents in every
stage of review, using only the domain functions the web pages and the API use (so the
audit trail, versions, vistos buenos and comments are exactly what real use would leave).
The texts live in ``demo/data/documents/*.yaml`` as data; this module only plays them.

It is idempotent: offices and users are looked up by code and username, and a document is
only created when its author has no document of that type with that sumilla yet. A second
call therefore creates nothing, and new entries added to the content later are created
on the next call without touching the existing ones.

A document file::

    key: ra-delegacion            # a slug for error messages (not stored)
    template: resolucion-alcaldia # template key
    author: redactor.gm           # creates version 1 and saves version 2
    fields: {...}                 # the template's fields (fecha empty: unissued)
    sections:                     # per section, the texts that replace the template's
      considerando: [fill, fill]  #   hint items, in order; a fill is a text,
      resuelve: [[art, art], art] #   {heading, text} or a list of them
    steps:                        # then, in order:
      - {do: enviar, by: ..., reason: ..., to: asesor.legal}
      - {do: comment, by: ..., ref: c1, section: ..., "on": <text in the item>,
         quote: <words of it>, body: ...}
      - {do: reply, by: ..., ref: c1, body: ...}
      - {do: observar | aprobar | devolver, by: ..., reason: ..., to: ...}
      - {do: save, by: ..., note: ..., edits: [...]}   # see _apply_edit
      - {do: resolve, by: ..., ref: c1}
      - {do: visto, by: ...}
      - {do: emitir, by: <signer>}      # number, sign (demo PKI) and store the PDF
      - {do: publicar, by: <archivist>} # put it on the public portal

Earlier Megantoni norms cited there (the ROF ordinance, the 2023 delegation, the sanctions
regime...) are the municipality's own fictitious antecedents for the demo; the national
norms are real and cited by their official numbers.

How a document entry is played:

1. ``create_document`` with the template and the fields: version 1, the template's text
   with its ``[ … ]`` hints, as when a drafter starts a draft in the browser.
2. The author saves version 2, in which each hint item of a section is replaced by the
   entry's texts for that section (see ``_fill_sections``).
3. The entry's ``steps`` run in order: further saves with edits, workflow transitions,
   comments, replies, resolutions and vistos buenos.
"""
from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docsys import accounts, holder_signing, issuing, workflow
from docsys.drafting.service import create_document, get_office, get_template, load_template_files
from docsys.drafting.structure import plain_text
from docsys.models import (Comment, Document, DocumentVersion, Issuance, Office, User,
                           VistoBueno)
from docsys.signing.demo_setup import DEMO_SIGNING_SECRET, setup_demo_pki
from docsys.versions import latest_version, save_version

DEFAULT_PASSWORD = "megantoni2026"
HINT_MARK = "["
FIRST_DRAFT_NOTE = "Redacción inicial sobre la plantilla"
DATA_DIR = Path(__file__).resolve().parent / "data"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DemoContentError(ValueError):
    """The demo content does not fit the templates or the documents (a bug in the data)."""


# ---------------------------------------------------------------------------- the data files

@cache
def _read(path: Path):
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_Loader)


def data(name: str):
    """The parsed ``demo/data/<name>.yaml`` (a fresh copy: callers may change it), or for
    ``"documents"`` the list of the entries of ``demo/data/documents/*.yaml`` in file name
    order (the order in which they are created)."""
    if name == "documents":
        return [copy.deepcopy(_read(path))
                for path in sorted((DATA_DIR / "documents").glob("*.yaml"))]
    return copy.deepcopy(_read(DATA_DIR / f"{name}.yaml"))


def office_specs() -> list[tuple[str, str]]:
    """(code, name) of the demo's offices."""
    return [(office["code"], office["name"]) for office in data("offices")["offices"]]


def office_heads() -> dict[str, str]:
    """Office code -> username of its head (who gives the area's visto bueno)."""
    return data("offices")["heads"]


def user_specs() -> list[dict]:
    """The demo users: username, full_name, roles, office, position, email."""
    return data("users")["users"]


def document_specs() -> list[dict]:
    """The demo documents, in the order they are created (see the module docstring)."""
    return data("documents")


# ---------------------------------------------------------------------------- entry point

def load_demo(session: Session, settings) -> dict:
    """Load the demo offices, users and documents; return the logins and the counts."""
    password = settings.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
    load_template_files(session, settings["DOCUMENT_TEMPLATES_DIR"])
    created = {"oficinas": 0, "usuarios": 0, "documentos": 0}
    people = user_specs()

    for code, name in office_specs():
        if session.scalar(select(Office).where(Office.code == code)) is None:
            created["oficinas"] += 1
        accounts.ensure_office(session, code, name)

    users: dict[str, User] = {}
    for spec in people:
        user = session.scalar(select(User).where(User.username == spec["username"]))
        if user is None:
            user = accounts.create_user(
                session, spec["username"], password, spec["full_name"], spec["roles"],
                office_code=spec["office"], position=spec["position"], email=spec["email"])
            created["usuarios"] += 1
        users[spec["username"]] = user

    for code, username in office_heads().items():
        office = get_office(session, code)
        if office.head_id is None:
            workflow.set_office_head(session, office, users[username])

    if settings.get("PKI_DIR"):
        # Signers and legal advisers get demo certificates, so issuing signs for real.
        setup_demo_pki(session, settings, passphrase=password)
    for spec in document_specs():
        if _existing_document(session, spec, users) is None:
            _play_document(session, spec, users, settings)
            created["documentos"] += 1

    logins = [{"username": spec["username"], "password": password,
               "roles": sorted(spec["roles"]), "office": spec["office"]}
              for spec in people]
    return {"logins": logins, "counts": _counts(session), "created": created}


def _counts(session: Session) -> dict:
    def count(model) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    by_status = dict(session.execute(
        select(Document.status, func.count()).group_by(Document.status)).all())
    return {
        "oficinas": count(Office),
        "usuarios": count(User),
        # Drafted here; the norms imported into the archive are counted by the archive.
        "documentos": session.scalar(select(func.count()).select_from(Document)
                                     .where(Document.origin == "redactado")) or 0,
        "versiones": count(DocumentVersion),
        "comentarios": count(Comment),
        "vistos_buenos": count(VistoBueno),
        "borradores": by_status.get("borrador", 0),
        "en_revision": by_status.get("en_revision", 0),
        "observados": by_status.get("observado", 0),
        "aprobados": by_status.get("aprobado", 0),
        "emitidos": by_status.get("emitido", 0),
        "publicados": by_status.get("publicado", 0),
        "firmados": count(Issuance),
    }


def _existing_document(session: Session, spec: dict, users: dict[str, User]):
    template = get_template(session, spec["template"])
    return session.scalar(select(Document).where(
        Document.created_by_id == users[spec["author"]].id,
        Document.doc_type == template.doc_type,
        Document.title == spec["fields"]["sumilla"].strip()))


# ---------------------------------------------------------------------------- playing an entry

def _play_document(session: Session, spec: dict, users: dict[str, User], settings) -> Document:
    author = users[spec["author"]]
    document = create_document(session, spec["template"], spec["fields"], author)
    content = _fill_sections(latest_version(session, document).content, spec["sections"],
                             spec["key"])
    leftover = [line for line in plain_text(content).splitlines() if HINT_MARK in line]
    if leftover:
        raise DemoContentError(f"{spec['key']}: quedan indicaciones de la plantilla: {leftover[0]}")
    save_version(session, document, content, document.latest_version, author,
                 note=spec.get("first_note") or FIRST_DRAFT_NOTE)
    threads: dict[str, Comment] = {}
    for step in spec.get("steps", []):
        _play_step(session, document, step, users, threads, spec["key"], settings)
    return document


def _play_step(session: Session, document: Document, step: dict, users: dict[str, User],
               threads: dict[str, Comment], key: str, settings) -> None:
    action = step["do"]
    actor = users[step["by"]]
    if action == "save":
        content = copy.deepcopy(latest_version(session, document).content)
        for edit in step["edits"]:
            _apply_edit(content, edit, key)
        save_version(session, document, content, document.latest_version, actor,
                     note=step["note"])
    elif action in workflow.ACTIONS:
        assignee = users[step["to"]] if step.get("to") else None
        workflow.transition(session, document, action, actor, step.get("reason", ""),
                            assignee=assignee)
    elif action == "visto":   # signed by its holder, typing the demo clave de firma
        holder_signing.give_visto_bueno(session, settings, document, actor,
                                        secret=DEMO_SIGNING_SECRET)
    elif action == "comment":
        content = latest_version(session, document).content
        item = _find_item(content, step["section"], step["on"], key)
        quote = step.get("quote", "")
        if quote and quote not in item["text"]:
            raise DemoContentError(f"{key}: la cita «{quote}» no está en el elemento comentado.")
        threads[step["ref"]] = workflow.add_comment(
            session, document, actor, step["body"], document.latest_version,
            item_id=item["id"], quote=quote)
    elif action == "reply":
        workflow.add_comment(session, document, actor, step["body"], document.latest_version,
                             thread_id=threads[step["ref"]].id)
    elif action == "resolve":
        workflow.resolve_comment(session, document, actor, threads[step["ref"]].id)
    elif action == "emitir":
        issuing.issue(session, settings, document, actor, secret=DEMO_SIGNING_SECRET)
    elif action == "publicar":
        issuing.publish(session, document, actor)
    else:
        raise DemoContentError(f"{key}: paso desconocido «{action}».")


# ---------------------------------------------------------------------------- content helpers

def _as_items(fill) -> list[dict]:
    """A fill is a text, an item dict ({"heading", "text"}) or a list of them."""
    fills = fill if isinstance(fill, list) else [fill]
    items = []
    for entry in fills:
        if isinstance(entry, str):
            items.append({"text": entry})
        elif isinstance(entry, dict) and isinstance(entry.get("text"), str):
            items.append({k: v for k, v in entry.items() if k in ("heading", "text")})
        else:
            raise DemoContentError(f"Elemento de contenido no válido: {entry!r}")
    return items


def _is_hint(item: dict) -> bool:
    return HINT_MARK in item.get("text", "") or HINT_MARK in item.get("heading", "")


def _fill_sections(content: dict, fills: dict, key: str) -> dict:
    """Replace the template's hint items with the entry's texts, keeping the boilerplate.

    In each section named in ``fills``, the n-th item that still carries a ``[ … ]`` hint
    is replaced by the n-th fill (a text, an item, or a list of them: one hint may become
    several considerandos or articles). Items without hints keep their place and text.
    Fills beyond the number of hints follow the last hint's replacement (or end the
    section when it had none); hints beyond the number of fills are dropped.
    """
    content = copy.deepcopy(content)
    sections = {section["key"]: section for section in content["sections"]}
    unknown = set(fills) - set(sections)
    if unknown:
        raise DemoContentError(f"{key}: la plantilla no tiene las secciones {sorted(unknown)}.")
    for section_key, section_fills in fills.items():
        section = sections[section_key]
        slots = [_as_items(fill) for fill in section_fills]
        hint_positions = [i for i, item in enumerate(section["items"]) if _is_hint(item)]
        extra = [item for slot in slots[len(hint_positions):] for item in slot]
        new_items = []
        for position, item in enumerate(section["items"]):
            if position in hint_positions:
                index = hint_positions.index(position)
                if index < len(slots):
                    new_items.extend(slots[index])
                if position == hint_positions[-1]:
                    new_items.extend(extra)
            else:
                new_items.append(item)
        if not hint_positions:
            new_items.extend(extra)
        section["items"] = new_items
    return content


def _section(content: dict, section_key: str, key: str) -> dict:
    for section in content["sections"]:
        if section["key"] == section_key:
            return section
    raise DemoContentError(f"{key}: no existe la sección «{section_key}».")


def _item_index(section: dict, needle: str, key: str) -> int:
    for index, item in enumerate(section["items"]):
        if needle in item.get("text", "") or needle == item.get("heading"):
            return index
    raise DemoContentError(f"{key}: ningún elemento de «{section['key']}» contiene «{needle}».")


def _find_item(content: dict, section_key: str, needle: str, key: str) -> dict:
    section = _section(content, section_key, key)
    return section["items"][_item_index(section, needle, key)]


def _apply_edit(content: dict, edit: dict, key: str) -> None:
    """One edit of a later version, on the content in place.

    ``{"field", "value"}`` sets a field (not the sumilla: it identifies the document);
    with a ``section``: ``find``/``replace`` rewrites part of the item containing ``find``;
    ``after`` + ``insert`` adds items after the one containing ``after``; ``append`` adds
    items at the end; ``remove`` deletes the item containing it.
    """
    if "field" in edit:
        if edit["field"] == "sumilla":
            raise DemoContentError(f"{key}: la sumilla identifica el documento; no se edita.")
        content["fields"][edit["field"]] = edit["value"]
        return
    section = _section(content, edit["section"], key)
    items = section["items"]
    if "find" in edit:
        item = items[_item_index(section, edit["find"], key)]
        item["text"] = item["text"].replace(edit["find"], edit["replace"], 1)
    elif "after" in edit:
        index = _item_index(section, edit["after"], key)
        items[index + 1:index + 1] = _as_items(edit["insert"])
    elif "append" in edit:
        items.extend(_as_items(edit["append"]))
    elif "remove" in edit:
        del items[_item_index(section, edit["remove"], key)]
    else:
        raise DemoContentError(f"{key}: edición no reconocida: {sorted(edit)}.")
