"""The staff app's pages, one file per page area. The personas (``world``, ``login``)
are in ``tests/conftest.py``."""

import pytest


@pytest.fixture(autouse=True)
def _pages_do_no_lazy_loads(no_lazy_loads):
    """Every page these tests open runs with lazy loads blocked (see ``no_lazy_loads``)."""
