"""No frame shows a raw message key (`key.to_team`): every screen and dialog, from its first
frame, in both languages.

The first frame of each is taken by the app's `post_display_hook` (right after a frame is
written), so a key that is translated only a moment later (as the briefing's footer once was)
is caught too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from krise_ovelse.messages import en, nb
from krise_ovelse.tui.i18n import set_language
from krise_ovelse.tui.loaded import LoadedScenario

from .conftest import FakeClock, console
from .helpers import screen_text, stored_id

KEYS = set(nb.MESSAGES) | set(en.MESSAGES)
KEY_LIKE = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+\b")


def shown(app: Any) -> str:
    """Every text on the screen: widgets, border titles and the footer."""
    parts = [screen_text(app)]
    for widget in app.screen.query("*"):
        parts.extend(str(title) for title in (widget.border_title, widget.border_subtitle) if title)
    for footer in app.screen.query("KeyFooter"):
        parts.append(str(footer.render()))
    return "\n".join(parts)


def raw_keys(text: str) -> set[str]:
    return {match for match in KEY_LIKE.findall(text) if match in KEYS}


class Frames:
    """The text of the first frame of each screen shown (by screen class name)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.first: dict[str, str] = {}
        app.post_display_hook = self.frame

    def frame(self) -> None:
        name = type(self.app.screen).__name__
        if name not in self.first and name != "Screen":
            self.first[name] = shown(self.app)


async def _walk(pilot: Pilot[Any]) -> None:
    async def step(*keys: str) -> None:
        await pilot.press(*keys)
        await pilot.pause()

    await pilot.pause()
    await step("ctrl+s")  # briefing → exercise
    await step("space", "n")  # STARTEX, i01 opens d01
    await step("enter")  # inject dialog
    await step("escape", "d")  # decision dialog
    await step("escape", "t")  # pacing view
    await step("escape", "j")  # jump preview
    await step("n", "a")  # ad-hoc dialog
    await step("escape", "o")  # observation dialog
    await step("escape", "r")  # pick dialog
    await step("escape", "f1")  # help
    await step("escape", "v")  # team view
    await step("v", "e")  # ENDEX question
    await step("j")  # evaluation
    await step("enter")  # rating dialog
    await step("escape", "g")  # debrief


@pytest.mark.parametrize("lang", ["nb", "en"])
async def test_no_frame_shows_a_raw_message_key(lang: str, example: LoadedScenario, db: Path,
                                                clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock, lang=lang)
    frames = Frames(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await _walk(pilot)
    set_language("nb")
    expected = {"BriefingScreen", "ExerciseScreen", "InjectDialog", "DecisionDialog", "PacingDialog", "JumpDialog",
                "AdHocDialog", "ObservationDialog", "PickDialog", "HelpScreen", "ConfirmDialog", "EvaluatorScreen",
                "DebriefScreen"}
    assert expected <= set(frames.first), set(frames.first)
    for name, text in frames.first.items():
        assert not raw_keys(text), (name, raw_keys(text))


async def test_the_start_screen_and_a_replay_show_no_raw_key(example: LoadedScenario, db: Path,
                                                             clock: FakeClock) -> None:
    app = console(example, team="Lag", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("space", "n")
        await pilot.pause()
        session_id = stored_id(app)
        await pilot.press("e", "j")
        await pilot.pause()
    start = console(clock=clock)
    frames = Frames(start)
    async with start.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    replay = console(clock=clock)
    replay_frames = Frames(replay)
    async with replay.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        replay.replay_session(session_id)
        await pilot.pause()
    for name, text in {**frames.first, **replay_frames.first}.items():
        assert not raw_keys(text), (name, raw_keys(text))
    assert "StartScreen" in frames.first and "ReplayScreen" in replay_frames.first
