"""Two stored sessions side by side: the domain logic of `krise-ovelse compare` (the command only
prints it). Decisions that differ, final indicators, ratings per criterion and theme with the
index, and how far each session was played; JSON-ready data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from krise_ovelse.store.lifecycle import choices, engine_event_to_dict, open_checked, score_result
from krise_ovelse.store.session_rows import SessionInfo

if TYPE_CHECKING:
    from krise_ovelse.store.backend import Store


def folded_session(store: Store, session: str) -> tuple[SessionInfo, Any, list[dict[str, Any]], Any]:
    """A stored session's info, checked scenario (hash, loads, folds), stored events as dicts and
    the state they fold into."""
    opened = open_checked(store, session)
    return opened.info, opened.scenario, [engine_event_to_dict(e) for e in opened.events], opened.state


def played_short(progress: Mapping[str, Any]) -> bool:
    """Stopped before the scenario's end (ENDEX early, or never ended); a full run may still
    leave decisions unsettled whose injects never came, which is not playing it short."""
    return bool(progress["scenario_minutes"] < progress["end_minutes"])


def _choice_dict(choice: Any) -> dict[str, Any] | None:
    if choice is None:
        return None
    return {"option": choice.option_id, "rationale": choice.rationale, "missed": choice.missed,
            "revisions": choice.revisions}


def _progress(scenario: Any, state: Any, settled: Mapping[str, Any]) -> dict[str, Any]:
    """How far a session was played: scenario time reached of the scenario's end, decisions
    settled (by the team or by default) of the scenario's total, and whether it was ended."""
    return {"scenario_minutes": state.scenario_minutes, "end_minutes": scenario.ends.minutes,
            "decisions_settled": sum(1 for d in settled if scenario.has_decision(d)),
            "decisions_missed": sum(1 for d, c in settled.items() if scenario.has_decision(d) and c.missed),
            "decisions_total": len(scenario.decisions), "ended": bool(state.ended)}


def compare_sessions(store: Store, session_a: str, session_b: str) -> dict[str, Any]:
    """The comparison `compare` prints, as JSON-ready data (also for the console)."""
    info_a, scen_a, ev_a, st_a = folded_session(store, session_a)
    info_b, scen_b, ev_b, st_b = folded_session(store, session_b)
    ch_a, ch_b = choices(ev_a), choices(ev_b)
    decisions: list[dict[str, Any]] = []
    for did in dict.fromkeys([*ch_a, *ch_b]):
        a, b = ch_a.get(did), ch_b.get(did)
        differs = (a is None) != (b is None) or (
            a is not None and b is not None and a.option_id != b.option_id)
        decisions.append({"decision": did, "a": _choice_dict(a), "b": _choice_dict(b),
                          "differs": differs})
    ind_a: dict[str, float] = st_a.indicator_values()
    ind_b: dict[str, float] = st_b.indicator_values()
    indicators = [{"indicator": k, "a": ind_a.get(k), "b": ind_b.get(k)}
                  for k in dict.fromkeys([*ind_a, *ind_b])]
    res_a, res_b = score_result(scen_a, ev_a), score_result(scen_b, ev_b)
    la = {r.criterion: r.final.value for r in res_a.ratings}
    lb = {r.criterion: r.final.value for r in res_b.ratings}
    ta = {t.id: None if t.mean is None else f"{t.level.value} {t.number:.2f}" for t in res_a.themes}
    tb = {t.id: None if t.mean is None else f"{t.level.value} {t.number:.2f}" for t in res_b.themes}
    ratings = {
        "criteria": [{"criterion": c, "a": la.get(c), "b": lb.get(c)} for c in dict.fromkeys([*la, *lb])],
        "themes": [{"theme": t, "a": ta.get(t), "b": tb.get(t)} for t in dict.fromkeys([*ta, *tb])],
        "index": {"a": res_a.index, "b": res_b.index},
    }
    return {"a": info_a.to_dict(), "b": info_b.to_dict(),
            "progress": {"a": _progress(scen_a, st_a, ch_a), "b": _progress(scen_b, st_b, ch_b)},
            "same_scenario": info_a.scenario_sha256 == info_b.scenario_sha256,
            "decisions": decisions, "indicators": indicators, "ratings": ratings,
            "_scenarios": (scen_a, scen_b)}
