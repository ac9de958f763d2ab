"""An imported norm's text written in Markdown (the open-data format of legalize-pe, whose
texts are SPIJ's copies) shown as what it says, not as its markup: headings, bold, lists
and links, as safe HTML for the norm's pages.

Rendered with markdown-it-py (CommonMark) with raw HTML off: whatever the file holds is
escaped. SPIJ's own links are relative to its site ("/spij-ext-web/detallenorma/H1384043")
and are made absolute to SPIJ; other relative links, images and unsafe schemes are kept as
their text only. Headings are moved two levels down, under the page's own. SPIJ's copies
indent their paragraphs with spaces, which Markdown would take for code blocks: lines are
read without their indentation.
"""
from __future__ import annotations

import re
from pathlib import PurePath

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

SPIJ = "https://spij.minjus.gob.pe/spij-ext-web/#/"
_SPIJ_LINK = re.compile(r"^/spij-ext-web/(?:#/)?(?P<path>detallenorma/[A-Za-z0-9]+)$")
_MARKDOWN_NAMES = (".md", ".markdown")


def is_markdown(original_filename: str | None) -> bool:
    """Whether an imported original was a Markdown file (its text is shown rendered)."""
    return PurePath(original_filename or "").suffix.lower() in _MARKDOWN_NAMES


def _external(href: str) -> str | None:
    """The address a link of the text may lead to, or None (kept as text)."""
    spij = _SPIJ_LINK.match(href)
    if spij:
        return SPIJ + spij["path"]
    if href.startswith("https://"):
        return href
    return None


def _adjust(state: StateCore) -> None:
    """Headings two levels down; links made absolute or reduced to their text."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        dropped: list[bool] = []
        for child in token.children:
            if child.type == "link_open":
                href = _external(str(child.attrGet("href") or ""))
                dropped.append(href is None)
                if href is None:
                    continue
                child.attrSet("href", href)
                child.attrSet("rel", "noopener noreferrer")
            elif child.type == "link_close":
                if dropped and dropped.pop():
                    continue
            children.append(child)
        token.children = children


_RENDERER = MarkdownIt("commonmark", {"html": False}).disable("image")
_RENDERER.core.ruler.push("docsys_adjust", _adjust)


def markdown_html(text: str) -> str:
    """The text as HTML (safe to insert in a page: the file's own HTML is escaped)."""
    lines = "\n".join(line.strip() for line in (text or "").split("\n"))
    return _RENDERER.render(lines)
