"""Redline timings on two seeded ~20-page versions: compare, HTML fragment, tracked DOCX.

Scenarios:
  typical    a reviewer's pass: a fifth of the items edited (a few words each), articles
             inserted, deleted and moved, sumilla and closing changed;
  rewritten  every item rewritten (its words shuffled and a third replaced);
  new-ids    the typical edits, but every item with a new id (content pasted from
             elsewhere): alignment falls back on text similarity.
Run: .venv/bin/python bench/bench_redline.py [--repeat 5] [--pages 20]
"""
from __future__ import annotations

import argparse
import copy
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docsys.review.redline import compare, render_html, version_lines  # noqa: E402
from docsys.review.redline_docx import render_tracked_docx  # noqa: E402

WORDS_PER_PAGE = 450
WORDS = ("municipalidad distrital megantoni gerencia resolución expediente informe técnico "
         "presupuesto contratación obra comunidad nativa timpía camisea artículo numeral ley "
         "reglamento procedimiento administrativo servicio público transitabilidad vehicular "
         "de la el los las que en del por con para según conforme N° 27972 27444 año "
         "órgano competente opinión favorable asesoría jurídica alcaldía concejo").split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def version(rng: random.Random, pages: int) -> dict:
    """About ``pages`` A4 pages: 2/3 considerandos of ~120 words, 1/3 articles of ~90."""
    total = pages * WORDS_PER_PAGE
    considerandos = [{"id": f"c{n}", "text": f"Que, {sentence(rng, rng.randint(80, 160))};"}
                     for n in range(total * 2 // 3 // 120)]
    articles = [{"id": f"a{n}", "text": sentence(rng, rng.randint(50, 130)).upper() + "."}
                for n in range(total // 3 // 90)]
    return {
        "doc_type": "RGM",
        "fields": {"sumilla": sentence(rng, 25), "expediente": "2024-004512",
                   "lugar": "Camisea", "fecha": "2024-03-12",
                   "firmante_nombre": "Ing. Juan Pérez Quispe", "firmante_cargo": "Gerente Municipal"},
        "sections": [
            {"key": "visto", "title": "VISTO:", "kind": "paragraphs",
             "items": [{"id": "v1", "text": sentence(rng, 60) + "; y,"}]},
            {"key": "considerando", "title": "CONSIDERANDO:", "kind": "paragraphs",
             "items": considerandos},
            {"key": "resuelve", "title": "SE RESUELVE:", "kind": "articles",
             "numbering": "ordinal_upper", "items": articles},
        ],
        "closing": "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.",
    }


def edit(rng: random.Random, text: str, changes: int) -> str:
    words = text.split(" ")
    for _ in range(changes):
        position = rng.randrange(len(words))
        action = rng.random()
        if action < 0.4:
            words[position] = rng.choice(WORDS)
        elif action < 0.7:
            words.insert(position, rng.choice(WORDS))
        elif len(words) > 1:
            words.pop(position)
    return " ".join(words)


def typical(rng: random.Random, old: dict) -> dict:
    new = copy.deepcopy(old)
    for section in new["sections"]:
        for item in section["items"]:
            if rng.random() < 0.2:
                item["text"] = edit(rng, item["text"], rng.randint(1, 6))
    articles = new["sections"][2]["items"]
    for n in range(3):
        articles.pop(rng.randrange(len(articles)))
        articles.insert(rng.randrange(len(articles)),
                        {"id": f"new{n}", "text": sentence(rng, 60) + "."})
    for _ in range(3):
        articles.insert(rng.randrange(len(articles)), articles.pop(rng.randrange(len(articles))))
    new["fields"]["sumilla"] = edit(rng, new["fields"]["sumilla"], 3)
    new["closing"] = "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."
    return new


def rewritten(rng: random.Random, old: dict) -> dict:
    new = copy.deepcopy(old)
    for section in new["sections"]:
        for item in section["items"]:
            words = item["text"].split(" ")
            rng.shuffle(words)
            item["text"] = edit(rng, " ".join(words), len(words) // 3)
    return new


def new_ids(rng: random.Random, old: dict) -> dict:
    new = typical(rng, old)
    for section in new["sections"]:
        for item in section["items"]:
            item["id"] = f"x{rng.randrange(10**9)}"
    return new


def timed(function, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return result, times


def run(name: str, old: dict, new: dict, repeat: int) -> None:
    words = sum(len(line.split()) for line in version_lines(old))
    redline, t_compare = timed(lambda: compare(old, new), repeat)
    html, t_html = timed(lambda: render_html(redline), repeat)
    docx, t_docx = timed(lambda: render_tracked_docx(
        redline, title="Medición", old_version=1, new_version=2, author="Asesoría Jurídica"),
        repeat)
    s = redline.summary
    print(f"{name:<10} {words:>6} words (~{words / WORDS_PER_PAGE:.0f} p.), "
          f"{len(redline.items()):>3} items | +{s.words_inserted}/-{s.words_deleted} words, "
          f"items +{s.items_inserted}/-{s.items_deleted} moved {s.items_moved} "
          f"modified {s.items_modified}")
    for label, times in (("compare", t_compare), ("html", t_html), ("docx", t_docx)):
        print(f"    {label:<8} median {statistics.median(times):7.1f} ms   "
              f"min {min(times):7.1f} ms   max {max(times):7.1f} ms")
    total = [a + b + c for a, b, c in zip(t_compare, t_html, t_docx)]
    print(f"    {'total':<8} median {statistics.median(total):7.1f} ms   "
          f"(HTML {len(html) / 1024:.0f} KiB, DOCX {len(docx) / 1024:.0f} KiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(42)
    old = version(rng, args.pages)
    for name, make in (("typical", typical), ("rewritten", rewritten), ("new-ids", new_ids)):
        run(name, old, make(random.Random(7), old), args.repeat)


if __name__ == "__main__":
    main()
