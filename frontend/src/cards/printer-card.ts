// The printer card: picture, status, progress, temperatures, errors, controls.
import { css, html, nothing, svg, type TemplateResult } from "lit";
import { known, toNumber, type DeviceEntities } from "../logic/entities";
import { formatClock, formatMinutes, formatTemperature, ringOffset, spoolBackground } from "../logic/format";
import { cameraStreamUrl, hmsErrors, type Layout } from "../logic/printer";
import { BambuCard } from "./base";

type Pending = "pause" | "stop" | undefined;
const RING_RADIUS = 42;

export class BambuPrinterCard extends BambuCard {
  static properties = {
    ...BambuCard.properties,
    pending: { state: true },
    printerLayout: { state: true },
  };

  pending: Pending;
  // Not "layout": Home Assistant sets that on cards in a sections view.
  printerLayout?: Layout;
  private printerLayoutFor?: string;

  protected updated(): void {
    const device = this.config?.device_id;
    if (this.hass && device && this.printerLayoutFor !== device) {
      this.printerLayoutFor = device;
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
    const status = entities.state("sensor.print_status");
    const progress = entities.number("sensor.progress");
    return html`<ha-card>
      <div class="header">
        <span class="name">${this.deviceName()}</span>
        <span class="badge status">${this.formatState(status?.entity_id) ?? "—"}</span>
      </div>
      <div class="top">
        ${this.renderPicture(entities)}
        <div class="ring">${this.renderRing(progress)}</div>
      </div>
      ${this.renderJob(entities)} ${this.renderTemperatures(entities)} ${this.renderErrors(entities)}
      ${this.renderControls(entities)} ${this.renderConfirm(entities)}
    </ha-card>`;
  }

  private renderPicture(entities: DeviceEntities): TemplateResult {
    const camera = entities.state("camera.camera");
    const cover = entities.state("image.cover");
    let source: string | undefined;
    if (this.config?.show_camera && known(camera)) {
      source = cameraStreamUrl(camera.attributes.entity_picture);
    } else if (known(cover) && typeof cover.attributes.entity_picture === "string") {
      source = cover.attributes.entity_picture;
    }
    return html`<div class="picture">
      ${source ? html`<img src=${source} alt="" />` : html`<ha-icon icon="mdi:printer-3d"></ha-icon>`}
    </div>`;
  }

  private renderRing(progress: number | undefined): TemplateResult {
    const { circumference, offset } = ringOffset(progress, RING_RADIUS);
    return html`<svg viewBox="0 0 100 100" role="img" aria-label="${progress ?? 0} %">
      ${svg`<circle class="track" cx="50" cy="50" r=${RING_RADIUS}></circle>
      <circle class="bar" cx="50" cy="50" r=${RING_RADIUS}
        stroke-dasharray=${circumference} stroke-dashoffset=${offset}></circle>
      <text x="50" y="50" class="percent">${progress === undefined ? "—" : `${Math.round(progress)} %`}</text>`}
    </svg>`;
  }

  private renderJob(entities: DeviceEntities): TemplateResult {
    const job = entities.state("sensor.job_name");
    const stage = entities.state("sensor.stage");
    const layer = entities.number("sensor.current_layer");
    const layers = entities.number("sensor.total_layers");
    const remaining = formatMinutes(entities.number("sensor.remaining_time"), {
      h: this.t("hours"),
      min: this.t("minutes"),
    });
    const end = formatClock(entities.state("sensor.end_time")?.state, this.language);
    return html`<div class="job">
        <span class="job-name">${known(job) ? job.state : ""}</span>
        <span class="muted stage">${known(stage) ? this.formatState(stage.entity_id) : ""}</span>
      </div>
      <div class="facts">
        <div><span class="muted">${this.t("layer")}</span><span class="layers">${layer ?? "—"} / ${layers ?? "—"}</span></div>
        <div><span class="muted">${this.t("remaining")}</span><span class="remaining">${remaining ?? "—"}</span></div>
        <div><span class="muted">${this.t("ends")}</span><span class="end">${end ?? "—"}</span></div>
      </div>`;
  }

  private renderTemperatures(entities: DeviceEntities): TemplateResult {
    const chips: TemplateResult[] = [];
    const numbered = this.printerLayout?.nozzles ?? [];
    const value = (id: string | null | undefined) => (id ? toNumber(this.hass?.states[id]?.state) : undefined);
    // The target's control entity is on by default; its sensor twin is not.
    const target = (key: string) => entities.number(`number.${key}`) ?? entities.number(`sensor.${key}`);
    if (numbered.length > 1) {
      for (const nozzle of numbered) {
        chips.push(
          this.chip(
            "mdi:printer-3d-nozzle",
            this.t("nozzle_n", { n: nozzle.index + 1 }),
            formatTemperature(value(nozzle.temperature), value(nozzle.target)),
            `nozzle-${nozzle.index + 1}`,
          ),
        );
      }
    } else if (entities.id("sensor.nozzle_temperature")) {
      chips.push(
        this.chip(
          "mdi:printer-3d-nozzle",
          this.t("nozzle"),
          formatTemperature(entities.number("sensor.nozzle_temperature"), target("nozzle_target_temperature")),
          "nozzle",
        ),
      );
    }
    if (entities.id("sensor.bed_temperature")) {
      chips.push(
        this.chip(
          "mdi:radiator",
          this.t("bed"),
          formatTemperature(entities.number("sensor.bed_temperature"), target("bed_target_temperature")),
          "bed",
        ),
      );
    }
    if (entities.id("sensor.chamber_temperature")) {
      chips.push(
        this.chip(
          "mdi:thermometer",
          this.t("chamber"),
          formatTemperature(entities.number("sensor.chamber_temperature"), target("chamber_target_temperature")),
          "chamber",
        ),
      );
    }
    const tray = entities.state("sensor.active_tray");
    if (known(tray) && tray.attributes.color) {
      const colors = Array.isArray(tray.attributes.colors) ? (tray.attributes.colors as string[]) : [];
      chips.push(html`<div class="chip filament">
        <span class="swatch" style="background:${spoolBackground(tray.attributes.color as string, colors)}"></span>
        <span class="muted">${this.t("filament")}</span><span>${this.formatState(tray.entity_id)}</span>
      </div>`);
    }
    return html`<div class="chips">${chips}</div>`;
  }

  private chip(icon: string, label: string, value: string, name: string): TemplateResult {
    return html`<div class="chip temperature ${name}">
      <ha-icon icon=${icon}></ha-icon><span class="muted">${label}</span><span class="value">${value}</span>
    </div>`;
  }

  private renderErrors(entities: DeviceEntities): TemplateResult | typeof nothing {
    const errors = hmsErrors(entities.state("sensor.hms_errors"));
    if (!errors.length) return nothing;
    return html`<ul class="errors">
      ${errors.map(
        (error) => html`<li class=${error.severity}>
          <ha-icon icon="mdi:alert-circle"></ha-icon>
          <span>${error.text || error.code}</span>
          ${error.url ? html`<a href=${error.url} target="_blank" rel="noreferrer">${this.t("learn_more")}</a>` : nothing}
        </li>`,
      )}
    </ul>`;
  }

  private renderControls(entities: DeviceEntities): TemplateResult {
    const usable = (key: string) => {
      const state = entities.state(key);
      return state !== undefined && state.state !== "unavailable";
    };
    const light = entities.state("light.chamber_light");
    const speed = entities.state("select.print_speed");
    const options = Array.isArray(speed?.attributes.options) ? (speed?.attributes.options as string[]) : [];
    return html`<div class="controls">
      ${usable("button.resume")
        ? html`<button class="action primary resume" @click=${() => this.press(entities, "button.resume")}>
            ${this.t("resume")}
          </button>`
        : html`<button class="action pause" ?disabled=${!usable("button.pause")} @click=${() => (this.pending = "pause")}>
            ${this.t("pause")}
          </button>`}
      <button class="action stop" ?disabled=${!usable("button.stop")} @click=${() => (this.pending = "stop")}>
        ${this.t("stop")}
      </button>
      ${light
        ? html`<button
            class="action light ${light.state === "on" ? "primary" : ""}"
            ?disabled=${light.state === "unavailable"}
            @click=${() => this.hass?.callService("light", "toggle", { entity_id: light.entity_id })}
          >
            <ha-icon icon="mdi:lightbulb"></ha-icon> ${this.t("light")}
          </button>`
        : nothing}
      ${speed && options.length
        ? html`<label class="speed"
            ><span class="muted">${this.t("speed")}</span>
            <select
              ?disabled=${speed.state === "unavailable"}
              @change=${(event: Event) =>
                this.hass?.callService("select", "select_option", {
                  entity_id: speed.entity_id,
                  option: (event.target as HTMLSelectElement).value,
                })}
            >
              ${options.map(
                (option) =>
                  html`<option value=${option} ?selected=${option === speed.state}>
                    ${this.formatState(speed.entity_id, option)}
                  </option>`,
              )}
            </select></label
          >`
        : nothing}
    </div>`;
  }

  private renderConfirm(entities: DeviceEntities): TemplateResult | typeof nothing {
    if (!this.pending) return nothing;
    const action = this.pending;
    return html`<div class="confirm" role="alertdialog">
      <span>${this.t(action === "stop" ? "confirm_stop" : "confirm_pause")}</span>
      <button class="action" @click=${() => (this.pending = undefined)}>${this.t("cancel")}</button>
      <button
        class="action ${action === "stop" ? "danger" : "primary"} confirm-yes"
        @click=${() => {
          this.pending = undefined;
          this.press(entities, `button.${action}`);
        }}
      >
        ${this.t("yes")}
      </button>
    </div>`;
  }

  private press(entities: DeviceEntities, key: string): void {
    const id = entities.id(key);
    if (id) void this.hass?.callService("button", "press", { entity_id: id });
  }

  getCardSize(): number {
    return 7;
  }

  static styles = [
    BambuCard.baseStyles,
    css`
      .top {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 120px;
        gap: 12px;
        align-items: center;
      }
      .picture {
        aspect-ratio: 4 / 3;
        border-radius: 8px;
        background: var(--secondary-background-color);
        display: flex;
        align-items: center;
        justify-content: center;
        overflow: hidden;
      }
      .picture img {
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      .picture ha-icon {
        --mdc-icon-size: 48px;
        color: var(--secondary-text-color);
      }
      .ring svg {
        width: 100%;
        transform: rotate(-90deg);
      }
      .ring .track,
      .ring .bar {
        fill: none;
        stroke-width: 8;
      }
      .ring .track {
        stroke: var(--divider-color);
      }
      .ring .bar {
        stroke: var(--primary-color);
        stroke-linecap: round;
        transition: stroke-dashoffset 0.5s;
      }
      .ring .percent {
        transform: rotate(90deg);
        transform-origin: 50px 50px;
        text-anchor: middle;
        dominant-baseline: central;
        font-size: 18px;
        fill: var(--primary-text-color);
      }
      .job {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        margin: 12px 0 4px;
        color: var(--primary-text-color);
      }
      .job-name {
        font-weight: 500;
      }
      .facts {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 8px;
        margin: 8px 0;
        color: var(--primary-text-color);
      }
      .facts div {
        display: flex;
        flex-direction: column;
      }
      .facts .muted {
        font-size: 0.85em;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin: 8px 0;
      }
      .chip {
        display: flex;
        align-items: center;
        gap: 4px;
        padding: 4px 10px;
        border-radius: 16px;
        background: var(--secondary-background-color);
        color: var(--primary-text-color);
        font-size: 0.9em;
      }
      .chip ha-icon {
        --mdc-icon-size: 18px;
        color: var(--state-icon-color, var(--secondary-text-color));
      }
      .swatch {
        width: 14px;
        height: 14px;
        border-radius: 50%;
        border: 1px solid var(--divider-color);
      }
      .errors {
        list-style: none;
        padding: 0;
        margin: 8px 0;
      }
      .errors li {
        display: flex;
        gap: 6px;
        align-items: center;
        color: var(--error-color);
        margin: 4px 0;
      }
      .errors li.common,
      .errors li.info {
        color: var(--warning-color);
      }
      .errors a {
        color: var(--primary-color);
        white-space: nowrap;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-top: 8px;
      }
      .controls ha-icon {
        --mdc-icon-size: 18px;
      }
      .speed {
        display: flex;
        align-items: center;
        gap: 6px;
      }
      .speed select {
        font: inherit;
        padding: 6px;
        border-radius: 8px;
        border: 1px solid var(--divider-color);
        background: var(--card-background-color, var(--ha-card-background));
        color: var(--primary-text-color);
      }
      @media (max-width: 450px) {
        .top {
          grid-template-columns: minmax(0, 1fr) 90px;
        }
      }
    `,
  ];
}
