"""The energy and cost arithmetic of a job: meter resets, gaps, prices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.bambu_cloud.job_costs import (
    CostSettings,
    InvalidPrices,
    JobCost,
    filament_cost,
    format_filament_prices,
    parse_filament_prices,
)
from custom_components.bambu_cloud.job_energy import (
    MAX_GAP,
    EnergyRun,
    price_per_kwh,
    to_kwh,
)

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_energy_is_the_meters_increase_at_the_price_of_the_moment() -> None:
    run = EnergyRun.start("job", T0, 10.0)
    run.read(10.2, _at(10), 0.30)
    run.read(10.5, _at(20), 0.50)  # the tariff changed
    assert run.energy == pytest.approx(0.5)
    assert run.energy_cost == pytest.approx(0.2 * 0.30 + 0.3 * 0.50)


def test_a_meter_reset_counts_from_zero_again() -> None:
    run = EnergyRun.start("job", T0, 10.0)
    run.read(10.3, _at(5), 1.0)
    run.read(0.1, _at(6), 1.0)  # the plug lost power: its counter restarted
    run.read(0.4, _at(30), 1.0)
    assert run.energy == pytest.approx(0.7)
    assert run.energy_cost == pytest.approx(0.7)


def test_a_short_outage_of_the_meter_is_bridged() -> None:
    run = EnergyRun.start("job", T0, 10.0)
    run.read(None, _at(5), 1.0)
    run.read(10.4, _at(5) + MAX_GAP, 1.0)
    assert run.energy == pytest.approx(0.4)


def test_a_long_outage_of_the_meter_makes_the_energy_unknown() -> None:
    run = EnergyRun.start("job", T0, 10.0)
    run.read(None, _at(5), 1.0)
    run.read(None, _at(10), 1.0)  # still out: counted from the first
    run.read(10.4, _at(5) + MAX_GAP + timedelta(seconds=1), 1.0)
    run.read(10.6, _at(40), 1.0)
    assert run.energy is None
    assert run.energy_cost is None


def test_a_meter_unavailable_at_the_start_counts_from_its_first_reading() -> None:
    run = EnergyRun.start("job", T0, None)
    run.read(10.0, _at(1), 1.0)
    run.read(10.25, _at(9), 1.0)
    assert run.energy == pytest.approx(0.25)
    late = EnergyRun.start("job", T0, None)
    late.read(10.0, _at(16), 1.0)
    assert late.energy is None


def test_an_increase_without_a_price_makes_the_cost_unknown() -> None:
    run = EnergyRun.start("job", T0, 10.0)
    run.read(10.1, _at(1), 0.3)
    run.read(10.2, _at(2), None)  # the price entity was unavailable
    run.read(10.3, _at(3), 0.3)
    assert run.energy == pytest.approx(0.3)
    assert run.energy_cost is None


def test_a_restart_keeps_the_run_and_does_not_count_the_downtime_as_an_outage() -> None:
    run = EnergyRun.start("job", T0, 10.0, task_id="77", job_name="Cube")
    run.read(10.2, _at(5), 1.0)
    run.read(None, _at(6), 1.0)  # Home Assistant stops: the meter goes away
    stored = EnergyRun.from_dict(run.as_dict())
    assert stored is not None
    stored.resumed()
    stored.read(10.9, _at(120), 1.0)  # the meter went on counting meanwhile
    assert stored.energy == pytest.approx(0.9)
    assert stored.same_job("77", "Other name")
    assert not stored.same_job("78", "Cube")
    assert EnergyRun("k", T0, job_name="Cube").same_job(None, "Cube")


@pytest.mark.parametrize(
    "stored",
    [
        {},
        {"job_key": "k", "started_at": "2026-13-01T00:00:00Z"},
        {"job_key": "k", "started_at": "2026-03-01T00:00:00"},  # no offset
        {"job_key": 5, "started_at": "2026-03-01T00:00:00Z"},
    ],
)
def test_unreadable_stored_runs_are_dropped(stored: dict[str, object]) -> None:
    assert EnergyRun.from_dict(stored) is None


def test_odd_stored_amounts_make_the_energy_unknown() -> None:
    run = EnergyRun.from_dict(
        {"job_key": "k", "started_at": T0.isoformat(), "kwh": float("inf")}
    )
    assert run is not None
    assert run.energy is None


def test_units_of_meters_and_prices() -> None:
    assert to_kwh(1500, "Wh") == pytest.approx(1.5)
    assert to_kwh(2, "MWh") == pytest.approx(2000)
    assert to_kwh(3, "W") is None  # power, not energy
    assert price_per_kwh(0.25, "EUR/kWh") == pytest.approx(0.25)
    assert price_per_kwh(250, "EUR/MWh") == pytest.approx(0.25)
    assert price_per_kwh(0.00025, "EUR/Wh") == pytest.approx(0.25)
    assert price_per_kwh(0.25, None) == pytest.approx(0.25)


def test_filament_prices_are_read_from_text() -> None:
    prices = parse_filament_prices("pla = 20, PETG: 25.5;\nPLA-CF=40,5")
    assert prices == {"PLA": 20.0, "PETG": 25.5, "PLA-CF": 40.5}
    assert parse_filament_prices("  ") == {}
    assert parse_filament_prices(format_filament_prices(prices)) == prices
    with pytest.raises(InvalidPrices):
        parse_filament_prices("PLA 20")
    with pytest.raises(InvalidPrices):
        parse_filament_prices("PLA = cheap")


def test_filament_cost_is_unknown_without_a_price_never_zero() -> None:
    prices = {"PLA": 20.0, "PETG": 30.0}
    used = [("PLA", 50.0), ("petg", 10.0), ("ABS", 0.0)]  # ABS not used
    assert filament_cost(used, prices, 1.0) == pytest.approx(1.3)
    assert filament_cost(used, prices, 0.5) == pytest.approx(0.65)
    assert filament_cost([("ASA", 5.0)], prices, 1.0) is None
    assert filament_cost([("PLA", None)], prices, 1.0) is None
    assert filament_cost(used, {}, 1.0) is None
    assert filament_cost(used, prices, None) is None  # progress unknown


def test_a_jobs_cost_is_unknown_if_a_part_set_up_is() -> None:
    both = CostSettings("sensor.plug", 0.3, None, {"PLA": 20.0})
    assert JobCost.combine(both, 0.5, 0.15, 1.0).cost == pytest.approx(1.15)
    assert JobCost.combine(both, 0.5, 0.15, None).cost is None
    assert JobCost.combine(both, None, None, 1.0).cost is None
    filament_only = CostSettings(filament_prices={"PLA": 20.0})
    assert JobCost.combine(filament_only, None, None, 1.0).cost == pytest.approx(1.0)
    meter_only = CostSettings("sensor.plug")  # energy without a price: no cost
    assert JobCost.combine(meter_only, 0.5, None, None) == JobCost(energy=0.5)


def test_stored_settings_that_are_odd_count_as_unset() -> None:
    settings = CostSettings.from_options(
        {
            "energy_entity": 5,
            "energy_price": float("nan"),
            "filament_prices": {"pla": 20, "PETG": -1, "ABS": True},
        }
    )
    assert settings == CostSettings(filament_prices={"PLA": 20.0})
