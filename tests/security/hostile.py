"""A hostile scenario and playthrough: every text an author or a team writes carries terminal
escape sequences (OSC 52 clipboard, OSC 0 title, OSC 8 hidden link), an 8-bit CSI, a bidi
override, Rich/Textual markup and a Textual action link. Ids are left alone (the id pattern
refuses such characters); everything else validates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from krise_ovelse.paths import shipped_scenarios_dir

ESC_SEQUENCES = ("\x1b]52;c;cHduZWQ=\x07", "\x1b]0;PWNED\x07", "\x1b]8;;https://evil.example/\x1b\\lenke\x1b]8;;\x1b\\")
MARKUP = "[@click=app.screenshot('pwned.svg','{dir}')]klikk[/][b]fet[/b][link=https://evil.example]lenke[/link]"
#: What no output may contain raw.
FORBIDDEN = ("\x1b", "\x9b", "\x07", "\u202e", "\x00")


def payload(directory: Path | str = "/tmp") -> str:
    return " ".join(ESC_SEQUENCES) + " \x9b31m \u202eevil" + MARKUP.format(dir=directory)


SCENARIO_TEXT_KEYS = frozenset({"title", "summary", "background", "exercise_form", "name", "description",
                                "from", "body", "facilitator_notes", "prompt", "text"})
LIST_TEXT_KEYS = frozenset({"goals", "expected_actions"})


def _poison(value: Any, bad: str, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _poison(v, bad, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        if key in LIST_TEXT_KEYS:
            return [f"{item} {bad}" if isinstance(item, str) else _poison(item, bad) for item in value]
        return [_poison(item, bad, key) for item in value]
    if isinstance(value, str) and key in SCENARIO_TEXT_KEYS:
        return f"{value} {bad}"
    return value


def hostile_files(directory: Path, target: Path | str | None = None) -> tuple[Path, Path]:
    """(scenario, playthrough) written to `directory`, every text carrying `payload()` (whose
    action would write a screenshot to `target`, by default `directory`)."""
    bad = payload(directory if target is None else target)
    source = yaml.safe_load((shipped_scenarios_dir() / "examples" / "kort-eksempel.yaml").read_text(encoding="utf-8"))
    scenario = _poison(source, bad)
    play = yaml.safe_load((shipped_scenarios_dir() / "playthroughs" / "kort-eksempel" / "blandet.yaml")
                          .read_text(encoding="utf-8"))
    play["team"] = f"Lag {bad}"
    play["facilitator"] = f"Leder {bad}"
    for person in play.get("participants", []):
        person["name"] = f"{person['name']} {bad}"
    for decision in play.get("decisions", {}).values():
        decision["rationale"] = f"{decision.get('rationale', '')} {bad}"
    for action in play.get("actions", []):
        note = action.get("note")
        if isinstance(note, dict):
            note["text"] = f"{note['text']} {bad}"
    scenario_path = directory / "fiendtlig.yaml"
    play_path = directory / "fiendtlig-spill.yaml"
    scenario_path.write_text(yaml.safe_dump(scenario, allow_unicode=False, sort_keys=False), encoding="utf-8")
    play_path.write_text(yaml.safe_dump(play, allow_unicode=False, sort_keys=False), encoding="utf-8")
    return scenario_path, play_path


def assert_clean(text: str, where: str = "") -> None:
    for char in FORBIDDEN:
        assert char not in text, f"{where}: raw {char!r} in output: {text[max(0, text.find(char) - 40):][:120]!r}"
