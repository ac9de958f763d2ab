"""Laws cited by their name and then their number ("Ley General de Salud Nº 26842", "Ley
Orgánica de Elecciones, Nº 26859") in the national norms of legalize-pe: how many the
citation extractor reads as that law, on the development and held-out slices.

Gold, taken from the texts by a pattern, not by the extractor: "Ley", one to twelve words
of a name (none of them a norm type, "aprobado", "que", a conjunction or a document), an
explicit number marker (N°, Nº) and the number; such a phrase cites Ley <number>. Each
phrase is given to ``extract_citations`` with the words right after it, and counts as read
when a citation of that law comes out.

Run: .venv/bin/python bench/bench_named_laws.py [--misses]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_corpus  # noqa: E402
from docsys.compliance.citations import extract_citations  # noqa: E402

PHRASE = re.compile(r"\bLey ((?:[A-ZÁÉÍÓÚa-záéíóúñ,]+ ){1,12}?)N[°º]\s?(\d{3,5})\b")
NOT_A_NAME = re.compile(r"\b(?:decretos?|leyes|ley|resoluci\w*|reglamento|aprobad\w*|texto|tuo|"
                        r"c[oó]digo|ordenanza|acuerdo|directiva|es|al|que|y|o|su|sus|dl|ds)\b",
                        re.IGNORECASE)


def phrases(text: str):
    for match in PHRASE.finditer(text):
        if not NOT_A_NAME.search(match[1]) and not match[1].startswith("de N"):
            yield match


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the phrases not read")
    args = parser.parse_args(argv)
    if not national_corpus.available():
        print(f"SKIP: corpus not found at {national_corpus.CORPUS}")
        return 0
    for label, held in (("development", False), ("held-out", True)):
        total = read = 0
        misses = []
        for entry in national_corpus.manifest():
            if national_corpus.held_out(entry.file) != held:
                continue
            text = entry.read()
            for match in phrases(text):
                total += 1
                found = extract_citations(text[match.start():match.end() + 5])
                if any(c.canonical_id == f"LEY-{int(match[2])}" for c in found):
                    read += 1
                else:
                    misses.append(f"{entry.file}: {match[0]}")
        print(f"{label}: {read} of {total} laws cited by name and number read as that law "
              f"({read / total if total else 0.0:.3f})")
        if args.misses:
            for miss in misses:
                print("  miss", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
