"""The embedded search engine: tantivy, no server.

Layout of ``SEARCH_DIR`` (nothing else in it is touched)::

    CURRENT              name of the live generation, replaced atomically (os.replace)
    gen-<stamp>/         a tantivy index + ``docsys_schema`` (schema version) and, when it
                         was created empty over a missing or outdated index, ``NEEDS_REBUILD``
    REBUILDING           while a rebuild runs: the generation being built
    gen-<stamp>.journal  while a rebuild runs: changes indexed meanwhile, replayed before
                         the swap so the new index misses nothing
    write.lock           serialises writers (threads and processes)
    rebuild.lock         held by the running rebuild

Readers keep the generation they opened until they notice ``CURRENT`` changed, so searches
work during a rebuild and during the swap. With ``path=None`` the index lives in memory
(tests) and the same rules hold within the process.

Text analysis follows DESIGN.md: simple tokenizer, remove_long(40), lowercase, ascii_fold,
Spanish stemmer, registered again after every open. Tantivy's Spanish stemmer over-stems
("ordenanza" -> "orden"), so an unstemmed folded copy of title and body is indexed too:
exact words score higher, and "exact phrases" are matched there.
"""
from __future__ import annotations

import heapq
import json
import logging
import math
import os
import re
import shutil
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import tantivy

from search.analysis import (
    MAX_TOKEN_CHARS, SNIPPET_CHARS, STOP_WORDS, WORD_RE, accent_pattern, cut_window,
    find_word_starts, fold_in_place, plain_snippet, render_marked,
)
from search.base import (
    FACET_FIELDS, MAX_PER_PAGE, MLT_MAX_CHARS, MLT_MAX_DOC_SHARE, MLT_MAX_TERMS,
    MLT_MIN_WORD_LENGTH, Hit, RebuildInProgress, SearchDoc, SearchResults, SearchUnavailable,
    Visibility, clamp_warning, order_buckets, page_count, plan_page,
)
from search import fitting
from search.query import KnownItem, Phrase, QueryTree, Term, ensure_tree
from search.numbers import EXTRACTOR_REVISION

try:
    import fcntl
except ImportError:  # pragma: no cover - non-POSIX: in-process locking only
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("docsys.search")

# Bump when the schema or the analyzers change: an index written by another version is
# replaced by an empty one flagged NEEDS_REBUILD (``reindex --if-needed`` fills it). The
# number keys stored in it (``number_key``, ``cites``) are search.numbers' reading of the
# type registry, and queries are read with today's rules: an index written under another
# EXTRACTOR_REVISION (rules or registry changed) is outdated too.
SCHEMA_VERSION = ("docsys-search-5 es_stem(simple,remove_long40,lower,ascii_fold,spanish) "
                  "es_exact(simple,remove_long40,lower,stop,ascii_fold) "
                  f"keys {EXTRACTOR_REVISION}")

STEM = "es_stem"
EXACT = "es_exact"

TITLE_BOOST = 3.0
NUMBER_BOOST = 2.0
EXACT_BOOST = 1.5            # extra score when the word itself (not only its stem) matches
# A norm's title words typed as a query ("Política Nacional Seguridad"): a norm whose title
# holds them all, and more so in their order a few words apart, before the norms whose long
# bodies repeat them.
TITLE_WORDS_SCORE = 20.0
TITLE_NEAR_SCORE = 20.0
TITLE_NEAR_SLOP = 3
KNOWN_ITEM_SCORE = 1000.0    # the norm whose number was typed comes first
CITED_SCORE = 20.0           # then norms citing it
WRITE_LOCK_TIMEOUT = 30.0    # seconds a writer waits for another writer
FACET_SIZE = 200
# Facet name -> the fast field counted (the signer filter matches words; its facet counts
# whole names).
FACET_SOURCE = {"signer": "signer_name"}
FACET_AGGS = {f: {"terms": {"field": FACET_SOURCE.get(f, f), "size": FACET_SIZE}}
              for f in FACET_FIELDS}
SCAN_FIRST = 1500            # characters of a body scanned for snippets before the rest
SNIPPETS_PER_HIT = 1         # passages shown under each hit
SORTS = {"relevance": "relevance", "relevancia": "relevance", "date": "date", "fecha": "date"}

# Facet counts and the page of hits are two passes over the matches; tantivy releases the
# GIL while it works, so the facet pass runs alongside on this pool.
FACET_THREADS = max(2, min(8, os.cpu_count() or 2))
_FACET_POOL = ThreadPoolExecutor(max_workers=FACET_THREADS,
                                 thread_name_prefix="docsys-facets")


