"""A document's states and the moves between them, declared once.

    borrador --enviar--> en_revision --aprobar--> aprobado --emitir--> emitido --publicar--> publicado
       |  ^                  |  ^                     |
       |  +-----retirar------+  |                     |
       |             observar|  |enviar       devolver|
  descartar                  v  |                     |
       v                  observado <-----------------+
   descartado

A draft never sent can be discarded (kept and audited, out of the Bandeja); the author
withdraws a document from review ("retirar") before anybody has acted on it (what must
hold first is docsys.workflow's ``BLOCKERS``).

``Status`` values are the strings stored in ``documents.status`` (a ``StrEnum``, so they
compare equal to them); ``MOVES`` says from which states each move starts and where it
ends. Who may take a move is the policy's question (docsys.policy), and what must hold
first is the workflow's (docsys.workflow).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "borrador"
    IN_REVIEW = "en_revision"
    OBSERVED = "observado"
    APPROVED = "aprobado"
    ISSUED = "emitido"
    PUBLISHED = "publicado"
    DISCARDED = "descartado"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[Status, str] = {
    Status.DRAFT: "Borrador",
    Status.IN_REVIEW: "En revisión",
    Status.OBSERVED: "Observado",
    Status.APPROVED: "Aprobado",
    Status.ISSUED: "Emitido",
    Status.PUBLISHED: "Publicado",
    Status.DISCARDED: "Descartado",
}

# The states in which the drafting office still writes the text.
EDITABLE = (Status.DRAFT, Status.OBSERVED)
# Once issued, the text is signed and never changes.
SIGNED = (Status.ISSUED, Status.PUBLISHED)
# Where a document's life ends without a norm: no more work, out of the Bandeja.
CLOSED = (Status.DISCARDED,)


def label(status: str) -> str:
    """The Spanish label of a stored status (an unknown value is shown as it is)."""
    try:
        return Status(status).label
    except ValueError:
        return status


@dataclass(frozen=True)
class Move:
    key: str
    label: str
    sources: tuple[Status, ...]
    target: Status
    needs_reason: bool = False
    irreversible: bool = False   # the page asks for confirmation first


MOVES: dict[str, Move] = {m.key: m for m in (
    Move("enviar", "Enviar a revisión", EDITABLE, Status.IN_REVIEW),
    Move("observar", "Devolver con observaciones", (Status.IN_REVIEW,), Status.OBSERVED,
         needs_reason=True),
    Move("aprobar", "Aprobar", (Status.IN_REVIEW,), Status.APPROVED, irreversible=True),
    Move("devolver", "Devolver a borrador", (Status.APPROVED,), Status.OBSERVED,
         needs_reason=True),
    Move("emitir", "Emitir y firmar", (Status.APPROVED,), Status.ISSUED, irreversible=True),
    Move("publicar", "Publicar", (Status.ISSUED,), Status.PUBLISHED, irreversible=True),
    Move("retirar", "Retirar de revisión", (Status.IN_REVIEW,), Status.DRAFT),
    Move("descartar", "Descartar borrador", (Status.DRAFT,), Status.DISCARDED,
         needs_reason=True, irreversible=True),
)}
# The moves taken by hand on the review page; "emitir" and "publicar" are the issuing service's.
REVIEW_MOVES = ("enviar", "observar", "aprobar", "devolver", "retirar", "descartar")


class Origin(StrEnum):
    """Where a document comes from: drafted in docsys, or imported into the archive."""
    DRAFTED = "redactado"
    IMPORTED = "importado"


STATUS_LABELS: dict[str, str] = {status.value: status.label for status in Status}
