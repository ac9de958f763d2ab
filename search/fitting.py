"""A typed number that fits several norms, in an order a lawyer can be told.

"D.S. 3-2009" names DS 003-2009-EF and DS 003-2009-PRODUCE alike: a number typed without
its sector fits every namesake. All of them come first (they score KNOWN_ITEM_SCORE), and
among them:

1. the norm cited by more norms of the archive first: the entries, drafts aside, whose
   text cites its full number, sector included (``search.numbers.extract_number_keys``
   gives the key with the sector); a key that several fitting norms share says nothing
   about which one was cited, so it counts for none;
2. then the newest (publication date);
3. then by number, so the order is the same on every run.

Both engines compute it from the index when the query is run (a candidate lookup and a
citation count for the few fitting norms: nothing is stored, so it is always current
and a rebuild from the database gives it back) and both turn it into the same fixed
scores; the results carry a Spanish notice naming the fitting norms. A typed number no
entry of the index carries (whoever may see it) gets a notice too: what is shown only
mentions it. Pure: no engine here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from search.numbers import key_sector, key_year

# Fitting norms looked at per typed number; past these, the rest keep their text score.
MAX_FITTING = 9
# The fixed score between two neighbours of the order: more than the text scores of the
# typed words can part two fitting norms, and MAX_FITTING steps stay below the
# KNOWN_ITEM_SCORE that keeps every fitting norm above the norms that only cite them.
ORDER_STEP = 100.0
# Names shown in the notice; the rest are counted.
NOTICE_NAMES = 5


@dataclass(frozen=True)
class Fitting:
    """A norm the typed number fits, as the index stores it."""
    document_id: int
    doc_type: str
    number: str                 # the official number as printed
    keys: tuple[str, ...]       # its number keys: plain, without the year, with the sector
    date: str | None = None     # YYYY-MM-DD


def citation_keys(fitting: Sequence[Fitting]) -> dict[int, str]:
    """document_id -> the key whose citations name that norm alone among ``fitting`` (its
    most specific key, unless another fitting norm has it too)."""
    owners: dict[str, int] = {}
    for f in fitting:
        for key in set(f.keys):
            owners[key] = owners.get(key, 0) + 1
    out: dict[int, str] = {}
    for f in fitting:
        own = [k for k in f.keys if owners[k] == 1]
        if own:
            out[f.document_id] = max(own, key=len)
    return out


def order(fitting: Sequence[Fitting], cited_by: Mapping[str, int]) -> list[Fitting]:
    """``fitting`` in the order above; ``cited_by`` maps keys to the number of norms
    citing them (keys missing count 0)."""
    keys = citation_keys(fitting)

    def rank(f: Fitting):
        key = keys.get(f.document_id)
        citations = cited_by.get(key, 0) if key else 0
        return (-citations, _neg_date(f.date), f.keys[-1] if f.keys else "", f.document_id)

    return sorted(fitting, key=rank)


def _neg_date(value: str | None) -> tuple[int, ...]:
    """A sort key putting later dates first and missing ones last."""
    if not value:
        return (1,)
    return (0, -int(value[:10].replace("-", "")))


def scores(ordered: Sequence[Fitting]) -> list[tuple[int, float]]:
    """(document_id, fixed score added) for the first MAX_FITTING norms of ``ordered``:
    ORDER_STEP per place above the last of them (the last gets nothing, and is left out)."""
    top = list(ordered)[:MAX_FITTING]
    return [(f.document_id, ORDER_STEP * (len(top) - 1 - i))
            for i, f in enumerate(top) if i < len(top) - 1]


def absent_notice(typed: str) -> str:
    """The Spanish notice when no norm of the archive carries the typed number: the results
    are then texts that mention it (a national law cited by every ordinance but never
    imported, say), and the first of them is not the norm asked for."""
    return (f"Ninguna norma del archivo tiene el número «{typed.strip()}»; se muestran los "
            "documentos que lo mencionan.")


def notice(typed: str, ordered: Sequence[Fitting], cited_by: Mapping[str, int],
           total: int | None = None) -> str:
    """The Spanish notice shown above the results when several norms fit."""
    keys = citation_keys(ordered)
    total = max(total or 0, len(ordered))
    names = []
    for f in list(ordered)[:NOTICE_NAMES]:
        key = keys.get(f.document_id)
        n = cited_by.get(key, 0) if key else 0
        cites = ("citada por 1 norma del archivo" if n == 1
                 else f"citada por {n} normas del archivo" if n else "sin citas en el archivo")
        names.append(f"{f.number or f.doc_type} ({cites})")
    more = total - len(names)
    listed = "; ".join(names) + (f"; y {more} más" if more > 0 else "")
    cited = any(cited_by.get(k, 0) for k in keys.values())
    first_rule = "la más citada por el archivo antes" if cited else "la más reciente antes"
    text = (f"El número «{typed.strip()}» corresponde a {total} normas; se muestran primero, "
            f"{first_rule}: {listed}.")
    first = list(ordered)[0]
    year = key_year(first.keys[0]) if first.keys else None
    if year and len({f.keys[0] for f in ordered if f.keys}) > 1:
        # numbers of several years ("RM 148" typed without its year)
        text += f" Escriba también el año («{typed.strip()}-{year}») para ir a una sola."
    elif len(first.keys) > 1 and (sector := key_sector(first.keys[0], first.keys[-1])):
        text += f" Escriba también el sector («{typed.strip()}-{sector}») para ir a una sola."
    return text

