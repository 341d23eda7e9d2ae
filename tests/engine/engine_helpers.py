"""Small scenarios built in Python, a controllable clock, and shortcuts for driving an engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from krise_ovelse.engine import (
    Command,
    Engine,
    Event,
    Mode,
    Resume,
    event_to_dict,
    fold,
)
from krise_ovelse.model.conditions import parse_condition
from krise_ovelse.model.scenario import (
    SCHEMA_VERSION,
    Category,
    Channel,
    Decision,
    Indicator,
    Inject,
    Option,
    Phase,
    Scenario,
    Trigger,
)
from krise_ovelse.model.text import Text
from krise_ovelse.model.timefmt import parse_duration, parse_rate, parse_time

T0 = dt.datetime(2025, 3, 12, 8, 0, tzinfo=dt.UTC)


class FakeClock:
    """A wall clock that moves only when told; returns the same object until then."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now = self.now + dt.timedelta(seconds=seconds)


def phase(pid: str, starts: str, compression: float = 720, ends: str | None = None) -> Phase:
    return Phase(pid, Text.of(pid), parse_time(starts), compression, None if ends is None else parse_time(ends))


def indicator(iid: str, initial: float, *, low: float = 0, high: float = 100,
              drift: Mapping[str, str] | None = None, visible: bool = True) -> Indicator:
    rates = {k: parse_rate(v) for k, v in (drift or {}).items()}
    return Indicator(iid, Text.of(iid), initial, low, high, drift=rates, visible=visible)


def inject(iid: str, at: str | None = None, *, when: str | None = None, trigger: str | None = None,
           after: str | None = None, channel: Channel = Channel.EMAIL) -> Inject:
    return Inject(
        iid, Text.of(f"Innspill {iid}"), channel,
        at=None if at is None else parse_time(at),
        when=None if when is None else parse_condition(when),
        trigger=None if trigger is None else Trigger(trigger),
        after=None if after is None else parse_duration(after),
    )


def option(oid: str, effects: Mapping[str, float] | None = None, *, sets: Sequence[str] = (),
           clears: Sequence[str] = (), follow_up: Sequence[str] = ()) -> Option:
    return Option(oid, Text.of(f"Valg {oid}"), dict(effects or {}), sets=tuple(sets), clears=tuple(clears),
                  follow_up=tuple(follow_up))


def decision(did: str, opens_with: str, options: Sequence[Option], default: str, deadline: str = "2d") -> Decision:
    return Decision(did, opens_with, parse_duration(deadline), Category.COMMUNICATION, Text.of(f"Spørsmål {did}"),
                    tuple(options), default)


def scenario(*, phases: Sequence[Phase] | None = None, indicators: Sequence[Indicator] = (),
             injects: Sequence[Inject] = (), decisions: Sequence[Decision] = (), ends: str = "D+30",
             sid: str = "test") -> Scenario:
    return Scenario(
        SCHEMA_VERSION, sid, Text.of("Test"),
        tuple(phases or (phase("p1", "D+0"),)), parse_time(ends),
        indicators=tuple(indicators), injects=tuple(injects), decisions=tuple(decisions),
    )


def basic() -> Scenario:
    """Two phases with a jump, drifting indicators, one of each inject kind, two decisions."""
    return scenario(
        phases=[phase("akutt", "D+0", 720, ends="D+3"), phase("lang", "D+14", 10080)],
        ends="D+30",
        indicators=[
            indicator("load", 40, drift={"akutt": "7/week", "lang": "-1/day"}),
            indicator("trust", 60, visible=False),
        ],
        injects=[
            inject("i01", "D+0 08:00"),
            inject("i02", when="load >= 75 and not daily"),
            inject("i03", trigger="manual"),
            inject("i04", trigger="follow_up", after="1d"),
            inject("i05", "D+1 12:00"),
            inject("i06", "D+15 09:00"),
            inject("i07", trigger="follow_up"),
        ],
        decisions=[
            decision("d01", "i01", [option("a", {"load": 5, "trust": 50}, sets=["daily"], follow_up=["i04"]),
                                    option("b", {"trust": -10}, follow_up=["i07"])], "b"),
            decision("d02", "i05", [option("a", {"load": -100}), option("b", {"load": 100}, clears=["daily"])],
                     "a", deadline="12h"),
        ],
    )


def start(scn: Scenario, clock: FakeClock | None = None, *, mode: Mode = Mode.PACED, run: bool = True,
          **kwargs: Any) -> Engine:
    engine = Engine.start(scn, team="Ledergruppen", clock=clock or FakeClock(), mode=mode, **kwargs)
    if run:
        engine.handle(Resume())
    return engine


def kinds(events: Sequence[Event]) -> list[str]:
    return [e.kind for e in events]


def dicts(events: Sequence[Event]) -> list[dict[str, Any]]:
    return [event_to_dict(e) for e in events]


def do(engine: Engine, *commands: Command) -> list[Event]:
    """Handle commands in order and check the fold invariant after each."""
    out: list[Event] = []
    for command in commands:
        out.extend(engine.handle(command))
        assert engine.state == fold(engine.scenario, engine.events)
    return out


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def rich() -> Scenario:
    """Three phases (one jump), drift, every trigger kind, conditions on all kinds of things."""
    return scenario(
        phases=[phase("akutt", "D+0", 720, ends="D+3"), phase("mellom", "D+14", 1440), phase("lang", "D+20", 10080)],
        ends="D+60",
        indicators=[
            indicator("load", 40, drift={"akutt": "5/day", "lang": "-2/week"}),
            indicator("trust", 60, low=-50, high=80, drift={"mellom": "-3/day"}, visible=False),
            indicator("morale", 50),
        ],
        injects=[
            inject("i01", "D+0 08:00"),
            inject("i02", "D+0 12:00"),
            inject("i03", "D+1 09:00"),
            inject("i04", "D+2 10:00"),
            inject("i05", "D+14 09:00"),
            inject("i06", "D+21"),
            inject("i07", "D+40"),
            inject("c1", when="load >= 55 and not calm"),
            inject("c2", "D+15", when="trust < 45 or morale > 70"),
            inject("c3", when="chose(d01, a) and released(i03)"),
            inject("c4", when="missed(d02) or day >= 30.5"),
            inject("c5", when="phase(lang) and load < trust"),
            inject("m1", trigger="manual"),
            inject("f1", trigger="follow_up", after="6h"),
            inject("f2", trigger="follow_up"),
            inject("f3", trigger="follow_up", after="3d"),
        ],
        decisions=[
            decision("d01", "i01", [option("a", {"load": -10, "morale": 15}, sets=["calm"], follow_up=["f1"]),
                                    option("b", {"load": 10, "trust": -20}, follow_up=["f2"])], "b", deadline="1d"),
            decision("d02", "i03", [option("a", {"morale": 30}, clears=["calm"]),
                                    option("b", {"morale": -30}, follow_up=["f3"]),
                                    option("c", {})], "c", deadline="8h"),
            decision("d03", "c1", [option("a", {"load": -30}), option("b", {"trust": 50})], "a", deadline="2d"),
            decision("d04", "m1", [option("a", {"trust": 100}), option("b", {"load": 100})], "b", deadline="1d"),
            decision("d05", "i06", [option("a", {"morale": -100}, follow_up=["f1", "f3"]), option("b")], "a",
                     deadline="3w"),
        ],
    )
