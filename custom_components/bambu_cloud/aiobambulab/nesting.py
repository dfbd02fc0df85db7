"""How deep decoded JSON may nest before it is refused.

Printer reports and cloud answers nest a handful of levels (print, ams, ams,
tray). A message nested hundreds deep is garbage or hostile, and the code that
walks it (deep copies, the report merge) recurses once per level: Python's
recursion limit would end it midway, half applied. So messages are refused
where they enter, by an iterative check that cannot overflow itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

MAX_DEPTH: Final = 32  # objects and arrays; real messages use under ten


def too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests objects or arrays more than ``limit`` deep."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[object]
        if type(item) is dict:
            children = item.values()
        elif type(item) is list:
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend(
            (child, depth + 1)
            for child in children
            if type(child) is dict or type(child) is list
        )
    return False
