// The AMS card: every unit and external spool, each tray in its colour.
import { css, html, nothing, type TemplateResult } from "lit";
import { activeSlot, rgb, trayView } from "../logic/ams";
import { known, toNumber } from "../logic/entities";
import { formatMinutes, spoolBackground, textColorOn } from "../logic/format";
import type { Layout, LayoutSlot, LayoutUnit } from "../logic/printer";
import { BambuCard } from "./base";

interface Selected {
  unit: LayoutUnit | undefined; // undefined: an external spool
  slot: LayoutSlot;
}

export class BambuAmsCard extends BambuCard {
  static properties = {
    ...BambuCard.properties,
    printerLayout: { state: true },
    selected: { state: true },
  };

  // Not "layout": Home Assistant sets that on cards in a sections view.
  printerLayout?: Layout;
  selected?: Selected;
  private printerLayoutFor?: unknown;

  protected updated(): void {
    const device = this.config?.device_id;
    // Fetch again when the entities change: a unit may have been attached.
    const key = this.hass && device ? `${device}:${Object.keys(this.hass.entities).length}` : undefined;
    if (this.hass && device && this.printerLayoutFor !== key) {
      this.printerLayoutFor = key;
      this.hass
        .callWS<Layout>({ type: "bambu_cloud/printer_layout", device_id: device })
        .then((printerLayout) => (this.printerLayout = printerLayout))
        .catch(() => (this.printerLayout = undefined));
    }
  }

