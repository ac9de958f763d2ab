"""Import of the municipality's existing normative archive (PDF, scanned PDF, DOCX, DOC, TXT).

Framework-free: :func:`extract_file` turns one file into text (OCR where a page has no text
layer) and :func:`guess_metadata` reads the norm's type, number, year, office, date and
sumilla out of that text, each field with a confidence so an archivist confirms the doubtful
ones. :mod:`docsys.archive.service` turns files into archived norms (one transaction each),
:mod:`docsys.archive.review` is the archivist's confirmation, :mod:`docsys.archive.uploads`
the web uploads and their background worker.
"""
from docsys.archive.extract import Extraction, ExtractionError, extract_file
from docsys.archive.metadata import GuessedMetadata, guess_metadata

__all__ = ["Extraction", "ExtractionError", "extract_file", "GuessedMetadata", "guess_metadata"]
