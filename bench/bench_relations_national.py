"""Relations from operative text at national scale: precision and recall of the relation
finder (docsys.compliance.relations.find_relations) against SPIJ's own notes.

Gold: the modify / repeal notes SPIJ writes into a norm's text ("(*) Artículo modificado
por el Artículo 1 de la Ley Nº 31433 ...", read by docsys.compliance.spij), and since stop
29 the footnotes of the codes and laws taken from LP ("* Artículo modificado por la Ley
30293, publicada el ..."; ``--gold spij`` leaves them out, as the earlier stops did), kept
where both norms are in the legalize-pe sample: "source modifies/repeals target".
Predictions: the finder run on each norm's own text with every note removed (the notes
are never fed to it), kept where the target is in the sample. A pair (source, target, kind)
is right when SPIJ records it; "deroga" and "modifica" are told apart.

Scored on pairs whose source norm is held out, and on the development slice. Headline
precision: proposals whose target's copy carries SPIJ notes (the others cannot be checked
against SPIJ); the raw precision over every proposal is printed beside it. A second line
per slice takes the proposals SPIJ does not note on the target's copy and checks them
against SPIJ's notes elsewhere in the sample (``recorded_elsewhere``: the notes of the
decree approving the target's TUO, a later version of its text, or another norm's note
saying the source modifies / repeals it); those recorded nowhere, on a target without
notes, are counted as unverifiable, never as right. The finder is given each file's own
norm (``own_id``): on a gazette page holding several norms it reads only the clauses
under that norm's heading.

Down to the article: for the right pairs whose notes name each article they changed (LP's
"* Artículo modificado por ..." under an article's heading; SPIJ's notes that name none
leave the pair out), how often the finder reads the same articles (top-level: "38.3" is
article 38), and how often it reads every noted one. ``--errors`` lists the development
pairs where they differ.

Precision by reading: SPIJ notes only some of the acts a text states, so a proposal SPIJ
does not record is not thereby wrong. ``bench/labels/relations_national.json`` holds a
verdict per proposal ("right" / "wrong" and a one-line reason; identifiers only, never
corpus text), given by reading both norms' texts; proposals SPIJ records (on the target's
copy or elsewhere in the sample) count as right unless a label says otherwise. The third
line per slice prints that precision over the proposals SPIJ records or a label reads,
and how many proposals are neither (unlabelled, left out of it). Held-out proposals were
labelled before any change of the finder for them; labelling is measurement, never a
reason to change code.
Run: .venv/bin/python bench/bench_relations_national.py [--errors] [--unlabelled]
     [--slice development|held-out]  (--errors: development slice only; --unlabelled lists a
     slice's proposals still to be labelled, with the clause they were read from)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_corpus  # noqa: E402
from docsys.compliance.spij import source_relations, strip_notes  # noqa: E402
from docsys.compliance.citations import (Citation, canonical_id_for,  # noqa: E402
                                         extract_citations)
from docsys.compliance.titles import TitleIndex  # noqa: E402
from search.folding import fold  # noqa: E402
from docsys.compliance.relations import find_relations  # noqa: E402
from docsys.compliance.report import noted_article  # noqa: E402
from search.registry import registry  # noqa: E402

NO_YEAR = {"LEY", "DLEG", "DLEY"}
LABELS = Path(__file__).resolve().parent / "labels" / "relations_national.json"
VERDICTS = ("right", "wrong")


def key(kind: str, number, year, sector: str = "") -> str:
    """The norm's key; for the types numbered per year and sector (DS, RM...) the sector
    too: "Decreto Supremo N° 001-2010-SA" and "N° 001-2010-MIMDES" are two norms."""
    number = str(int(number)) if str(number).isdigit() else str(number)
    base = f"{kind}-{number}" if kind in NO_YEAR or not year else f"{kind}-{number}-{int(year)}"
    doc_type = registry().get(kind)
    return f"{base}-{sector}" if sector and doc_type is not None and doc_type.has_sector else base


def sector_of(suffix: str | None) -> str:
    """The first word of a number's suffix ("DE-SG" -> "DE"), upper case."""
    for part in re.split(r"[-/\s]+", suffix or ""):
        if part and not part.isdigit():
            return part.upper()
    return ""


