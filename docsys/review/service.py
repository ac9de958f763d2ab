"""The comparison of two stored versions, as the review page and the API both serve it:
the redline as an HTML fragment and as a DOCX with Word tracked changes.

A DOCX is a download, so handing it out is recorded in the audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from docsys import versions
from docsys.models import Document, DocumentVersion
from docsys.review.redline import Redline, compare, render_html
from docsys.review.redline_docx import render_tracked_docx

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Comparison:
    document: Document
    old: DocumentVersion
    new: DocumentVersion
    redline: Redline

    def html(self) -> str:
        return render_html(self.redline)

    @property
    def docx_filename(self) -> str:
        return (f"{self.document.doc_type}-{self.document.id}"
                f"-v{self.old.number}-v{self.new.number}.docx")


def _field_labels(document: Document) -> dict[str, str]:
    definition = document.template_version.definition if document.template_version else {}
    return {f["key"]: f.get("label") or f["key"] for f in definition.get("fields", [])
            if isinstance(f, dict) and f.get("key")}


def compare_versions(session: Session, document: Document, old_number=None,
                     new_number=None) -> Comparison:
    """Compare two versions of ``document``; by default the latest with the one before it.
    An unknown or malformed version number is NotFound."""
    new = (versions.get_version(session, document, new_number) if new_number not in (None, "")
           else versions.latest_version(session, document))
    old = (versions.get_version(session, document, old_number) if old_number not in (None, "")
           else versions.get_version(session, document, max(new.number - 1, 1)))
    redline = compare(old.content, new.content, field_labels=_field_labels(document))
    return Comparison(document, old, new, redline)


def tracked_docx(comparison: Comparison) -> bytes:
    """The comparison as a DOCX with tracked changes by the newer version's author (the
    caller audits the download, after this render)."""
    document, old, new = comparison.document, comparison.old, comparison.new
    return render_tracked_docx(comparison.redline, title=document.title,
                               heading=document.official_number or "",
                               old_version=old.number, new_version=new.number,
                               author=new.author.full_name, date=new.created_at)