def make_analyzer(stem: bool) -> tantivy.TextAnalyzer:
    """``stem=True``: the Spanish analyzer of DESIGN.md. ``stem=False``: the exact-word
    analyzer, without stemming and without stop words (their positions stay as gaps, which
    makes phrases several times faster: no postings of "de", "la", "que" to read)."""
    builder = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
               .filter(tantivy.Filter.remove_long(MAX_TOKEN_CHARS))
               .filter(tantivy.Filter.lowercase()))
    if not stem:
        builder = builder.filter(tantivy.Filter.custom_stopword(sorted(STOP_WORDS)))
    builder = builder.filter(tantivy.Filter.ascii_fold())
    if stem:
        builder = builder.filter(tantivy.Filter.stemmer("spanish"))
    return builder.build()


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_integer_field("document_id", stored=True, indexed=True, fast=True)
    sb.add_integer_field("version_number", stored=True)
    sb.add_text_field("doc_type", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("number", stored=True, tokenizer_name=EXACT)
    sb.add_text_field("number_key", stored=True, tokenizer_name="raw")
    sb.add_text_field("cites", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title", stored=True, tokenizer_name=STEM, index_option="freq")
    sb.add_text_field("title_exact", tokenizer_name=EXACT)
    sb.add_text_field("body", stored=True, tokenizer_name=STEM, index_option="freq")
    sb.add_text_field("body_exact", tokenizer_name=EXACT)
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_date_field("date", stored=True, indexed=True, fast=True)
    sb.add_text_field("office", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("status", stored=True, tokenizer_name="raw", fast=True)
    sb.add_boolean_field("published", stored=True, indexed=True, fast=True)
    sb.add_text_field("signer", stored=True, tokenizer_name=EXACT)
    sb.add_text_field("signer_name", tokenizer_name="raw", fast=True)
    sb.add_integer_field("created_by", stored=True, indexed=True, fast=True)
    return sb.build()


def _to_datetime(value: date) -> datetime:
    return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)


def to_tantivy(doc: SearchDoc) -> tantivy.Document:
    """A normalized SearchDoc as a tantivy document."""
    t = tantivy.Document()
    t.add_text("id", doc.id)
    t.add_integer("document_id", doc.document_id)
    t.add_integer("version_number", doc.version_number)
    t.add_text("doc_type", doc.doc_type)
    t.add_text("number", doc.number)
    for key in doc.number_keys() or [doc.number_key]:
        t.add_text("number_key", key)
    for key in doc.cited_keys():
        t.add_text("cites", key)
    t.add_text("title", doc.title)
    t.add_text("title_exact", doc.title)
    t.add_text("body", doc.body)
    t.add_text("body_exact", doc.body)
    if doc.year is not None:
        t.add_integer("year", doc.year)
    if doc.date:
        t.add_date("date", _to_datetime(date.fromisoformat(doc.date)))
    t.add_text("office", doc.office)
    t.add_text("status", doc.status)
    t.add_boolean("published", doc.published)
    t.add_text("signer", doc.signer)
    if doc.signer:
        t.add_text("signer_name", doc.signer)
    if doc.created_by is not None:
        t.add_integer("created_by", doc.created_by)
    return t


class _FileLock:
    """An exclusive advisory lock on a file (fcntl.flock), with a timeout."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout: float | None) -> bool:
        if fcntl is None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._fd = fd
                return True
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(delay)
                delay = min(delay * 2, 0.1)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def phrase_tokens(exact: tantivy.TextAnalyzer, text: str) -> list[tuple[int, str]]:
    """A phrase's indexed words with their offsets from the first one; stop words leave
    gaps: "recurso de apelación" -> [(0, "recurso"), (2, "apelacion")]."""
    toks = exact.pre_tokenize(text).tokens
    if not toks:
        return []
    first = toks[0].position
    return [(t.position - first, t.text) for t in toks]


class _QueryBuilder:
    """Translate a QueryTree into tantivy queries for one schema."""

    def __init__(self, schema: tantivy.Schema, stem: tantivy.TextAnalyzer,
                 exact: tantivy.TextAnalyzer):
        self.schema = schema
        self.stem = stem
        self.exact = exact

    def term(self, field: str, value: Any) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    @staticmethod
    def any(queries: list[tantivy.Query]) -> tantivy.Query:
        if len(queries) == 1:
            return queries[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])

    @staticmethod
    def every(queries: list[tantivy.Query]) -> tantivy.Query:
        if len(queries) == 1:
            return queries[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])

    @staticmethod
    def filter(query: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.const_score_query(query, 0.0)

    def word(self, text: str) -> tantivy.Query | None:
        """A word matched through its stem in title (boosted) or body, or as itself in the
        official number."""
        stems = self.stem.analyze(text)
        exact = self.exact.analyze(text)
        parts = []
        for i, stem in enumerate(stems):
            options = [tantivy.Query.boost_query(self.term("title", stem), TITLE_BOOST),
                       self.term("body", stem)]
            if len(exact) == len(stems):
                options.append(tantivy.Query.boost_query(self.term("number", exact[i]),
                                                         NUMBER_BOOST))
            parts.append(self.any(options))
        return self.every(parts) if parts else None

    def word_bonus(self, text: str) -> list[tantivy.Query]:
        out = []
        for token in self.exact.analyze(text):
            out.append(tantivy.Query.boost_query(self.term("title_exact", token),
                                                 TITLE_BOOST * EXACT_BOOST))
            out.append(tantivy.Query.boost_query(self.term("body_exact", token), EXACT_BOOST))
        return out

    def phrase(self, text: str) -> tantivy.Query | None:
        tokens = phrase_tokens(self.exact, text)
        if not tokens:
            return None
        if len(tokens) == 1:
            t, b, n = (self.term(f, tokens[0][1]) for f in ("title_exact", "body_exact", "number"))
        else:
            words: list[str | tuple[int, str]] = list(tokens)   # (position, word) pairs
            t, b, n = (tantivy.Query.phrase_query(self.schema, f, words)
                       for f in ("title_exact", "body_exact", "number"))
        return self.any([tantivy.Query.boost_query(t, TITLE_BOOST), b,
                         tantivy.Query.boost_query(n, NUMBER_BOOST)])

    def title_bonus(self, texts: list[str],
                    nouns: Sequence[tuple[str, ...]] = ()) -> list[tantivy.Query]:
        """Fixed scores for a title holding every one of the query's words (a type noun,
        "decreto", as written: one of its spellings in ``nouns``), and for a title holding
        the other words in order, at most TITLE_NEAR_SLOP words apart."""
        stems = [s for text in texts for s in self.stem.analyze(text)]
        if len(stems) + len(nouns) < 2:
            return []
        parts = [self.term("title", s) for s in stems]
        parts += [self.any([self.term("title_exact", w) for form in forms
                            for w in self.exact.analyze(form)]) for forms in nouns]
        out = [tantivy.Query.const_score_query(self.every(parts), TITLE_WORDS_SCORE)]
        exact: list[str | tuple[int, str]] = [w for text in texts for w in self.exact.analyze(text)]
        if len(exact) > 1:
            out.append(tantivy.Query.const_score_query(tantivy.Query.phrase_query(
                self.schema, "title_exact", exact, TITLE_NEAR_SLOP), TITLE_NEAR_SCORE))
        return out

    def known_item(self, item: KnownItem) -> tantivy.Query:
        options = []
        for key in item.keys:  # "D.L. 25844": a Decreto Legislativo or a Decreto Ley
            options += [
                tantivy.Query.const_score_query(self.term("number_key", key), KNOWN_ITEM_SCORE),
                tantivy.Query.const_score_query(self.term("cites", key), CITED_SCORE)]
        if item.sector_key:  # the sector typed: that sector's norm before its namesakes
            options.append(tantivy.Query.const_score_query(
                self.term("number_key", item.sector_key), KNOWN_ITEM_SCORE))
        text = [q for q in (self.word(w) for w in item.words) if q is not None]
        if text:
            options.append(self.every(text))
        return self.any(options)

    def atom(self, atom) -> tantivy.Query | None:
        if isinstance(atom, KnownItem):
            return self.known_item(atom)
        if isinstance(atom, Phrase):
            return self.phrase(atom.text)
        return self.word(atom.text)

    def filters(self, tree: QueryTree, visibility: Visibility) -> list[tantivy.Query]:
        out: list[tantivy.Query] = []
        if tree.doc_types:
            out.append(tantivy.Query.term_set_query(self.schema, "doc_type", tree.doc_types))
        if tree.years:
            out.append(tantivy.Query.term_set_query(self.schema, "year", tree.years))
        if tree.offices:
            out.append(tantivy.Query.term_set_query(self.schema, "office", tree.offices))
        if tree.statuses:
            out.append(tantivy.Query.term_set_query(self.schema, "status", tree.statuses))
        for name in tree.signers:
            tokens = self.exact.analyze(name)
            if tokens:
                out.append(self.every([self.term("signer", t) for t in tokens]))
        if tree.date_from or tree.date_to:
            out.append(tantivy.Query.range_query(
                self.schema, "date", tantivy.FieldType.Date,
                _to_datetime(tree.date_from) if tree.date_from else tantivy.MIN_DATETIME,
                _to_datetime(tree.date_to) if tree.date_to else tantivy.MAX_DATETIME))
        vis = self.visibility(visibility)
        if vis is not None:
            out.append(vis)
        return out

    def visibility(self, visibility: Visibility) -> tantivy.Query | None:
        if visibility.all:
            return None
        published = self.term("published", True)
        if visibility.published_only:
            return published
        options = [published]
        if visibility.offices:
            options.append(tantivy.Query.term_set_query(self.schema, "office",
                                                        list(visibility.offices)))
        if visibility.user_id is not None:
            options.append(self.term("created_by", int(visibility.user_id)))
        return self.any(options)

    def build(self, tree: QueryTree, visibility: Visibility,
              fitting_scores: Iterable[tuple[int, float]] = ()) -> tantivy.Query:
        """``fitting_scores``: (document_id, fixed score) ordering the norms a typed
        number fits (search.fitting)."""
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        must, should = tantivy.Occur.Must, tantivy.Occur.Should
        for text in tree.terms:
            q = self.word(text)
            if q is not None:
                clauses.append((must, q))
                clauses.extend((should, b) for b in self.word_bonus(text))
        clauses.extend((should, b) for b in self.title_bonus(tree.terms, tree.type_nouns()))
        for text in tree.phrases:
            q = self.phrase(text)
            if q is not None:
                clauses.append((must, q))
        for item in tree.numbers:
            clauses.append((must, self.known_item(item)))
        for document_id, score in fitting_scores:
            clauses.append((should, tantivy.Query.const_score_query(
                self.term("document_id", document_id), score)))
        for group in tree.any_of:
            options = [q for q in (self.atom(a) for a in group) if q is not None]
            if options:
                clauses.append((must, self.any(options)))
                for a in group:
                    if isinstance(a, Term):
                        clauses.extend((should, b) for b in self.word_bonus(a.text))
        has_positive = any(occ == must for occ, _ in clauses)
        for atom in tree.exclude:
            q = self.atom(atom)
            if q is not None:
                clauses.append((tantivy.Occur.MustNot, q))
        for f in self.filters(tree, visibility):
            clauses.append((must, self.filter(f)))
            has_positive = True
        if not has_positive:
            clauses.append((must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)


class _Highlighter:
    """Marks the query's words in titles and finds the best passages of long bodies.

    A body is scanned cheaply (accent-folded copy, regex on word prefixes) to pick the
    window with the most distinct query words; only that window goes through the real
    analyzers, so the marks agree exactly with what matched.
    """

    def __init__(self, tree: QueryTree, stem: tantivy.TextAnalyzer,
                 exact: tantivy.TextAnalyzer):
        self.stem, self.exact = stem, exact
        self.stems: set[str] = set()
        self.word_prefixes: list[str] = []      # of the words matched through their stem
        self._stem_of: dict[str, str] = {}
        self.phrases: list[list[tuple[int, str]]] = []
        prefixes: set[str] = set()
        for w in tree.terms:
            self._add_word(w, prefixes, stemmed=True)
        for p in tree.phrases:
            self._add_phrase(p, prefixes)
        for item in tree.numbers:
            for w in item.words:
                self._add_word(w, prefixes, stemmed=True)
        for group in tree.any_of:
            for atom in group:
                if isinstance(atom, Phrase):
                    self._add_phrase(atom.text, prefixes)
                else:
                    for w in (atom.words if isinstance(atom, KnownItem) else [atom.text]):
                        self._add_word(w, prefixes, stemmed=True)
        # Words are located by plain substring search in an accent-folded, lower-cased copy
        # of the text (word starts checked on the candidates); a case-insensitive regex with
        # accent classes is the fallback for the rare text whose folding changes length.
        self.prefixes = sorted(prefixes)
        self._locators: list[re.Pattern] | None = None

    def _add_word(self, word: str, prefixes: set[str], stemmed: bool = True) -> None:
        folded = self.exact.analyze(word)
        if not folded:
            return
        stems = self.stem.analyze(word)
        self.stems.update(stems)
        common = os.path.commonprefix([stems[0], folded[0]]) if stems else folded[0]
        prefix = common if len(common) >= 2 else folded[0]
        prefixes.add(prefix)
        if prefix not in self.word_prefixes:
            self.word_prefixes.append(prefix)

    def _add_phrase(self, text: str, prefixes: set[str]) -> None:
        tokens = phrase_tokens(self.exact, text)
        if tokens:
            self.phrases.append(tokens)
            # Locate a phrase by its rarest-looking (longest) word.
            prefixes.add(max((t for _, t in tokens), key=len))

    @property
    def active(self) -> bool:
        return bool(self.prefixes)

    def _locate(self, text: str, limit: int,
                folded: str | None = None) -> list[tuple[int, int]]:
        """(position, word number) of the first ``limit`` word starts of each query word.
        ``folded``: ``fold_in_place(text)`` if the caller has it."""
        found: list[tuple[int, int]] = []
        if folded is None:
            folded = fold_in_place(text)
        if folded is not None:
            for word, prefix in enumerate(self.prefixes):
                found.extend((pos, word) for pos in find_word_starts(folded, prefix, limit))
            return found
        if self._locators is None:
            self._locators = [re.compile(accent_pattern(p), re.IGNORECASE)
                              for p in self.prefixes]
        for word, locator in enumerate(self._locators):
            n = 0
            for m in locator.finditer(text):
                pos = m.start()
                if pos and text[pos - 1].isalnum():
                    continue
                found.append((pos, word))
                n += 1
                if n >= limit:
                    break
        return found

    def _is_query_word(self, word: str) -> bool:
        stem = self._stem_of.get(word)
        if stem is None:
            stems = self.stem.analyze(word)
            stem = self._stem_of[word] = stems[0] if len(stems) == 1 else ""
        return stem in self.stems

    def spans(self, text: str, folded: str | None = None) -> list[tuple[int, int]]:
        """Character spans of ``text`` to mark: words whose stem is a query word's stem,
        and whole phrases. ``folded``: ``fold_in_place(text)`` if the caller has it."""
        spans = []
        if self.stems:
            if folded is None:
                folded = fold_in_place(text)
            if folded is None:
                for tok in self.stem.pre_tokenize(text).tokens:
                    if tok.text in self.stems:
                        spans.append((tok.char_offset_from, tok.char_offset_to))
            else:
                # A Spanish stem is a prefix of its (folded) word, so only the words that
                # start like a query word can match: analyse just those.
                for prefix in self.word_prefixes:
                    for pos in find_word_starts(folded, prefix, len(text)):
                        word = WORD_RE.match(text, pos)
                        end = word.end() if word else pos
                        if self._is_query_word(text[pos:end]):
                            spans.append((pos, end))
        if self.phrases:
            toks = self.exact.pre_tokenize(text).tokens
            at = {t.position: t for t in toks}
            for phrase in self.phrases:
                first = phrase[0][1]
                for tok in toks:
                    if tok.text != first:
                        continue
                    matched = [at.get(tok.position + off) for off, _ in phrase]
                    last = matched[-1]
                    if last is not None and all(m is not None and m.text == w
                                                for m, (_, w) in zip(matched, phrase)):
                        spans.append((tok.char_offset_from, last.char_offset_to))
        # Overlapping marks (a word inside a marked phrase) collapse into one.
        merged: list[tuple[int, int]] = []
        for a, b in sorted(set(spans)):
            if merged and a < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged

    def title(self, title: str) -> str:
        if not self.active:
            return render_marked(title, [])
        folded = fold_in_place(title)
        if self.phrases and not self._locate(title, 1, folded):
            return render_marked(title, [])  # phrases are analysed only if they may match
        return render_marked(title, self.spans(title, folded))

    def snippets(self, body: str, limit: int = SNIPPETS_PER_HIT) -> list[str]:
        if not body:
            return []
        if not self.active:
            return [plain_snippet(body)]
        found: list[tuple[int, int]] = []
        # Scan the opening of the body first (where norms state their subject) and the rest
        # only when none of the words is there: most bodies never need the second pass.
        cut = body.find(" ", SCAN_FIRST) if len(body) > SCAN_FIRST + 500 else -1
        # The first 4 occurrences of each word: the best passage is almost always there.
        part = body if cut < 0 else body[:cut]
        folded = fold_in_place(part)
        origin = 0  # where ``folded`` starts in ``body``
        found = self._locate(part, 4, folded)
        if not found and cut >= 0:
            part = body[cut:]
            folded, origin = fold_in_place(part), cut
            found = [(cut + pos, word) for pos, word in self._locate(part, 4, folded)]
        if not found:
            return [plain_snippet(body)]
        found.sort()
        # Rank windows (starting a little before an occurrence) by distinct words inside.
        windows = []
        counts: dict[int, int] = {}
        j = 0
        for i, (pos, _) in enumerate(found):
            if i:
                prev = found[i - 1][1]
                counts[prev] -= 1
                if not counts[prev]:
                    del counts[prev]
            while j < len(found) and found[j][0] < pos + SNIPPET_CHARS - 60:
                counts[found[j][1]] = counts.get(found[j][1], 0) + 1
                j += 1
            windows.append((-len(counts), pos, max(0, pos - 60)))
        windows.sort()
        out: list[str] = []
        used: list[tuple[int, int]] = []
        for _, _, start in windows[:8]:
            if len(out) >= limit:
                break
            a, b = cut_window(body, start, start + SNIPPET_CHARS)
            if any(a < ub and b > ua for ua, ub in used):
                continue
            piece = body[a:b]
            inside = folded is not None and origin <= a and b <= origin + len(folded)
            spans = self.spans(piece, folded[a - origin:b - origin]
                               if inside and folded is not None else None)
            if not spans:
                continue
            used.append((a, b))
            html = render_marked(piece, spans)
            out.append(("…" if a > 0 else "") + html.strip() + ("…" if b < len(body) else ""))
        return out or [plain_snippet(body)]


def _normalize_sort(sort: str, warnings: list[str]) -> str:
    value = SORTS.get(str(sort or "relevance").lower())
    if value is None:
        warnings.append(f"Orden desconocido «{sort}»; se ordenó por relevancia.")
        return "relevance"
    return value


# Defaults of stored fields a document lacks (tantivy returns each field as a list).
_NONE: tuple[Any, ...] = (None,)   # a stored field's value list when the field is absent
_EMPTY, _ZERO = ("",), (0,)


class EmbeddedBackend:
    """The default search backend (tantivy). Thread-safe; several processes may share a
    ``path`` (one writer at a time, through ``write.lock``)."""

    name = "embedded"

    def __init__(self, path: str | os.PathLike | None = None, *,
                 writer_heap: int = 64_000_000, rebuild_heap: int = 512_000_000,
                 rebuild_threads: int | None = None):
        self.path = Path(path) if path is not None else None
        self.writer_heap = writer_heap
        self.rebuild_heap = rebuild_heap
        self.rebuild_threads = rebuild_threads or max(1, min(4, os.cpu_count() or 1))
        self._schema = build_schema()
        self._stem = make_analyzer(True)
        self._exact = make_analyzer(False)
        self._thread_lock = threading.RLock()
        self._index: tantivy.Index | None = None
        self._pointer_stat: tuple[int, int] | None = None
        self._meta_stat: tuple[int, int, int] | None = None
        self._generation: str | None = None
        # Paths read on every search, as strings (pathlib joins cost more than the stat)
        self._pointer_path = os.path.join(str(self.path), "CURRENT") if self.path else ""
        self._meta_path = ""
        # Whether each generation was created flagged NEEDS_REBUILD: the flag is written
        # before the generation is named in CURRENT and never changes afterwards.
        self._flagged: dict[str, bool] = {}
        self._mem_journal: list[dict] | None = None
        self._mem_needs_rebuild = False
        self._closed = False
        self._stop_stems: frozenset[str] | None = None
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
        with self._write_guard():
            self._open_current()

    # -- opening -----------------------------------------------------------------------

    def _register(self, index: tantivy.Index) -> tantivy.Index:
        index.register_tokenizer(STEM, self._stem)
        index.register_tokenizer(EXACT, self._exact)
        return index

    @property
    def _dir(self) -> Path:
        """The index directory: only an on-disk index (``path`` given) reaches the code
        that uses it."""
        if self.path is None:
            raise RuntimeError("an in-memory index has no directory")
        return self.path

    @property
    def _live(self) -> str:
        """The live generation's directory name (set once the index is open)."""
        if self._generation is None:
            raise RuntimeError("the index is not open")
        return self._generation

    def _pointer(self) -> Path:
        return self._dir / "CURRENT"

    def _open_current(self) -> None:
        """Open the live generation, or create an empty one over a missing/outdated index.
        Called with the write guard held."""
        if self.path is None:
            if self._index is None:
                self._index = self._register(tantivy.Index(self._schema))
                self._mem_needs_rebuild = False
            return
        name = self._read_pointer()
        gen = self.path / name if name else None
        if gen is not None and gen.is_dir() and self._schema_ok(gen):
            try:
                index = self._register(tantivy.Index.open(str(gen)))
            except Exception as exc:  # unreadable index: start over, flagged for rebuild
                log.warning("Índice de búsqueda ilegible en %s: %s", gen, exc)
            else:
                self._set_index(index, name)
                return
        if gen is not None and gen.is_dir():
            log.warning("Índice de búsqueda desactualizado (%s): se crea uno vacío y se "
                        "marca para reconstruir.", gen)
        name, index = self._create_generation(needs_rebuild=True)
        self._write_pointer(name)
        self._set_index(index, name)
        self._remove_old_generations(keep={name})

    def _set_index(self, index: tantivy.Index, name: str | None) -> None:
        self._index = index
        self._generation = name
        if self.path is not None:
            self._meta_path = os.path.join(str(self.path), name or "", "meta.json")
            st = os.stat(self._pointer_path)
            self._pointer_stat = (st.st_ino, st.st_mtime_ns)

    def _read_pointer(self) -> str | None:
        try:
            name = self._pointer().read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name if re.fullmatch(r"gen-[\w.-]+", name) else None

    def _write_pointer(self, name: str) -> None:
        tmp = self._dir / f"CURRENT.{uuid.uuid4().hex}.tmp"
        tmp.write_text(name, encoding="utf-8")
        os.replace(tmp, self._pointer())

    def _schema_ok(self, gen: Path) -> bool:
        try:
            return (gen / "docsys_schema").read_text(encoding="utf-8").strip() == SCHEMA_VERSION
        except OSError:
            return False

    def _create_generation(self, needs_rebuild: bool) -> tuple[str, tantivy.Index]:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        name = f"gen-{stamp}-{uuid.uuid4().hex[:8]}"
        gen = self._dir / name
        gen.mkdir()
        index = self._register(tantivy.Index(self._schema, path=str(gen), reuse=False))
        (gen / "docsys_schema").write_text(SCHEMA_VERSION, encoding="utf-8")
        if needs_rebuild:
            (gen / "NEEDS_REBUILD").write_text("1", encoding="utf-8")
        return name, index

    def _remove_old_generations(self, keep: set[str]) -> None:
        building = self._building_generation(check_alive=False)
        for child in self._dir.iterdir():
            if child.is_dir() and child.name.startswith("gen-") and child.name not in keep \
                    and child.name != building:
                shutil.rmtree(child, ignore_errors=True)

    def _current(self) -> tantivy.Index:
        """The index to search, reopened when another process swapped generations."""
        if self._closed:
            raise SearchUnavailable("El índice de búsqueda está cerrado.")
        if self.path is not None:
            try:
                st = os.stat(self._pointer_path)
                changed = (st.st_ino, st.st_mtime_ns) != self._pointer_stat
            except FileNotFoundError:
                changed = True
            if changed:
                with self._thread_lock:
                    name = self._read_pointer()
                    if name and name != self._generation and (self.path / name).is_dir():
                        self._set_index(self._register(tantivy.Index.open(
                            str(self.path / name))), name)
                    elif name == self._generation:
                        st = os.stat(self._pointer_path)
                        self._pointer_stat = (st.st_ino, st.st_mtime_ns)
            # Commits by other processes: tantivy rewrites meta.json atomically on commit;
            # reload at once instead of waiting for its file watcher.
            try:
                st = os.stat(self._meta_path)
                meta = (st.st_ino, st.st_mtime_ns, st.st_size)
            except (FileNotFoundError, RuntimeError):
                meta = None
            if meta != self._meta_stat and self._index is not None:
                self._index.reload()  # noted as seen only once reloaded: a failed reload
                self._meta_stat = meta  # (a damaged index) fails every later search too
        if self._index is None:
            raise SearchUnavailable("El índice de búsqueda no está abierto.")
        return self._index

    def refresh(self) -> None:
        """See every commit made so far, by any process, now. The change check in
        ``_current`` compares meta.json's inode, time and size, which two commits close
        together can leave identical (a reused inode within one clock tick); a caller that
        knows changes were committed elsewhere calls this instead of trusting it."""
        index = self._current()
        index.reload()

    def damage(self) -> str | None:
        """Why the on-disk index can no longer serve (its folder or live generation was
        removed while running), or None. Cheap: a few ``stat`` calls, for every search."""
        if self.path is None or self._closed:
            return None
        folder = str(self.path)
        try:
            st = os.stat(os.path.join(folder, "CURRENT"))
        except FileNotFoundError:
            if not os.path.isdir(folder):
                return f"falta la carpeta del índice ({self.path})"
            return "falta la generación vigente del índice"
        # CURRENT unchanged since it was read: it still names the open generation (reading
        # it again on every search cost more than the rest of this check)
        unchanged = (st.st_ino, st.st_mtime_ns) == self._pointer_stat and self._generation
        name = self._generation if unchanged else self._read_pointer()
        if name is None or not os.path.isfile(os.path.join(folder, name, "meta.json")):
            return "falta la generación vigente del índice"
        return None

    @property
    def needs_rebuild(self) -> bool:
        """True while the live index was created empty (first start or schema change) and
        no rebuild has filled it yet."""
        if self.path is None:
            return self._mem_needs_rebuild
        self._current()
        name = self._live
        flagged = self._flagged.get(name)
        if flagged is None:
            flagged = (self._dir / name / "NEEDS_REBUILD").exists()
            if len(self._flagged) > 64:
                self._flagged.clear()
            self._flagged[name] = flagged
        return flagged

    # -- writing -----------------------------------------------------------------------

    @contextmanager
    def _write_guard(self, timeout: float | None = None) -> Iterator[None]:
        timeout = WRITE_LOCK_TIMEOUT if timeout is None else timeout
        if not self._thread_lock.acquire(timeout=timeout):
            raise SearchUnavailable("El índice de búsqueda está ocupado; se reintentará.")
        lock = None
        try:
            if self.path is not None:
                lock = _FileLock(self.path / "write.lock")
                if not lock.acquire(timeout):
                    raise SearchUnavailable(
                        "El índice de búsqueda está ocupado por otro proceso; se reintentará.")
            yield
        finally:
            if lock is not None:
                lock.release()
            self._thread_lock.release()

    def _building_generation(self, check_alive: bool = True) -> str | None:
        """The generation a rebuild is writing, if one is running."""
        marker = self._dir / "REBUILDING"
        try:
            name = marker.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        if not check_alive:
            return name
        probe = _FileLock(self._dir / "rebuild.lock")
        if probe.acquire(timeout=0):  # nobody holds it: a rebuild died; forget it
            probe.release()
            marker.unlink(missing_ok=True)
            (self._dir / f"{name}.journal").unlink(missing_ok=True)
            return None
        return name

    def _journal(self, op: dict) -> None:
        """Record a change for a rebuild in progress (write guard held)."""
        if self.path is None:
            if self._mem_journal is not None:
                self._mem_journal.append(op)
            return
        building = self._building_generation()
        if building:
            with open(self.path / f"{building}.journal", "a", encoding="utf-8") as fh:
                fh.write(json.dumps(op, ensure_ascii=False) + "\n")

    @staticmethod
    def _apply(writer: tantivy.IndexWriter, op: dict) -> None:
        kind = op["op"]
        if kind == "index":
            for raw in op["docs"]:
                doc = SearchDoc.coerce(raw)
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(to_tantivy(doc))
        elif kind == "delete":
            for id_ in op["ids"]:
                writer.delete_documents_by_term("id", str(id_))
        elif kind == "delete_documents":
            for did in op["document_ids"]:
                writer.delete_documents_by_term("document_id", int(did))
        elif kind == "clear":
            writer.delete_all_documents()

    def _write(self, op: dict) -> None:
        with self._write_guard():
            index = self._current()
            writer = index.writer(self.writer_heap, 1)
            try:
                self._apply(writer, op)
                writer.commit()
            except Exception:
                writer.rollback()
                raise
            finally:
                del writer
            index.reload()
            self._journal(op)

    def index(self, docs: Iterable[SearchDoc | dict]) -> int:
        """Add or replace documents (by ``id``). Returns how many were written."""
        prepared = [SearchDoc.coerce(d).normalized() for d in docs]
        if not prepared:
            return 0
        self._write({"op": "index", "docs": [d.as_dict() for d in prepared]})
        return len(prepared)

    def delete(self, ids: Iterable[str]) -> None:
        ids = [str(i) for i in ids]
        if ids:
            self._write({"op": "delete", "ids": ids})

    def delete_documents(self, document_ids: Iterable[int]) -> None:
        """Remove every entry of these documents, whatever their ids."""
        dids = [int(i) for i in document_ids]
        if dids:
            self._write({"op": "delete_documents", "document_ids": dids})

    def clear(self) -> None:
        self._write({"op": "clear"})

    def count(self) -> int:
        return self._current().searcher().num_docs

    def rebuild(self, docs: Iterable[SearchDoc | dict],
                progress: Callable[[int], Any] | None = None) -> int:
        """Build a fresh index from ``docs`` and swap it in. Searches keep using the old
        index until the swap; changes indexed meanwhile are replayed into the new one.
        ``progress(n)`` is called as documents are added. Returns the number indexed."""
        if self.path is None:
            return self._rebuild_memory(docs, progress)
        rebuild_lock = _FileLock(self.path / "rebuild.lock")
        if not rebuild_lock.acquire(timeout=0):
            raise RebuildInProgress("Ya hay una reconstrucción del índice en curso.")
        name = None
        try:
            with self._write_guard():
                name, index = self._create_generation(needs_rebuild=False)
                (self.path / f"{name}.journal").unlink(missing_ok=True)
                tmp = self.path / f"REBUILDING.{uuid.uuid4().hex}.tmp"
                tmp.write_text(name, encoding="utf-8")
                os.replace(tmp, self.path / "REBUILDING")
            count = self._bulk_load(index, docs, progress)
            with self._write_guard():
                journal = self.path / f"{name}.journal"
                if journal.exists():
                    writer = index.writer(self.writer_heap, 1)
                    with open(journal, encoding="utf-8") as fh:
                        for line in fh:
                            if line.strip():
                                self._apply(writer, json.loads(line))
                    writer.commit()
                    del writer
                self._write_pointer(name)
                (self.path / "REBUILDING").unlink(missing_ok=True)
                journal.unlink(missing_ok=True)
                index.reload()
                self._set_index(index, name)
            self._remove_old_generations(keep={name})
            return count
        except BaseException:
            if name is not None and self._generation != name:
                if self._read_pointer() != name:
                    (self.path / "REBUILDING").unlink(missing_ok=True)
                    (self.path / f"{name}.journal").unlink(missing_ok=True)
                    shutil.rmtree(self.path / name, ignore_errors=True)
            raise
        finally:
            rebuild_lock.release()

    def _bulk_load(self, index: tantivy.Index, docs: Iterable[SearchDoc | dict],
                   progress: Callable[[int], Any] | None) -> int:
        writer = index.writer(self.rebuild_heap, self.rebuild_threads)
        seen: set[str] = set()
        count = pending = 0
        try:
            for raw in docs:
                doc = SearchDoc.coerce(raw).normalized()
                if doc.id in seen:
                    writer.delete_documents_by_term("id", doc.id)
                else:
                    seen.add(doc.id)
                writer.add_document(to_tantivy(doc))
                count += 1
                pending += 1
                if progress is not None and pending >= 100:
                    progress(pending)
                    pending = 0
            writer.commit()
            if progress is not None and pending:
                progress(pending)
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        finally:
            del writer
        return count

    def _rebuild_memory(self, docs, progress) -> int:
        with self._thread_lock:
            if self._mem_journal is not None:
                raise RebuildInProgress("Ya hay una reconstrucción del índice en curso.")
            self._mem_journal = []
        try:
            index = self._register(tantivy.Index(self._schema))
            count = self._bulk_load(index, docs, progress)
            with self._write_guard():
                if self._mem_journal:
                    writer = index.writer(self.writer_heap, 1)
                    for op in self._mem_journal:
                        self._apply(writer, op)
                    writer.commit()
                    del writer
                index.reload()
                self._index = index
                self._mem_needs_rebuild = False
            return count
        finally:
            self._mem_journal = None

    def close(self) -> None:
        with self._thread_lock:
            self._index = None
            self._closed = True

    # -- searching ---------------------------------------------------------------------

    def build_query(self, query: QueryTree | str, visibility: Visibility) -> tantivy.Query:
        """The tantivy query docsys runs for ``query`` (exposed for the benchmark)."""
        builder = _QueryBuilder(self._schema, self._stem, self._exact)
        return builder.build(ensure_tree(query), visibility)

    def search(self, query: QueryTree | str | None, *, visibility: Visibility,
               sort: str = "relevance", page: int = 1, per_page: int = 20,
               facets: bool = True) -> SearchResults:
        if not isinstance(visibility, Visibility):
            raise TypeError("visibility debe ser un search.Visibility")
        tree = ensure_tree(query)
        plan = plan_page(page, per_page)
        warnings = list(tree.warnings) + list(plan.warnings)
        sort = _normalize_sort(sort, warnings)
        by_date = sort == "date" or not tree.has_text  # nothing to rank: newest first
        index = self._current()
        builder = _QueryBuilder(self._schema, self._stem, self._exact)
        searcher = index.searcher()
        scores: list[tuple[int, float]] = []
        if not by_date and tree.numbers:
            scores, notices = self._fitting_order(searcher, builder, tree, visibility)
            warnings.extend(notices)
        q = builder.build(tree, visibility, scores)

        page_no, per, offset = plan.page, plan.per_page, plan.offset
        pending = (_FACET_POOL.submit(searcher.aggregate, q, FACET_AGGS) if facets else None)

        def run(offset: int, count: bool):
            kwargs: dict[str, Any] = {"limit": per, "offset": offset, "count": count}
            if by_date:
                kwargs.update(order_by_field="date", order=tantivy.Order.Desc)
            return searcher.search(q, **kwargs)

        highlighter = _Highlighter(tree, self._stem, self._exact)

        def page_hits(result) -> list[Hit]:
            return [self._hit(searcher.doc(addr), None if by_date else score, highlighter)
                    for score, addr in result.hits]

        # Without facets the hit pass counts; with them, the status buckets give the total
        # (every entry has a status) and the hit pass can skip non-competitive documents.
        result = run(offset, count=pending is None)
        hits = page_hits(result)  # stored fields and snippets while the facets are counted
        facet_counts: dict[str, list] = {}
        if pending is not None:
            raw = pending.result()
            for f in FACET_FIELDS:
                facet_counts[f] = order_buckets(f, raw.get(f, {}).get("buckets", ()))
            total = sum(v.count for v in facet_counts["status"])
        else:
            total = result.count
        pages = page_count(total, per)
        if total and page_no > pages:
            warnings.append(clamp_warning(page_no, pages))
            page_no, offset = pages, (pages - 1) * per
            hits = page_hits(run(offset, count=False))
        elif not total:
            page_no = 1  # no results: the one (empty) page
        return SearchResults(hits=hits, total=total, page=page_no, per_page=per, pages=pages,
                             sort=sort, facets=facet_counts, warnings=warnings, query=tree)

    def _fitting_order(self, searcher, builder: _QueryBuilder, tree: QueryTree,
                       visibility: Visibility) -> tuple[list[tuple[int, float]], list[str]]:
        """For each typed number that several norms fit (among the results of the search:
        its words, filters and visibility hold): the fixed scores that put them in
        search.fitting's order, and its notice; for one that no entry has, the notice
        that says so."""
        scores: list[tuple[int, float]] = []
        notices: list[str] = []
        filters: list[tantivy.Query] = []  # the search's own query, built once if needed
        for item in tree.numbers:
            keys = item.keys
            if item.sector_key and searcher.doc_freq("number_key", item.sector_key):
                keys = (item.sector_key,)  # the sector typed names a norm: only its namesakes
            present = sum(searcher.doc_freq("number_key", key) for key in keys)
            if not present:  # no entry has the number (deleted ones count: none at all)
                notices.append(fitting.absent_notice(item.text))
                continue
            if present < 2:
                # one entry has the keys: nothing to order, and no need to build or run
                # the whole query again (most numbers typed are so)
                continue
            if not filters:
                filters.append(builder.filter(builder.build(tree, visibility)))
            found, total = self._fitting(searcher, builder, keys, filters)
            if total < 2:
                continue
            cited = {key: self._citations(searcher, builder, key)
                     for key in set(fitting.citation_keys(found).values())}
            ordered = fitting.order(found, cited)
            scores.extend(fitting.scores(ordered))
            notices.append(fitting.notice(item.text, ordered, cited, total))
        return scores, notices

    def _fitting(self, searcher, builder: _QueryBuilder, keys: tuple[str, ...],
                 filters: list[tantivy.Query]) -> tuple[list[fitting.Fitting], int]:
        """The first MAX_FITTING entries whose number has one of ``keys`` (by document id),
        and how many there are."""
        q = builder.every([builder.any([builder.term("number_key", k) for k in keys])]
                          + filters)
        result = searcher.search(q, limit=fitting.MAX_FITTING, count=True,
                                 order_by_field="document_id", order=tantivy.Order.Asc)
        found = []
        for _, addr in result.hits:
            d = searcher.doc(addr).to_dict()
            when = d.get("date", _NONE)[0]
            found.append(fitting.Fitting(
                document_id=d["document_id"][0], doc_type=d.get("doc_type", _EMPTY)[0],
                number=d.get("number", _EMPTY)[0], keys=tuple(d.get("number_key", ())),
                date=when.date().isoformat() if when else None))
        return found, result.count

    def _citations(self, searcher, builder: _QueryBuilder, key: str) -> int:
        """How many entries, drafts aside, cite the norm of ``key``."""
        q = tantivy.Query.boolean_query([
            (tantivy.Occur.Must, builder.term("cites", key)),
            (tantivy.Occur.MustNot, builder.term("status", "borrador"))])
        return searcher.search(q, limit=1, count=True).count

    def more_like_this(self, text: str, *, visibility: Visibility, limit: int = 10,
                       statuses: Iterable[str] | None = None,
                       exclude_document_ids: Iterable[int] = ()) -> list[Hit]:
        """Entries most like ``text``: its most significant stems (tf-idf over this index),
        each a weighted term on body and title, filtered like a search.

        Built here rather than with tantivy's MoreLikeThis query, which panics when a
        term's document frequency (deleted entries included) exceeds the live count — as
        soon as an updated index has deletes not merged yet."""
        if not isinstance(visibility, Visibility):
            raise TypeError("visibility debe ser un search.Visibility")
        like = (text or "")[:MLT_MAX_CHARS]
        if not like.strip():
            return []
        searcher = self._current().searcher()
        terms = self._significant_terms(searcher, like)
        if not terms:
            return []
        top = terms[0][1]
        mlt = tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.boost_query(
                tantivy.Query.term_query(self._schema, field, term), boost * weight / top))
            for term, weight in terms for field, boost in (("body", 1.0), ("title", 0.5))])
        builder = _QueryBuilder(self._schema, self._stem, self._exact)
        clauses = [(tantivy.Occur.Must, mlt)]
        wanted = sorted({str(s).strip().lower() for s in (statuses or ()) if s})
        if wanted:
            clauses.append((tantivy.Occur.Must, builder.filter(
                tantivy.Query.term_set_query(self._schema, "status", wanted))))
        vis = builder.visibility(visibility)
        if vis is not None:
            clauses.append((tantivy.Occur.Must, builder.filter(vis)))
        excluded = sorted({int(i) for i in exclude_document_ids})
        if excluded:
            clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_set_query(
                self._schema, "document_id", excluded)))
        limit = min(max(int(limit), 1), MAX_PER_PAGE)
        result = searcher.search(tantivy.Query.boolean_query(clauses), limit)
        plain = _Highlighter(ensure_tree(None), self._stem, self._exact)
        return [self._hit(searcher.doc(addr), score, plain) for score, addr in result.hits]

    def _significant_terms(self, searcher, text: str) -> list[tuple[str, float]]:
        """The text's MLT_MAX_TERMS stems of highest tf × idf, best first; stems of stop
        words, short ones and those in more than MLT_MAX_DOC_SHARE of the entries left out."""
        total = searcher.num_docs
        if not total:
            return []
        if self._stop_stems is None:
            self._stop_stems = frozenset(self._stem.analyze(" ".join(sorted(STOP_WORDS))))
        counts = Counter(t for t in self._stem.analyze(text)
                         if len(t) >= MLT_MIN_WORD_LENGTH and t not in self._stop_stems)
        cap = max(10, int(total * MLT_MAX_DOC_SHARE))
        scored = []
        for term, tf in counts.items():
            df = searcher.doc_freq("body", term)
            if 0 < df <= cap:
                # BM25's idf; df counts deleted entries too, so it may exceed the total
                idf = math.log(1 + (max(total, df) - df + 0.5) / (df + 0.5))
                scored.append((tf * idf, term))
        return [(term, weight) for weight, term in heapq.nlargest(MLT_MAX_TERMS, scored)
                if weight > 0]

    @staticmethod
    def _hit(doc: tantivy.Document, score: float | None, hl: _Highlighter) -> Hit:
        d = doc.to_dict()
        get = d.get
        when = get("date", _NONE)[0]
        title = get("title", _EMPTY)[0]
        return Hit(
            id=get("id", _NONE)[0], document_id=get("document_id", _NONE)[0],
            version_number=get("version_number", _ZERO)[0], number=get("number", _EMPTY)[0],
            title=title, title_html=hl.title(title), doc_type=get("doc_type", _EMPTY)[0],
            year=get("year", _NONE)[0], date=when.date().isoformat() if when else None,
            status=get("status", _EMPTY)[0], office=get("office", _EMPTY)[0],
            signer=get("signer", _EMPTY)[0], published=bool(get("published", _NONE)[0]),
            score=float(score) if score is not None else None,
            snippets=hl.snippets(get("body", _EMPTY)[0]),
        )
