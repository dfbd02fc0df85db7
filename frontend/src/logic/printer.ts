// What the printer card reads out of entity states.
import type { HassEntityState } from "./hass";

/** The printer's layout from the integration's bambu_cloud/printer_layout. */
export interface Layout {
  serial: string;
  model: string;
  nozzles: { index: number; temperature: string | null; target: string | null }[];
  units: LayoutUnit[];
  external: LayoutSlot[];
  external_ams_id: number;
}

export interface LayoutSlot {
  slot: number;
  tray?: number;
  label: string;
  filament: string | null;
  remaining: string | null;
}

export interface LayoutUnit {
  id: number;
  number: number;
  kind: string;
  label: string;
  device_id: string | null;
  humidity: string | null;
  humidity_index: string | null;
  temperature: string | null;
  drying: string | null;
  drying_remaining: string | null;
  trays: LayoutSlot[];
}

export interface HmsError {
  code: string;
  severity: string;
  text: string;
  url: string | undefined;
}

/** The health messages of the hms_errors sensor, with their texts and links. */
export function hmsErrors(state: HassEntityState | undefined): HmsError[] {
  const errors = state?.attributes.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((e): e is Record<string, unknown> => typeof e === "object" && e !== null)
    .map((e) => ({
      code: String(e.code ?? ""),
      severity: String(e.severity ?? ""),
      text: typeof e.text === "string" ? e.text : "",
      url: typeof e.url === "string" && /^https:\/\//.test(e.url) ? e.url : undefined,
    }));
}

/** The MJPEG stream of a camera entity, from its snapshot picture URL. */
export function cameraStreamUrl(picture: unknown): string | undefined {
  if (typeof picture !== "string") return undefined;
  return picture.replace("/api/camera_proxy/", "/api/camera_proxy_stream/");
}
