"""Parse what a user types in the search box into one neutral query tree.

Syntax (a lawyer's habits, nothing to learn):

- ``licencia funcionamiento``     every word must match (accents and case do not matter,
                                  Spanish stemming: "ordenanzas" finds "ordenanza");
- ``"dejar sin efecto"``          exact phrase (accents and case still ignored);
- ``-derogada`` / ``NOT derogada`` excluded word or ``-"phrase"``;
- ``tributos OR arbitrios``       either word (OR in capitals; joins its two neighbours);
- filters: ``tipo:OM`` (or ``tipo:ordenanza``, ``tipo:"resolución de alcaldía"``),
  ``año:2019`` / ``anio:2019`` / ``año:2018-2020``, ``oficina:GM``,
  ``estado:vigente|rectificada|modificada|derogada|sin_efecto|borrador``, ``firmante:"Juan Pérez"``,
  ``desde:2024-01-01`` and ``hasta:2024`` (YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY),
  ``número:12-2019`` (with a ``tipo:``); several values of one filter: ``tipo:OM,RA`` or
  ``tipo:OM tipo:RA`` (any of them); different filters all apply;
- a norm's number ("ordenanza 12-2019", "RGM 45-2024", "Ley 27972") is recognised and
  puts that norm first.

The parser never raises on user input. It reads a sensible query out of anything and
reports what it had to do in ``QueryTree.warnings`` (Spanish, for the user):
unbalanced quotes are closed at the end, lone operators are dropped, unknown ``campo:valor``
is read as plain words, and input longer than ``MAX_QUERY_CHARS`` is cut.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Union

from search.analysis import MAX_TOKEN_CHARS, fold, is_stop_word, words
from search.base import STATUSES
from search.numbers import TYPE_CODES, find_number_in_query, normalize_type, number_key
from search.registry import registry

# The nouns that name a type of norm ("ordenanza", "decreto", "resolución"...) are matched
# as written, singular or plural, never through their stem: Spanish stemming would take
# "ordenanza" to "orden", which is also the stem of "ordenamiento" and "ordenar".
UNCONFIRMED_TYPE = "NORMA"  # an archived norm whose type the archivist has yet to confirm
_TYPE_NOUNS = frozenset(phrase.split()[0] for _, phrase in registry().phrases())


def _plural(word: str) -> str:
    return word + ("es" if word[-1] not in "aeiou" else "s")


_NOUN_OF = {form: noun for noun in _TYPE_NOUNS for form in (noun, _plural(noun))}


def _singular(word: str) -> str | None:
    """The type noun ``word`` spells, singular or plural ("ordenanzas" -> "ordenanza")."""
    return _NOUN_OF.get(word)

MAX_QUERY_CHARS = 500   # longer input is cut at the last space before this many characters
MAX_CLAUSES = 32        # words, phrases and alternatives beyond this are ignored
MAX_FILTER_VALUES = 50  # values per filter (a year range counts each year)

FIELD_NAMES = {
    "tipo": "tipo", "ano": "año", "anio": "año", "oficina": "oficina", "estado": "estado",
    "firmante": "firmante", "desde": "desde", "hasta": "hasta", "numero": "número",
}
_STATUS_FORMS = {
    "vigente": "vigente", "vigentes": "vigente",
    "modificada": "modificada", "modificadas": "modificada", "modificado": "modificada",
    "modificados": "modificada",
    "derogada": "derogada", "derogadas": "derogada", "derogado": "derogada",
    "derogados": "derogada",
    "borrador": "borrador", "borradores": "borrador",
    "rectificada": "rectificada", "rectificadas": "rectificada", "rectificado": "rectificada",
    "rectificados": "rectificada",
    "sin_efecto": "sin_efecto", "sin efecto": "sin_efecto", "sinefecto": "sin_efecto",
}
_QUOTES = dict.fromkeys(map(ord, "“”„‟«»″＂"), '"')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FIELD_TOKEN = re.compile(r"^([^\W\d_]+):(.*)$", re.S)


@dataclass(frozen=True)
class KnownItem:
    """A norm number found in the query: that norm first, then the norms citing it, then
    documents that merely contain its words."""
    key: str                   # "OM-12-2019"
    text: str                  # as typed: "ordenanza 12-2019"
    words: tuple[str, ...]     # its words, for the plain-text reading and for highlighting
    sector_key: str = ""       # "DS-4-2019-JUS" when the sector was typed
    other_keys: tuple[str, ...] = ()  # the types an abbreviation also names: "D.L. 25844"
    #                                   is DLEG-25844 or DLEY-25844 (both fit as typed)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key the typed number fits as typed."""
        return (self.key,) + self.other_keys


