"""Text helpers shared by the query parser and both backends.

Nothing here depends on a search engine: folding, word splitting that mirrors tantivy's
``simple`` tokenizer (runs of Unicode letters and digits), the Spanish stop words, and the
HTML rendering of highlighted text.
"""
from __future__ import annotations

import html
import re
import unicodedata

# Longest token kept by the analyzers (tantivy ``remove_long(40)``, Elasticsearch ``length``).
MAX_TOKEN_CHARS = 40

# A "word" is a run of letters and digits, as tantivy's simple tokenizer and the
# Elasticsearch pattern tokenizer used in the mapping see it.
WORD_RE = re.compile(r"[^\W_]+")

# Spanish function words. Left out of the all-words-must-match part of a query (they are in
# nearly every document), kept inside "exact phrases". Elasticsearch uses the same list in
# its analyzer, so both backends agree. Deliberately without nouns such as "estado".
_STOP = """
a al algo algunas algunos ante antes aquel aquella aquellas aquellos como con contra cual
cuales cuando de del desde donde durante e el ella ellas ellos en entre era eran es esa esas
ese eso esos esta estas este esto estos fue fueron ha han hasta la las le les lo los mas me
mi mis mucho muchos muy ni no nos o os otra otras otro otros para pero poco por porque que
quien quienes se sea sean segun ser si sido sin sino sobre son su sus tambien te ti tu tus u
un una uno unos y ya yo él más sí también según qué quién cuál cuáles dónde cuándo cómo
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP.split())


def fold(text: str) -> str:
    """Lower-case and strip accents: 'RESOLUCIÓN Nº' -> 'resolucion no'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _build_locate_table() -> dict[int, int]:
    """A 1:1 character map (same length in and out) used to find words quickly in long text."""
    table: dict[int, int] = {}
    for code in range(0x41, 0x5B):  # A-Z
        table[code] = code + 32
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = unicodedata.normalize("NFKD", ch.lower())
        base = "".join(c for c in base if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[code] = ord(base)
    return table


LOCATE_TABLE = _build_locate_table()


def locate_fold(text: str) -> str:
    """Fold for locating words: same length as ``text``, so positions carry over."""
    return text.translate(LOCATE_TABLE)


_ACCENT_CLASSES = {"a": "[aáàâä]", "e": "[eéèêë]", "i": "[iíìîï]", "o": "[oóòôö]",
                   "u": "[uúùûü]", "n": "[nñ]", "c": "[cç]"}


def accent_pattern(folded: str) -> str:
    """A regex matching ``folded`` (lower case, no accents) in lower-cased accented text:
    'resolucion' -> 'r[eé...]s[oó...]l...'."""
    return "".join(_ACCENT_CLASSES.get(ch, re.escape(ch)) for ch in folded)


def lower_same_length(text: str) -> str:
    """``text.lower()``, or a per-character version when lower() would change its length
    (a handful of characters such as 'İ'), so positions carry over."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, ch.lower()) for ch in text))


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def is_stop_word(word: str) -> bool:
    return word.lower() in STOP_WORDS or fold(word) in STOP_WORDS


SNIPPET_CHARS = 240


def render_marked(text: str, spans: list[tuple[int, int]]) -> str:
    """HTML-escape ``text`` and wrap the character ``spans`` in <mark>…</mark>."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos or end <= start:
            continue
        out.append(html.escape(text[pos:start], quote=False))
        out.append("<mark>" + html.escape(text[start:end], quote=False) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def cut_window(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to word boundaries so a snippet never begins or ends mid-word."""
    n = len(text)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    while start > 0 and not text[start - 1].isspace() and start > end - SNIPPET_CHARS - 40:
        start -= 1
    while end < n and not text[end].isspace() and end < start + SNIPPET_CHARS + 40:
        end += 1
    return start, end


def plain_snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The beginning of ``text`` as escaped HTML, cut at a word boundary."""
    text = " ".join(text[: limit * 2].split())
    if len(text) <= limit:
        return html.escape(text, quote=False)
    cut = text.rfind(" ", 0, limit)
    cut = cut if cut > limit // 2 else limit
    return html.escape(text[:cut], quote=False) + "…"
