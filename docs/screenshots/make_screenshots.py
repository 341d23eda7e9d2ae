"""Make the SVG screenshots used in docs/facilitator-guide.md.

Run from anywhere, in an environment where krise-øvelse is installed:

    python docs/screenshots/make_screenshots.py            # bokmål (the guide's language)
    python docs/screenshots/make_screenshots.py --lang en  # English, files named *-en.svg

The console is driven headless, as the tests in tests/tui do: `make_app(...)` with a frozen
monotonic clock (the exercise clock only moves when a key says so) and a frozen wall clock,
`app.run_test(size=(100, 30))` and a Pilot pressing the same keys a facilitator would. The
session database is a throwaway file in a temporary directory, so nothing on this machine is
touched, and the screens show the relative name `sessions.db`.

One short exercise on the worked example (kort-eksempel) is played from the briefing to the
debrief, with a screenshot at each step; then the start screen and the replay are shot over
the session it stored.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXAMPLE = ROOT / "scenarios" / "examples" / "kort-eksempel.yaml"
SIZE = (100, 30)
WALL = dt.datetime(2024, 11, 4, 7, 0, tzinfo=dt.UTC)


class FrozenClock:
    """A monotonic clock that stands still: the console's real-time ticks add nothing."""

    def __call__(self) -> float:
        return 1000.0


def frozen_wall() -> dt.datetime:
    return WALL


#: The stored session gets this id, so the start screen looks the same every run. (Its start
#: time comes from the console's frozen wall clock.)
SESSION_ID = "5e55a1b2c3d4"


def fixed_session_identity() -> None:
    """The store names a new session by a random id: fix it for the pictures."""
    from krise_ovelse.store.db import SessionStore

    create = SessionStore.create_session

    def create_fixed(self: SessionStore, **kwargs: Any) -> Any:
        kwargs.setdefault("session_id", SESSION_ID)
        return create(self, **kwargs)

    SessionStore.create_session = create_fixed  # type: ignore[method-assign]


def no_blinking() -> None:
    """A blinking cursor would make the screenshots differ from run to run."""
    from textual.widgets import Input, TextArea

    Input._toggle_cursor = lambda self: None  # type: ignore[method-assign]
    TextArea._toggle_cursor_blink_visible = lambda self: None  # type: ignore[method-assign]


class Shooter:
    """Writes the active screen of an app as `<name>[-lang].svg` next to this script."""

    def __init__(self, lang: str, out: Path) -> None:
        self.suffix = "" if lang == "nb" else f"-{lang}"
        self.out = out
        self.written: list[Path] = []

    async def __call__(self, pilot: Any, name: str) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        path = self.out / f"{name}{self.suffix}.svg"
        svg = pilot.app.export_screenshot(title="krise-øvelse")
        path.write_text(svg, encoding="utf-8")
        self.written.append(path)


def build_app(**kwargs: Any) -> Any:
    from krise_ovelse.tui.app import make_app

    app = make_app(clock=FrozenClock(), wall=frozen_wall, **kwargs)
    app.animation_level = "none"
    return app


async def type_into(pilot: Any, selector: str, text: str) -> None:
    from textual.widgets import Input

    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)


async def until_open(pilot: Any, decision_id: str) -> None:
    """n until `decision_id` is open (a scenario edit may put another inject or deadline first)."""
    for _ in range(10):
        if decision_id in {d.decision_id for d in pilot.app.session.state.open_decisions()}:
            return
        await pilot.press("n")
        await pilot.pause()
    raise SystemExit(f"{decision_id} did not open: update the steps to the example scenario")


async def decide(pilot: Any, rationale: str, by: str, option_downs: int = 0) -> None:
    """d on the most urgent open decision: choose, give the rationale and who decided, Ctrl+S."""
    await pilot.press("d")
    await pilot.pause()
    await pilot.press(*(["down"] * option_downs), "enter")
    await type_into(pilot, "#decision-by", by)
    await type_into(pilot, "#decision-rationale", rationale)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def choose_role(pilot: Any, role_id: str) -> None:
    """Pick a participant's role in the briefing's role list."""
    from textual.widgets import Select

    select: Select[str] = pilot.app.screen.query_one("#participant-role", Select)
    select.value = role_id
    await pilot.pause()


