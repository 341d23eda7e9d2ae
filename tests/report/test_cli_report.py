"""`krise-ovelse report` end to end: every source, both formats, the plan workflow, bad input,
and the ratings `krise-ovelse run` prints and puts in its JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from krise_ovelse.authoring import load_scenario_text
from krise_ovelse.cli import main
from krise_ovelse.engine import AddObservation, Decide, EndExercise, RateCriterion, Resume
from krise_ovelse.engine.commands import AdvanceToDecision
from krise_ovelse.engine.values import Participant
from krise_ovelse.model.scenario import Level
from krise_ovelse.store.db import SessionStore
from krise_ovelse.store.engine_bridge import close_session, start_session

from .report_fixtures import SCENARIO_YAML

STRONG = """\
scenario: rapportprove
team: "Sterkt lag"
facilitator: "Liv Øvingsleder"
participants: [{name: Kari, role: Direktør}, {name: Ola, role: HR-direktør}]
decisions:
  d01: {option: a, rationale: "Ærlig om usikkerheten", by: Direktør}
  d02: {option: a, rationale: "Drøfte først"}
  d03: {option: a, rationale: "Avlaste nøkkelpersonene"}
"""

WEAK = """\
scenario: rapportprove
team: "Svakt lag"
decisions:
  d01: {option: b, rationale: "Vente til vi vet mer"}
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"scenario": tmp_path / "rapportprove.yaml", "strong": tmp_path / "sterkt.yaml",
             "weak": tmp_path / "svakt.yaml"}
    paths["scenario"].write_text(SCENARIO_YAML, encoding="utf-8")
    paths["strong"].write_text(STRONG, encoding="utf-8")
    paths["weak"].write_text(WEAK, encoding="utf-8")
    return paths


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# --- the playthrough source ------------------------------------------------------------------


def test_report_from_a_playthrough_to_stdout(files: dict[str, Path]) -> None:
    code, out, err = invoke("report", str(files["scenario"]), "--play", str(files["strong"]))
    assert code == 0, err
    assert out.startswith("# Evalueringsrapport: Stormen – tre uker med hjemmekontor\n")
    assert "- **Ledergruppe:** Sterkt lag" in out
    assert "Kari (Direktør)" in out
    assert "Begrunnelse: Ærlig om usikkerheten" in out
    assert "## Tiltaksplan (veien videre)" in out


