"""Items 8 and 9 of issue #13: an export is not trusted for anything that can be recomputed,
a signature shows who made it, and imported ids cannot be confused with stored ones.

A forger edits the file and recomputes its hashes with the documented recipe (`rehash`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from krise_ovelse.cli import main
from krise_ovelse.store.codec import canonical_json, events_sha256, sha256_text

EXAMPLE = "kort-eksempel"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def rehash(path: Path, edit: Callable[[dict[str, Any], list[dict[str, Any]]], None]) -> None:
    """Edit an export's header and events, then recompute every hash as docs/sessions.md says."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header, events = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    edit(header, events)
    header["event_count"] = len(events)
    header["events_sha256"] = events_sha256(events)
    header["session_sha256"] = sha256_text(canonical_json(header["session"]))
    header["scenario_sha256"] = sha256_text(header["scenario_text"])
    path.write_text("\n".join([json.dumps(header, ensure_ascii=False), *map(canonical_json, events)]) + "\n",
                    encoding="utf-8")


@pytest.fixture
def exported(tmp_path: Path) -> tuple[str, Path, Path]:
    """(session id, export file, a second empty database)."""
    run = cli("run", EXAMPLE, "--json", "--play", "svakt")
    if run.exit_code != 0:  # the weak team's playthrough by path
        from krise_ovelse.paths import shipped_scenarios_dir

        play = shipped_scenarios_dir() / "playthroughs" / "kort-eksempel" / "svakt.yaml"
        run = cli("run", EXAMPLE, "--json", "--play", str(play))
    assert run.exit_code == 0, run.output
    session_id = json.loads(run.stdout)["session_id"]
    path = tmp_path / "x.jsonl"
    assert cli("export", session_id, "-o", str(path)).exit_code == 0
    return session_id, path, tmp_path / "other.db"


def stored(db: Path, session_id: str) -> dict[str, Any]:
    result = cli("sessions", "--json", "--db", str(db))
    [found] = [s for s in json.loads(result.stdout)["sessions"] if s["id"] == session_id]
    return dict(found)


def test_a_forged_index_team_and_summary_are_not_believed(exported: tuple[str, Path, Path]) -> None:
    session_id, path, db = exported
    real = stored(Path(__import__("os").environ["KRISE_OVELSE_DB"]), session_id)

    def forge(header: dict[str, Any], events: list[dict[str, Any]]) -> None:
        header["session"]["score_index"] = 100.0
        header["session"]["summary"] = {"index": 100.0, "facts": {}, "scoring": {}}
        header["session"]["team"] = "Forged team"
        header["session"]["status"] = "ended"

    rehash(path, forge)
    result = cli("import", str(path), "--db", str(db))
    assert result.exit_code == 0, result.output
    imported = stored(db, session_id)
    assert imported["score_index"] == real["score_index"] != 100.0
    assert imported["team"] == real["team"] != "Forged team"
    replay = cli("replay", session_id, "--db", str(db))
    assert replay.exit_code == 0, replay.output
    assert "not signed" in result.stderr


def _unknown_kind(header: dict[str, Any], events: list[dict[str, Any]]) -> None:
    events.append({**events[-1], "seq": len(events) + 1, "kind": "backdoor_opened"})


def _bad_option(header: dict[str, Any], events: list[dict[str, Any]]) -> None:
    made = next(e for e in events if e["kind"] == "decision_made")
    made["option_id"] = "zz"


def _broken_scenario(header: dict[str, Any], events: list[dict[str, Any]]) -> None:
    header["scenario_text"] = header["scenario_text"].replace("schema_version: 1", "schema_version: 99")


def _other_scenario(header: dict[str, Any], events: list[dict[str, Any]]) -> None:
    header["scenario_text"] = header["scenario_text"].replace("id: kort-eksempel", "id: noe-annet", 1)


@pytest.mark.parametrize(("edit", "says"), [
    (_unknown_kind, "backdoor_opened"),
    (_bad_option, "option 'zz'"),
    (_broken_scenario, "does not load"),
    (_other_scenario, "scenario"),
])
def test_what_does_not_replay_is_refused_at_import(exported: tuple[str, Path, Path],
                                                   edit: Callable[..., None], says: str) -> None:
    session_id, path, db = exported
    rehash(path, edit)
    result = cli("import", str(path), "--db", str(db))
    assert result.exit_code == 1, result.output
    assert says in result.stderr
    assert not db.exists() or session_id not in cli("sessions", "--db", str(db)).stdout


