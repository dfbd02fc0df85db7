// A dashboard in one click: "strategy: type: custom:bambu-cloud" lays out the
// cards of every printer of the integration, one section per printer.
import { printerDevices } from "../logic/entities";
import type { HomeAssistant } from "../logic/hass";
import { textsFor } from "../logic/i18n";

export function dashboardFor(hass: HomeAssistant): object {
  const texts = textsFor(hass.locale?.language ?? hass.language);
  const name = (id: string) => hass.devices[id]?.name_by_user || hass.devices[id]?.name || texts.printer;
  const printers = printerDevices(hass).sort((a, b) => name(a).localeCompare(name(b)));
  const sections = printers.map((device_id) => ({
    type: "grid",
    cards: [
      { type: "heading", heading: name(device_id) },
      { type: "custom:bambu-printer-card", device_id, grid_options: { columns: 12 } },
      { type: "custom:bambu-ams-card", device_id, grid_options: { columns: 12 } },
      { type: "custom:bambu-skip-card", device_id, grid_options: { columns: 12 } },
      { type: "custom:bambu-history-card", device_id, grid_options: { columns: 12 } },
    ],
  }));
  // The brand names the view: it is not translated.
  return { views: [{ title: "Bambu Lab", path: "printers", type: "sections", max_columns: 3, sections }] };
}

export class BambuStrategy extends HTMLElement {
  static async generate(_config: object, hass: HomeAssistant): Promise<object> {
    return dashboardFor(hass);
  }
}
