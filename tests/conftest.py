"""Suite-wide: no test ever touches the user's real session database or load cache."""

from __future__ import annotations

import pytest
from hypothesis import settings

# No per-example deadline anywhere: a deadline is a timed assertion, and on a loaded machine (CI,
# mutation runs) it fails for slowness, not for a fault. pytest-timeout bounds every test instead.
settings.register_profile("krise", deadline=None)
settings.load_profile("krise")


@pytest.fixture(autouse=True)
def _private_session_db(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh database per test unless the test sets its own (fixtures may override this)."""
    monkeypatch.setenv("KRISE_OVELSE_DB", str(tmp_path_factory.mktemp("db") / "sessions.db"))


@pytest.fixture(autouse=True)
def _private_keys(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh, empty signing-key directory (`krise_ovelse.signing`) per test."""
    keys = tmp_path_factory.mktemp("keys")
    keys.chmod(0o700)
    monkeypatch.setenv("KRISE_OVELSE_KEYS", str(keys))


@pytest.fixture(autouse=True)
def _private_load_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh, empty load cache (`krise_ovelse.cache`) per test unless the test sets its own."""
    monkeypatch.setenv("KRISE_OVELSE_CACHE", str(tmp_path_factory.mktemp("cache")))
