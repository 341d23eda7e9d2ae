"""The console uses Textual's public API only (issue #12): no private module, no private name.

This is why `textual` is required as a compatible-release range, not one patch release. The
only private names left are the tests' steady cursors (`textual_adapter.py`); this test also
fails if a Textual upgrade renames them, rather than letting screenshots go flaky.
"""

from __future__ import annotations

import ast
from pathlib import Path

import textual

from .textual_adapter import BLINKERS

TUI = Path(__file__).resolve().parents[2] / "src" / "krise_ovelse" / "tui"
#: Private Textual names the console once used (each replaced by public API).
ONCE_USED = {"_bindings", "_compositor", "_screen_resized", "_push_result_callback", "_pop_result_callback",
             "_screen_stacks", "_bindings_ready", "_merged_bindings", "_character_to_key", "_notifications"}


def _textual_names() -> set[str]:
    """Every private (single underscore) attribute name defined on Textual's public classes."""
    import textual.app
    import textual.dom
    import textual.screen
    import textual.widget
    import textual.widgets

    names: set[str] = set()
    for module in (textual.app, textual.dom, textual.screen, textual.widget):
        for value in vars(module).values():
            if isinstance(value, type):
                names.update(n for n in dir(value) if n.startswith("_") and not n.startswith("__"))
    for name in vars(textual.widgets)["__all__"]:
        cls = getattr(textual.widgets, name)
        names.update(n for n in dir(cls) if n.startswith("_") and not n.startswith("__"))
    return names


def test_the_console_imports_no_private_textual_module() -> None:
    for path in TUI.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                if module.startswith("textual"):
                    assert not any(part.startswith("_") for part in module.split(".")), (path, module)


#: Console modules without Textual: their own `self._x` names are no Textual names.
PLAIN = {"session.py", "view.py", "pacing.py", "attention.py", "text.py", "catalog.py", "loaded.py"}


def _base_names() -> set[str]:
    """Private names of the Textual classes the console subclasses (an override would clash)."""
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.screen import ModalScreen, Screen
    from textual.widget import Widget
    from textual.widgets import OptionList, Static

    return {n for cls in (App, Screen, ModalScreen, Widget, OptionList, Static, VerticalScroll)
            for n in dir(cls) if n.startswith("_") and not n.startswith("__")}


def test_the_plain_modules_do_not_import_textual() -> None:
    for name in PLAIN:
        tree = ast.parse((TUI / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(m.split(".")[0] == "textual" for m in modules), (name, modules)


def test_the_console_touches_no_private_textual_name() -> None:
    """No attribute access or override with a private name that Textual defines (in the plain
    modules, whose classes are not Textual's, only on other objects than `self`)."""
    private = _textual_names() | ONCE_USED
    overridable = _base_names() | ONCE_USED
    for path in TUI.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        plain = path.name in PLAIN
        for node in ast.walk(tree):
            own = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"
            # on `self`: a name of the Textual classes the console subclasses (not in the plain
            # modules, whose classes are their own); on anything else: any private Textual name
            if isinstance(node, ast.Attribute) and (node.attr in overridable and not plain if own
                                                    else node.attr in private):
                raise AssertionError(f"{path.name}:{node.lineno}: private Textual name {node.attr}")
            if isinstance(node, ast.ClassDef) and not plain:
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in overridable:
                        raise AssertionError(f"{path.name}:{item.lineno}: overrides private Textual {item.name}")
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("getattr", "setattr") \
                    and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) \
                    and node.args[1].value in private:
                raise AssertionError(f"{path.name}:{node.lineno}: private Textual name {node.args[1].value}")


def test_the_tests_private_hooks_still_exist() -> None:
    for cls, name in BLINKERS:
        assert callable(getattr(cls, name, None)), (
            f"Textual {textual.__version__} has no {cls.__name__}.{name}: update tests/tui/textual_adapter.py")
