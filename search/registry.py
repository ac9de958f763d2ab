"""The registry of document types (search/doc_types.yaml), loaded once.

The data file is the one place that says which types of norm exist, how each is spelled
(names, abbreviations, OCR-prone headings), how it is numbered (without year, per year,
per year and sector), who issues it and where the portal lists it. search/ reads it for
number keys and query parsing; docsys reads the same registry (``docsys`` imports this
module, never the other way round) for import, citations, review and the portal.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from search.analysis import accent_pattern

DATA_FILE = Path(__file__).with_name("doc_types.yaml")
LEVELS = ("nacional", "regional", "municipal")
NUMBERINGS = ("unica", "ninguna", "sin_anio", "anual", "anual_sector")
_CONNECTORS = frozenset({"de", "del", "la", "el", "y", "los", "las"})


@dataclass(frozen=True)
class DocType:
    code: str
    name: str
    heading: str
    level: str
    body: str
    names: tuple[str, ...]
    abbreviations: tuple[str, ...]
    aliases: tuple[str, ...]
    ranks: tuple[str, ...]
    numbering: str
    portal_slug: str
    signing_office: str | None = None
    named_office: bool = False
    padding: int = 3

    @property
    def has_year(self) -> bool:
        """Numbered per year (the key carries the year)."""
        return self.numbering in ("anual", "anual_sector")

    @property
    def has_sector(self) -> bool:
        return self.numbering == "anual_sector"

    @property
    def unnumbered(self) -> bool:
        """Given without a number (the Constitution, a TUO): found by its title and year."""
        return self.numbering in ("unica", "ninguna")

    @property
    def single(self) -> bool:
        """The type is one norm (the Constitution): the archive files it under its code,
        so every citation of it finds it."""
        return self.numbering == "unica"

    @property
    def municipal(self) -> bool:
        return self.level == "municipal"


@dataclass(frozen=True)
class Registry:
    types: tuple[DocType, ...]

    def get(self, code: str) -> DocType | None:
        return self._by_code().get(code.upper())

    def __getitem__(self, code: str) -> DocType:
        return self._by_code()[code.upper()]

    def codes(self, level: str | None = None) -> list[str]:
        return [t.code for t in self.types if level is None or t.level == level]

    def names(self) -> dict[str, str]:
        """Code -> name, in registry order."""
        return {t.code: t.name for t in self.types}

    def no_year_codes(self) -> frozenset[str]:
        return frozenset(t.code for t in self.types if t.numbering == "sin_anio")

    def by_rank(self, rank: str) -> DocType | None:
        """The type of a front-matter ``rank`` ("decreto_supremo")."""
        return self._by_rank().get((rank or "").strip().lower())

    def phrases(self) -> list[tuple[str, str]]:
        """(code, folded phrase) for every name, longest first: the order in which
        readers must try them so "ordenanza regional" wins over "ordenanza"."""
        pairs = [(t.code, name) for t in self.types for name in t.names]
        return sorted(pairs, key=lambda p: (-len(p[1]), p[1]))

    def aliases(self) -> dict[str, str]:
        """Every folded name, abbreviation (without dots) and code -> code."""
        out: dict[str, str] = {}
        for t in self.types:
            for name in t.names + t.aliases:
                out.setdefault(name, t.code)
                out.setdefault(name + "s", t.code)
            for abbreviation in t.abbreviations:
                out.setdefault(re.sub(r"[.\s]+", "", abbreviation), t.code)
            out.setdefault(t.code.lower(), t.code)
        return out

    # Built on first use and kept on the instance (``cached_property`` writes the
    # instance's __dict__, which a frozen dataclass allows). Not ``lru_cache`` on the
    # method: that hashed the whole registry, every field of every type, on each lookup,
    # and ``get`` runs for every number key (a reindex of 100,000 norms asked 100,000 times).
    @cached_property
    def _code_map(self) -> dict[str, DocType]:
        return {t.code: t for t in self.types}

    @cached_property
    def _rank_map(self) -> dict[str, DocType]:
        return {rank: t for t in self.types for rank in t.ranks}

    def _by_code(self) -> dict[str, DocType]:
        return self._code_map

    def _by_rank(self) -> dict[str, DocType]:
        return self._rank_map


def name_pattern(phrase: str, plural: bool = True) -> str:
    """A regex for a folded phrase in lower-case text, accents optional, words apart by
    any spacing (a hyphen too), each word but connectors optionally plural."""
    words = []
    for word in re.split(r"[\s-]+", phrase.strip()):
        pattern = accent_pattern(word)
        if plural and word not in _CONNECTORS:
            pattern += "(?:es|s)?"
        words.append(pattern)
    return r"(?:\s+|\s?-\s?)".join(words)


def abbreviation_pattern(abbreviation: str) -> str:
    """"d.s." -> a regex accepting "d.s.", "d. s.", "ds" (dots and spaces optional)."""
    letters = [ch for ch in abbreviation.lower() if ch.isalpha()]
    return r"\.?\s?".join(map(re.escape, letters)) + r"\.?"


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The registry, read from the data file on first use."""
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    types = []
    for item in data["types"]:
        doc_type = DocType(
            code=item["code"], name=item["name"], heading=item["heading"],
            level=item["level"], body=item.get("body", ""),
            names=tuple(item.get("names") or ()),
            abbreviations=tuple(item.get("abbreviations") or ()),
            aliases=tuple(item.get("aliases") or ()),
            ranks=tuple(item.get("ranks") or ()), numbering=item["numbering"],
            portal_slug=item["portal_slug"], signing_office=item.get("signing_office"),
            named_office=bool(item.get("named_office", False)),
            padding=int(item.get("padding", 3)))
        if doc_type.level not in LEVELS or doc_type.numbering not in NUMBERINGS:
            raise ValueError(f"doc_types.yaml: bad level or numbering for {doc_type.code}")
        types.append(doc_type)
    return Registry(tuple(types))
