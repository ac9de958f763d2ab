"""Every link a page shows opens: each demo user (and an anonymous citizen) walks the
site from its start pages, following the links the pages show, and no link answers an
error — no 404 for a link docsys itself printed, no 403 for one it offered, no 500.

Issue 11's «every hit opens», for the whole site: a page that links to something its
reader may not open, or to an address no route answers, is caught here."""
from __future__ import annotations

import pytest

from tests.web.demo_site import USERS, demo_app, visitor, walk


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("links")
    app = demo_app(f"sqlite:///{base / 'demo.db'}", base)
    yield app
    app.extensions["docsys.engine"].dispose()


@pytest.mark.parametrize("username", [*USERS, None])
def test_every_link_a_page_shows_opens(site, username):
    opened, failures = walk(visitor(site, username))
    assert opened >= (30 if username else 10), f"only {opened} pages reached"
    assert not failures, failures
