"""Listener lists: adding a listener gives back the function that removes it."""

from __future__ import annotations

from collections.abc import Callable


def add_listener[T](listeners: list[T], listener: T) -> Callable[[], None]:
    """Append ``listener``; the function returned removes it (more calls do nothing)."""
    listeners.append(listener)

    def remove() -> None:
        if listener in listeners:
            listeners.remove(listener)

    return remove
