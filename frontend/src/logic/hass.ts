// The parts of Home Assistant's frontend object the cards use.

export interface HassEntityState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed?: string;
}

/** One row of hass.entities (the entity registry as the frontend sees it). */
export interface HassEntityEntry {
  entity_id: string;
  device_id?: string | null;
  platform: string;
  translation_key?: string | null;
  hidden?: boolean;
}

export interface HassDeviceEntry {
  id: string;
  name?: string | null;
  name_by_user?: string | null;
  model?: string | null;
  via_device_id?: string | null;
  identifiers?: [string, string][];
}

export interface HomeAssistant {
  states: Record<string, HassEntityState | undefined>;
  entities: Record<string, HassEntityEntry | undefined>;
  devices: Record<string, HassDeviceEntry | undefined>;
  language: string;
  locale?: { language: string; time_format?: string };
  themes?: { darkMode?: boolean };
  callService(domain: string, service: string, data?: Record<string, unknown>): Promise<unknown>;
  callWS<T>(message: Record<string, unknown>): Promise<T>;
  connection?: {
    subscribeMessage<T>(callback: (message: T) => void, message: Record<string, unknown>): Promise<() => void>;
  };
  formatEntityState?(state: HassEntityState, value?: string): string;
}
