// The history card: the printer's last jobs with cover, result, duration, filament.
import { css, html, nothing, type TemplateResult } from "lit";
import { historyRow, type HistoryJob } from "../logic/history";
import { BambuCard } from "./base";

const JOBS = 5;

export class BambuHistoryCard extends BambuCard {
  static properties = {
    ...BambuCard.properties,
    jobs: { state: true },
  };

  jobs?: HistoryJob[];
  private subscribedTo?: string;
  private unsubscribe?: Promise<() => void>;

  protected updated(): void {
    const device = this.config?.device_id;
    if (!this.hass?.connection || !device || this.subscribedTo === device) return;
    this.stop();
    this.subscribedTo = device;
    // The integration sends the list again whenever the history changes.
    this.unsubscribe = this.hass.connection.subscribeMessage<{ jobs: HistoryJob[] }>(
      (message) => (this.jobs = message.jobs),
      { type: "bambu_cloud/subscribe_history", device_id: device, limit: JOBS },
    );
    this.unsubscribe.catch(() => (this.jobs = undefined));
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
    const units = { h: this.t("hours"), min: this.t("minutes") };
    const rows = (this.jobs ?? []).map((job) => historyRow(job, this.language, units));
    return html`<ha-card>
      <div class="header"><span class="name">${this.deviceName()}</span></div>
      ${this.jobs && !rows.length ? html`<div class="muted">${this.t("no_jobs")}</div>` : nothing}
      <ul class="jobs">
        ${rows.map(
          (row) => html`<li class="job" data-id=${row.id}>
            <span class="cover">
              ${row.cover ? html`<img src=${row.cover} alt="" loading="lazy" />` : html`<ha-icon icon="mdi:printer-3d"></ha-icon>`}
            </span>
            <span class="what">
              <span class="title">${row.title}</span>
              <span class="muted when">${row.when}</span>
            </span>
            <span class="facts">
              <span class="badge outcome ${row.outcome}">${this.t(row.outcome)}</span>
              <span class="muted">${[row.duration, row.filament].filter(Boolean).join(" · ")}</span>
            </span>
          </li>`,
        )}
      </ul>
    </ha-card>`;
  }

  getCardSize(): number {
    return 2 + JOBS;
  }

  static styles = [
    BambuCard.baseStyles,
    css`
      .jobs {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .job {
        display: grid;
        grid-template-columns: 48px minmax(0, 1fr) auto;
        gap: 10px;
        align-items: center;
        padding: 6px 0;
        border-top: 1px solid var(--divider-color);
        color: var(--primary-text-color);
      }
      .job:first-child {
        border-top: none;
      }
      .cover {
        width: 48px;
        height: 48px;
        border-radius: 6px;
        background: var(--secondary-background-color);
        display: flex;
        align-items: center;
        justify-content: center;
        overflow: hidden;
      }
      .cover img {
        width: 100%;
        height: 100%;
        object-fit: cover;
      }
      .what,
      .facts {
        display: flex;
        flex-direction: column;
        min-width: 0;
      }
      .facts {
        align-items: flex-end;
        font-size: 0.85em;
        gap: 2px;
      }
      .title {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .when {
        font-size: 0.85em;
      }
      .outcome.finished {
        background: color-mix(in srgb, var(--success-color, #43a047) 20%, transparent);
      }
      .outcome.failed {
        background: color-mix(in srgb, var(--error-color) 20%, transparent);
      }
    `,
  ];
}
