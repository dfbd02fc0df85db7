"""Merge printer reports into the last known state and say what changed.

A changed path is the keys from the module object down to the changed value,
joined with "/". Lists whose elements carry an identity (an AMS unit's "id",
a light's "node") are addressed by that identity instead of their position,
so "ams/ams/0/tray/2/remain" is tray 2 of AMS unit 0 wherever it sits in the
list. Every ancestor of a changed value is reported too, so a consumer that
depends on a whole subtree ("ams/ams/0") finds it with one set lookup.

Equal subtrees are skipped with one ``==`` (done in C), which keeps merging a
report that mostly repeats the last one cheap.
"""

from __future__ import annotations

from typing import Any

# List key -> the field that identifies an element of it.
_IDENTITY_FIELDS: dict[str, str] = {
    "ams": "id",  # print.ams.ams: AMS units
    "tray": "id",
    "vir_slot": "id",
    "info": "id",  # device.extruder.info, device.nozzle.info
    "parts": "id",  # device.airduct.parts
    "care": "id",
    "lights_report": "node",
    "new_ver_list": "name",
}


def _index(items: list[Any], field: str) -> dict[str, dict[str, Any]] | None:
    """Elements by identity, or None when the list cannot be keyed."""
    index: dict[str, dict[str, Any]] = {}
    for item in items:
        if type(item) is not dict or field not in item:
            return None
        ident = str(item[field])
        if ident in index:
            return None
        index[ident] = item
    return index


def merge_into(
    target: dict[str, Any], delta: dict[str, Any], prefix: str, changed: set[str]
) -> bool:
    """Merge a delta into ``target`` in place; absent keys keep their value.

    A value whose container type contradicts the known one (a string where an
    object was) is dropped and the old value kept. Returns whether anything
    changed.
    """
    return _apply(target, delta, prefix, changed, full=False)


def replace_with(
    target: dict[str, Any], full: dict[str, Any], prefix: str, changed: set[str]
) -> bool:
    """Make ``target`` equal to a full report in place, reporting every difference.

    Keys absent from ``full`` are removed (a detached AMS unit disappears).
    """
    return _apply(target, full, prefix, changed, full=True)


def _apply(
    target: dict[str, Any],
    incoming: dict[str, Any],
    prefix: str,
    changed: set[str],
    *,
    full: bool,
) -> bool:
    any_change = False
    if full:
        for key in [k for k in target if k not in incoming]:
            del target[key]
            changed.add(prefix + key)
            any_change = True
    for key, new in incoming.items():
        old = target.get(key, _MISSING)
        if old == new:
            continue
        path = prefix + key
        old_type = type(old)
        if old_type is dict and type(new) is dict:
            if _apply(old, new, path + "/", changed, full=full):
                changed.add(path)
                any_change = True
            continue
        if old_type is list and type(new) is list:
            if _merge_list(target, key, old, new, path, changed, full=full):
                any_change = True
            continue
        if not full and old_type in (dict, list):
            continue  # a delta contradicting a container: keep the known value
        target[key] = new
        changed.add(path)
        any_change = True
    return any_change


def _merge_list(
    parent: dict[str, Any],
    key: str,
    old: list[Any],
    new: list[Any],
    path: str,
    changed: set[str],
    *,
    full: bool,
) -> bool:
    """Merge a list element by element when its elements have identities."""
    field = _IDENTITY_FIELDS.get(key)
    old_index = _index(old, field) if field else None
    new_index = _index(new, field) if field and old_index is not None else None
    if field is None or old_index is None or new_index is None:
        if old == new:
            return False
        parent[key] = new
        changed.add(path)
        return True
    any_change = False
    for ident, new_item in new_index.items():
        item_path = f"{path}/{ident}"
        old_item = old_index.get(ident)
        if old_item is None:
            old.append(new_item)
            changed.add(item_path)
            any_change = True
        elif old_item != new_item:
            if _apply(old_item, new_item, item_path + "/", changed, full=full):
                changed.add(item_path)
                any_change = True
    if full:
        gone = [ident for ident in old_index if ident not in new_index]
        if gone:
            old[:] = [item for item in old if str(item[field]) not in gone]
            changed.update(f"{path}/{ident}" for ident in gone)
            any_change = True
        if [str(item[field]) for item in old] != list(new_index):
            # Keep the printer's order, so the state equals the full report.
            old.sort(key=lambda item: list(new_index).index(str(item[field])))
    if any_change:
        changed.add(path)
    return any_change


class _Missing:
    """Marks a key that is not in the state (never equal to a report value)."""

    __slots__ = ()


_MISSING: Any = _Missing()
