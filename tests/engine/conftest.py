"""Fixtures for the engine tests; the helpers themselves live in engine_helpers.py (a module
with its own name, so several test folders can run in one pytest call)."""

from __future__ import annotations

from .engine_helpers import clock

__all__ = ["clock"]
