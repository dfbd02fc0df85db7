"""Job transitions, against real captures and jobs the simulated firmware runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from custom_components.bambu_cloud.aiobambulab import commands
from custom_components.bambu_cloud.aiobambulab.lifecycle import (
    JobLifecycle,
    JobTransition,
    TransitionKind,
)
from custom_components.bambu_cloud.aiobambulab.printer import Printer
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from simulator.firmware import Job, PrinterFirmware
from tests.common import get_version, pushall

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
STARTED = TransitionKind.STARTED
PAUSED = TransitionKind.PAUSED
RESUMED = TransitionKind.RESUMED
FINISHED = TransitionKind.FINISHED
FAILED = TransitionKind.FAILED
CANCELED = TransitionKind.CANCELED
ABANDONED = TransitionKind.ABANDONED


class Follower:
    """A printer state and its life cycle, fed report by report."""

    def __init__(self, printer: str) -> None:
        self.state = PrinterState("SERIAL")
        self.lifecycle = JobLifecycle()
        self.now = T0
        self.seen: list[JobTransition] = []
        self.apply(pushall(printer))

    def apply(self, message: dict[str, Any], minutes: float = 1) -> list[JobTransition]:
        self.now += timedelta(minutes=minutes)
        changed = self.state.apply(message)
        found = self.lifecycle.update(self.state, changed, self.now)
        self.seen.extend(found)
        return found

    def delta(self, minutes: float = 1, **fields: Any) -> list[TransitionKind]:
        message = {"print": {"command": "push_status", "msg": 1, **fields}}
        return [t.kind for t in self.apply(message, minutes)]

    def kinds(self) -> list[TransitionKind]:
        return [t.kind for t in self.seen]


# --- the rules, one report at a time -------------------------------------------------


@pytest.mark.parametrize(
    ("printer", "fields", "expected"),
    [
        # a1-ams-lite: IDLE; p1p-no-ams: FINISH; p1p-ams: FAILED; p2s: RUNNING.
        ("a1-ams-lite", {"gcode_state": "PREPARE"}, [STARTED]),
        ("a1-ams-lite", {"gcode_state": "RUNNING"}, [STARTED]),
        ("a1-ams-lite", {"gcode_state": "PAUSE"}, [STARTED, PAUSED]),
        ("a1-ams-lite", {"gcode_state": "SLICING"}, []),
        ("a1-ams-lite", {"gcode_state": "FINISH"}, []),
        ("a1-ams-lite", {"gcode_state": "FAILED", "print_error": 0x03008015}, []),
        ("p1p-no-ams", {"gcode_state": "RUNNING"}, [STARTED]),
        ("p1p-no-ams", {"gcode_state": "IDLE"}, []),
        ("p1p-ams", {"gcode_state": "PREPARE"}, [STARTED]),
        ("p2s", {"gcode_state": "PREPARE"}, []),
        ("p2s", {"gcode_state": "PAUSE"}, [PAUSED]),
        ("p2s", {"gcode_state": "FINISH"}, [FINISHED]),
        ("p2s", {"gcode_state": "FAILED", "print_error": 0x03008015}, [FAILED]),
        ("p2s", {"gcode_state": "FAILED"}, [CANCELED]),
        ("p2s", {"gcode_state": "FAILED", "print_error": 0x0300400C}, [CANCELED]),
        ("p2s", {"gcode_state": "FAILED", "print_error": 0x0500400E}, [CANCELED]),
        ("p2s", {"gcode_state": "IDLE"}, [ABANDONED]),
        ("p2s", {"gcode_state": "SLICING"}, [ABANDONED]),
        ("p2s", {"gcode_state": "BOGUS"}, []),
        ("p2s", {"mc_percent": 50}, []),
    ],
)
def test_one_report(
    printer: str, fields: dict[str, Any], expected: list[TransitionKind]
) -> None:
    follower = Follower(printer)
    assert follower.delta(**fields) == expected


def test_the_first_full_report_is_only_the_starting_point() -> None:
    for printer in ("a1-ams-lite", "p2s", "p1p-no-ams", "p1p-ams", "h2d-laser"):
        assert Follower(printer).seen == []


def test_deltas_before_the_first_full_report_say_nothing() -> None:
    lifecycle = JobLifecycle()
    state = PrinterState("SERIAL")
    changed = state.apply(
        {"print": {"command": "push_status", "gcode_state": "RUNNING"}}
    )
    assert lifecycle.update(state, changed, T0) == []
    assert lifecycle.current is None
    changed = state.apply(pushall("a1-ams-lite"))  # IDLE: no job
    assert lifecycle.update(state, changed, T0) == []
    assert lifecycle.current is None


def test_a_whole_job_with_its_times_and_key() -> None:
    follower = Follower("a1-ams-lite")
    follower.delta(gcode_state="PREPARE", mc_percent=0)
    started_at = follower.now
    follower.delta(subtask_name="Benchy", task_id="4242", plate_idx=2)  # fills in
    follower.delta(gcode_state="RUNNING", mc_percent=1)
    follower.delta(5, gcode_state="PAUSE", mc_percent=40)
    follower.delta(gcode_state="RUNNING")
    follower.delta(30, gcode_state="FINISH", mc_percent=100)
    follower.delta(gcode_state="IDLE")
    assert follower.kinds() == [STARTED, PAUSED, RESUMED, FINISHED]
    first, paused, _resumed, finished = follower.seen
    assert {t.job_key for t in follower.seen} == {first.job_key}
    assert all(t.started_at == started_at for t in follower.seen)
    assert first.job_name is None  # not named yet when it started
    assert (paused.job_name, paused.task_id, paused.plate) == ("Benchy", "4242", 2)
    assert (paused.progress, finished.progress) == (40, 100)
    assert finished.at == started_at + timedelta(minutes=38)
    assert finished.kind.ends_job
    assert not paused.kind.ends_job
    assert follower.lifecycle.current is None


def test_failed_carries_its_error_code_and_canceled_none() -> None:
    follower = Follower("p2s")
    follower.delta(gcode_state="FAILED", print_error=0x03008015)
    follower.delta(gcode_state="PREPARE", print_error=0)
    follower.delta(gcode_state="FAILED")
    assert follower.kinds() == [FAILED, STARTED, CANCELED]
    failed, _started, canceled = follower.seen
    assert failed.error_code == "03008015"
    assert failed.job_name == "Rear Dry Pod AMS 2 PRO"
    assert canceled.error_code is None


def test_a_job_adopted_at_start_up_ends_with_a_transition() -> None:
    follower = Follower("p2s")  # RUNNING when first seen
    adopted = follower.lifecycle.current
    assert adopted is not None
    assert adopted.started_at == T0 + timedelta(minutes=1)
    follower.delta(gcode_state="PAUSE")
    follower.delta(gcode_state="RUNNING")
    follower.delta(gcode_state="FINISH")
    assert follower.kinds() == [PAUSED, RESUMED, FINISHED]
    assert {t.job_key for t in follower.seen} == {adopted.key}
    assert follower.seen[-1].started_at == adopted.started_at


def test_a_paused_job_at_start_up_resumes() -> None:
    lifecycle = JobLifecycle()
    state = PrinterState("SERIAL")
    message = pushall("p2s")
    message["print"]["gcode_state"] = "PAUSE"
    assert lifecycle.update(state, state.apply(message), T0) == []
    resumed = {"print": {"command": "push_status", "gcode_state": "RUNNING"}}
    [transition] = lifecycle.update(state, state.apply(resumed), T0)
    assert transition.kind is RESUMED


def test_running_to_idle_is_abandoned_at_the_last_report_showing_the_job() -> None:
    follower = Follower("a1-ams-lite")
    follower.delta(gcode_state="RUNNING", subtask_name="Cube")
    follower.delta(10, mc_percent=30)
    last_seen = follower.now
    follower.delta(20, gcode_state="IDLE", subtask_name="")
    [started, abandoned] = follower.seen
    assert abandoned.kind is ABANDONED
    assert abandoned.at == last_seen
    assert abandoned.job_key == started.job_key
    assert abandoned.job_name == "Cube"  # the report no longer names it


def test_another_task_while_running_is_a_new_job() -> None:
    follower = Follower("p2s")  # task 6456
    old = follower.lifecycle.current
    assert old is not None
    assert follower.delta(task_id="7000", subtask_name="Next") == [ABANDONED, STARTED]
    abandoned, started = follower.seen
    assert abandoned.job_key == old.key
    assert started.job_key != old.key
    assert started.job_name == "Next"


def test_a_name_arriving_late_is_the_same_job() -> None:
    follower = Follower("a1-ams-lite")
    follower.delta(gcode_state="PREPARE", subtask_name="", task_id="0")
    assert follower.delta(subtask_name="Late", task_id="99") == []
    assert follower.delta(gcode_state="FINISH") == [FINISHED]
    assert follower.seen[-1].job_name == "Late"


def test_jobs_started_in_the_same_instant_have_their_own_keys() -> None:
    follower = Follower("a1-ams-lite")
    follower.delta(gcode_state="RUNNING")
    follower.delta(0, gcode_state="FINISH")
    follower.delta(0, gcode_state="RUNNING")
    follower.delta(0, gcode_state="FINISH")
    first, _end, second, _end2 = follower.seen
    assert first.job_key != second.job_key
    assert first.started_at == second.started_at


def test_coming_back_after_a_gap_reports_what_changed_meanwhile() -> None:
    """Offline while running: the first report back decides, once."""
    follower = Follower("p2s")
    follower.apply({"event": {"event": "client.disconnected"}})
    back = pushall("p2s")
    back["print"].update(gcode_state="FINISH", mc_percent=100)
    follower.apply({"event": {"event": "client.connected"}})
    assert follower.seen == []
    follower.apply(back, minutes=60)
    assert follower.kinds() == [FINISHED]
    follower.apply(back)  # asked again: nothing more
    assert follower.kinds() == [FINISHED]


def test_coming_back_idle_after_a_gap_is_abandoned() -> None:
    follower = Follower("p2s")
    left = follower.now
    back = pushall("p2s")
    back["print"].update(gcode_state="IDLE")
    follower.apply(back, minutes=600)
    [abandoned] = follower.seen
    assert abandoned.kind is ABANDONED
    assert abandoned.at == left  # not ten hours of printing


# --- jobs the simulated firmware runs -------------------------------------------------


class Simulated:
    """The simulator's firmware with a follower reading its reports."""

    def __init__(self, printer: str) -> None:
        self.firmware = PrinterFirmware(
            "SERIAL", pushall(printer), get_version(printer)
        )
        self.follower = Follower(printer)
        self.follower.apply(self.firmware.full_report())

    def run(self, seconds: float, step: float = 10.0) -> None:
        elapsed = 0.0
        while elapsed < seconds:
            self.firmware.advance(step)
            elapsed += step
            self.flush(step / 60)

    def command(self, payload: dict[str, Any]) -> None:
        self.firmware.handle(payload)
        self.flush(0)

    def flush(self, minutes: float) -> None:
        if (delta := self.firmware.pending_delta()) is not None:
            self.follower.apply(delta, minutes)