def suffix_of(entry) -> str:
    """What follows the year in the entry's identifier: "JUS" for "DS-004-2019-JUS", "MTC"
    for "DS-009-99-MTC-1999" (a two-digit year, the publication year appended)."""
    if not entry.year:
        return ""
    ident = entry.identifier
    if f"-{entry.year}-" in ident:
        return ident.split(f"-{entry.year}-", 1)[1]
    short = f"-{entry.year % 100:02d}-"
    if short in ident:
        rest = ident.split(short, 1)[1]
        return rest[:-5] if rest.endswith(f"-{entry.year}") else rest
    return ""


def entry_key(entry) -> str:
    return key(entry.type, entry.number, entry.year, sector_of(suffix_of(entry)))


def own_id(entry) -> str:
    """The entry's canonical id, as the citation extractor writes it (what docsys passes
    the relation finder as the norm's own, ``find_relations(own=...)``)."""
    return canonical_id_for(entry.type, entry.number, entry.year,
                            sector_of(suffix_of(entry)) or None)


def title_index(entries) -> TitleIndex:
    """The sample's norms by title, as the archive holds them (a document's title, number
    and date): what docsys gives the finder (``find_relations(titles=...)``), each norm
    with the names of those given up to its date (``TitleIndex.until``)."""
    return TitleIndex((e.title, Citation(0, 0, "", e.type, str(int(e.number)) if str(
        e.number).isdigit() else str(e.number), e.year, sector_of(suffix_of(e)) or None),
        e.date or None) for e in entries)


def cited_key(citation, by_key: dict, by_base: dict) -> str:
    """A citation's key in the sample: with its sector, or without one when the sample
    holds a single norm of that type, number and year."""
    full = key(citation.kind, citation.number, citation.year, sector_of(citation.issuer))
    if full in by_key:
        return full
    base = key(citation.kind, citation.number, citation.year)
    same = by_base.get(base, [])
    return same[0] if len(same) == 1 and not sector_of(citation.issuer) else full


def dated_otherwise(rel, entry) -> bool:
    """The note dates its norm in another year than the sample's norm of that key: another
    norm ("Decreto Supremo N° 001-2007-PRODUCE ..., publicada el 07 enero 2017" is SPIJ's
    misprint for 001-2017), not a note about the sample's."""
    return bool(rel.date and entry.date and rel.date[:4] != entry.date[:4])


# A later version of a norm in the sample: the decree approving its Texto Único Ordenado
# ("Aprueban Texto Único Ordenado de la Ley Nº 29344, ..."), not that of its reglamento.
_TUO_TITLE = re.compile(r"^(?:aprueban|decreto supremo que aprueba)\s+(?:el\s+)?texto\s+[uú]nico"
                        r"\s+ordenado\s+(?:de\s+la|del)\s+(?!reglamento)", re.IGNORECASE)
_NOTE_LINE = re.compile(r"^[ \t]*\(\\?\*+\)[^\n]*", re.MULTILINE)
_LINK = re.compile(r"\[(?P<link>[^\]\n]{3,300})\]")
# "(*) De conformidad con el [Artículo Único de la Ley Nº 32016](...), ..., se dispone la
# modificación del artículo 3 de la Ley 29344": another norm's note stating the act
_NOTE_ACT = {"modifica": re.compile(r"se\s+dispone\s+la\s+(?:modificacion|incorporacion)|se\s+"
                                    r"(?:modifica|incorpora|sustituye)(?![a-z])", re.IGNORECASE),
             "deroga": re.compile(r"se\s+dispone\s+la\s+derogacion|se\s+(?:deroga|deja\s+sin"
                                  r"\s+efecto)(?![a-z])", re.IGNORECASE)}


