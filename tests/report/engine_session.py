"""A real session of a shipped scenario played through the engine, for report tests that need
what only events hold: wall-clock times with pauses, a facilitator's jump ahead, an early ENDEX,
the hotwash and the questionnaire."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from krise_ovelse.authoring import load_scenario
from krise_ovelse.engine import Engine
from krise_ovelse.engine.commands import (
    AdvanceToDecision,
    Decide,
    EndExercise,
    GiveFeedback,
    JumpToPhase,
    NoteHotwash,
    Pause,
    Resume,
)
from krise_ovelse.engine.values import Participant
from krise_ovelse.model.scenario import Scenario
from krise_ovelse.paths import shipped_scenarios_dir


class SteppingClock:
    """A wall clock that moves one minute per reading, and more when told (a discussion)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now

    def wait(self, minutes: float) -> None:
        self.now += dt.timedelta(minutes=minutes)


@lru_cache(maxsize=1)
def ended_early_session() -> tuple[Scenario, tuple[Any, ...]]:
    """Maratonet: the first decisions with long pauses for discussion, a jump to the last phase
    ("Ny normal", skipping "Gjenåpning og tilbakeslag"), then ENDEX well before D+540; a
    hotwash and two questionnaires after ENDEX."""
    scenario = load_scenario(shipped_scenarios_dir() / "maratonet.yaml").scenario
    assert scenario is not None
    clock = SteppingClock()
    engine = Engine.start(scenario, team="Ledergruppen", clock=clock, facilitator="Øvingsleder Anne Berg",
                          participants=(Participant("Ingrid Solheim", "direktor"), Participant("Tor Haugen", "hr")))
    engine.handle(Resume())
    for _ in range(3):
        engine.handle(AdvanceToDecision())
        for decision in engine.state.open_decisions():
            engine.handle(Pause())
            clock.wait(9)  # the discussion happens while the clock is paused
            engine.handle(Resume())
            option = scenario.decision(decision.decision_id).options[0].id
            engine.handle(Decide(decision.decision_id, option, "Vi tar det nå", "hr"))
    engine.handle(JumpToPhase("ny-normal"))
    engine.handle(EndExercise("Tiden er ute"))
    engine.handle(NoteHotwash("plus", "Vi tok de tillitsvalgte med tidlig", by="facilitator"))
    engine.handle(NoteHotwash("delta", "For lite tid til kundesenteret"))
    engine.handle(NoteHotwash("takeaway", "Fast møte med tillitsvalgte første krisedag"))
    engine.handle(GiveFeedback((("useful", "5"), ("realism", "4"), ("improve", "Mer tid til diskusjon"))))
    engine.handle(GiveFeedback((("useful", "3"),)))
    return scenario, tuple(engine.events)
