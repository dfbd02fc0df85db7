"""Cost per message of PrinterState.apply next to the orjson.loads floor.

    python -m benchmarks.ingest [--repeat N]

Each message is parsed and applied in a fresh state replaying the stream, N
times; the minimum time per message (least disturbed by the machine) is kept,
then the median over messages is reported. Full reports and deltas are shown
separately, since a full report diffs the whole tree.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import statistics
import sys
from time import perf_counter_ns
from typing import Any

import orjson

from benchmarks.stream import stream

sys.path.insert(0, "custom_components/bambu_cloud")
from bambu.state import PrinterState


def _measure(
    messages: list[tuple[str, bytes]], repeat: int
) -> tuple[list[int], list[int]]:
    parse_ns = [10**18] * len(messages)
    apply_ns = [10**18] * len(messages)
    loads: Callable[[bytes], Any] = orjson.loads
    for _ in range(repeat):
        states: dict[str, PrinterState] = {}
        parsed = [loads(data) for _, data in messages]  # apply takes ownership
        for index, (printer, data) in enumerate(messages):
            state = states.setdefault(printer, PrinterState(printer))
            start = perf_counter_ns()
            loads(data)
            middle = perf_counter_ns()
            state.apply(parsed[index])
            end = perf_counter_ns()
            parse_ns[index] = min(parse_ns[index], middle - start)
            apply_ns[index] = min(apply_ns[index], end - middle)
    return parse_ns, apply_ns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--deltas", type=int, default=300)
    args = parser.parse_args()
    messages = stream(args.deltas)
    parse_ns, apply_ns = _measure(messages, args.repeat)
    firsts: dict[str, int] = {}
    for index, (printer, _) in enumerate(messages):
        firsts.setdefault(printer, index)
    full = sorted(firsts.values())  # each printer's stream opens with its full report
    delta = [i for i in range(len(messages)) if i not in set(full)]
    print(
        f"messages: {len(messages)} ({len(full)} full, {len(delta)} deltas), repeat {args.repeat}"
    )
    print(f"{'':8} {'orjson.loads':>14} {'apply':>10} {'ratio':>7}")
    for name, indices in (
        ("all", range(len(messages))),
        ("full", full),
        ("delta", delta),
    ):
        parse = statistics.median(parse_ns[i] for i in indices) / 1000
        apply = statistics.median(apply_ns[i] for i in indices) / 1000
        print(f"{name:8} {parse:11.2f} us {apply:7.2f} us {apply / parse:6.2f}x")
    sizes = [len(data) for _, data in messages]
    print(f"median message size: {statistics.median(sizes):.0f} bytes")


if __name__ == "__main__":
    main()
