"""Shared by the PostgreSQL tests: where the test server is, paths."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV = "KRISE_OVELSE_TEST_PG"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "examples" / "kort-eksempel.yaml"


def admin_url() -> str:
    url = os.environ.get(ENV, "").strip()
    if not url:
        pytest.skip(f"no PostgreSQL server: set {ENV}=postgresql://USER:PASSWORD@HOST/DB (a role with "
                    "CREATEDB and CREATEROLE) to run the shared-store tests")
    return url


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))
