"""The message catalogue: both languages complete, every key used exists, no literal UI text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from krise_ovelse.messages import en, nb
from krise_ovelse.tui import i18n

TUI = Path(i18n.__file__).resolve().parents[1]
SOURCES = [p for p in TUI.rglob("*.py") if "i18n" not in p.parts]


def test_both_catalogues_have_the_same_keys_and_fields() -> None:
    assert set(nb.MESSAGES) == set(en.MESSAGES)
    for key, text in nb.MESSAGES.items():
        assert i18n.fields(text) == i18n.fields(en.MESSAGES[key]), key
        assert text.strip() and en.MESSAGES[key].strip(), key


def _literal_keys() -> set[str]:
    keys: set[str] = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    keys.add(first.value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"key\.[a-z_0-9]+", node.value):
                keys.add(node.value)
    return keys


def test_every_key_the_console_uses_exists() -> None:
    used = _literal_keys()
    assert len(used) > 100
    missing = sorted(k for k in used if k not in nb.MESSAGES)
    assert not missing


def test_dynamic_key_families_are_complete() -> None:
    from krise_ovelse.engine.events import EVENT_KINDS
    from krise_ovelse.model.scenario import Channel, Trigger

    for channel in Channel:
        assert f"channel.{channel.value}" in nb.MESSAGES
    for trigger in Trigger:
        assert f"trigger.{trigger.value}" in nb.MESSAGES
    for kind in EVENT_KINDS:  # events are described by krise_ovelse.describe (tests/test_describe.py)
        assert f"describe.{kind}" in nb.MESSAGES
    for status in ("running", "paused", "ended", "interrupted"):
        assert f"status.{status}" in nb.MESSAGES
    for n in range(7):
        assert f"weekday.{n}" in nb.MESSAGES
    for n in range(1, 13):
        assert f"month.{n}" in nb.MESSAGES


def test_refusal_codes_are_translated() -> None:
    from krise_ovelse.engine.facade import CommandRefused

    codes = re.findall(r"[a-z_]+", (CommandRefused.__doc__ or "").split("Codes:")[1])
    assert codes
    for code in codes:
        assert f"refused.{code}" in nb.MESSAGES, code


#: Calls whose first argument is text a person reads.
UI_CALLS = {"Label", "Button", "Static", "notify", "Binding", "TitleBar", "lit", "Text", "ConfirmDialog",
            "TextDialog", "PickDialog", "Input"}
#: Literal strings that are not words: markers, separators, ids.
ALLOWED = re.compile(r"^[\s•·│─━▶⏸■◉○●→«»\-–+(),.:/?=\[\]{}|]*$|^key\.[a-z_0-9]+$|^[A-Z]{1,3}(/[A-Z])?$")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(TUI)))
def test_widgets_hold_no_literal_ui_text(path: Path) -> None:
    """Strings given to widgets come from `t(...)` or the scenario, never typed in the code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offenders = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else (
            node.func.attr if isinstance(node.func, ast.Attribute) else "")
        if name not in UI_CALLS:
            continue
        args = node.args[:1] + [k.value for k in node.keywords if k.arg in ("placeholder", "prompt", "label")]
        if name == "Binding":  # key, action, description: only the description is read
            args = node.args[2:3] + [k.value for k in node.keywords if k.arg == "description"]
        for arg in args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and not ALLOWED.match(arg.value):
                offenders.append(f"{path.name}:{node.lineno}: {arg.value!r}")
    assert not offenders


def test_t_fills_fields_and_falls_back() -> None:
    i18n.set_language("en")
    assert i18n.t("replay.step", step=2, total=9) == "step 2 of 9"
    assert i18n.t("no.such.key") == "no.such.key"
    i18n.set_language("xx")
    assert i18n.language() == "nb"