def test_html_report_to_a_file_in_english(files: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, out, err = invoke("report", str(files["scenario"]), "--play", str(files["weak"]), "-o", str(target),
                            "--lang", "en", "--date", "2024-03-01", "--team", "Team <b>X</b>")
    assert code == 0, err
    assert out == ""
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert "After-action report" in html
    assert "Team &lt;b&gt;X&lt;/b&gt;" in html
    assert "2024-03-01" in html
    assert "<svg" in html


def test_format_flag_overrides_the_suffix(files: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, _, err = invoke("report", str(files["scenario"]), "--play", str(files["weak"]), "-o", str(target),
                          "--format", "md")
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("# Evalueringsrapport")


def test_strong_and_weak_playthroughs_rate_in_the_expected_direction(files: dict[str, Path]) -> None:
    runs = {}
    for name in ("strong", "weak"):
        code, out, err = invoke("run", str(files["scenario"]), "--play", str(files[name]), "--json")
        assert code == 0, err
        runs[name] = json.loads(out)
    strong, weak = runs["strong"]["scoring"], runs["weak"]["scoring"]
    assert strong["index"] > weak["index"]
    finals = {name: {c["id"]: c["final"] for c in run["scoring"]["criteria"]} for name, run in runs.items()}
    values = {"P": 4, "S": 3, "M": 2, "U": 1}
    for criterion, level in finals["strong"].items():
        if level in values and finals["weak"].get(criterion) in values:
            assert values[level] >= values[finals["weak"][criterion]], criterion
    assert finals["strong"]["KH-2"] == "P" and finals["weak"]["KH-2"] == "U"
    assert all(f["level"] == "S" for f in strong["improvements"])  # an S still leaves room to do better


# --- run: ratings in the output --------------------------------------------------------------


def test_run_prints_the_ratings_table(files: dict[str, Path]) -> None:
    code, out, err = invoke("run", str(files["scenario"]), "--play", str(files["weak"]))
    assert code == 0, err
    assert "Vurdering mot suksesskriteriene" in out
    assert "KH-2" in out and "Indeks (oppsummering, ikke karakter):" in out


def test_run_json_carries_ratings_with_evidence(files: dict[str, Path]) -> None:
    code, out, err = invoke("run", str(files["scenario"]), "--play", str(files["strong"]), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["scoring"]["format"] == "krise-ovelse/ratings"
    kh2 = next(c for c in data["scoring"]["criteria"] if c["id"] == "KH-2")
    assert kh2["final"] == "P"
    assert kh2["evidence"][0]["decision"] == "d01" and kh2["evidence"][0]["seq"] > 0
    assert data["scoring_input"]["format"] == "krise-ovelse/scoring-input"
    assert data["scoring_input"]["team"] == "Sterkt lag"


# --- the run-result source -------------------------------------------------------------------


def test_report_from_a_saved_run(files: dict[str, Path], tmp_path: Path) -> None:
    code, out, _ = invoke("run", str(files["scenario"]), "--play", str(files["strong"]), "--json")
    assert code == 0
    saved = tmp_path / "run.json"
    saved.write_text(out, encoding="utf-8")
    code, from_run, err = invoke("report", str(files["scenario"]), "--from-run", str(saved))
    assert code == 0, err
    _, from_play, _ = invoke("report", str(files["scenario"]), "--play", str(files["strong"]))

    def findings(text: str) -> str:  # a saved run has no events (no wall clock) and no date
        return text.split("## Funn per tema")[1].split("## Hotwash")[0]

    assert findings(from_run) == findings(from_play)
    assert from_run.split("## Vedlegg A")[1] == from_play.split("## Vedlegg A")[1]
    assert "uten hendelseslogg" in from_run and "uten hendelseslogg" not in from_play


def test_report_from_a_run_of_another_scenario_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    saved = tmp_path / "run.json"
    saved.write_text(json.dumps({"scenario": {"id": "annet"}, "scoring_input": {}}), encoding="utf-8")
    code, _, err = invoke("report", str(files["scenario"]), "--from-run", str(saved))
    assert code == 2
    assert "is a run of scenario 'annet'" in err


@pytest.mark.parametrize(
    ("content", "message", "exit_code"),
    [
        ("{not json", "not valid JSON", 2),
        ('{"scenario": {"id": "rapportprove"}}', "scoring_input section", 2),
        ('{"scoring_input": {"format": "x"}}', "not a krise-ovelse/scoring-input", 1),
    ],
)
def test_bad_run_files(files: dict[str, Path], tmp_path: Path, content: str, message: str, exit_code: int) -> None:
    saved = tmp_path / "run.json"
    saved.write_text(content, encoding="utf-8")
    code, _, err = invoke("report", str(files["scenario"]), "--from-run", str(saved))
    assert code == exit_code
    assert message in err
    assert "Traceback" not in err


# --- the stored-session source ---------------------------------------------------------------


def _clock() -> dt.datetime:
    return dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, str]:
    """A session played through the store: two decisions, a note, an evaluator's rating."""
    loaded = load_scenario_text(SCENARIO_YAML, "rapportprove.yaml")
    assert loaded.scenario is not None
    db = tmp_path / "sessions.db"
    with SessionStore(db) as store:
        live = start_session(
            store, loaded.scenario, SCENARIO_YAML, team="Lag fra basen", clock=_clock,
            participants=(Participant("Kari", "Direktør"),), facilitator="Liv")
        session_id, engine = live.session_id, live.engine
        engine.handle(Resume())
        engine.handle(AdvanceToDecision())
        engine.handle(Decide("d01", "a", "Daglig status", "Direktør"))
        engine.handle(AddObservation("Tydelig om usikkerheten", "Eva", ("KH-2",)))
        engine.handle(RateCriterion("KH-4", Level.S, "God dialog i debriefen", "Eva"))
        engine.handle(EndExercise("Tiden er ute"))
        close_session(store, session_id, engine)
    return db, session_id


def test_report_from_a_stored_session(stored: tuple[Path, str]) -> None:
    db, session_id = stored
    code, out, err = invoke("report", session_id[:8], "--db", str(db))
    assert code == 0, err
    assert f"- **Økt:** {session_id}" in out
    assert "- **Dato:** 2024-03-01" in out
    assert "- **Ledergruppe:** Lag fra basen" in out
    assert "Kari (Direktør)" in out
    # KH-4's suggestion is S, so rating it S confirms the suggestion: not an override
    assert "Bekreftet av evaluator (Eva): God dialog i debriefen" in out
    assert "Overstyrt" not in out
    assert "Observasjon (Eva): «Tydelig om usikkerheten»" in out
    code, same, _ = invoke("report", "--session", session_id, "--db", str(db))
    assert code == 0 and same == out


def test_unknown_session_and_missing_database(stored: tuple[Path, str], tmp_path: Path) -> None:
    db, _ = stored
    code, _, err = invoke("report", "nosuchsession", "--db", str(db))
    assert code == 2 and "no session with id 'nosuchsession'" in err
    code, _, err = invoke("report", "abcd1234", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "there is no session database" in err


# --- the plan workflow -----------------------------------------------------------------------


def test_write_plan_then_report_with_it(files: dict[str, Path], tmp_path: Path) -> None:
    plan = tmp_path / "tiltak.yaml"
    args = ("report", str(files["scenario"]), "--play", str(files["weak"]))
    code, out, err = invoke(*args, "--write-plan", str(plan))
    assert code == 0, err
    assert out == ""  # only the plan, no report without -o
    assert "wrote the draft action plan" in err
    text = plan.read_text(encoding="utf-8")
    assert text.startswith("# Tiltaksplan")
    plan.write_text(text.replace("owner: ''", "owner: Direktøren", 1), encoding="utf-8")

    code, _, err = invoke(*args, "--write-plan", str(plan))
    assert code == 2 and "exists" in err  # the edits are safe
    code, out, err = invoke(*args, "--plan", str(plan))
    assert code == 0, err
    assert "| Direktøren |" in out
    assert "Utkast: tiltakene er foreslått" not in out  # not the draft any more

    report = tmp_path / "r.md"
    code, _, err = invoke(*args, "--write-plan", str(plan), "--force", "-o", str(report))
    assert code == 0, err
    assert report.exists()


def test_bad_plan_file(files: dict[str, Path], tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("items:\n  - area: A\n    element: kaffe\n", encoding="utf-8")
    code, _, err = invoke("report", str(files["scenario"]), "--play", str(files["weak"]), "--plan", str(plan))
    assert code == 2
    assert "item 1: element must be one of" in err


# --- usage errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "say what to report on"),
        (("--play", "x.yaml"), "--play needs the scenario file"),
        (("s.yaml", "--play", "p.yaml", "--from-run", "r.json"), "give only one of --play, --from-run"),
        (("s.yaml", "--session", "abc"), "drop SCENARIO"),
    ],
)
def test_usage_errors(args: tuple[str, ...], message: str) -> None:
    code, _, err = invoke("report", *args)
    assert code == 2
    assert message in err


def test_a_scenario_file_alone_needs_a_source(files: dict[str, Path]) -> None:
    code, _, err = invoke("report", str(files["scenario"]))
    assert code == 2
    assert "add --play PLAYTHROUGH or --from-run" in err


def test_scenario_and_playthrough_problems(files: dict[str, Path], tmp_path: Path) -> None:
    code, _, err = invoke("report", str(tmp_path / "missing.yaml"), "--play", str(files["weak"]))
    assert code == 2 and "E-READ" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nid: x\n", encoding="utf-8")
    code, _, err = invoke("report", str(broken), "--play", str(files["weak"]))
    assert code == 1 and "E-KEY-MISSING" in err
    bad_play = tmp_path / "bad-play.yaml"
    bad_play.write_text("scenario: rapportprove\ndecisions:\n  d01: {option: zz}\n", encoding="utf-8")
    code, _, err = invoke("report", str(files["scenario"]), "--play", str(bad_play))
    assert code == 1
    assert "Traceback" not in err