@dataclass(frozen=True)
class Term:
    """One word, matched with Spanish stemming."""
    text: str


@dataclass(frozen=True)
class Phrase:
    """Consecutive words matched exactly (accents and case aside)."""
    text: str

    @property
    def words(self) -> list[str]:
        return words(self.text)


Atom = Union[Term, Phrase, KnownItem]


@dataclass
class QueryTree:
    text: str = ""
    terms: list[str] = field(default_factory=list)            # all required
    phrases: list[str] = field(default_factory=list)          # all required
    numbers: list[KnownItem] = field(default_factory=list)    # all required
    any_of: list[tuple[Atom, ...]] = field(default_factory=list)  # each group: one of
    exclude: list[Atom] = field(default_factory=list)         # none may match
    doc_types: list[str] = field(default_factory=list)        # filters: any value of each
    years: list[int] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    signers: list[str] = field(default_factory=list)          # every word of each name
    date_from: date | None = None
    date_to: date | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def known_items(self) -> list[KnownItem]:
        out = list(self.numbers)
        for group in self.any_of:
            out.extend(a for a in group if isinstance(a, KnownItem))
        return out

    @property
    def number_key(self) -> str | None:
        """The first norm number recognised in the query, e.g. "OM-12-2019"."""
        items = self.known_items
        return items[0].key if items else None

    def type_nouns(self) -> list[tuple[str, ...]]:
        """The nouns of a type of norm typed as words ("decreto"), each as the (singular,
        plural) pair the parser made of it: they are matched as written, never stemmed."""
        out: list[tuple[str, ...]] = []
        for group in self.any_of:
            if len(group) == 2 and all(isinstance(a, Phrase) for a in group):
                singular = fold(group[0].text)
                if _singular(singular) == singular and fold(group[1].text) == _plural(singular):
                    out.append((group[0].text, group[1].text))
        return out

    @property
    def has_text(self) -> bool:
        return bool(self.terms or self.phrases or self.numbers or self.any_of)

    @property
    def has_filters(self) -> bool:
        return bool(self.doc_types or self.years or self.offices or self.statuses
                    or self.signers or self.date_from or self.date_to)

    def positive_words(self) -> list[str]:
        """Every word the results should show highlighted."""
        out: list[str] = list(self.terms)
        for p in self.phrases:
            out.extend(words(p))
        for item in self.numbers:
            out.extend(item.words)
        for group in self.any_of:
            for atom in group:
                out.extend(atom.words if isinstance(atom, KnownItem) else words(atom.text))
        unique: dict[str, str] = {}       # first spelling of each word, in order
        for w in out:
            unique.setdefault(w.lower(), w)
        return list(unique.values())


@dataclass
class _Tok:
    kind: str              # "atom", "or", "not", "field"
    text: str = ""
    negated: bool = False
    phrase: bool = False
    start: int = 0
    end: int = 0
    name: str = ""         # field name (canonical)
    item: KnownItem | None = None


