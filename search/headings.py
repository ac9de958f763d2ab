"""A norm's heading line as El Peruano and SPIJ print it ("LEY N° 27972", "DECRETO SUPREMO
Nº 004-2019-JUS", "RESOLUCIÓN DIRECTORAL Nº 002-2011-EF/51.01"): the one reader of heading
lines shared by the importer's metadata guess (``docsys.archive.metadata``: the text's own
type and number) and the relation finder's gazette-page reader
(``docsys.compliance.relations.norm_headings``: where each norm of a page starts), so the
two read a heading's type and number with the same parser (:mod:`search.numbers`).
"""
from __future__ import annotations

import re

from search.numbers import NumberMention, find_number_in_query

# What may follow the number on a line that is a heading and nothing else: the rest of
# its suffix ("/51.01", "-MTC/15") and markup ("**", "  ").
_SUFFIX_ONLY = re.compile(r"[/.\-\w°º]*[\s*_.\]]*$")


def opening_number(line: str) -> NumberMention | None:
    """The type and number ``line`` opens with, or None: a line that does not open with a
    norm's type and number, or a sentence that opens with a citation ("Ley Nº 30157, Ley de
    las Organizaciones de Usuarios de Agua, dispone que ..."). Markup is the caller's to
    strip (the importer strips it from whole lines, the finder reads folded lines)."""
    if not line[:1].isalpha():
        return None
    mention = find_number_in_query(line)
    if mention is None or mention.start != 0:
        return None
    if line[mention.end:].lstrip(" *_").startswith(","):
        return None
    return mention


def heading_id(line: str) -> str | None:
    """The key, with its sector where the number has one ("DS-4-2019-JUS"), of a line that
    is a norm's type and number and nothing else; None otherwise (a title after the number,
    a line that is no heading, the Constitution)."""
    mention = opening_number(line)
    if mention is None or not _SUFFIX_ONLY.match(line, mention.end):
        return None
    key = mention.sector_key or mention.key
    return None if key.startswith("CONST") else key
