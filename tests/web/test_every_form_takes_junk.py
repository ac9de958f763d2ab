"""Every form a page shows, sent with junk in each field a person fills in, answers with
a page or a message, never a server error: each demo user (and a citizen) walks the site
(tests/web/demo_site.py), then sends every form found, GET and POST, with a valid CSRF
token and the hidden fields as the page gave them. On PostgreSQL, the stricter database:
a NUL character, which it cannot store or compare, made the login form, the comments and
the inbox's filter answer 500 there (docsys.web.request_class)."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import fresh_pg_schema
from tests.web.demo_site import ORIGIN, USERS, demo_app, visitor, walk

# A NUL character; quotes, markup and a letter with a tilde; a number too long for any
# column or integer; and nothing at all.
JUNK = ["a\x00b", "x' \"<b>ñ</b>", "9" * 30, ""]
ENDS_THE_SESSION = ("/salir", "/cuenta/sesiones")
WALKERS_ACCOUNTS = {f"/admin/usuarios/{username}" for username in USERS}
KEPT = ("hidden", "submit", "checkbox", "radio", "file")   # sent as the page gave them


class _Forms(HTMLParser):
    """The forms of a page: action, method and fields (name, input type, value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "form":
            self._form = {"action": found.get("action") or "",
                          "method": (found.get("method") or "get").lower(), "fields": []}
        elif self._form is not None and tag in ("input", "textarea", "select") \
                and found.get("name"):
            kind = found.get("type") or tag
            self._form["fields"].append((found["name"], kind, found.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


@pytest.fixture(scope="module")
def site(postgres_url, tmp_path_factory):
    with fresh_pg_schema(postgres_url) as url:
        app = demo_app(url, tmp_path_factory.mktemp("forms"))
        yield app
        app.extensions["docsys.engine"].dispose()


def _forms(pages: list[tuple[str, str]]) -> list[tuple[str, str, str, list]]:
    """(page, method, address, fields) of each distinct form the pages show. Not sent:
    leaving (/salir), ending one's own sessions, and the administrator's changes to the
    accounts the other walks sign in with (junk is a valid new password: they could no
    longer sign in on this site)."""
    found, seen = [], set()
    for page, html in pages:
        parser = _Forms()
        parser.feed(html)
        for form in parser.forms:
            address = urlsplit(urljoin(ORIGIN + page, form["action"] or page)).path
            key = (form["method"], address)
            if key not in seen and not address.startswith(ENDS_THE_SESSION) \
                    and address not in WALKERS_ACCOUNTS:
                seen.add(key)
                found.append((page, form["method"], address, form["fields"]))
    return found


@pytest.mark.parametrize("username", [*USERS, None])
def test_every_form_sent_with_junk_answers_without_a_server_error(site, username):
    browser = visitor(site, username)
    pages: list[tuple[str, str]] = []
    walk(browser, pages)
    forms = _forms(pages)
    assert len(forms) >= (8 if username else 2), forms
    failures = []
    for junk in JUNK:
        for page, method, address, fields in forms:
            data = {name: value if kind in KEPT else junk for name, kind, value in fields}
            if method == "get":
                data.pop("csrf_token", None)
                response = browser.get(address, query_string=data)
            else:
                data["csrf_token"] = browser.refresh_csrf(page) or ""
                response = browser.client.post(address, data=data)
            refused = response.mimetype == "text/html" and "token CSRF" in response.get_data(
                as_text=True)   # the walk's session lost: the check would prove nothing
            if response.status_code >= 500 or refused:
                failures.append((page, method, address, repr(junk), response.status_code))
    assert not failures, failures
