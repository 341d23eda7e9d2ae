"""The help screen (F1, ?): every key of every screen, from the screens' own bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.widgets import Label, Static

from krise_ovelse.tui.base import KriseModal
from krise_ovelse.tui.i18n import t
from krise_ovelse.tui.text import lit


def help_sections() -> list[tuple[str, type[DOMNode]]]:
    from krise_ovelse.tui.app import KriseApp
    from krise_ovelse.tui.screens.briefing import BriefingScreen
    from krise_ovelse.tui.screens.debrief import DebriefScreen
    from krise_ovelse.tui.screens.decision import DecisionDialog
    from krise_ovelse.tui.screens.dialogs import InjectDialog
    from krise_ovelse.tui.screens.evaluation import EvaluatorScreen
    from krise_ovelse.tui.screens.exercise import ExerciseScreen
    from krise_ovelse.tui.screens.replay import ReplayScreen
    from krise_ovelse.tui.screens.start import StartScreen

    return [
        ("help.everywhere", KriseApp),
        ("help.start", StartScreen),
        ("help.briefing", BriefingScreen),
        ("help.exercise", ExerciseScreen),
        ("help.inject", InjectDialog),
        ("help.decision", DecisionDialog),
        ("help.evaluation", EvaluatorScreen),
        ("help.debrief", DebriefScreen),
        ("help.replay", ReplayScreen),
    ]


def key_label(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {"question_mark": "?", "space": t("keyname.space"), "escape": "Esc", "enter": "Enter",
             "equals_sign": "=", "plus": "+", "minus": "-", "left_square_bracket": "[", "right_square_bracket": "]",
             "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End", "left": "←", "right": "→"}
    parts = []
    for key in binding.key.split(","):
        key = key.strip()
        if key in names:
            parts.append(names[key])
        elif key.startswith("ctrl+"):
            parts.append("Ctrl+" + key[5:].upper())
        elif key.startswith("f") and key[1:].isdigit():
            parts.append(key.upper())
        else:
            parts.append(key)
    return " / ".join(parts)


def section_text(cls: type[DOMNode]) -> Text:
    """One line per action: all its keys, then what it does."""
    rows: dict[tuple[str, str], list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for item in cls.BINDINGS:
        binding = item if isinstance(item, Binding) else Binding(*item)
        if not binding.description or binding.system:
            continue
        # a key bound twice to one action (for two views, a short footer label in one) shows once
        once = (binding.action.split("(")[0], key_label(binding))
        if once in seen:
            continue
        seen.add(once)
        rows.setdefault((binding.action, binding.description), []).append(key_label(binding))
    text = Text()
    for (_, description), keys in rows.items():
        if text:
            text.append("\n")
        text.append(f"  {' / '.join(keys):<14}", style="bold cyan")
        text.append(t(description))
    return text


class HelpScreen(KriseModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "cancel", "key.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="help", classes="dialog")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box wide tall"):
            yield Label(t("help.title"), classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(lit(t("help.intro"), "italic"), markup=False)
                for title_key, cls in help_sections():
                    yield Label(t(title_key), classes="section-title")
                    yield Static(section_text(cls), markup=False)
                yield Label(t("help.palette_title"), classes="section-title")
                yield Static(lit(t("help.palette")), markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()
