"""The legalize-pe development sample (../shared/corpus/legalize-pe): its manifest, its
texts, and a fixed split into a development slice and a held-out evaluation slice.

The split is seeded by file name (SHA-256 of "docsys-holdout-2026:" + name): about one file
in five is held out. Parsers are tuned on the development slice only; the benchmarks report
the held-out figures (and the development ones next to them, to show the gap).
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("LEGALIZE_PE", ROOT.parent / "shared" / "corpus" / "legalize-pe"))
_SALT = "docsys-holdout-2026:"


@dataclass(frozen=True)
class Entry:
    file: str
    type: str
    number: str
    year: int | None
    date: str
    title: str
    rank: str
    identifier: str

    @property
    def path(self) -> Path:
        return CORPUS / "pe" / self.file

    def read(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def body(self) -> str:
        """The text without its YAML front matter (what a plain-text import sees)."""
        text = self.read()
        if text.startswith("---"):
            end = text.find("\n---", 3)
            if end != -1:
                return text[end + 4:].lstrip("\n")
        return text


def available() -> bool:
    return (CORPUS / "manifest.tsv").is_file()


def held_out(name: str) -> bool:
    return hashlib.sha256((_SALT + name).encode()).digest()[0] < 52   # ~20 %


CORRECTIONS = ROOT / "bench" / "labels" / "manifest_corrections.json"


def manifest() -> list[Entry]:
    """The sample's manifest, with the numbers it gets wrong corrected
    (``bench/labels/manifest_corrections.json``: identifiers that carry only a year)."""
    with open(CORPUS / "manifest.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    fixes = json.loads(CORRECTIONS.read_text(encoding="utf-8"))["corrections"]
    return [Entry(r["file"], r["type"], fixes.get(r["file"], {}).get("number", r["number"]),
                  fixes.get(r["file"], {}).get("year", int(r["year"]) if r["year"] else None),
                  r["date"], r["title"], r["rank"], r["identifier"]) for r in rows]


def split() -> tuple[list[Entry], list[Entry]]:
    """(development, held-out)."""
    entries = manifest()
    return ([e for e in entries if not held_out(e.file)], [e for e in entries if held_out(e.file)])
