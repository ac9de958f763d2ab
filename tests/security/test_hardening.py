"""Hardening that needs no login: response headers, owner-only instance files, and YAML
aliases refused in document templates."""
from __future__ import annotations

import os
import stat

import pytest

from docsys.config import generated_secret, load_config
from docsys.db import make_engine
from docsys.drafting.templates import parse_template
from docsys.errors import ValidationError
from tests.conftest import TEMPLATES_DIR


@pytest.mark.parametrize("path", ["/ingresar", "/normas", "/verificar", "/api/v1/openapi.json"])
def test_every_response_refuses_framing_and_sniffing(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers      # served over http


def test_https_public_address_means_secure_cookies_and_hsts(monkeypatch, tmp_path):
    from tests.conftest import make_test_app
    monkeypatch.setenv("DOCSYS_PUBLIC_BASE_URL", "https://normas.megantoni.gob.pe")
    monkeypatch.delenv("DOCSYS_SECURE_COOKIES", raising=False)
    assert load_config()["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("DOCSYS_SECURE_COOKIES", "0")      # an explicit choice wins
    assert load_config()["SESSION_COOKIE_SECURE"] is False
    app = make_test_app(f"sqlite:///{tmp_path / 'h.db'}", tmp_path, SESSION_COOKIE_SECURE=True)
    response = app.test_client().get("/ingresar")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    app.extensions["docsys.engine"].dispose()


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_secrets_and_a_new_database_are_owner_only_from_the_start(tmp_path):
    old = os.umask(0o022)
    try:
        secret = generated_secret(tmp_path / "nueva" / "secret_key")
        assert len(secret) > 40 and generated_secret(tmp_path / "nueva" / "secret_key") == secret
        assert _mode(tmp_path / "nueva" / "secret_key") == 0o600
        assert _mode(tmp_path / "nueva") == 0o700
        engine = make_engine(f"sqlite:///{tmp_path / 'nueva' / 'docsys.db'}")
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        engine.dispose()
        assert _mode(tmp_path / "nueva" / "docsys.db") == 0o600
    finally:
        os.umask(old)


def test_yaml_aliases_are_refused_in_templates():
    with open(f"{TEMPLATES_DIR}/resolucion-gerencia-municipal.yaml", encoding="utf-8") as f:
        source = f.read()
    assert parse_template(source)["key"]                       # the shipped ones have none
    bomb = "x: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"x{i}: &a{i} [*a{'' if i == 1 else i - 1}, *a{'' if i == 1 else i - 1}]\n"
        for i in range(1, 9)) + source
    with pytest.raises(ValidationError, match="alias de YAML"):
        parse_template(bomb)


def test_a_standalone_rendered_document_allows_only_its_own_styles(app, browser, api_token):
    """The HTML rendering carries its stylesheet inline (it stands alone when saved): its
    policy allows exactly those <style> blocks, by hash, and still no script."""
    import base64
    import hashlib
    import re

    from tests.web.test_drafts_routes import create_draft
    doc = create_draft(browser("redactor"))
    response = app.test_client().get(
        f"/api/v1/documents/{doc}/versions/1/render?format=html",
        headers={"Authorization": f"Bearer {api_token('redactor')}"})
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    blocks = re.findall(r"<style>(.*?)</style>", response.get_data(as_text=True), flags=re.S)
    assert blocks
    for block in blocks:
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
