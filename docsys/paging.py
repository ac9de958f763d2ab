"""Which page of a long list a page shows (the norms citing one, the archive's review
queue): its number, counted from 1 and kept within the list, and the rows it holds."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paging:
    """Page ``page`` of a list of ``total`` rows, ``size`` a page: rows ``first`` to
    ``last`` (from 1), after skipping ``offset``."""

    total: int
    page: int = 1
    size: int = 50

    @classmethod
    def clamped(cls, total: int, page: int, size: int = 50) -> "Paging":
        """Page ``page`` kept within the list: below 1 the first, past the last the last."""
        return cls(total, min(max(1, page), cls(total, 1, size).pages), size)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def first(self) -> int:
        return min(self.total, self.offset + 1)

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.size)
