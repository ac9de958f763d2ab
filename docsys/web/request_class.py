"""docsys's request class: werkzeug's, except that a query string is never a 500.

werkzeug keeps an invalid percent-escape ("%E9") as it came, but a raw byte that is not
UTF-8 (a hand-made or badly encoded link: "?q=cuota\\xe9") makes ``request.args`` raise
UnicodeDecodeError, so every page reading its parameters answered 500. Such a byte is now
kept percent-encoded too, werkzeug's own rule for what it cannot decode, and the page
answers as for any other odd query.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request
from werkzeug.datastructures import MultiDict
from werkzeug.utils import cached_property

# werkzeug's codec error handler (registered when werkzeug.urls is imported, as Flask does):
# the bytes it cannot decode, written back percent-encoded.
KEEP_ENCODED = "werkzeug.url_quote"


class DocsysRequest(Request):
    @cached_property
    def args(self) -> MultiDict[str, str]:
        """werkzeug's parse (sansio.Request.args), with bytes that are not UTF-8 kept
        percent-encoded."""
        return self.parameter_storage_class(
            parse_qsl(self.query_string.decode("utf-8", KEEP_ENCODED),
                      keep_blank_values=True, errors=KEEP_ENCODED))