def _clean(raw: object, warnings: list[str]) -> str:
    text = "" if raw is None else str(raw)
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = _CONTROL.sub(" ", text)
    if len(text) > MAX_QUERY_CHARS:
        cut = text.rfind(" ", MAX_QUERY_CHARS // 2, MAX_QUERY_CHARS + 1)
        text = text[: cut if cut > 0 else MAX_QUERY_CHARS]
        warnings.append(f"La consulta es demasiado larga: se usaron sus primeros "
                        f"{len(text)} caracteres (máximo {MAX_QUERY_CHARS}).")
    return text


def _lex(text: str, warnings: list[str]) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    noted: set[str] = set()

    def note(key: str, message: str) -> None:
        if key not in noted:
            noted.add(key)
            warnings.append(message)

    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            note("paren", "Los paréntesis no agrupan: OR une solo las palabras vecinas.")
            i += 1
            continue
        start = i
        negated = False
        if c in "-+":
            nxt = text[i + 1] if i + 1 < n else " "
            if nxt.isspace() or nxt in "-+()":
                note("lone" + c, f"Se ignoró un «{c}» sin palabra a continuación.")
                i += 1
                continue
            negated = c == "-"
            i += 1
            c = text[i]
        if c == '"':
            close = text.find('"', i + 1)
            if close == -1:
                note("quote", "Se cerró una comilla sin pareja.")
                close = n
            toks.append(_Tok("atom", text[i + 1:close], negated, True, start, close + 1))
            i = close + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in '"()':
            j += 1
        token = text[i:j]
        m = _FIELD_TOKEN.match(token)
        if m and fold(m.group(1)) in FIELD_NAMES:
            name = FIELD_NAMES[fold(m.group(1))]
            value = m.group(2)
            if value == "" and j < n and text[j] == '"':
                close = text.find('"', j + 1)
                if close == -1:
                    note("quote", "Se cerró una comilla sin pareja.")
                    close = n
                value = text[j + 1:close]
                j = close + 1
            if negated:
                warnings.append(f"No se puede excluir un filtro («-{name}:»); se ignoró.")
            else:
                toks.append(_Tok("field", value.strip(), start=start, end=j, name=name))
            i = j
            continue
        if m and not negated and m.group(2) and m.group(1).isalpha():
            note("field:" + fold(m.group(1)),
                 f"«{m.group(1)}:» no es un filtro conocido; se buscó como texto. "
                 "Filtros: tipo, año, oficina, estado, firmante, desde, hasta.")
            toks.append(_Tok("atom", m.group(1), False, False, start, start + len(m.group(1))))
            toks.append(_Tok("atom", m.group(2), False, False, start + len(m.group(1)) + 1, j))
            i = j
            continue
        if not negated and token in ("OR", "||", "|"):
            toks.append(_Tok("or", start=start, end=j))
        elif not negated and token in ("AND", "&&"):
            pass  # every word is required anyway
        elif not negated and token == "NOT":
            toks.append(_Tok("not", start=start, end=j))
        else:
            toks.append(_Tok("atom", token, negated, False, start, j))
        i = j
    return toks


def _apply_not(toks: list[_Tok], warnings: list[str]) -> list[_Tok]:
    out: list[_Tok] = []
    pending = False
    for tok in toks:
        if tok.kind == "not":
            if pending:
                continue
            pending = True
            continue
        if pending:
            if tok.kind == "atom":
                tok.negated = True
            else:
                warnings.append("Se ignoró un «NOT» sin palabra a continuación.")
            pending = False
        out.append(tok)
    if pending:
        warnings.append("Se ignoró un «NOT» sin palabra a continuación.")
    return out


_NUMBER_NOISE = {"n", "no", "nro", "nros", "num", "numero", "municipal"}


def _detect_numbers(text: str, toks: list[_Tok]) -> list[_Tok]:
    """Replace the words of each norm number typed ("ordenanza 12-2019") by one token."""
    out: list[_Tok] = []
    run: list[_Tok] = []

    def flush() -> None:
        pos = 0
        while pos < len(run):
            a, b = run[pos].start, run[-1].end
            mention = find_number_in_query(text[a:b], yearless=True)
            if mention is None:
                out.extend(run[pos:])
                break
            m_start, m_end = a + mention.start, a + mention.end
            while pos < len(run) and run[pos].end <= m_start:
                out.append(run[pos])
                pos += 1
            while pos < len(run) and run[pos].start < m_end:
                pos += 1
            item_words = tuple(w for w in words(mention.text)
                               if not is_stop_word(w) and fold(w) not in _NUMBER_NOISE)
            out.append(_Tok("atom", mention.text.strip(), start=m_start, end=m_end,
                            item=KnownItem(mention.key, mention.text.strip(), item_words,
                                           mention.sector_key, mention.other_keys)))
        run.clear()

    for tok in toks:
        if tok.kind == "atom" and not tok.negated and not tok.phrase:
            run.append(tok)
        else:
            flush()
            out.append(tok)
    flush()
    return out


def _atom(tok: _Tok, warnings: list[str], stop: list[str]) -> Atom | None:
    """An atom from a token; stop words alone (or phrases of nothing else) are dropped and
    collected in ``stop``: they are in nearly every document and are not indexed for
    phrases, so neither backend could use them."""
    if tok.item is not None:
        return tok.item
    ws = words(tok.text)
    long_words = [w for w in ws if len(w) > MAX_TOKEN_CHARS]
    if long_words:
        warnings.append(f"Se ignoraron palabras de más de {MAX_TOKEN_CHARS} caracteres.")
        ws = [w for w in ws if len(w) <= MAX_TOKEN_CHARS]
    if not ws:
        if tok.phrase:
            warnings.append("Se ignoraron unas comillas sin palabras.")
        return None
    if all(is_stop_word(w) for w in ws):
        stop.append(" ".join(ws))
        return None
    if tok.phrase or len(ws) > 1:
        return Phrase(" ".join(ws))
    return Term(ws[0])


def _years(value: str, warnings: list[str]) -> list[int]:
    out: list[int] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d{4})\s*(?:-|\.\.|–|a)\s*(\d{4})", part)
        if m:
            lo, hi = sorted((int(m.group(1)), int(m.group(2))))
            if 1800 <= lo and hi <= 2200 and hi - lo < MAX_FILTER_VALUES:
                out.extend(range(lo, hi + 1))
                continue
        elif re.fullmatch(r"\d{4}", part) and 1800 <= int(part) <= 2200:
            out.append(int(part))
            continue
        warnings.append(f"«año:{part}» no es un año válido (ej.: año:2019 o año:2018-2020); "
                        "se ignoró.")
    return out


