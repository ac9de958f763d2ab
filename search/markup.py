"""Markdown markup left out of an entry's text before it is indexed.

Norms imported from the open-data format (legalize-pe's copies of SPIJ) are Markdown:
"## LEY Nº 30341(\\*)", "**Artículo 1.**", "[Artículo 1 de la Ley Nº 32114](/spij-ext-web/
detallenorma/H1384043)". Indexed as such, the links' addresses became words of the norm
("detallenorma", "h1384043") and the snippets under a hit showed the markup. A link keeps
its text; heading marks, bold marks and escapes go. Only what is markup for certain is
touched: the words themselves are left as they are.
"""
from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\[\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.MULTILINE)
_BOLD = re.compile(r"\*\*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


def without_markdown(text: str) -> str:
    """``text`` without Markdown's links, heading marks, bold marks and escapes."""
    if "](" not in text and "#" not in text and "**" not in text and "\\" not in text:
        return text
    text = _LINK.sub(r"\1", text)
    text = _HEADING.sub("", text)
    text = _BOLD.sub("", text)
    return _ESCAPE.sub(r"\1", text)
