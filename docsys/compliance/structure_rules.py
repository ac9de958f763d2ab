"""The formal parts each type of norm must have, checked from rules written as data.

Rules live in YAML files (``docsys/compliance/rules/*.yaml``, one per family of types), so
the legal staff can change what is required without touching code. A file names the
types it covers (with the heading that identifies each one in a pasted text), the
sections that divide a text (each found by its heading, and running to the next heading
found), and the rules::

    doc_types:
      RGM:            # no pattern: the names of search/doc_types.yaml
      RA: '^resolucion\\s+de\\s+alcaldia'
    sections:
      considerando: {label: CONSIDERANDO, heading: '^considerando\\s*:?'}
    rules:
      - id: base-legal
        check: cites            # section | cites | pattern | absent | order
        section: considerando
        min: 1
        message: "Los considerandos no citan ninguna norma como base legal."

Every pattern is a regular expression matched, line by line (``^`` is a line start), on
the text folded to lower case without accents: write "resolucion", not "Resolución".
The checks:

* ``section``: the section's heading is present;
* ``cites``: at least ``min`` (default 1) norms are cited in ``section`` (or anywhere);
* ``pattern``: ``pattern`` (or one of ``any``) occurs in ``section`` (or anywhere);
* ``absent``: ``pattern`` does not occur; in the message ``{match}`` shows the first
  occurrence and ``{count}`` how many there are;
* ``order``: the ``sections`` listed appear in that order (those present).

A rule about a section that is missing is skipped: the missing section is reported once.
Drafts (structured JSON) are checked on the text they print as (see
:mod:`docsys.compliance.text`), so the same rules hold for drafts and pasted files.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

from docsys.compliance.citations import Citation, extract_citations
from search.folding import fold
from search.registry import name_pattern, registry
from docsys.errors import ValidationError

RULES_DIR = Path(__file__).with_name("rules")
CHECKS = ("section", "cites", "pattern", "absent", "order")
DETECT_CHARS = 600          # a type is recognised by a heading among the first characters
_FLAGS = re.MULTILINE


def _registry_heading(code: str, source: str) -> str:
    """A type written without a pattern ("RGM:") is recognised by the registry's names
    (search/doc_types.yaml), as the importer and the citation extractor recognise it."""
    doc_type = registry().get(code)
    if doc_type is None or not doc_type.names:
        raise RulesError(f"{source}: el tipo {code} no está en search/doc_types.yaml.")
    return r"^\s*(?:" + "|".join(name_pattern(n, plural=False) for n in doc_type.names) + ")"


class RulesError(ValidationError):
    """A rules file that cannot be used (a mistake in the data, not in the text checked)."""


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    heading: re.Pattern


@dataclass(frozen=True)
class Rule:
    id: str
    check: str
    message: str
    section: str | None = None
    patterns: tuple[re.Pattern, ...] = ()
    sections: tuple[str, ...] = ()
    min: int = 1


@dataclass(frozen=True)
class RuleSet:
    name: str
    source: str
    doc_types: dict[str, re.Pattern]
    sections: dict[str, Section]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Finding:
    """A structural requirement the text does not meet."""

    rule: str
    message: str
    section: str | None = None


# --------------------------------------------------------------------------- loading

def _compile(pattern, where: str) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        raise RulesError(f"{where}: falta la expresión regular.")
    try:
        return re.compile(pattern, _FLAGS)
    except re.error as exc:
        raise RulesError(f"{where}: expresión regular no válida ({exc}).") from None


def parse_rules(data, source: str) -> RuleSet:
    """A RuleSet from the parsed YAML of one file; RulesError names what is wrong."""
    if not isinstance(data, dict):
        raise RulesError(f"{source}: el archivo de reglas debe ser un mapa YAML.")
    doc_types = data.get("doc_types")
    if not isinstance(doc_types, dict) or not doc_types:
        raise RulesError(f"{source}: falta «doc_types» (tipo: encabezado que lo reconoce).")
    types = {str(code).upper(): _compile(p if p else _registry_heading(str(code), source),
                                         f"{source}: doc_types.{code}")
             for code, p in doc_types.items()}
    unknown = sorted(set(types) - set(registry().codes()))
    if unknown:
        raise RulesError(f"{source}: tipos que no están en search/doc_types.yaml: "
                         + ", ".join(unknown) + ".")
    sections = {}
    for key, spec in (data.get("sections") or {}).items():
        if not isinstance(spec, dict):
            raise RulesError(f"{source}: la sección «{key}» debe tener label y heading.")
        sections[key] = Section(key, str(spec.get("label") or key).strip(),
                                _compile(spec.get("heading"), f"{source}: sections.{key}"))
    rules = []
    seen = set()
    for n, spec in enumerate(data.get("rules") or [], start=1):
        where = f"{source}: regla {n}"
        if not isinstance(spec, dict):
            raise RulesError(f"{where}: debe ser un mapa.")
        rule_id = str(spec.get("id") or "").strip()
        if not rule_id or rule_id in seen:
            raise RulesError(f"{where}: falta «id» o está repetido.")
        seen.add(rule_id)
        check = spec.get("check")
        if check not in CHECKS:
            raise RulesError(f"{where} ({rule_id}): «check» debe ser uno de {', '.join(CHECKS)}.")
        message = str(spec.get("message") or "").strip()
        if not message:
            raise RulesError(f"{where} ({rule_id}): falta el mensaje («message»).")
        section = spec.get("section")
        listed = tuple(spec.get("sections") or ())
        for key in ([section] if section else []) + list(listed):
            if key not in sections:
                raise RulesError(f"{where} ({rule_id}): la sección «{key}» no está definida.")
        if check == "section" and not section:
            raise RulesError(f"{where} ({rule_id}): indique la sección («section»).")
        if check == "order" and len(listed) < 2:
            raise RulesError(f"{where} ({rule_id}): «order» necesita al menos dos secciones.")
        raw = spec.get("any") or ([spec["pattern"]] if spec.get("pattern") else [])
        if check in ("pattern", "absent") and not raw:
            raise RulesError(f"{where} ({rule_id}): falta «pattern» (o «any»).")
        patterns = tuple(_compile(p, f"{where} ({rule_id})") for p in raw)
        rules.append(Rule(rule_id, check, message, section, patterns, listed,
                          int(spec.get("min", 1))))
    return RuleSet(str(data.get("name") or source), source, types, sections, tuple(rules))


_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple, list[RuleSet]]] = {}


def load_rule_sets(directory: str | Path | None = None) -> list[RuleSet]:
    """Every rules file of ``directory`` (default: the shipped rules), re-read when a file
    changes."""
    directory = Path(directory or RULES_DIR)
    files = sorted(directory.glob("*.yaml"))
    stamp = tuple((f.name, f.stat().st_mtime_ns) for f in files)
    with _cache_lock:
        cached = _cache.get(str(directory))
        if cached and cached[0] == stamp:
            return cached[1]
    sets = []
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise RulesError(f"{path.name}: YAML no válido ({exc}).") from None
        sets.append(parse_rules(data, path.name))
    with _cache_lock:
        _cache[str(directory)] = (stamp, sets)
    return sets


def rules_for(doc_type: str | None, directory=None) -> RuleSet | None:
    if not doc_type:
        return None
    code = doc_type.upper()
    return next((s for s in load_rule_sets(directory) if code in s.doc_types), None)


def detect_doc_type(text: str, directory=None) -> str | None:
    """The type named by the heading of a pasted text ("RESOLUCIÓN DE ALCALDÍA N° ..."),
    or None. The earliest heading wins."""
    head = fold(text[:DETECT_CHARS])
    best: tuple[int, str] | None = None
    for rule_set in load_rule_sets(directory):
        for code, pattern in rule_set.doc_types.items():
            match = pattern.search(head)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), code)
    return best[1] if best else None


# --------------------------------------------------------------------------- checking

def _section_spans(folded: str, rule_set: RuleSet) -> dict[str, tuple[int, int]]:
    """Each section found: from the end of its heading to the next heading found."""
    found = []
    for key, section in rule_set.sections.items():
        match = section.heading.search(folded)
        if match is not None:
            found.append((match.start(), match.end(), key))
    found.sort()
    spans = {}
    for i, (start, end, key) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(folded)
        spans[key] = (end, max(end, stop))
    return spans


def check_structure(text: str, doc_type: str | None, citations: list[Citation] | None = None,
                    directory=None) -> list[Finding]:
    """What ``text`` lacks of the structure its type requires ([] when the type has no
    rules). ``citations`` are the text's own (extracted when not given)."""
    rule_set = rules_for(doc_type, directory)
    if rule_set is None or not text:
        return []
    folded = fold(text)
    spans = _section_spans(folded, rule_set)
    cites = citations if citations is not None else None
    findings = []
    for rule in rule_set.rules:
        if rule.section and rule.check != "section" and rule.section not in spans:
            continue
        lo, hi = spans.get(rule.section, (0, len(folded))) if rule.section else (0, len(folded))
        if rule.check == "section":
            ok = rule.section in spans
        elif rule.check == "cites":
            if cites is None:
                cites = extract_citations(text)
            ok = sum(1 for c in cites if lo <= c.start < hi) >= rule.min
        elif rule.check == "pattern":
            ok = any(p.search(folded, lo, hi) for p in rule.patterns)
        elif rule.check == "absent":
            hits = [m for p in rule.patterns for m in p.finditer(folded, lo, hi)]
            if hits:
                first = min(hits, key=lambda m: m.start())
                shown = " ".join(text[first.start():first.end()].split())[:120]
                message = rule.message.replace("{match}", shown).replace("{count}",
                                                                         str(len(hits)))
                findings.append(Finding(rule.id, message, rule.section))
            continue
        else:  # order
            present = [spans[k][0] for k in rule.sections if k in spans]
            ok = present == sorted(present)
        if not ok:
            findings.append(Finding(rule.id, rule.message, rule.section))
    return findings
