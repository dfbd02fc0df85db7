"""When a job started and should end: decided by the job life cycle alone.

The state carries the times for its views (the start and end sensors, the
calendar); the life cycle decides them, with the same start its transitions
carry, and marks ``CHANGED_JOB_TIMES`` when they move.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from custom_components.bambu_cloud.aiobambulab.job_views import JobTimes
from custom_components.bambu_cloud.aiobambulab.lifecycle import JobLifecycle
from custom_components.bambu_cloud.aiobambulab.markers import CHANGED_JOB_TIMES
from custom_components.bambu_cloud.aiobambulab.printer import Printer
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from tests.common import get_version, pushall

from .test_lifecycle import STARTED, T0, Follower


def _delta(**fields: Any) -> dict[str, Any]:
    return {"print": {"command": "push_status", "msg": 1, **fields}}


class Timed(Follower):
    """A follower that also keeps what each report changed."""

    def step(self, minutes: float = 1, **fields: Any) -> set[str]:
        self.now += timedelta(minutes=minutes)
        changed = self.state.apply(_delta(**fields))
        self.seen.extend(self.lifecycle.update(self.state, changed, self.now))
        return changed


def test_times_follow_the_job() -> None:
    follower = Timed("a1-ams-lite")  # idle
    state = follower.state
    assert state.job_times is None
    changed = follower.step(gcode_state="PREPARE", mc_remaining_time=30)
    assert CHANGED_JOB_TIMES in changed
    started = follower.now
    assert state.job_start_time == started
    assert state.job_end_time == started + timedelta(minutes=30)
    follower.step(gcode_state="RUNNING", mc_remaining_time=20)
    assert state.job_start_time == started
    assert state.job_end_time == follower.now + timedelta(minutes=20)
    assert CHANGED_JOB_TIMES not in follower.step(mc_percent=50)  # nothing moved
    follower.step(gcode_state="FINISH", mc_remaining_time=0)
    ended = follower.now
    assert state.job_times == JobTimes(started, ended)  # kept until the printer idles
    follower.step(5, mc_remaining_time=0, mc_percent=100)
    assert state.job_end_time == ended
    changed = follower.step(gcode_state="IDLE")
    assert CHANGED_JOB_TIMES in changed
    assert state.job_times is None


def test_the_start_is_the_one_the_transitions_carry() -> None:
    follower = Timed("a1-ams-lite")
    follower.step(gcode_state="PREPARE", mc_remaining_time=30)
    follower.step(3, gcode_state="RUNNING", mc_remaining_time=27)
    [started] = follower.seen
    assert started.kind is STARTED
    current = follower.lifecycle.current
    assert current is not None
    assert follower.state.job_start_time == started.started_at == current.started_at


def test_an_end_before_the_estimate_is_when_it_ended() -> None:
    follower = Timed("a1-ams-lite")
    follower.step(gcode_state="RUNNING", mc_remaining_time=60)
    follower.step(2, gcode_state="FAILED", print_error=0x03008015)
    assert follower.state.job_end_time == follower.now


def test_a_job_right_after_another_starts_its_own_clock() -> None:
    follower = Timed("a1-ams-lite")
    follower.step(gcode_state="RUNNING", mc_remaining_time=5)
    first = follower.now
    follower.step(5, gcode_state="FINISH", mc_remaining_time=0)
    assert follower.state.job_start_time == first
    # The printer goes straight from FINISH to the next job, no IDLE between.
    follower.step(gcode_state="PREPARE", mc_remaining_time=40)
    second = follower.now
    assert follower.state.job_start_time == second
    follower.step(gcode_state="RUNNING", mc_remaining_time=39)
    assert follower.state.job_start_time == second


def test_another_task_restarts_the_clock() -> None:
    follower = Timed("p2s")  # running task 6456, adopted at the first report
    adopted = follower.state.job_start_time
    assert adopted == T0 + timedelta(minutes=1)
    follower.step(10, task_id="7000", subtask_name="Next")
    assert follower.state.job_start_time == follower.now != adopted


def test_an_abandoned_job_loses_its_times() -> None:
    follower = Timed("p2s")
    assert follower.state.job_times is not None
    assert CHANGED_JOB_TIMES in follower.step(gcode_state="IDLE")
    assert follower.state.job_times is None


def test_the_state_alone_decides_no_times() -> None:
    """Without the life cycle there is no start: the state does not guess."""
    state = PrinterState("SERIAL")
    state.apply(get_version("a1-ams-lite"))
    state.apply(pushall("a1-ams-lite"))
    changed = state.apply(_delta(gcode_state="RUNNING", mc_remaining_time=5))
    assert CHANGED_JOB_TIMES not in changed
    assert state.job_start_time is None
    assert state.job_end_time is None


def test_no_times_before_the_first_full_report() -> None:
    lifecycle = JobLifecycle()
    state = PrinterState("SERIAL")
    changed = state.apply(_delta(gcode_state="RUNNING", mc_remaining_time=5))
    lifecycle.update(state, changed, T0)
    assert CHANGED_JOB_TIMES not in changed
    assert state.job_times is None


def test_a_printer_update_carries_the_times_marker() -> None:
    """``Printer.apply`` passes the marker on to whoever shows the times."""
    printer = Printer("SERIAL", clock=lambda: T0)
    printer.apply(pushall("a1-ams-lite"))
    update = printer.apply(_delta(gcode_state="PREPARE", mc_remaining_time=12))
    assert CHANGED_JOB_TIMES in update.changed
    assert printer.state.job_times == JobTimes(T0, T0 + timedelta(minutes=12))
