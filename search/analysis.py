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

# Spanish function words. The query parser leaves them out (they are in nearly every
# document), and the unstemmed fields used for exact phrases do not index them: a phrase
# keeps their positions as gaps ("recurso de apelación" = recurso, one word, apelación), as
# Lucene's stop filter does. Elasticsearch uses the same list, so both backends agree.
# Deliberately without nouns such as "estado".
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
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_ACCENT_CLASSES = {"a": "[aáàâä]", "e": "[eéèêë]", "i": "[iíìîï]", "o": "[oóòôö]",
                   "u": "[uúùûü]", "n": "[nñ]", "c": "[cç]"}


def accent_pattern(folded: str) -> str:
    """A regex (compile it with re.IGNORECASE) matching ``folded`` (lower case, no accents)
    in text with accents of any case: 'resolucion' -> 'r[eé...]s[oó...]l...'."""
    return "".join(_ACCENT_CLASSES.get(ch, re.escape(ch)) for ch in folded)


# The accented letters folded when locating words (those of Spanish, and the other vowels
# with grave, circumflex or diaeresis): each becomes its base letter, one for one.
_FOLDS = [(ch, unicodedata.normalize("NFKD", ch)[0]) for ch in "áéíóúñüàèìòùâêîôûäëïöç"]


def fold_in_place(text: str) -> str | None:
    """``text`` lower-cased with accents stripped, character for character, so positions
    in the result are positions in ``text`` (None in the rare case they could not be:
    a character whose lower case is longer). Much faster than a case-insensitive regex
    with accent classes, which is what locating words in long bodies needs."""
    low = text.lower()
    if len(low) != len(text):
        return None
    if not low.isascii():
        for ch, base in _FOLDS:
            if ch in low:
                low = low.replace(ch, base)
    return low


def find_word_starts(folded: str, prefix: str, limit: int) -> list[int]:
    """Positions (at most ``limit``) where a word of ``folded`` begins with ``prefix``."""
    out: list[int] = []
    pos = folded.find(prefix)
    while pos >= 0 and len(out) < limit:
        if pos == 0 or not folded[pos - 1].isalnum():
            out.append(pos)
        pos = folded.find(prefix, pos + 1)
    return out


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
        out.append(html.escape(text[pos:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def cut_window(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to word boundaries (at most 40 characters each way) so a snippet
    never begins or ends mid-word."""
    n = len(text)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    if start > 0 and not text[start - 1].isspace():
        space = text.rfind(" ", max(0, start - 40), start)
        start = space + 1 if space >= 0 else start
    if end < n and not text[end].isspace():
        space = text.find(" ", end, min(n, end + 40))
        end = space if space >= 0 else end
    return start, end


def plain_snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The beginning of ``text`` as escaped HTML, cut at a word boundary."""
    text = " ".join(text[: limit * 2].split())
    if len(text) <= limit:
        return html.escape(text)
    cut = text.rfind(" ", 0, limit)
    cut = cut if cut > limit // 2 else limit
    return html.escape(text[:cut]) + "…"
