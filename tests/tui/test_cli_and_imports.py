"""The console's command line (bad input never reaches the UI), the lazily loaded commands, and
the core's independence of Textual."""

from __future__ import annotations

import gc
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from krise_ovelse.cli import console_cmds, main
from krise_ovelse.cli.base import COMMANDS, LazyCommands

from .conftest import EXAMPLE

CORE = ["model", "authoring", "engine", "scoring", "store", "report", "balance", "msel"]


@pytest.mark.parametrize("package", CORE)
def test_core_packages_do_not_import_textual(package: str) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module('krise_ovelse.{package}')\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'krise_ovelse.tui'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_cli_commands_other_than_the_console_do_not_import_textual() -> None:
    code = "import sys; import krise_ovelse.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


#: Modules `krise-ovelse play SCENARIO` must not import before its first frame.
NOT_AT_START = ("krise_ovelse.store", "krise_ovelse.engine", "krise_ovelse.report", "krise_ovelse.cli.session_cmds",
                "krise_ovelse.cli.authoring_cmds", "krise_ovelse.cli.run_cmd", "krise_ovelse.cli.report_cmd",
                "krise_ovelse.tui.view")


def _run(code: str, *args: str) -> str:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout


def test_help_lists_every_command_without_importing_them() -> None:
    code = ("import sys\n"
            "from krise_ovelse.cli import main\n"
            "try:\n"
            "    main(['--help'], prog_name='krise-ovelse', terminal_width=80)\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(sorted(m for m in sys.modules\n"
            "             if m.startswith('krise_ovelse.cli.') and m != 'krise_ovelse.cli.base'))\n")
    out = _run(code)
    help_text, _, loaded = out.rstrip().rpartition("\n")
    assert loaded == "[]"
    for name in COMMANDS:
        main.commands[name]  # now import them all: the listing must not change
    result = CliRunner().invoke(main, ["--help"], prog_name="krise-ovelse", terminal_width=80)
    assert result.output.rstrip() == help_text


def test_the_command_map_names_every_command_with_its_own_help() -> None:
    commands = main.commands
    assert isinstance(commands, LazyCommands)
    for name, spec in COMMANDS.items():
        module, _, attribute = spec.target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command) and command.name == name
        assert commands[name] is command
        assert " ".join((command.help or "").split("\n\n")[0].split()) == spec.help, name
    # every command the modules register is in the map
    assert set(commands.loaded) == set(COMMANDS)


def test_the_app_names_the_views_as_the_view_records_do() -> None:
    from krise_ovelse.tui import app, view

    assert (app.FACILITATOR, app.TEAM) == view.VIEWS == console_cmds.VIEWS


def test_the_console_db_option_matches_the_session_commands() -> None:
    from krise_ovelse.cli import base

    def db_help(command: click.Command) -> str | None:
        return next(p.help for p in command.params if p.name == "db" and isinstance(p, click.Option))

    assert db_help(main.commands["play"]) == db_help(main.commands["sessions"]) == db_help(main.commands["run"]) \
        == base.DB_HELP


def test_play_loads_the_scenario_without_the_store_engine_or_other_commands() -> None:
    code = ("import sys\n"
            "from krise_ovelse.cli import console_cmds, main\n"
            "def started(**kwargs):\n"
            "    import krise_ovelse.tui.app, krise_ovelse.tui.screens.briefing\n"
            f"    print(sorted(m for m in sys.modules if m.startswith({NOT_AT_START!r})))\n"
            "console_cmds.run_console = started\n"
            "main(['play', sys.argv[1]], prog_name='krise-ovelse')\n")
    assert _run(code, str(EXAMPLE)).strip() == "[]"


@pytest.fixture
def no_ui(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, object]]]:
    """Record what the console would have been started with, instead of starting it."""
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(console_cmds, "run_console", lambda **kw: calls.append(kw))
    yield calls
    assert gc.isenabled()  # play turns collection off while it loads, and always back on


def test_play_a_missing_file_exits_2_before_the_ui(no_ui: list[dict[str, object]], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["play", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "E-READ-MISSING" in result.output  # the code `validate` gives
    result = CliRunner().invoke(main, ["play", str(tmp_path)])
    assert result.exit_code == 2
    assert "E-READ-DIR" in result.output
    assert "Traceback" not in result.output
    assert not no_ui


def test_play_a_broken_scenario_prints_its_problems_and_exits_1(no_ui: list[dict[str, object]],
                                                              tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(EXAMPLE.read_text(encoding="utf-8").replace("deadline: 6h", "deadline: seks timer"),
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["play", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.output and "E-" in result.output
    assert not no_ui


def test_play_a_shipped_scenario_by_id(no_ui: list[dict[str, object]]) -> None:
    result = CliRunner().invoke(main, ["play", "kort-eksempel", "--team", "Lag", "--lang", "en", "--view", "team"])
    assert result.exit_code == 0, result.output
    [call] = no_ui
    assert call["lang"] == "en" and call["view"] == "team" and call["team"] == "Lag"
    assert call["scenario"].scenario.id == "kort-eksempel"  # type: ignore[attr-defined]


def test_play_an_unknown_session_exits_2(no_ui: list[dict[str, object]], tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    from krise_ovelse.store.db import SessionStore

    SessionStore(db).close()
    result = CliRunner().invoke(main, ["play", "--session", "abcdef", "--db", str(db)])
    assert result.exit_code == 2
    assert "no session" in result.output
    assert not no_ui


def test_play_without_arguments_is_a_usage_error(no_ui: list[dict[str, object]]) -> None:
    result = CliRunner().invoke(main, ["play"])
    assert result.exit_code == 2
    assert not no_ui


def test_no_command_starts_the_console(no_ui: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRISE_OVELSE_LANG", "en")
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0, result.output
    assert no_ui == [{"lang": "en", "db": None}]


def test_serve_without_textual_serve_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "pip install 'krise-ovelse[serve]'" in result.output


def test_serve_binds_localhost_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[str, str, int]] = []

    from krise_ovelse.cli.serving import GuardedServer

    def serve(self: GuardedServer) -> None:
        started.append((self.command, self.host, self.port))

    monkeypatch.setattr(GuardedServer, "serve", serve)
    result = CliRunner().invoke(main, ["serve", "kort-eksempel", "--port", "8123", "--lang", "en"])
    assert result.exit_code == 0, result.output
    [(command, host, port)] = started
    assert host == "127.0.0.1" and port == 8123
    assert "-m krise_ovelse play" in command and "KRISE_OVELSE_LANG=en" in command and "kort-eksempel.yaml" in command
    assert "warning" not in result.output
