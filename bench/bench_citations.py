"""Citation extraction: precision and recall on the gold set, and speed.

The gold set (tests/compliance/citation_gold.yaml) holds real-looking sentences of
Peruvian municipal norms with the citations a legal adviser would mark in them: every
spelling of the number marker (N°, Nº, N.°, No., Nro., Núm., número, none), abbreviations
(R.A., D.S., D.Leg., D.L., RGM, O.M., TUO), lists and ranges of articles, numerals and
literales, anaphora ("la misma ley"), other municipalities, national norms, and sentences
with no citation at all (informes, oficios, dates, prose). A citation is right when its
canonical id and its articles are right; the "norms only" figures ignore the articles.

Speed: characters per second on a long text made of the gold sentences.

Run: .venv/bin/python bench/bench_citations.py [--errors]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docsys.compliance.citations import extract_citations  # noqa: E402
from tests.compliance.gold import load_gold, score  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the sentences missed")
    args = parser.parse_args(argv)

    gold = load_gold()
    strict = score(gold, extract_citations)
    norms = score(gold, extract_citations, norms_only=True)
    print(f"Conjunto de referencia: {len(gold)} oraciones, {strict.expected} citas "
          f"({sum(1 for g in gold if not g.cites)} oraciones sin citas)")
    print(f"  norma y artículos: precisión {strict.precision:.3f} · exhaustividad "
          f"{strict.recall:.3f} ({strict.correct}/{strict.predicted} predichas, "
          f"{strict.correct}/{strict.expected} esperadas)")
    print(f"  solo la norma:     precisión {norms.precision:.3f} · exhaustividad "
          f"{norms.recall:.3f}")
    if args.errors:
        for text, expected, got in strict.errors:
            print(f"- {text}\n    esperado {expected}\n    obtenido {got}")

    text = "\n".join(g.text for g in gold) * 40
    extract_citations(text)
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        found = extract_citations(text)
        runs.append(time.perf_counter() - t)
    best = min(runs)
    print(f"Velocidad: {len(text):,} caracteres ({len(found):,} citas) en {best * 1000:.0f} ms "
          f"= {len(text) / best / 1e6:.1f} M caracteres/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
