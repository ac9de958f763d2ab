"""Fixtures for the operations tests: the issuing ones (settings, demo PKI)."""
from tests.issuing.conftest import settings, signing_ready

__all__ = ["settings", "signing_ready"]