def recorded_elsewhere(entries, by_key: dict, by_base: dict) -> set[tuple[str, str, str]]:
    """Pairs (source, target, kind) that SPIJ records outside the target's own copy: in
    the notes of a later version of the target in the sample (the decree approving its
    TUO, whose text is the target's), or in a note of any norm that says the source
    modifies / repeals the target. An independent check of proposals the target's copy
    does not note (its copy predates them); the notes are never fed to the finder."""
    out: set[tuple[str, str, str]] = set()
    for entry in entries:
        text = entry.read()
        if _TUO_TITLE.match(fold(entry.title)):
            ordered = [c for c in extract_citations(entry.title) if c.kind == "TUO"]
            if ordered:
                target = cited_key(replace(ordered[0], kind=ordered[0].issuer or "LEY"),
                                   by_key, by_base)
                for rel in source_relations(text):
                    by = cited_key(rel.by, by_key, by_base)
                    if by in by_key and target in by_key and by != target \
                            and not dated_otherwise(rel, by_key[by]):
                        out.add((by, target, rel.kind))
        for line in _NOTE_LINE.finditer(text):
            link = _LINK.search(line.group(0))
            if not link:
                continue
            by = [c for c in extract_citations(link["link"]) if c.kind != "CONST" and c.number]
            if not by:
                continue
            source = cited_key(by[0], by_key, by_base)
            rest = line.group(0)[link.end():]
            for kind, act in _NOTE_ACT.items():
                said = act.search(fold(rest))
                if not said:
                    continue
                for cited in extract_citations(rest[said.end():said.end() + 200])[:1]:
                    target = cited_key(cited, by_key, by_base)
                    if source in by_key and target in by_key and source != target:
                        out.add((source, target, kind))
    return out


# An article's new text after SPIJ's "cuyo texto es el siguiente:", quoted or not: its
# heading is an independent reading of the article the note changed
_NEW_TEXT_HEADING = re.compile(r"^(?:[^\S\n]|[#*_\"“”])*(?i:art[íi]culo)\s+(?P<number>\d{1,4}"
                               r"(?:-[A-Z])?|[IVXL]{1,6})(?![\w-])", re.MULTILINE)


def note_articles_checked(entries) -> dict[bool, tuple[int, int, int, int]]:
    """SPIJ's notes naming no article ("(*) Artículo modificado por ...") are given the one
    whose heading stands above them (docsys.compliance.spij). Checked where the note gives
    the article's new text: by slice (held out or not), (agreeing, checked) with that text's
    own heading, and (notes saying «Artículo» alone, SPIJ's notes in the body)."""
    from docsys.compliance import spij
    out = {True: [0, 0, 0, 0], False: [0, 0, 0, 0]}
    for entry in entries:
        text = entry.read()
        headings, body = spij._Headings(text), spij._body_start(text)
        tally = out[national_corpus.held_out(entry.file)]
        for note in spij._NOTE_RE.finditer(text):
            part = " ".join(spij._EMPHASIS.sub(" ", spij._STARS.sub(" ", note["what"])).split())
            if note.start() < body:
                continue
            tally[3] += 1
            if part.lower() != "artículo":
                continue
            tally[2] += 1
            end = text.find("\n", note.end())
            end = len(text) if end < 0 else end
            if "cuyo texto es el siguiente" not in text[note.start():end]:
                continue
            new, above = _NEW_TEXT_HEADING.search(text, end, end + 400), headings.above(
                note.start())
            if new is None or above is None:
                continue
            tally[0] += new["number"] == above["number"]
            tally[1] += 1
    return {held: (tally[0], tally[1], tally[2], tally[3]) for held, tally in out.items()}