def test_signed_exports_verify_and_forgeries_do_not(exported: tuple[str, Path, Path], tmp_path: Path) -> None:
    session_id, path, db = exported
    created = cli("keys", "create")
    assert created.exit_code == 0, created.output
    signed = tmp_path / "signed.jsonl"
    assert cli("export", session_id, "-o", str(signed), "--sign").exit_code == 0
    assert json.loads(signed.read_text(encoding="utf-8").splitlines()[0])["signature"]["algorithm"] == "ed25519"
    to_stdout = cli("export", session_id, "-o", "-", "--sign")  # signed the same on standard output
    assert to_stdout.exit_code == 0 and to_stdout.stdout == signed.read_text(encoding="utf-8")

    # unsigned + --verify: refused
    refused = cli("import", str(path), "--db", str(db), "--verify")
    assert refused.exit_code == 1 and "not signed" in refused.stderr

    # a forged signed file, hashes recomputed, signature kept: refused even without --verify
    forged = tmp_path / "forged.jsonl"
    forged.write_bytes(signed.read_bytes())
    lines = forged.read_text(encoding="utf-8").splitlines()
    signature = json.loads(lines[0])["signature"]

    def keep_signature(header: dict[str, Any], events: list[dict[str, Any]]) -> None:
        next(e for e in events if e["kind"] == "decision_made")["rationale"] = "Forged rationale"
        header["signature"] = signature

    rehash(forged, keep_signature)
    for extra in ((), ("--verify",)):
        result = cli("import", str(forged), "--db", str(db), *extra)
        assert result.exit_code == 1, result.output
        assert "changed after it was signed" in result.stderr

    ok = cli("import", str(signed), "--db", str(db), "--verify")
    assert ok.exit_code == 0, ok.output
    assert "trusted key" in ok.stderr


def test_a_key_you_do_not_trust_is_refused_until_you_trust_it(exported: tuple[str, Path, Path], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    session_id, _, db = exported
    theirs = tmp_path / "their-keys"
    theirs.mkdir(mode=0o700)
    monkeypatch.setenv("KRISE_OVELSE_KEYS", str(theirs))
    assert cli("keys", "create", "dsb").exit_code == 0
    signed = tmp_path / "from-dsb.jsonl"
    assert cli("export", session_id, "-o", str(signed), "--sign", "--key", "dsb").exit_code == 0
    public = tmp_path / "dsb.pub"
    assert cli("keys", "public", "dsb", "-o", str(public)).exit_code == 0

    mine = tmp_path / "my-keys"
    mine.mkdir(mode=0o700)
    monkeypatch.setenv("KRISE_OVELSE_KEYS", str(mine))
    refused = cli("import", str(signed), "--db", str(db), "--verify")
    assert refused.exit_code == 1 and "do not trust" in refused.stderr
    trusted = cli("keys", "trust", str(public))
    assert trusted.exit_code == 0, trusted.output
    assert "dsb" in cli("keys", "list").stdout
    ok = cli("import", str(signed), "--db", str(db), "--verify")
    assert ok.exit_code == 0, ok.output
    assert "'dsb'" in ok.stderr


def test_private_keys_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import stat

    from krise_ovelse.signing import key_dir

    assert cli("keys", "create").exit_code == 0
    private = key_dir() / "default.key"
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    again = cli("keys", "create")
    assert again.exit_code == 2 and "exists already" in again.stderr
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_dir.chmod(0o777)
    monkeypatch.setenv("KRISE_OVELSE_KEYS", str(open_dir))
    refused = cli("keys", "create")
    assert refused.exit_code == 2 and "open to other users" in refused.stderr


@pytest.mark.parametrize("make_id", [
    lambda real: "abc",  # shorter than a shortened id may be
    lambda real: real[:6],  # a prefix of a stored id: `replay 41c0ad` would pick it
    lambda real: real + "ff",  # a stored id is a prefix of it
])
def test_ids_that_a_prefix_could_confuse_are_refused(exported: tuple[str, Path, Path],
                                                     make_id: Callable[[str], str]) -> None:
    import os

    session_id, path, _ = exported
    new = make_id(session_id)

    def set_id(header: dict[str, Any], events: list[dict[str, Any]]) -> None:
        header["session"]["id"] = new

    rehash(path, set_id)
    db = os.environ["KRISE_OVELSE_DB"]  # where the original session is
    result = cli("import", str(path), "--db", db)
    assert result.exit_code == 1, result.output
    assert new not in [s["id"] for s in json.loads(cli("sessions", "--json", "--db", db).stdout)["sessions"]]
    copy = cli("import", str(path), "--db", db, "--new-id")
    assert copy.exit_code == 0, copy.output
