"""Fixtures for issuing: settings with their own blob, PKI and keystore directories, and
the demo PKI (a real local CA) for the test users who sign."""
from __future__ import annotations

import pytest

from docsys.config import audit_key, load_config
from docsys.db import transaction
from tests.issuing.support import demo_pki


@pytest.fixture
def settings(tmp_path):
    config = load_config()
    config.update({"INSTANCE_DIR": str(tmp_path), "BLOB_DIR": str(tmp_path / "blobs"),
                   "PKI_DIR": str(tmp_path / "pki"), "SEARCH_DIR": str(tmp_path / "search"),
                   "KEYSTORE_KEY": "clave-maestra-de-pruebas-0123456789",
                   "PUBLIC_BASE_URL": "https://normas.megantoni.gob.pe", "TSA_URL": None,
                   # the key the suite's session factories sign the audit chain with
                   "AUDIT_KEY": audit_key().decode()})
    return config


@pytest.fixture
def signing_ready(session_factory, settings):
    """Database with certificates for the legal adviser and the Gerente Municipal."""
    with transaction(session_factory) as session:
        demo_pki(session, settings)
    return session_factory
