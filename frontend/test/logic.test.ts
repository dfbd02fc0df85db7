import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { activeSlot, rgb, trayView } from "../src/logic/ams";
import { DeviceEntities, entitiesByKey, printerDevices } from "../src/logic/entities";
import { formatMinutes, formatTemperature, ringOffset, spoolBackground, textColorOn } from "../src/logic/format";
import type { HassEntityState, HomeAssistant } from "../src/logic/hass";
import { TRANSLATIONS, textsFor, translate } from "../src/logic/i18n";
import { cameraStreamUrl, hmsErrors } from "../src/logic/printer";
import { idsToSkip, names, toggle, type PlateObject } from "../src/logic/skip";
import { dashboardFor } from "../src/cards/strategy";
import { historyRow } from "../src/logic/history";

const state = (entity_id: string, value: string, attributes: Record<string, unknown> = {}): HassEntityState => ({
  entity_id,
  state: value,
  attributes,
});

function hass(): HomeAssistant {
  return {
    language: "en",
    entities: {
      // Renamed by the user: found by translation key all the same.
      "sensor.my_x1c_job_state": { entity_id: "sensor.my_x1c_job_state", device_id: "dev1", platform: "bambu_cloud", translation_key: "print_status" },
      "sensor.p1s_status": { entity_id: "sensor.p1s_status", device_id: "dev2", platform: "bambu_cloud", translation_key: "print_status" },
      "sensor.p1s_progress": { entity_id: "sensor.p1s_progress", device_id: "dev2", platform: "bambu_cloud", translation_key: "progress" },
      "sensor.other": { entity_id: "sensor.other", device_id: "dev1", platform: "other", translation_key: "progress" },
      "button.p1s_pause": { entity_id: "button.p1s_pause", device_id: "dev2", platform: "bambu_cloud", translation_key: "pause" },
      "number.p1s_bed": { entity_id: "number.p1s_bed", device_id: "dev2", platform: "bambu_cloud", translation_key: "bed_target_temperature" },
      "sensor.p1s_bed": { entity_id: "sensor.p1s_bed", device_id: "dev2", platform: "bambu_cloud", translation_key: "bed_target_temperature" },
    },
    devices: { dev1: { id: "dev1", name: "X1C" }, dev2: { id: "dev2", name: "P1S", name_by_user: "Garage" } },
    states: {
      "sensor.p1s_progress": state("sensor.p1s_progress", "42"),
      "sensor.p1s_status": state("sensor.p1s_status", "unavailable"),
    },
    callService: async () => undefined,
    callWS: async () => undefined as never,
  };
}

describe("finding entities", () => {
  it("finds a device's entities by platform, domain and translation key", () => {
    const found = entitiesByKey(hass().entities, "dev2");
    assert.equal(found.get("sensor.print_status"), "sensor.p1s_status");
    assert.equal(found.get("button.pause"), "button.p1s_pause");
    // The same key on two platforms stays apart.
    assert.equal(found.get("number.bed_target_temperature"), "number.p1s_bed");
    assert.equal(found.get("sensor.bed_target_temperature"), "sensor.p1s_bed");
    // Another integration's entity on the device does not count.
    assert.equal(entitiesByKey(hass().entities, "dev1").get("sensor.progress"), undefined);
  });

  it("lists the printers: devices with a print status", () => {
    assert.deepEqual(printerDevices(hass()), ["dev1", "dev2"]);
  });

  it("reads numbers and treats unavailable as unknown", () => {
    const entities = new DeviceEntities(hass(), "dev2");
    assert.equal(entities.number("sensor.progress"), 42);
    assert.equal(entities.number("sensor.print_status"), undefined);
    assert.equal(entities.number("sensor.missing"), undefined);
  });
});

