// Finding a printer's entities by what they are, never by entity id: the
// platform (bambu_cloud) and the translation key, as hass.entities gives them.
import type { HassEntityEntry, HassEntityState, HomeAssistant } from "./hass";

export const DOMAIN = "bambu_cloud";

/** Entity ids of a device's entities of this integration, by translation key. */
export function entitiesByKey(
  entities: Record<string, HassEntityEntry | undefined>,
  deviceId: string,
): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of Object.values(entities)) {
    if (!entry || entry.platform !== DOMAIN || entry.device_id !== deviceId) continue;
    if (!entry.translation_key) continue;
    const domain = entry.entity_id.split(".", 1)[0];
    const key = `${domain}.${entry.translation_key}`;
    // Two entities can share a key (numbered ones); the first in id order wins.
    const known = found.get(key);
    if (known === undefined || entry.entity_id < known) found.set(key, entry.entity_id);
  }
  return found;
}

/** The printers of this integration: devices that have a print status. */
export function printerDevices(hass: Pick<HomeAssistant, "entities">): string[] {
  const devices = new Set<string>();
  for (const entry of Object.values(hass.entities)) {
    if (entry?.platform === DOMAIN && entry.translation_key === "print_status" && entry.device_id) {
      devices.add(entry.device_id);
    }
  }
  return [...devices].sort();
}

/** A live view of one device's entities, looked up by "<domain>.<key>". */
export class DeviceEntities {
  private readonly ids: Map<string, string>;

  constructor(
    private readonly hass: HomeAssistant,
    deviceId: string,
  ) {
    this.ids = entitiesByKey(hass.entities, deviceId);
  }

  id(key: string): string | undefined {
    return this.ids.get(key);
  }

  state(key: string): HassEntityState | undefined {
    const id = this.ids.get(key);
    return id === undefined ? undefined : this.hass.states[id];
  }

  /** The state as a number; undefined when unknown or unavailable. */
  number(key: string): number | undefined {
    return toNumber(this.state(key)?.state);
  }
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Whether a state is a real value (not unknown or unavailable). */
export function known(state: HassEntityState | undefined): state is HassEntityState {
  return state !== undefined && state.state !== "unknown" && state.state !== "unavailable";
}
