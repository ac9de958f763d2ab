"""Compliance checking against the normative archive.

* :func:`extract_citations` finds the norms a text cites, with canonical ids
  (:mod:`docsys.compliance.citations`);
* :func:`find_relations` finds what a norm repeals, modifies or regulates
  (:mod:`docsys.compliance.relations`);
* :func:`check_structure` checks the formal parts each type requires, from the rules in
  ``rules/*.yaml`` (:mod:`docsys.compliance.structure_rules`);
* :func:`check_text` makes the compliance report of a text (:mod:`docsys.compliance.report`);
* :func:`analyze_norm` stores a new norm's citations and proposes its relations, for the
  archivist to confirm (:mod:`docsys.compliance.norms`). Issuing calls it; so does import::

      from docsys.compliance import analyze_norm
      analyze_norm(session, document, text)   # in the transaction that stores the norm
"""
from docsys.compliance.citations import Citation, extract_citations, parse_norm_reference
from docsys.compliance.norms import (analyze_archive, analyze_norm, confirm_relation,
                                     norm_links, reject_relation)
from docsys.compliance.relations import RelationMention, find_relations
from docsys.compliance.report import Report, check_text
from docsys.compliance.structure_rules import Finding, check_structure, detect_doc_type

__all__ = ["Citation", "Finding", "RelationMention", "Report", "analyze_archive",
           "analyze_norm", "check_structure", "check_text", "confirm_relation",
           "detect_doc_type", "extract_citations", "find_relations", "norm_links",
           "parse_norm_reference", "reject_relation"]