describe("formatting", () => {
  it("formats minutes", () => {
    assert.equal(formatMinutes(0), "0 min");
    assert.equal(formatMinutes(42), "42 min");
    assert.equal(formatMinutes(65), "1 h 05 min");
    assert.equal(formatMinutes(-1), undefined);
    assert.equal(formatMinutes(undefined), undefined);
  });

  it("formats temperatures with their targets", () => {
    assert.equal(formatTemperature(211.6, 220), "212 / 220 °C");
    assert.equal(formatTemperature(25, 0), "25 °C");
    assert.equal(formatTemperature(undefined, undefined), "— °C");
  });

  it("draws the progress ring", () => {
    const full = ringOffset(100, 10);
    assert.equal(full.offset, 0);
    assert.equal(ringOffset(0, 10).offset, full.circumference);
    assert.ok(Math.abs(ringOffset(25, 10).offset - 0.75 * full.circumference) < 1e-9);
    assert.equal(ringOffset(150, 10).offset, 0);
  });

  it("picks a readable text colour and spool backgrounds", () => {
    assert.equal(textColorOn("#FFFFFF"), "#000000");
    assert.equal(textColorOn("#000000"), "#ffffff");
    assert.equal(textColorOn("#00AE42"), "#000000");
    assert.equal(textColorOn(null), "var(--primary-text-color)");
    assert.equal(spoolBackground("#FF0000", []), "#FF0000");
    assert.equal(spoolBackground(null, ["#FF0000", "#0000FF"]), "linear-gradient(90deg, #FF0000 0% 50%, #0000FF 50% 100%)");
    assert.equal(spoolBackground("not a colour", undefined), "transparent");
  });
});

