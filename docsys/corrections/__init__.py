"""Correcting an issued norm: only by another norm (issue 12, item 8).

A signed norm never changes (same PDF, same hash). When it holds a mistake, the authority
who signs that type of norm starts, from the norm's page, a new draft of the same template
in the norm's own office: a rectificación de error material (Art. 212 of the TUO of Ley
N° 27444: retroactive, the content and the decision stay), a "déjese sin efecto"
(revocación, Art. 214, or nulidad de oficio, Art. 213) or a modification. The draft is
pre-filled in Spanish (sumilla, a considerando citing the norm by number and date, the
operative articles) with bracketed prompts for what the drafter must complete, so it cannot
be approved or signed unfinished; it goes through review and vistos buenos as any draft.

When it is issued (the "issue" event, ``record_issued``), docsys records the confirmed
relation from the new norm to the corrected one ("rectifica", "deja sin efecto",
"modifica"), and the corrected norm's legal status follows (rectificada, sin efecto,
modificada) on its pages, in the search and in compliance reports.
"""
from docsys.corrections.flow import (clean_reason, correction_of, corrections_of, may_start,
                                     open_correction, record_issued, start_correction)
from docsys.corrections.text import KINDS, CorrectionKind, draft_content, parse_kind

__all__ = ["KINDS", "CorrectionKind", "parse_kind", "draft_content", "clean_reason",
           "correction_of", "corrections_of", "open_correction", "may_start",
           "start_correction", "record_issued"]