def read_labels(path: Path = LABELS) -> dict[tuple[str, str, str], str]:
    """The hand verdicts, keyed (source, target, kind) as the bench keys proposals. A
    malformed file is an error, not an empty set: a silent empty set would print a
    precision by reading of SPIJ's alone."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[tuple[str, str, str], str] = {}
    for item in data["labels"]:
        pair = (item["source"], item["target"], item["kind"])
        if item["kind"] not in ("modifica", "deroga") or item["verdict"] not in VERDICTS:
            raise ValueError(f"etiqueta no válida: {item}")
        if not item.get("reason", "").strip():
            raise ValueError(f"etiqueta sin motivo: {item}")
        if pair in out:
            raise ValueError(f"etiqueta repetida: {pair}")
        out[pair] = item["verdict"]
    return out


def by_reading(proposed: set, recorded: set, labels: dict) -> tuple[int, int, int]:
    """(right, judged, unlabelled) over ``proposed``: a label decides where there is one;
    otherwise a pair SPIJ records (``recorded``) is right; the rest is unlabelled."""
    right = judged = 0
    for pair in proposed:
        verdict = labels.get(pair) or ("right" if pair in recorded else None)
        if verdict is None:
            continue
        judged += 1
        right += verdict == "right"
    return right, judged, len(proposed) - judged


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--unlabelled", action="store_true")
    parser.add_argument("--slice", choices=("development", "held-out"), default="development")
    parser.add_argument("--gold", choices=("notes", "spij"), default="notes",
                        help="notes: SPIJ's notes and LP's footnotes (since stop 29); spij: "
                             "SPIJ's linked notes alone, the gold of the earlier stops")
    args = parser.parse_args(argv)
    if args.errors and args.slice != "development":
        parser.error("--errors lists the development slice only")
    labels = read_labels()
    if not national_corpus.available():
        print(f"SKIP: corpus not found at {national_corpus.CORPUS}")
        return 0
    entries = [e for e in national_corpus.manifest() if e.type != "CONST"]
    by_key = {entry_key(e): e for e in entries}
    by_base: dict[str, list[str]] = {}
    for k, e in by_key.items():
        by_base.setdefault(key(e.type, e.number, e.year), []).append(k)
    titles = title_index(entries)
    gold: set[tuple[str, str, str]] = set()
    predicted: set[tuple[str, str, str]] = set()
    # the articles each pair changed: as the notes name them (None: a note naming none, or
    # the whole norm) and as the finder reads them (top-level: "38.3" is article 38)
    noted_articles: dict[tuple[str, str, str], set] = {}
    read_articles: dict[tuple[str, str, str], set] = {}
    evidence: dict = {}
    annotated: set[str] = set()      # norms whose text carries SPIJ notes
    for entry in entries:
        text = entry.read()
        me = entry_key(entry)
        notes = source_relations(text, footnotes=args.gold == "notes")
        if notes:
            annotated.add(me)
        for rel in notes:
            by = cited_key(rel.by, by_key, by_base)
            if by in by_key and by != me and not dated_otherwise(rel, by_key[by]):
                gold.add((by, me, rel.kind))
                noted_articles.setdefault((by, me, rel.kind), set()).add(noted_article(rel.part))
        for mention in find_relations(strip_notes(text), own=own_id(entry),
                                      titles=titles.until(entry.date)):
            if mention.kind not in ("modifica", "deroga"):
                continue
            target = cited_key(mention.target, by_key, by_base)
            if target in by_key and target != me:
                predicted.add((me, target, mention.kind))
                evidence[(me, target, mention.kind)] = mention.evidence[:200]
                read_articles.setdefault((me, target, mention.kind), set()).update(
                    a.split(".")[0].upper() for a in mention.articles)
    elsewhere = recorded_elsewhere(entries, by_key, by_base) - gold
    attributed = note_articles_checked(entries)
    for label, held in (("held-out", True), ("development", False)):
        g = {p for p in gold if national_corpus.held_out(by_key[p[0]].file) == held}
        p = {p for p in predicted if national_corpus.held_out(by_key[p[0]].file) == held}
        right = len(g & p)
        precision = right / len(p) if p else 0.0
        recall = right / len(g) if g else 0.0
        # SPIJ notes only the acts it annotated in the target's copy, and many copies in
        # the sample carry no note at all: a proposal whose target has no notes cannot be
        # checked (most read, by hand on the development slice, as true relations). The
        # headline precision counts the proposals whose target carries SPIJ notes; the raw
        # figure (every proposal) is printed beside it.
        noted = {x for x in p if x[1] in annotated}
        checked = len(g & noted) / len(noted) if noted else 0.0
        print(f"{label}: precision {checked:.3f} on targets with the source's notes (proposed "
              f"{len(noted)}, right {len(g & noted)}), recall {recall:.3f} (gold {len(g)}); "
              f"raw precision {precision:.3f} (proposed {len(p)}, right {right})")
        # Proposals SPIJ does not note on the target's copy: some are recorded by SPIJ
        # elsewhere in the sample (recorded_elsewhere); the rest cannot be checked either
        # way and are counted as such, never as right.
        lacking = p - g
        confirmed = lacking & elsewhere
        unverifiable = {x for x in lacking - confirmed if x[1] not in annotated}
        checkable = len(p) - len(unverifiable)
        print(f"  {label}: of {len(lacking)} proposals SPIJ does not note on the target's "
              f"copy, {len(confirmed)} are recorded by SPIJ elsewhere in the sample (a later "
              f"version's notes, another norm's note), {len(unverifiable)} unverifiable "
              f"(target without SPIJ notes, recorded nowhere); precision on the checkable "
              f"{(right + len(confirmed)) / checkable if checkable else 0.0:.3f} (checkable "
              f"{checkable}, right {right + len(confirmed)})")
        # Down to the article: the right pairs whose notes name each article changed
        named = [x for x in g & p if None not in noted_articles[x]]
        same = sum(read_articles.get(x, set()) == noted_articles[x] for x in named)
        every = sum(noted_articles[x] <= read_articles.get(x, set()) for x in named)
        print(f"  {label}: articles, of {len(named)} right pairs whose notes name each "
              f"article changed: the same articles read for {same} "
              f"({same / len(named) if named else 0.0:.3f}), every noted article among "
              f"those read for {every} ({every / len(named) if named else 0.0:.3f})")
        agree, checked, alone, notes = attributed[held]
        print(f"  {label}: SPIJ's notes naming no article ({alone} of {notes} in the texts' "
              f"bodies say «Artículo» alone), given the one they stand under: the article of "
              f"the new text they give for {agree} of {checked} "
              f"({agree / checked if checked else 0.0:.3f})")
        good, judged, unlabelled = by_reading(p, gold | elsewhere, labels)
        print(f"  {label}: precision by reading {good / judged if judged else 0.0:.3f} "
              f"(read {judged}: recorded by SPIJ or labelled, right {good}; "
              f"{unlabelled} unlabelled of {len(p)} proposed)")
    if args.unlabelled:  # to label: identifiers and the clause, nothing about SPIJ's verdict
        held = args.slice == "held-out"
        for p in sorted(predicted - gold - elsewhere - set(labels)):
            if national_corpus.held_out(by_key[p[0]].file) == held:
                print("  unlabelled", p, by_key[p[0]].file, "->", by_key[p[1]].file,
                      "|", evidence[p])
    if args.errors:  # the development slice only: the held-out errors are never looked at
        development = lambda p: not national_corpus.held_out(by_key[p[0]].file)  # noqa: E731
        for p in sorted(filter(development, gold & predicted)):
            noted, read = noted_articles[p], read_articles.get(p, set())
            if None not in noted and noted != read:
                print("  articles", p, "noted", sorted(noted), "read", sorted(read))
        for p in sorted(filter(development, gold - predicted)):
            print("  missed", p, by_key[p[0]].file)
        for p in sorted(filter(development, predicted - gold)):
            status = ("recorded elsewhere" if p in elsewhere else "target noted, wrong"
                      if p[1] in annotated else "unverifiable")
            print(f"  extra  [{status}]", p, evidence[p])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
