// What the AMS card reads out of the tray sensors.
import { toNumber } from "./entities";
import type { HassEntityState } from "./hass";

export interface TrayView {
  color: string | null;
  colors: string[];
  type: string | null;
  empty: boolean;
  remaining: number | undefined; // percent; undefined when the printer does not know
}

/** A tray sensor's filament: colour(s), type and what is left. */
export function trayView(
  filament: HassEntityState | undefined,
  remaining: HassEntityState | undefined,
  external = false,
): TrayView {
  const attributes = filament?.attributes ?? {};
  const colors = Array.isArray(attributes.colors)
    ? attributes.colors.filter((c): c is string => typeof c === "string")
    : [];
  const left = toNumber(remaining?.state) ?? toNumber(attributes.remaining);
  return {
    color: typeof attributes.color === "string" ? attributes.color : null,
    colors,
    type: typeof attributes.type === "string" && attributes.type ? attributes.type : null,
    empty: filament?.state === "empty",
    // Printers say -1 (or nothing) when they cannot tell; for an external
    // spool they say 0, which is as good as nothing.
    remaining: left !== undefined && left >= 0 && !(external && left === 0) ? left : undefined,
  };
}

/** The slot feeding the nozzle, from the active_tray sensor's attributes. */
export function activeSlot(
  state: HassEntityState | undefined,
  externalAmsId: number,
): { amsId: number; slot: number } | undefined {
  if (!state || state.state === "unavailable" || state.state === "none") return undefined;
  const tray = toNumber(state.attributes.tray);
  if (tray === undefined) return undefined;
  if (state.attributes.external === true) return { amsId: externalAmsId, slot: tray - 1 };
  const amsId = toNumber(state.attributes.ams_id);
  return amsId === undefined ? undefined : { amsId, slot: tray - 1 };
}

/** "#RRGGBB" as the set_filament action's [r, g, b]. */
export function rgb(color: string): [number, number, number] | undefined {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!match) return undefined;
  return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16)];
}