  render(): TemplateResult {
    const entities = this.entities();
    if (!entities) {
      return html`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;
    }
    const printerLayout = this.printerLayout;
    const active = printerLayout ? activeSlot(entities.state("sensor.active_tray"), printerLayout.external_ams_id) : undefined;
    const isActive = (amsId: number, slot: number) => active?.amsId === amsId && active.slot === slot;
    return html`<ha-card>
      <div class="header"><span class="name">${this.deviceName()}</span></div>
      ${printerLayout && !printerLayout.units.length && !printerLayout.external.length ? html`<div class="muted">${this.t("no_ams")}</div>` : nothing}
      ${(printerLayout?.units ?? []).map((unit) => this.renderUnit(unit, isActive))}
      ${printerLayout?.external.length
        ? html`<section class="unit external">
            <div class="unit-head"><span class="unit-name">${this.t("external")}</span></div>
            <div class="trays">
              ${printerLayout.external.map((slot) =>
                this.renderTray(undefined, slot, isActive(printerLayout.external_ams_id, slot.slot)),
              )}
            </div>
          </section>`
        : nothing}
      ${this.renderSelected()}
    </ha-card>`;
  }

  private renderUnit(unit: LayoutUnit, isActive: (amsId: number, slot: number) => boolean): TemplateResult {
    const value = (id: string | null) => (id ? this.hass?.states[id] : undefined);
    const humidity = value(unit.humidity);
    const temperature = value(unit.temperature);
    const drying = value(unit.drying);
    const dryingLeft = formatMinutes(toNumber(value(unit.drying_remaining)?.state), {
      h: this.t("hours"),
      min: this.t("minutes"),
    });
    return html`<section class="unit" data-unit=${unit.id}>
      <div class="unit-head">
        <span class="unit-name">${unit.label}</span>
        <span class="muted climate">
          ${known(humidity) ? html`<span><ha-icon icon="mdi:water-percent"></ha-icon>${Math.round(Number(humidity.state))} %</span>` : nothing}
          ${known(temperature) ? html`<span><ha-icon icon="mdi:thermometer"></ha-icon>${Number(temperature.state).toFixed(1)} °C</span>` : nothing}
          ${drying?.state === "on"
            ? html`<span class="drying"><ha-icon icon="mdi:heat-wave"></ha-icon>${dryingLeft ? this.t("drying_left", { time: dryingLeft }) : this.t("drying")}</span>`
            : nothing}
        </span>
      </div>
      <div class="trays">${unit.trays.map((slot) => this.renderTray(unit, slot, isActive(unit.id, slot.slot)))}</div>
    </section>`;
  }

  private renderTray(unit: LayoutUnit | undefined, slot: LayoutSlot, active: boolean): TemplateResult {
    const filament = slot.filament ? this.hass?.states[slot.filament] : undefined;
    const remaining = slot.remaining ? this.hass?.states[slot.remaining] : undefined;
    const tray = trayView(filament, remaining, unit === undefined);
    const background = spoolBackground(tray.color, tray.colors);
    const selected = this.selected?.slot === slot;
    return html`<button
      class="tray ${active ? "active" : ""} ${tray.empty ? "empty" : ""} ${selected ? "selected" : ""}"
      data-label=${slot.label}
      data-color=${tray.color ?? ""}
      title=${slot.label}
      @click=${() => (this.selected = selected ? undefined : { unit, slot })}
    >
      <span class="spool" style="background:${background};color:${textColorOn(tray.color)}">
        <span class="slot-label">${slot.label}</span>
        ${tray.remaining !== undefined ? html`<span class="used" style="height:${100 - tray.remaining}%"></span>` : nothing}
      </span>
      <span class="type">${tray.type ?? (tray.empty ? "" : "?")}</span>
      <span class="filament-name muted">${this.formatState(slot.filament ?? undefined) ?? "—"}</span>
      <span class="left muted">${tray.remaining !== undefined ? this.t("left", { n: tray.remaining }) : tray.empty ? "" : this.t("unknown")}</span>
    </button>`;
  }

  private renderSelected(): TemplateResult | typeof nothing {
    const selected = this.selected;
    const printer = this.config?.device_id;
    if (!selected || !printer) return nothing;
    const device = selected.unit?.device_id ?? printer;
    const tray = selected.unit ? { tray: selected.slot.tray } : {};
    const filament = selected.slot.filament ? this.hass?.states[selected.slot.filament] : undefined;
    const current = trayView(filament, undefined);
    return html`<div class="confirm tray-actions">
      <span>${selected.unit ? selected.unit.label + " · " : ""}${selected.slot.label}</span>
      <button class="action load" @click=${() => this.call("load_filament", { device_id: device, ...tray })}>
        ${this.t("load")}
      </button>
      <button class="action unload" @click=${() => this.call("unload_filament", { device_id: printer })}>
        ${this.t("unload")}
      </button>
      <form
        class="set"
        @submit=${(event: Event) => {
          event.preventDefault();
          const form = event.target as HTMLFormElement;
          const type = (form.elements.namedItem("type") as HTMLInputElement).value.trim();
          const color = rgb((form.elements.namedItem("color") as HTMLInputElement).value);
          this.call("set_filament", { device_id: device, ...tray, ...(type ? { type } : {}), ...(color ? { color } : {}) });
        }}
      >
        <label>${this.t("type")} <input name="type" size="8" .value=${current.type ?? ""} /></label>
        <label>${this.t("color")} <input name="color" type="color" .value=${current.color ?? "#ffffff"} /></label>
        <button class="action primary" type="submit">${this.t("set_filament")}</button>
      </form>
    </div>`;
  }

  private call(service: string, data: Record<string, unknown>): void {
    this.selected = undefined;
    void this.hass?.callService("bambu_cloud", service, data);
  }

  getCardSize(): number {
    return 4 + (this.printerLayout?.units.length ?? 1) * 2;
  }

  static styles = [
    BambuCard.baseStyles,
    css`
      .unit {
        margin-bottom: 12px;
      }
      .unit-head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 4px 12px;
        margin-bottom: 6px;
        color: var(--primary-text-color);
      }
      .unit-name {
        font-weight: 500;
      }
      .climate {
        display: flex;
        gap: 10px;
        font-size: 0.9em;
      }
      .climate ha-icon {
        --mdc-icon-size: 16px;
      }
      .trays {
        display: grid;
        grid-template-columns: repeat(4, minmax(0, 1fr));
        gap: 8px;
      }
      .tray {
        font: inherit;
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 2px;
        padding: 6px 4px;
        border-radius: 10px;
        border: 2px solid transparent;
        background: var(--secondary-background-color);
        color: var(--primary-text-color);
        cursor: pointer;
        min-width: 0;
      }
      .tray.active {
        border-color: var(--primary-color);
        box-shadow: 0 0 0 2px color-mix(in srgb, var(--primary-color) 30%, transparent);
      }
      .tray.selected {
        border-style: dashed;
        border-color: var(--secondary-text-color);
      }
      .spool {
        position: relative;
        width: 44px;
        height: 56px;
        border-radius: 8px;
        border: 1px solid var(--divider-color);
        display: flex;
        align-items: flex-start;
        justify-content: center;
        overflow: hidden;
      }
      .tray.empty .spool {
        background: repeating-linear-gradient(45deg, transparent 0 6px, var(--divider-color) 6px 8px) !important;
      }
      .slot-label {
        font-size: 0.8em;
        font-weight: 600;
        margin-top: 2px;
        z-index: 1;
      }
      /* What is used up, from the top: the colour left shows the level. */
      .used {
        position: absolute;
        left: 0;
        right: 0;
        top: 0;
        background: color-mix(in srgb, var(--card-background-color, #fff) 65%, transparent);
        /* The level stays visible on a spool of the card's own colour. */
        border-bottom: 2px dashed rgba(128, 128, 128, 0.9);
        box-sizing: border-box;
      }
      .used[style="height:0%"] {
        border: none;
      }
      .type {
        font-weight: 500;
        font-size: 0.9em;
      }
      .filament-name,
      .left {
        font-size: 0.75em;
        max-width: 100%;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .set {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
      }
      .set input {
        font: inherit;
      }
    `,
  ];
}
