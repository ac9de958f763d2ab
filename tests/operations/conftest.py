"""Fixtures for the operations tests: the issuing ones (settings, demo PKI)."""
from tests.issuing.conftest import settings, signing_ready  # noqa: F401