def test_simulated_job_finishes() -> None:
    sim = Simulated("a1-ams-lite")
    sim.firmware.start_job(Job("Benchy", prepare_seconds=30, print_seconds=300))
    sim.flush(0)
    sim.run(120)
    sim.command(commands.pause())
    sim.run(60)
    sim.command(commands.resume())
    sim.run(400)
    assert sim.follower.kinds() == [STARTED, PAUSED, RESUMED, FINISHED]
    assert sim.follower.seen[-1].job_name == "Benchy"
    assert sim.follower.seen[-1].progress == 100


def test_simulated_job_stopped_is_canceled() -> None:
    sim = Simulated("p1p-ams")  # FAILED before: the next job is a new one
    sim.firmware.start_job(Job("Stopped", prepare_seconds=30, print_seconds=300))
    sim.flush(0)
    sim.run(60)
    sim.command(commands.stop())
    assert sim.follower.kinds() == [STARTED, CANCELED]


def test_simulated_job_fails_with_its_error() -> None:
    sim = Simulated("x1c-multi-ams")
    sim.firmware.start_job(
        Job("Spaghetti", prepare_seconds=10, print_seconds=100, fail_at_percent=50)
    )
    sim.flush(0)
    sim.run(200)
    assert sim.follower.kinds() == [STARTED, FAILED]
    assert sim.follower.seen[-1].error_code == "03008015"


def test_a_printer_reports_its_transitions_with_each_update() -> None:
    """``Printer.apply`` runs its own life cycle: no consumer decides."""
    printer = Printer("SERIAL", clock=lambda: T0)
    assert printer.apply(pushall("a1-ams-lite")).transitions == []
    update = printer.apply(
        {"print": {"command": "push_status", "gcode_state": "PREPARE"}}
    )
    assert [t.kind for t in update.transitions] == [STARTED]
    assert printer.jobs.current is not None
    assert printer.jobs.current.started_at == T0