def _date_bound(value: str, end: bool, warnings: list[str], name: str) -> date | None:
    v = value.strip()
    try:
        m = re.fullmatch(r"(\d{4})", v)
        if m:
            y = int(m.group(1))
            return date(y, 12, 31) if end else date(y, 1, 1)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", v)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return date(y, mo, calendar.monthrange(y, mo)[1] if end else 1)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", v)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        pass
    warnings.append(f"«{name}:{value}» no es una fecha válida (use AAAA-MM-DD o AAAA); "
                    "se ignoró.")
    return None


def _add_unique(target: list, values) -> None:
    for v in values:
        if v not in target and len(target) < MAX_FILTER_VALUES:
            target.append(v)


def _apply_filter(tree: QueryTree, tok: _Tok, numbers: list[str],
                  raw_dates: dict[str, str]) -> None:
    name, value, w = tok.name, tok.text, tree.warnings
    if not value:
        w.append(f"El filtro «{name}:» no tiene valor; se ignoró.")
        return
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if name == "tipo":
        codes = [normalize_type(p) for p in parts]
        for part, code in zip(parts, codes):
            if code not in TYPE_CODES and code != UNCONFIRMED_TYPE:
                w.append(f"Tipo de norma desconocido «{part}»; se ignoró. Use un código o un "
                         "nombre, p. ej. tipo:OM, tipo:ordenanza, tipo:DS, tipo:ley.")
        _add_unique(tree.doc_types, [c for c in codes if c in TYPE_CODES])
    elif name == "año":
        _add_unique(tree.years, _years(value, w))
    elif name == "oficina":
        _add_unique(tree.offices, [p.upper() for p in parts])
    elif name == "estado":
        for p in parts:
            status = _STATUS_FORMS.get(fold(p))
            if status:
                _add_unique(tree.statuses, [status])
            else:
                w.append(f"Estado desconocido «{p}»; use: {', '.join(STATUSES)}. Se ignoró.")
    elif name == "firmante":
        if words(value):
            _add_unique(tree.signers, [" ".join(words(value))])
    elif name == "desde":
        bound = _date_bound(value, False, w, name)
        if bound:
            tree.date_from, raw_dates[name] = bound, value
    elif name == "hasta":
        bound = _date_bound(value, True, w, name)
        if bound:
            tree.date_to, raw_dates[name] = bound, value
    elif name == "número":
        numbers.append(value)


