"""The issuing fixtures (settings, demo certificates for the signers) for corrections."""
from tests.issuing.conftest import settings, signing_ready

__all__ = ["settings", "signing_ready"]