async def play_exercise(lang: str, shoot: Shooter) -> str:
    """Briefing → exercise → decision → evaluation → debrief; returns the session id."""
    from krise_ovelse.tui.loaded import load_for_console

    loaded, problems = load_for_console(EXAMPLE)
    if loaded is None:
        raise SystemExit("\n".join(problems))
    app = build_app(scenario=loaded, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        # Briefing: the top (bakteppe, virksomheten, mål), then the team form at the bottom.
        await shoot(pilot, "orientering")
        await type_into(pilot, "#team-name", "DTT-ledelsen")
        for name, role in (("Kari Nordmann", "hr"), ("Per Hansen", "beredskap")):
            await choose_role(pilot, role)
            await type_into(pilot, "#participant-name", name)
            await pilot.press("enter")
        pilot.app.screen.query_one("#briefing-body").scroll_end(animate=False)
        await shoot(pilot, "orientering-ledergruppen")

        # STARTEX: Ctrl+S starts the session, Space starts the clock, n jumps to the first inject.
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("space", "n")
        await pilot.pause()

        # The inject that opened d01, read in full (facilitator view: with the notes).
        await pilot.press("enter")
        await shoot(pilot, "innspill")
        await pilot.press("escape")

        # The decision dialog: option a chosen, rationale and who decided typed in.
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")
        await type_into(pilot, "#decision-by", "Kari Nordmann")
        await type_into(pilot, "#decision-rationale", "Alle må vite hva som gjelder før de drar hjemmefra")
        await shoot(pilot, "beslutning")
        await pilot.press("ctrl+s")
        await pilot.pause()

        # On to the next injects, then release the manual inject i06 early (r).
        await pilot.press("n", "n")
        await pilot.pause()
        await pilot.press("r")
        await shoot(pilot, "send-innspill")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space")  # pause: the status line says so
        pilot.app.screen.query_one("#feed").focus()
        await pilot.press("home")
        await shoot(pilot, "ovelse-ovingsleder")

        # The team's view of the same moment (v switches; a projector uses --view team).
        await pilot.press("v")
        await pilot.pause()
        await shoot(pilot, "ovelse-ledergruppen")
        await pilot.press("v")
        await pilot.pause()

        # An observation tied to a criterion.
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"Ledergruppen ville drøfte med de tillitsvalgte før de svarte departementet")
        await pilot.press("tab", "down", "space")
        await shoot(pilot, "observasjon")
        await pilot.press("ctrl+s")
        await pilot.pause()

        # d02 opens with i04 the next morning: decided while the clock stands.
        await until_open(pilot, "d02")
        await decide(pilot, "Drøftet med hovedtillitsvalgt før vi flytter noen", "Per Hansen")

        # j: on to the next phase (over the jump to week two), n: to i07, which opens d03.
        await pilot.press("j", "j")
        await pilot.pause()
        await until_open(pilot, "d03")
        await decide(pilot, "Utstyr og avløsning nå er billigere enn sykmeldinger senere", "Kari Nordmann")

        # ENDEX and the evaluation: e asks (Ja), Enter on a criterion opens the rating dialog.
        await pilot.press("e", "y")
        await pilot.pause()
        await shoot(pilot, "evaluering")
        await pilot.press("enter")
        await pilot.pause()
        await shoot(pilot, "vurdering")
        await pilot.press("escape")
        await pilot.pause()

        # The debrief: the summary at the top, the indicator charts at the end.
        await pilot.press("g")
        await pilot.pause()
        await shoot(pilot, "debrief")
        await pilot.press("end")
        await shoot(pilot, "debrief-indikatorer")

        session = pilot.app.session
        assert session is not None
        session_id: str = session.session_id
    return session_id


async def start_and_replay(lang: str, shoot: Shooter) -> None:
    """The start screen over the stored session, then its replay."""
    app = build_app(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await shoot(pilot, "startsiden")
        await pilot.press("s", "r")
        await pilot.pause()
        await pilot.press("home", *(["right"] * 12))
        await shoot(pilot, "avspilling")


def run(lang: str, out: Path) -> list[Path]:
    no_blinking()
    fixed_session_identity()
    shoot = Shooter(lang, out)
    with tempfile.TemporaryDirectory(prefix="krise-ovelse-shots-") as tmp:
        old_cwd, old_db = Path.cwd(), os.environ.get("KRISE_OVELSE_DB")
        os.chdir(tmp)
        os.environ["KRISE_OVELSE_DB"] = "sessions.db"
        try:
            asyncio.run(play_exercise(lang, shoot))
            asyncio.run(start_and_replay(lang, shoot))
        finally:
            os.chdir(old_cwd)
            if old_db is None:
                os.environ.pop("KRISE_OVELSE_DB", None)
            else:
                os.environ["KRISE_OVELSE_DB"] = old_db
    return shoot.written


def main(argv: list[str] | None = None, echo: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["nb", "en"], default="nb", help="language of the console (default nb)")
    parser.add_argument("--out", type=Path, default=HERE, help="directory for the SVG files (default: this one)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in run(args.lang, args.out):
        echo(str(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
