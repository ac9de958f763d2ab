"""Metadata accuracy on real national norms (the legalize-pe sample): type, number, year and
date per field, on the held-out slice (and the development slice for comparison).

Two paths:
* "texto": what the heading reader (docsys.archive.metadata.guess_metadata) finds in the
  norm's text alone, front matter removed and no file name: how a plain-text or PDF copy
  of the norm would be read. The date is not scored here (the text's date is the date of
  issue, the manifest's the gazette's).
* "estructurado": what the structured import reads from a file with YAML front matter
  (docsys.archive.frontmatter), the path `flask docsys import` takes for this format.

Gold: the sample's manifest.tsv (type code, number without zeros, year of the number,
publication date). A field counts as right only when it equals the gold value; a missing
value is wrong. Run: .venv/bin/python bench/bench_national_metadata.py [--errors N] [--dev]
[--slice development|held-out]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_corpus  # noqa: E402
from docsys.archive.metadata import guess_metadata  # noqa: E402


def text_guess(entry):
    meta = guess_metadata(entry.body(), "")
    return {"type": meta.doc_type, "number": str(meta.number) if meta.number else None,
            "year": meta.year, "review": bool(meta.to_confirm())}


def structured_guess(entry):
    try:
        from docsys.archive.frontmatter import read_structured
    except ImportError:
        return None
    found = read_structured(entry.read(), entry.file)
    if found is None:
        return {"type": None, "number": None, "year": None, "date": None}
    meta = found.metadata
    return {"type": meta.doc_type, "number": str(meta.number) if meta.number else None,
            "year": meta.year, "date": meta.date.isoformat() if meta.date else None}


def checked_years(entries) -> dict[str, int | None]:
    """A second gold for "year", set by rules on the manifest alone (never on what a reader
    finds), where the manifest's year is not the norm's:

    * no year in the manifest (numbers printed without one, "Decreto Supremo N°
      045-DE-MGP", codes filed as "DLEG-CIVIL-1984"): the identifier's last year, the year
      of publication;
    * a law (numbered in one sequence since 1904) whose manifest year lies outside the
      years of the ten laws nearest in number in the whole sample (the earliest and the
      latest of them set aside, one year of slack each side): the manifest holds the date
      of a later copy ("LEY-27252-2026", a law of 2000) or a wrong one; it is left out of
      this second score (None).
    """
    import bisect
    import re
    laws = sorted((int(e.number), e.year) for e in national_corpus.manifest()
                  if e.type == "LEY" and e.number.isdigit() and e.year)
    numbers = [n for n, _ in laws]
    out: dict[str, int | None] = {}
    for entry in entries:
        year = entry.year
        if year is None:
            found = re.search(r"-((?:19|20)\d{2})$", entry.identifier)
            year = int(found.group(1)) if found else None
        elif entry.type == "LEY" and entry.number.isdigit():
            at = bisect.bisect_left(numbers, int(entry.number))
            below = [y for n, y in laws[max(0, at - 5):at]]
            above = [y for n, y in laws[at:at + 6] if n != int(entry.number)][:5]
            near = sorted(below + above)[1:-1]  # one outlier each side set aside
            if near and not near[0] - 1 <= year <= near[-1] + 1:
                year = None
        out[entry.file] = year
    return out


def score(entries, guess, fields, errors: int, label: str, checked=None):
    right, wrong = Counter(), []
    right_checked = counted = 0
    for entry in entries:
        got = guess(entry)
        if got is None:
            print(f"  {label}: not available")
            return
        gold = {"type": entry.type, "number": entry.number or None, "year": entry.year,
                "date": entry.date}
        for name in fields:
            if got.get(name) == gold[name]:
                right[name] += 1
            elif len(wrong) < errors:
                wrong.append(f"    {entry.file}: {name} {got.get(name)!r} != {gold[name]!r}")
        if checked is not None and checked[entry.file] is not None:
            counted += 1
            right_checked += got.get("year") == checked[entry.file]
    n = len(entries)
    print(f"  {label} ({n} files): " + ", ".join(f"{f} {right[f] / n:.3f}" for f in fields))
    if checked is not None and counted:
        print(f"    year, gold checked (see checked_years; {n - counted} laws left out): "
              f"{right_checked / counted:.3f} of {counted}")
    for line in wrong:
        print(line)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="list this many errors")
    parser.add_argument("--dev", action="store_true", help="score the development slice too")
    parser.add_argument("--slice", choices=("held-out", "development"),
                        help="score this slice only (list errors of the development slice "
                             "without seeing the held-out ones)")
    args = parser.parse_args(argv)
    if not national_corpus.available():
        print(f"SKIP: corpus not found at {national_corpus.CORPUS}")
        return 0
    dev, held = national_corpus.split()
    slices = [("held-out", held)] + ([("development", dev)] if args.dev else [])
    if args.slice:
        slices = [(name, entries) for name, entries in (("held-out", held), ("development", dev))
                  if name == args.slice]
    for name, entries in slices:
        print(f"{name}:")
        score(entries, text_guess, ("type", "number", "year"), args.errors, "texto",
              checked_years(entries))
        score(entries, structured_guess, ("type", "number", "year", "date"), args.errors,
              "estructurado")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