def parse_query(raw: object) -> QueryTree:
    """Read a query string into a QueryTree. Never raises."""
    warnings: list[str] = []
    text = _clean(raw, warnings)
    tree = QueryTree(text=text, warnings=warnings)
    toks = _apply_not(_lex(text, warnings), warnings)
    toks = _detect_numbers(text, toks)

    numbers: list[str] = []
    raw_dates: dict[str, str] = {}
    for tok in toks:
        if tok.kind == "field":
            _apply_filter(tree, tok, numbers, raw_dates)
    toks = [t for t in toks if t.kind != "field"]

    # Turn tokens into atoms; ORs are kept as markers between them.
    seq: list[tuple[str, Atom | None, bool]] = []
    stop: list[str] = []
    for tok in toks:
        if tok.kind == "or":
            seq.append(("or", None, False))
        else:
            atom = _atom(tok, warnings, stop)
            noun = _singular(fold(atom.text)) if isinstance(atom, Term) else None
            if noun and tok.negated:
                seq += [("atom", Phrase(noun), True), ("atom", Phrase(_plural(noun)), True)]
            elif noun:
                seq += [("atom", Phrase(noun), False), ("or", None, False),
                        ("atom", Phrase(_plural(noun)), False)]
            elif atom is not None:
                seq.append(("atom", atom, tok.negated))
    # "ley OR de" reads as "ley": an OR left without a neighbour is dropped quietly.
    seq = [item for i, item in enumerate(seq) if item[0] != "or" or (
        0 < i < len(seq) - 1 and seq[i - 1][0] == "atom" and seq[i + 1][0] == "atom")
        or not stop]

    # An OR is valid between two wanted (not excluded) atoms; otherwise it is dropped.
    groups: list[list[Atom]] = []
    dropped_or = False
    join_next = False
    for i, (kind, atom, negated) in enumerate(seq):
        if kind == "or":
            prev_ok = i > 0 and seq[i - 1][0] == "atom" and not seq[i - 1][2]
            next_ok = i + 1 < len(seq) and seq[i + 1][0] == "atom" and not seq[i + 1][2]
            if prev_ok and next_ok:
                join_next = True
            else:
                dropped_or = True
            continue
        if atom is None:
            continue
        if negated:
            tree.exclude.append(atom)
            join_next = False
            continue
        if join_next and groups:
            groups[-1].append(atom)
        else:
            groups.append([atom])
        join_next = False
    if dropped_or:
        warnings.append("Se ignoró un «OR» sin palabra a ambos lados.")

    # Clause budget.
    budget = MAX_CLAUSES
    kept_groups: list[list[Atom]] = []
    for group in groups:
        if budget - len(group) < 0:
            warnings.append(f"Se usaron solo los primeros {MAX_CLAUSES} términos de la consulta.")
            break
        budget -= len(group)
        kept_groups.append(group)
    exclude = []
    for atom in tree.exclude:
        if budget <= 0:
            break
        budget -= 1
        exclude.append(atom)
    tree.exclude = list(dict.fromkeys(exclude))

    for group in kept_groups:
        unique = list(dict.fromkeys(group))
        atom = unique[0]
        if len(unique) > 1:
            tree.any_of.append(tuple(unique))
        elif isinstance(atom, KnownItem):
            if atom.key not in {k.key for k in tree.numbers}:
                tree.numbers.append(atom)
        elif isinstance(atom, Phrase):
            if atom.text not in tree.phrases:
                tree.phrases.append(atom.text)
        elif atom.text.lower() not in {t.lower() for t in tree.terms}:
            tree.terms.append(atom.text)

    if stop and not tree.has_text:
        shown = ", ".join(f"«{w}»" for w in dict.fromkeys(stop))
        warnings.append(f"Se ignoraron palabras muy comunes ({shown}); escriba palabras con "
                        "contenido para buscar.")

    for value in numbers:
        mention = find_number_in_query(value)
        key = mention.key if mention else ""
        if not key and len(tree.doc_types) == 1:
            key = number_key(tree.doc_types[0], value)
        if key:
            if key not in {k.key for k in tree.numbers}:
                tree.numbers.append(KnownItem(key, value, tuple(
                    w for w in words(value) if fold(w) not in _NUMBER_NOISE),
                    other_keys=mention.other_keys if mention else ()))
        else:
            warnings.append(f"No se reconoce el número «{value}»; indique el tipo, p. ej. "
                            "«número:12-2019 tipo:ordenanza» u «ordenanza 12-2019».")

    if tree.date_from and tree.date_to and tree.date_from > tree.date_to:
        # Read each value again as the other bound: desde:2024 hasta:2020 = 2020-01-01..2024-12-31.
        tree.date_from = _date_bound(raw_dates["hasta"], False, [], "hasta")
        tree.date_to = _date_bound(raw_dates["desde"], True, [], "desde")
        warnings.append("La fecha «desde» era posterior a «hasta»; se intercambiaron.")
    return tree


def ensure_tree(query: "QueryTree | str | None") -> QueryTree:
    return query if isinstance(query, QueryTree) else parse_query(query)
