"""Issue 12 item 2, the storage part: a certificate kept under its holder's secret opens
only with it; one stored before (installation key only) is recognised as needing its holder
to store it again, and no longer opens to sign."""
from __future__ import annotations

from pathlib import Path

import pytest

from docsys.errors import ValidationError
from docsys.signing import credentials
from docsys.signing.demo_setup import DEMO_PASSPHRASE
from tests.conftest import get_user

SECRET = "clave-de-firma-de-carmen"


def test_holder_sealed_certificate_opens_only_with_the_holders_secret(signing_ready, settings):
    session = signing_ready()
    try:
        asesor = get_user(session, "asesor")
        p12 = (Path(settings["PKI_DIR"]) / "usuarios" / "asesor.p12").read_bytes()
        legacy = credentials.store_credential(session, settings, asesor, p12, DEMO_PASSPHRASE)
        assert credentials.needs_reentry(legacy)
        with pytest.raises(ValidationError, match="regístrelo de nuevo"):
            credentials.load_credential(session, settings, asesor)   # the server alone: no


        row = credentials.store_credential(session, settings, asesor, p12, DEMO_PASSPHRASE,
                                           holder_secret=SECRET)
        assert not credentials.needs_reentry(row) and SECRET.encode() not in row.sealed
        with pytest.raises(ValidationError, match="solo se usa con su clave de firma"):
            credentials.load_credential(session, settings, asesor)
        with pytest.raises(ValidationError, match="clave de firma no es correcta"):
            credentials.load_credential(session, settings, asesor, holder_secret=SECRET + "!")
        opened = credentials.load_credential(session, settings, asesor, holder_secret=SECRET)
        assert opened.info.common_name == asesor.full_name
    finally:
        session.close()
