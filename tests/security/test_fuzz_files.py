"""The fuzz test of issue #13: playthrough, plan and export files, mutated at random, give a
clear message or success — never a traceback (an exception out of the command), a hang or
unbounded memory (inputs are small; every command runs in-process under hypothesis).

Exports are fuzzed twice: as bytes (the hash check refuses most), and as JSON values changed
and then re-hashed as a forger would, which reaches the replay at import."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krise_ovelse.cli import main
from krise_ovelse.paths import shipped_scenarios_dir
from krise_ovelse.store.codec import canonical_json, events_sha256, sha256_text

EXAMPLE = shipped_scenarios_dir() / "examples" / "kort-eksempel.yaml"
PLAY = shipped_scenarios_dir() / "playthroughs" / "kort-eksempel" / "blandet.yaml"
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


def cli(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"krise-ovelse {' '.join(args)} raised {result.exception!r}\n{result.output}") \
            from result.exception
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code:
        assert result.stderr.strip() or result.stdout.strip(), "a refusal must say why"
    return result


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with a few random edits: cut, insert, replace, repeat a line."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["cut", "insert", "replace", "repeat", "truncate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "cut":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=12) | st.sampled_from(
                [b"\x00", b"\xff", b"{", b"]", b"\n", b": ", b"- ", b"&a *a", b"!!python/object:os.system",
                 b"\xe2\x80\xae", b"1e999", b"NaN", b'"\\ud800"', b"[" * 50]))
        elif action == "replace":
            end = at + draw(st.integers(1, 10))
            data[at:end] = draw(st.binary(min_size=0, max_size=10))
        elif action == "repeat":
            lines = bytes(data).splitlines(keepends=True)
            if lines:
                index = draw(st.integers(0, len(lines) - 1))
                lines.insert(index, lines[index])
                data = bytearray(b"".join(lines))
        else:
            del data[at:]
    return bytes(data)


@pytest.fixture(scope="module")
def export_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("fuzz-export")
    db = folder / "s.db"
    run = CliRunner().invoke(main, ["run", str(EXAMPLE), "--play", str(PLAY), "--json", "--db", str(db)])
    assert run.exit_code == 0, run.output
    session = json.loads(run.stdout)["session_id"]
    path = folder / "x.jsonl"
    assert CliRunner().invoke(main, ["export", session, "-o", str(path), "--db", str(db)]).exit_code == 0
    return path.read_bytes()


@FUZZ
@given(data=st.data())
def test_playthrough_files(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    path = tmp_path_factory.mktemp("fuzz-play") / "play.yaml"
    path.write_bytes(data.draw(mutated(PLAY.read_bytes())))
    cli("run", str(EXAMPLE), "--play", str(path), "--no-store")


@FUZZ
@given(data=st.data())
def test_plan_files(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("fuzz-plan")
    plan = folder / "plan.yaml"
    draft = cli("report", str(EXAMPLE), "--play", str(PLAY), "--write-plan", str(plan), "--force")
    assert draft.exit_code == 0, draft.output
    plan.write_bytes(data.draw(mutated(plan.read_bytes())))
    cli("report", str(EXAMPLE), "--play", str(PLAY), "--plan", str(plan))


@FUZZ
@given(data=st.data())
def test_export_files_as_bytes(tmp_path_factory: pytest.TempPathFactory, export_file: bytes,
                               data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("fuzz-import")
    path = folder / "x.jsonl"
    path.write_bytes(data.draw(mutated(export_file)))
    cli("import", str(path), "--db", str(folder / "other.db"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


@FUZZ
@given(data=st.data())
def test_export_files_edited_and_rehashed(tmp_path_factory: pytest.TempPathFactory, export_file: bytes,
                                          data: st.DataObject) -> None:
    lines = export_file.decode("utf-8").splitlines()
    header, events = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    for _ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(["event", "session", "drop", "scenario"]))
        if target == "event" and events:
            event = events[data.draw(st.integers(0, len(events) - 1))]
            key = data.draw(st.sampled_from(sorted(event)))
            event[key] = data.draw(json_values)
        elif target == "session":
            key = data.draw(st.sampled_from(sorted(header["session"])))
            header["session"][key] = data.draw(json_values)
        elif target == "drop" and events:
            del events[data.draw(st.integers(0, len(events) - 1))]
        else:
            text = header["scenario_text"]
            at = data.draw(st.integers(0, len(text)))
            header["scenario_text"] = text[:at] + data.draw(st.text(max_size=10)) + text[at + 5:]
    header["event_count"] = len(events)
    try:
        header["events_sha256"] = events_sha256(events)
        header["session_sha256"] = sha256_text(canonical_json(header["session"]))
        header["scenario_sha256"] = sha256_text(header["scenario_text"])
    except (UnicodeEncodeError, ValueError):
        return  # not representable as an export at all
    folder = tmp_path_factory.mktemp("fuzz-rehash")
    path = folder / "x.jsonl"
    path.write_text("\n".join([json.dumps(header, ensure_ascii=False), *(json.dumps(e) for e in events)]) + "\n",
                    encoding="utf-8", errors="surrogatepass")
    result = cli("import", str(path), "--db", str(folder / "other.db"))
    if result.exit_code == 0:  # what imported must replay and report
        session = result.stdout.strip()
        cli("replay", session, "--db", str(folder / "other.db"))
        cli("report", session, "--db", str(folder / "other.db"))
