"""Demonstration data and fixture generators of docsys, kept out of the product package.

- ``demo/data/*.yaml``: the data (offices, users, documents with their texts and review
  steps, the compliance archive's norms, the generated archive's texts), read by
  :func:`demo.loader.data`.
- :mod:`demo.loader`: the entry module; ``load_demo(session, settings)`` plays the offices,
  users and documents through the domain functions.
- :mod:`demo.compliance`, :mod:`demo.archive`: the compliance archive and the generated
  archive imported through the real import service.
- :mod:`demo.specimens`: generated norms as PDF, DOCX and scans (also used by the tests and
  the import benchmark).
- :mod:`demo.cli`: the ``flask docsys demo`` command, attached by ``wsgi.py``.

``docsys`` never imports this package.
"""
