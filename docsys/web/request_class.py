"""docsys's request class: werkzeug's, except that a query string or a JSON body is never a
500, and a NUL character is never read from a request.

werkzeug keeps an invalid percent-escape ("%E9") as it came, but a raw byte that is not
UTF-8 (a hand-made or badly encoded link: "?q=cuota\\xe9") makes ``request.args`` raise
UnicodeDecodeError, so every page reading its parameters answered 500. Such a byte is now
kept percent-encoded too, werkzeug's own rule for what it cannot decode, and the page
answers as for any other odd query.

A NUL character ("%00" in a link, "\\u0000" in JSON) is no text a person types, and
PostgreSQL refuses to store or compare it: a login form, a comment or the inbox's filter
given one answered 500 on PostgreSQL alone. A query string is a reading: its NUL
characters are dropped, as search drops other control characters. A body is what gets
stored: a form field or a JSON string holding one is refused with a message (400) on both
databases alike, when the body is read (by the view, or by the CSRF check before it), so
a view's own size limit still applies first (the archive's upload lifts the site's).
Uploaded files are not looked at: their bytes are checked by content where they are read.
No address holds one either: a NUL in a URL's path ("/admin/usuarios/a%00b") is a 404
(``refuse_nul_in_path``, run before every view).
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from flask import Request, abort, request
from werkzeug.datastructures import MultiDict
from werkzeug.utils import cached_property

from docsys.errors import ValidationError
from docsys.ids import parse_id

NUL_REFUSED = ("La solicitud contiene un carácter nulo (U+0000), que no se admite en ningún "
               "dato. Revise lo escrito o pegado.")

# werkzeug's codec error handler (registered when werkzeug.urls is imported, as Flask does):
# the bytes it cannot decode, written back percent-encoded.
KEEP_ENCODED = "werkzeug.url_quote"


class DocsysRequest(Request):
    @cached_property
    def args(self) -> MultiDict[str, str]:
        """werkzeug's parse (sansio.Request.args), with bytes that are not UTF-8 kept
        percent-encoded and NUL characters dropped."""
        return self.parameter_storage_class(
            [(key.replace("\x00", ""), value.replace("\x00", ""))
             for key, value in parse_qsl(self.query_string.decode("utf-8", KEEP_ENCODED),
                                         keep_blank_values=True, errors=KEEP_ENCODED)])

    def _load_form_data(self) -> None:
        """werkzeug's (the form and files, read once), then its fields refused if one
        holds a NUL character."""
        loaded = "form" in self.__dict__
        super()._load_form_data()
        if not loaded and any("\x00" in key or "\x00" in value
                              for key, value in self.form.items(multi=True)):
            raise ValidationError(NUL_REFUSED)

    def get_json(self, force: bool = False, silent: bool = False,
                 cache: bool = True) -> Any | None:
        """Flask's, then refused if a string of it (a key included) holds a NUL character
        (``silent`` is about a body that is not JSON; this one is). A body nested deeper
        than the parser goes (Flask lets its RecursionError through, a 500) is no JSON
        docsys reads: None when ``silent``, else a 400 that says so."""
        try:
            value = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError as exc:
            if silent:
                return None
            raise ValidationError("El cuerpo de la solicitud no es un JSON válido: está "
                                  "anidado a demasiada profundidad.") from exc
        if value is not None and self.__dict__.get("_checked_json") is not value:
            if _holds_nul(value):
                raise ValidationError(NUL_REFUSED)
            self.__dict__["_checked_json"] = value
        return value


def page_arg(name: str) -> int:
    """The page number a query argument asks for (``?pagina=2``, ``?citada_por=3``): a whole
    number from 1, read as every id; 1 for anything else."""
    return parse_id(request.args.get(name)) or 1


def refuse_nul_in_path(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Flask's URL value preprocessor: a value of the address holding a NUL character
    names nothing docsys has (404), before any view looks it up."""
    if values and any(isinstance(value, str) and "\x00" in value for value in values.values()):
        abort(404)


def _holds_nul(value: Any) -> bool:
    """Whether a parsed JSON value holds a NUL character in any string, looked through
    without recursion (a deeply nested body must not exhaust the stack)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False
