"""Known-item search on real national norms: hit@1 and MRR over 200 queries typed as
lawyers type them, on an index of the whole legalize-pe sample (3,000 norms).

Each norm is indexed as the structured import stores it (docsys.archive.frontmatter:
type, official number, title, text), through the embedded engine (tantivy, in memory).
The 200 target norms are a seeded sample; each query spells the target's number one
way, drawn (seeded) from the spellings lawyers use: "Ley 27972", "Ley N° 27972",
"ley nro. 27972", "D.S. N.° 004-2019-JUS", "DS 4-2019", "Decreto Supremo Nº 004-2019",
"R.M. 1110-2023-MINSA", "D.Leg. 1440", "D.L. 1440", "Decreto de Urgencia 011-2023",
zero-padded or not, with or without the sector suffix, and spelled-out names. A second
set of 200 queries is made of 3-4 words of the target's title (rank reported as hit@1,
hit@10 and MRR).

Targets come from the whole sample by default (--slice all, the figure first reported);
--slice development draws them from the development slice only (tune on it) and --slice
held-out from the held-out slice (report it). The index always holds all 3,000 norms.

Run: .venv/bin/python bench/bench_known_item.py [--queries 200] [--seed 11] [--misses]
     [--slice all|development|held-out]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_corpus  # noqa: E402
from search import SearchDoc, Visibility  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.numbers import find_number_in_query, number_keys  # noqa: E402

NAMES = {"LEY": ["Ley", "ley", "LEY"], "DLEG": ["Decreto Legislativo", "D.Leg.", "D. Leg.", "DLeg", "D.L.", "decreto legislativo"],
         "DS": ["Decreto Supremo", "D.S.", "DS", "decreto supremo", "D. S."],
         "DU": ["Decreto de Urgencia", "D.U.", "DU", "decreto de urgencia"],
         "RM": ["Resolución Ministerial", "R.M.", "RM", "resolucion ministerial"],
         "RD": ["Resolución Directoral", "R.D.", "RD", "resolución directoral"],
         "RJ": ["Resolución Jefatural", "R.J.", "RJ", "resolución jefatural"],
         "RS": ["Resolución Suprema", "R.S.", "RS", "resolución suprema"]}
MARKERS = ["", "N° ", "Nº ", "N.° ", "Nro. ", "No. ", "nº ", "N°"]
_PREFIX = re.compile(r"^(?:LEY-ORGANICA|LEY|DLEG|DS|DU|RM|RD|RJ|RS|RESOLUCION-[A-Z]+)-")


def number_parts(entry) -> tuple[str, str | None, str]:
    """(number as printed, with its zeros; year as printed or None; sector) from the
    identifier: DS-026-99-AG-1999 -> ("026", "99", "AG")."""
    rest = _PREFIX.sub("", entry.identifier)
    m = re.match(r"^(\d+)(?:-(\d{2}|\d{4}))?(?:-(.*))?$", rest)
    if not m:   # an identifier without the number (the manifest's corrections give it)
        return entry.number, str(entry.year) if entry.year else None, ""
    number, year, sector = m.group(1), m.group(2), m.group(3) or ""
    if entry.type in ("LEY", "DLEG"):
        return number, None, ""
    sector = re.sub(r"-?\d{4}$", "", sector) if re.search(r"(?:^|-)\d{4}$", sector) else sector
    return number, year, sector


def index_docs(entries):
    try:
        from docsys.archive.frontmatter import read_structured
        from search.markup import without_markdown   # as docsys indexes an imported text
    except ImportError:
        read_structured = None
    docs = []
    for i, entry in enumerate(entries, 1):
        text = entry.read()
        if read_structured is not None:
            found = read_structured(text, entry.file)
            docs.append(SearchDoc(id=f"doc-{i}", document_id=i, version_number=1,
                                  doc_type=found.metadata.doc_type or "NORMA",
                                  title=found.title, body=without_markdown(found.body),
                                  number=found.official_number or "", year=found.metadata.year,
                                  date=entry.date, status="vigente", published=True))
            continue
        number, year, sector = number_parts(entry)
        printed = "-".join(p for p in (number, year, sector) if p)
        label = {"LEY": "Ley", "DLEG": "Decreto Legislativo", "DS": "Decreto Supremo",
                 "DU": "Decreto de Urgencia", "RM": "Resolución Ministerial",
                 "RD": "Resolución Directoral", "RJ": "Resolución Jefatural",
                 "RS": "Resolución Suprema", "CONST": "Constitución"}[entry.type]
        docs.append(SearchDoc(id=f"doc-{i}", document_id=i, version_number=1,
                              doc_type=entry.type, title=entry.title, body=entry.body(),
                              number=f"{label} N° {printed}" if number else label,
                              year=entry.year, date=entry.date, status="vigente",
                              published=True))
    return docs


def number_query(entry, rng: random.Random) -> str:
    number, year, sector = number_parts(entry)
    name = rng.choice(NAMES[entry.type])
    marker = rng.choice(MARKERS)
    shown = number if rng.random() < 0.5 else str(int(number))
    parts = [shown]
    if year:
        parts.append(year)
        if sector and rng.random() < 0.6:
            parts.append(sector.replace("-", rng.choice(["-", "/"]), 1) if "-" in sector else sector)
    elif sector and entry.type not in ("LEY", "DLEG"):
        # a number whose year, if any, comes after its sector ("RM-0536-RE-2019": R.M. 536-RE-2019,
        # "DS-0009-RE-1992": D.S. 9-RE-1992) is typed with both, in that order; without them
        # the query would name no norm (no extra draw, so every other query stays the same)
        parts += [sector] + re.findall(r"-(\d{4})$", entry.identifier)
    return f"{name} {marker}{'-'.join(parts)}"


_STOP = set("de del la las los el en y a por para que con se su al o e un una sobre".split())


def title_query(entry, rng: random.Random) -> str | None:
    title = re.sub(r"^.*? - ", "", entry.title) if " - " in entry.title else entry.title
    words = [w for w in re.findall(r"[A-Za-zÁÉÍÓÚáéíóúÑñ]{4,}", title) if w.lower() not in _STOP]
    if len(words) < 3:
        return None
    start = rng.randrange(0, max(1, len(words) - 3))
    return " ".join(words[start:start + rng.choice([3, 4])])


def rank_of(backend, query: str, target: int, depth: int = 50) -> int | None:
    results = backend.search(query, visibility=Visibility.everything(), per_page=depth,
                             facets=False)
    for n, hit in enumerate(results.hits, 1):
        if hit.document_id == target:
            return n
    return None


def first_hit(backend, query: str) -> int | None:
    results = backend.search(query, visibility=Visibility.everything(), per_page=1,
                             facets=False)
    return results.hits[0].document_id if results.hits else None


def report(label: str, ranks: list[int | None]) -> None:
    n = len(ranks)
    hit1 = sum(r == 1 for r in ranks) / n
    hit10 = sum(r is not None and r <= 10 for r in ranks) / n
    mrr = sum(1 / r for r in ranks if r) / n
    print(f"  {label} ({n} queries): hit@1 {hit1:.3f}, hit@10 {hit10:.3f}, MRR {mrr:.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--slice", choices=("all", "development", "held-out"), default="all",
                        help="draw the target norms from this slice of the sample (the index "
                             "always holds all of it); tune on development, report held-out")
    args = parser.parse_args(argv)
    if not national_corpus.available():
        print(f"SKIP: corpus not found at {national_corpus.CORPUS}")
        return 0
    entries = national_corpus.manifest()
    start = time.perf_counter()
    backend = EmbeddedBackend(None)
    docs = index_docs(entries)
    backend.index(docs)
    print(f"indexed {len(entries)} norms in {time.perf_counter() - start:.1f} s")
    rng = random.Random(args.seed)
    wanted = {"all": lambda e: True, "development": lambda e: not national_corpus.held_out(e.file),
              "held-out": lambda e: national_corpus.held_out(e.file)}[args.slice]
    # (a norm without a number, as the manifest's corrections say of an explanatory
    # article filed as a law, cannot be asked for by its number)
    targets = rng.sample([(i, e) for i, e in enumerate(entries, 1)
                          if e.type in NAMES and e.number and wanted(e)], args.queries)
    print(f"targets: {args.queries} norms of the {args.slice} slice (seed {args.seed})")
    by_type: dict[str, list] = {}
    ranks, misses = [], []
    keys_of = {d.document_id: set(number_keys(d.doc_type, d.number, d.year)) for d in docs}
    ambiguous = fitting_first = 0
    named_one: list[int | None] = []  # ranks of the queries whose number fits one norm only
    for doc_id, entry in targets:
        query = number_query(entry, rng)
        rank = rank_of(backend, query, doc_id)
        mention = find_number_in_query(query)
        typed = (mention.sector_key or mention.key) if mention else None
        several = bool(typed and sum(typed in keys for keys in keys_of.values()) > 1)
        ambiguous += several
        if not several:
            named_one.append(rank)
        first = first_hit(backend, query)
        fitting_first += rank == 1 or bool(typed and first is not None
                                           and typed in keys_of.get(first, ()))
        ranks.append(rank)
        by_type.setdefault(entry.type, []).append(rank)
        if rank != 1:
            misses.append(f"    {query!r} -> {rank} ({entry.file})")
    print("number:")
    report("all", ranks)
    print(f"  queries whose number, as typed, fits several norms of the sample (a number "
          f"without its sector): {ambiguous}; first hit is the target or a norm the typed "
          f"number fits as well: {fitting_first / len(targets):.3f}")
    report("number naming one norm of the sample", named_one)
    for code in sorted(by_type):
        report(code, by_type[code])
    title_ranks, title_misses = [], []
    for doc_id, entry in targets:
        query = title_query(entry, rng)
        if query:
            rank = rank_of(backend, query, doc_id)
            title_ranks.append(rank)
            if rank != 1:
                title_misses.append(f"    {query!r} -> {rank} ({entry.file})")
    print("title words:")
    report("all", title_ranks)
    if args.misses:
        print("number misses:")
        print("\n".join(misses))
        print("title misses:")
        print("\n".join(title_misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
