"""Compliance checker core: norm citations, repeal/modify relations and structural rules.

Pure Python (no Flask, no database) so that the web layer, the CLI and the benchmarks
share one implementation:

* :mod:`docsys.compliance.citations` finds the norms a text cites ("el numeral 6 del
  artículo 20 de la Ley N° 27972") and gives each one a canonical id ("LEY-27972");
* :mod:`docsys.compliance.relations` finds what a document does to other norms
  ("DERÓGUESE la Ordenanza Municipal N° 012-2019-MDM");
* :mod:`docsys.compliance.structure_rules` checks the formal parts each document type
  must have, from the rules in ``rules/*.yaml``.
"""
from docsys.compliance.citations import (Citation, canonical_id_for, canonical_label_for,
                                         extract_citations, parse_norm_reference)
from docsys.compliance.relations import Relation, find_relations
from docsys.compliance.structure_rules import Finding, check_structure

__all__ = ["Citation", "Finding", "Relation", "canonical_id_for", "canonical_label_for",
           "check_structure", "extract_citations", "find_relations", "parse_norm_reference"]
