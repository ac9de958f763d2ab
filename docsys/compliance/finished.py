"""Whether a text is finished enough to approve, sign and number: nothing unfinished is
ever signed (issue 12).

The same checks the compliance report shows on every version, here as a gate: the
template's required fields are filled, no template prompt ("[indique …]") is left, and
the structure rules of its type hold (:mod:`docsys.compliance.structure_rules`).
"""
from __future__ import annotations

from docsys.compliance.structure_rules import check_structure
from docsys.compliance.text import document_text
from docsys.models import Document


def _definition(document: Document) -> dict:
    return document.template_version.definition if document.template_version else {}


def unfinished(document: Document, content: dict) -> list[str]:
    """What must still be fixed in ``content`` (empty: the text is finished)."""
    problems = []
    values = content.get("fields") or {}
    for spec in _definition(document).get("fields") or []:
        if spec.get("required") and not str(values.get(spec.get("key"), "") or "").strip():
            problems.append(f"Complete el campo «{spec.get('label') or spec.get('key')}».")
    findings = check_structure(document_text(document, content), document.doc_type)
    problems.extend(finding.message for finding in findings)
    return problems