describe("texts", () => {
  it("has every text in every language, with the same placeholders", () => {
    // The cards speak every language the integration ships (the tests run from frontend/.build-test/).
    const integration = readdirSync(new URL("../../custom_components/bambu_cloud/translations/", import.meta.url))
      .filter((name) => name.endsWith(".json"))
      .map((name) => name.slice(0, -".json".length));
    assert.equal(integration.length, 23);
    assert.deepEqual(Object.keys(TRANSLATIONS).sort(), integration.sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [language, texts] of Object.entries(TRANSLATIONS)) {
      assert.deepEqual(Object.keys(texts).sort(), Object.keys(TRANSLATIONS.en).sort(), language);
      for (const [key, text] of Object.entries(texts)) {
        assert.ok(text.trim(), `${language}.${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(TRANSLATIONS.en[key as keyof typeof texts]), `${language}.${key}`);
      }
    }
  });

  it("falls back from a regional language to its base, then English", () => {
    assert.equal(textsFor("de-CH"), TRANSLATIONS.de);
    assert.equal(textsFor("zh-Hant"), TRANSLATIONS["zh-Hans"]);
    assert.equal(textsFor("pt"), TRANSLATIONS.pt);
    assert.equal(textsFor("pt-PT"), TRANSLATIONS.pt);
    assert.equal(textsFor("pt-BR"), TRANSLATIONS["pt-BR"]);
    assert.equal(textsFor("pt-br"), TRANSLATIONS["pt-BR"]);
    assert.equal(textsFor("zh-Hans"), TRANSLATIONS["zh-Hans"]);
    assert.equal(textsFor("zh-CN"), TRANSLATIONS["zh-Hans"]);
    for (const language of ["ca", "cs", "da", "el", "hu", "ko", "ru", "sk", "sv", "th", "tr", "uk"]) {
      assert.equal(textsFor(language), TRANSLATIONS[language], language);
    }
    assert.equal(textsFor("sv-FI"), TRANSLATIONS.sv);
    assert.equal(textsFor("ko_KR"), TRANSLATIONS.ko);
    assert.equal(textsFor("constructor"), TRANSLATIONS.en);
    assert.equal(textsFor(""), TRANSLATIONS.en);
    assert.equal(textsFor("xx"), TRANSLATIONS.en);
    assert.equal(translate(TRANSLATIONS.de, "nozzle_n", { n: 2 }), "Düse 2");
  });
});

describe("printer", () => {
  it("reads health messages, keeping only https links", () => {
    const errors = hmsErrors(
      state("sensor.hms", "2", {
        errors: [
          { code: "0300_0100_0001_0001", severity: "serious", text: "Heatbed fault", url: "https://wiki.bambulab.com/x" },
          { code: "0C00_0300_0002_0001", severity: "common", text: null, url: "javascript:alert(1)" },
        ],
      }),
    );
    assert.deepEqual(errors, [
      { code: "0300_0100_0001_0001", severity: "serious", text: "Heatbed fault", url: "https://wiki.bambulab.com/x" },
      { code: "0C00_0300_0002_0001", severity: "common", text: "", url: undefined },
    ]);
    assert.deepEqual(hmsErrors(undefined), []);
  });

  it("turns a camera snapshot URL into its stream", () => {
    assert.equal(cameraStreamUrl("/api/camera_proxy/camera.x?token=t"), "/api/camera_proxy_stream/camera.x?token=t");
    assert.equal(cameraStreamUrl(undefined), undefined);
  });
});

describe("AMS", () => {
  it("reads a tray: colour, type and what is left (unknown as such)", () => {
    const filament = state("sensor.tray", "PLA Basic", { color: "#00AE42", colors: ["#00AE42"], type: "PLA", remaining: 80 });
    assert.deepEqual(trayView(filament, state("sensor.left", "75")), {
      color: "#00AE42",
      colors: ["#00AE42"],
      type: "PLA",
      empty: false,
      remaining: 75,
    });
    assert.equal(trayView(filament, state("sensor.left", "unknown")).remaining, 80);
    assert.equal(trayView(state("sensor.tray", "PLA", { remaining: -1 }), undefined).remaining, undefined);
    assert.equal(trayView(state("sensor.tray", "empty", {}), undefined).empty, true);
    // External spools report 0 when they do not know; AMS trays mean it.
    assert.equal(trayView(state("sensor.ext", "PLA", { remaining: 0 }), undefined, true).remaining, undefined);
    assert.equal(trayView(state("sensor.tray", "PLA", { remaining: 0 }), undefined).remaining, 0);
  });

  it("finds the active slot, AMS or external", () => {
    assert.deepEqual(activeSlot(state("sensor.active", "PLA", { ams_id: 1, tray: 3, external: false }), 255), { amsId: 1, slot: 2 });
    assert.deepEqual(activeSlot(state("sensor.active", "PETG", { ams_id: null, tray: 1, external: true }), 255), { amsId: 255, slot: 0 });
    assert.equal(activeSlot(state("sensor.active", "none", {}), 255), undefined);
  });

  it("converts a colour for set_filament", () => {
    assert.deepEqual(rgb("#00ae42"), [0, 174, 66]);
    assert.equal(rgb("green"), undefined);
  });
});

describe("skip objects", () => {
  const objects: PlateObject[] = [
    { id: 417, name: "Cube", box: [0, 0, 0.5, 0.5], skipped: false },
    { id: 532, name: "Benchy", box: null, skipped: false },
    { id: 9, name: "Gone", box: null, skipped: true },
  ];

  it("selects and unselects, never a skipped object", () => {
    let selected = toggle(objects, new Set(), 532);
    selected = toggle(objects, selected, 9);
    selected = toggle(objects, selected, 417);
    assert.deepEqual([...selected].sort(), [417, 532]);
    selected = toggle(objects, selected, 532);
    assert.deepEqual([...selected], [417]);
    assert.deepEqual([...toggle(objects, selected, 12345)], [417]);
  });

  it("sends exactly the selected ids that are not skipped yet", () => {
    assert.deepEqual(idsToSkip(objects, new Set([532, 417, 9])), [417, 532]);
    assert.equal(names(objects, [417, 532]), "Cube, Benchy");
    assert.equal(names(objects, [417, 532], 1), "Cube, …");
  });
});

describe("dashboard strategy", () => {
  it("lays out the three cards for every printer", () => {
    const dashboard = dashboardFor(hass()) as { views: { sections: { cards: { type: string; device_id?: string; heading?: string }[] }[] }[] };
    const sections = dashboard.views[0].sections;
    // By name: "Garage" (dev2) before "X1C" (dev1).
    assert.deepEqual(
      sections.map((s) => s.cards[0].heading),
      ["Garage", "X1C"],
    );
    assert.deepEqual(
      sections[1].cards.slice(1).map((c) => [c.type, c.device_id]),
      [
        ["custom:bambu-printer-card", "dev1"],
        ["custom:bambu-ams-card", "dev1"],
        ["custom:bambu-skip-card", "dev1"],
        ["custom:bambu-history-card", "dev1"],
      ],
    );
  });
});

describe("history", () => {
  it("shows each job's result, duration and filament", () => {
    const row = historyRow(
      {
        id: "7",
        title: "Benchy",
        start: "2026-01-02T10:00:00+00:00",
        end: "2026-01-02T11:05:00+00:00",
        outcome: "finished",
        seconds: 3900,
        weight: 12.34,
        length: 4.1,
        cover: null,
      },
      "en",
    );
    assert.equal(row.outcome, "finished");
    assert.equal(row.duration, "1 h 05 min");
    assert.equal(row.filament, "12 g");
    assert.ok(row.when.includes("2026"), row.when);
  });

  it("keeps what the history does not know unknown", () => {
    const row = historyRow(
      { id: "8", title: "?", start: "not a date", end: null, outcome: "running", seconds: null, weight: 2.5, length: null, cover: null },
      "de",
    );
    assert.equal(row.outcome, "unknown");
    assert.equal(row.duration, undefined);
    assert.equal(row.filament, "2.5 g");
    assert.equal(row.when, "");
  });
});
