"""Suite-wide: no test ever touches the user's real session database."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_session_db(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh database per test unless the test sets its own (fixtures may override this)."""
    monkeypatch.setenv("KRISE_OVELSE_DB", str(tmp_path_factory.mktemp("db") / "sessions.db"))
