"""Fixtures for the rendering tests."""
from __future__ import annotations

import pytest

from tests.rendering.support import SETTINGS


@pytest.fixture
def settings() -> dict:
    return dict(SETTINGS)
