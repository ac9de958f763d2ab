"""Text widths in the document's font, to size and fill the signing copy's text fields.

The document is set in Arial, or its metric twin Liberation Sans; a filled field is drawn in
Helvetica (a standard PDF font with the same metrics). Widths come from the Liberation Sans
files when installed (Debian: fonts-liberation2), else from an average glyph width.
"""
from __future__ import annotations

import functools
import subprocess
from pathlib import Path

_AVERAGE_EM = 0.56   # a fallback for a Latin text in Helvetica


@functools.lru_cache(maxsize=2)
def _font(bold: bool):
    """(cmap, advance widths, units per em) of Liberation Sans, or None."""
    try:
        from fontTools.ttLib import TTFont
        style = "Liberation Sans:bold" if bold else "Liberation Sans:regular"
        path = subprocess.run(["fc-match", "-f", "%{file}", style], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        if not path or not Path(path).exists() or "Liberation" not in path:
            return None
        font = TTFont(path, lazy=True)
        return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    except (OSError, subprocess.SubprocessError, ImportError, KeyError):
        return None


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of ``text`` set at ``size`` points."""
    font = _font(bold)
    if font is None:
        return len(text) * size * _AVERAGE_EM
    cmap, metrics, units = font
    total = 0
    for ch in text:
        glyph = cmap.get(ord(ch))
        total += metrics[glyph][0] if glyph in metrics else units * _AVERAGE_EM
    return total * size / units
