"""The citation gold set (citation_gold.yaml) and how extraction is scored against it.

Shared by the tests and by bench/bench_citations.py, so both judge the same thing.
A predicted citation counts as correct when its canonical id and its articles equal one
expected citation of the same sentence not matched yet (a multiset match).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

GOLD_FILE = Path(__file__).with_name("citation_gold.yaml")


@dataclass(frozen=True)
class GoldSentence:
    text: str
    cites: tuple[str, ...]


def load_gold(path: Path = GOLD_FILE) -> list[GoldSentence]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [GoldSentence(e["text"], tuple(e.get("cites") or ())) for e in entries]


def citation_key(citation) -> str:
    """"LEY-27972@20.6" for a Citation (the gold set's notation)."""
    if citation.articles:
        return f"{citation.canonical_id}@{','.join(citation.articles)}"
    return citation.canonical_id


def _norm_only(key: str) -> str:
    return key.split("@", 1)[0]


@dataclass
class Score:
    expected: int = 0
    predicted: int = 0
    correct: int = 0
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def score(gold: list[GoldSentence], extract, norms_only: bool = False) -> Score:
    """Precision and recall of ``extract(text) -> [Citation]`` on the gold set. With
    ``norms_only`` the articles are ignored (was the right norm found?)."""
    result = Score()
    for sentence in gold:
        expected = [_norm_only(k) if norms_only else k for k in sentence.cites]
        got = [citation_key(c) for c in extract(sentence.text)]
        if norms_only:
            got = [_norm_only(k) for k in got]
        matched = sum((Counter(expected) & Counter(got)).values())
        result.expected += len(expected)
        result.predicted += len(got)
        result.correct += matched
        if matched != len(expected) or matched != len(got):
            result.errors.append((sentence.text, expected, got))
    return result
