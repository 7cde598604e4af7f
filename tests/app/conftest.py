"""AppTest fixtures."""

from __future__ import annotations

import pytest
from app_helpers import open_page
from streamlit.testing.v1 import AppTest


@pytest.fixture
def lab() -> AppTest:
    return open_page("lab")
