// The skip-objects card: the plate's picture, each object outlined and named.
import { css, html, nothing, svg, type TemplateResult } from "lit";
import { idsToSkip, names, toggle, type PlateObjects } from "../logic/skip";
import { BambuCard } from "./base";

const VIEW = 1000; // the overlay's coordinate range; boxes are fractions of it

export class BambuSkipCard extends BambuCard {
  static properties = {
    ...BambuCard.properties,
    plate: { state: true },
    selected: { state: true },
    confirming: { state: true },
  };

  plate?: PlateObjects;
  selected: Set<number> = new Set();
  confirming = false;

  private subscribedTo?: string;
  private unsubscribe?: Promise<() => void>;

  protected updated(): void {
    const device = this.config?.device_id;
    if (!this.hass?.connection || !device || this.subscribedTo === device) return;
    this.stop();
    this.subscribedTo = device;
    // The integration sends the plate again when the job or its skips change.
    this.unsubscribe = this.hass.connection.subscribeMessage<PlateObjects>(
      (plate) => {
        this.plate = plate;
        const live = new Set(plate.objects.filter((o) => !o.skipped).map((o) => o.id));
        this.selected = new Set([...this.selected].filter((id) => live.has(id)));
      },
      { type: "bambu_cloud/subscribe_plate_objects", device_id: device },
    );
    this.unsubscribe.catch(() => (this.plate = undefined));
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private stop(): void {
    void this.unsubscribe?.then((unsubscribe) => unsubscribe()).catch(() => undefined);
    this.unsubscribe = undefined;
    this.subscribedTo = undefined;
  }

  render(): TemplateResult {
    if (!this.config?.device_id || !this.hass) {
      return html`<ha-card><div class="muted">${this.t("choose_printer")}</div></ha-card>`;
    }
    const plate = this.plate;
    const objects = plate?.objects ?? [];
    const chosen = idsToSkip(objects, this.selected);
    return html`<ha-card>
      <div class="header"><span class="name">${this.deviceName()}</span></div>
      ${objects.length
        ? html`<div class="muted hint">${this.t("tap_objects")}</div>
            <div class="plate">
              ${plate?.image ? html`<img src=${plate.image} alt="" />` : nothing}
              <svg viewBox="0 0 ${VIEW} ${VIEW}" preserveAspectRatio="none">
                ${objects.map((object) => {
                  if (!object.box) return nothing;
                  const [left, top, right, bottom] = object.box.map((v) => v * VIEW);
                  const cls = object.skipped ? "skipped" : this.selected.has(object.id) ? "selected" : "";
                  return svg`<g class="object ${cls}" @click=${() => this.toggle(object.id)}>
                    <rect class="object ${cls}" data-id=${object.id}
                      x=${left} y=${top} width=${right - left} height=${bottom - top} rx="8">
                      <title>${object.name}</title></rect>
                    <text x=${(left + right) / 2} y=${(top + bottom) / 2}>${object.name || `#${object.id}`}</text>
                  </g>`;
                })}
              </svg>
            </div>
            <ul class="objects">
              ${objects.map(
                (object) => html`<li>
                  <button
                    class="object-name ${object.skipped ? "skipped" : ""} ${this.selected.has(object.id) ? "selected" : ""}"
                    data-id=${object.id}
                    ?disabled=${object.skipped}
                    @click=${() => this.toggle(object.id)}
                  >
                    ${object.name || `#${object.id}`}${object.skipped ? html` · ${this.t("skipped")}` : nothing}
                  </button>
                </li>`,
              )}
            </ul>
            <div class="controls">
              <button class="action danger skip" ?disabled=${!chosen.length} @click=${() => (this.confirming = true)}>
                ${chosen.length ? this.t("skip_n", { n: chosen.length }) : this.t("skip")}
              </button>
            </div>
            ${this.confirming && chosen.length
              ? html`<div class="confirm" role="alertdialog">
                  <span>${this.t("confirm_skip", { names: names(objects, chosen) })}</span>
                  <button class="action" @click=${() => (this.confirming = false)}>${this.t("cancel")}</button>
                  <button class="action danger confirm-yes" @click=${() => this.skip(chosen)}>${this.t("yes")}</button>
                </div>`
              : nothing}`
        : html`<div class="muted">${this.t("no_objects")}</div>`}
    </ha-card>`;
  }

  private toggle(id: number): void {
    this.selected = toggle(this.plate?.objects ?? [], this.selected, id);
    this.confirming = false;
  }

  private skip(ids: number[]): void {
    this.confirming = false;
    this.selected = new Set();
    void this.hass?.callService("bambu_cloud", "skip_objects", { device_id: this.config?.device_id, objects: ids });
  }

  getCardSize(): number {
    return 8;
  }

  static styles = [
    BambuCard.baseStyles,
    css`
      .hint {
        margin-bottom: 8px;
      }
      .plate {
        position: relative;
        width: 100%;
        max-width: 420px;
        aspect-ratio: 1;
        margin: 0 auto;
        border-radius: 8px;
        background: var(--secondary-background-color);
        overflow: hidden;
      }
      .plate img,
      .plate svg {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
      }
      .plate img {
        object-fit: fill;
      }
      g.object {
        cursor: pointer;
      }
      g.object.skipped {
        cursor: default;
      }
      rect.object {
        fill: rgba(255, 255, 255, 0.08);
        stroke: #fff;
        stroke-width: 6;
        stroke-dasharray: 18 10;
      }
      g.object text {
        fill: #fff;
        font-size: 44px;
        font-weight: 600;
        text-anchor: middle;
        dominant-baseline: central;
        paint-order: stroke;
        stroke: rgba(0, 0, 0, 0.7);
        stroke-width: 8px;
        pointer-events: none;
      }
      rect.object.selected {
        fill: color-mix(in srgb, var(--error-color) 45%, transparent);
        stroke: var(--error-color);
        stroke-width: 10;
        stroke-dasharray: none;
      }
      rect.object.skipped {
        fill: rgba(0, 0, 0, 0.6);
        stroke: #888;
      }
      g.object.skipped text {
        text-decoration: line-through;
        fill: #bbb;
      }
      .objects {
        list-style: none;
        padding: 0;
        margin: 10px 0;
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .object-name {
        font: inherit;
        border-radius: 14px;
        padding: 4px 10px;
        border: 1px solid var(--divider-color);
        background: var(--secondary-background-color);
        color: var(--primary-text-color);
        cursor: pointer;
      }
      .object-name.selected {
        border-color: var(--error-color);
        color: var(--error-color);
      }
      .object-name.skipped {
        text-decoration: line-through;
        opacity: 0.6;
      }
    `,
  ];
}
