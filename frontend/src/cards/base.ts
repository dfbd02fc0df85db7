// What every card shares: its config, the hass object, texts and theming.
import { LitElement, css } from "lit";
import { DeviceEntities, printerDevices } from "../logic/entities";
import type { HomeAssistant } from "../logic/hass";
import { textsFor, translate, type TextKey } from "../logic/i18n";

export interface BambuCardConfig {
  type: string;
  device_id?: string;
  show_camera?: boolean;
}

export abstract class BambuCard extends LitElement {
  static properties = {
    hass: { attribute: false },
    config: { state: true },
  };

  hass?: HomeAssistant;
  config?: BambuCardConfig;

  setConfig(config: BambuCardConfig): void {
    if (!config || typeof config !== "object") throw new Error("Invalid configuration");
    this.config = { ...config };
  }

  /** A first configuration: the first printer of the integration. */
  static getStubConfig(hass: HomeAssistant): Partial<BambuCardConfig> {
    const [first] = printerDevices(hass);
    return first ? { device_id: first } : {};
  }

  static getConfigElement(): HTMLElement {
    return document.createElement("bambu-card-editor");
  }

  getCardSize(): number {
    return 4;
  }

  protected t(key: TextKey, values?: Record<string, string | number>): string {
    return translate(textsFor(this.hass?.locale?.language ?? this.hass?.language), key, values);
  }

  protected get language(): string {
    return this.hass?.locale?.language ?? this.hass?.language ?? "en";
  }

  protected entities(): DeviceEntities | undefined {
    if (!this.hass || !this.config?.device_id) return undefined;
    return new DeviceEntities(this.hass, this.config.device_id);
  }

  protected deviceName(): string {
    const device = this.config?.device_id ? this.hass?.devices[this.config.device_id] : undefined;
    return device?.name_by_user || device?.name || "";
  }

  /** An entity's state as Home Assistant shows it, translated. */
  protected formatState(entityId: string | undefined, value?: string): string | undefined {
    const state = entityId ? this.hass?.states[entityId] : undefined;
    if (!state || !this.hass) return undefined;
    return this.hass.formatEntityState ? this.hass.formatEntityState(state, value) : (value ?? state.state);
  }

  static baseStyles = css`
    :host {
      display: block;
    }
    ha-card {
      padding: 16px;
      box-sizing: border-box;
      height: 100%;
      overflow: hidden;
    }
    .header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      margin-bottom: 12px;
    }
    .name {
      font-size: 1.2em;
      font-weight: 500;
      color: var(--primary-text-color);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .badge {
      padding: 2px 10px;
      border-radius: 12px;
      background: var(--secondary-background-color);
      color: var(--primary-text-color);
      font-size: 0.9em;
      white-space: nowrap;
    }
    .muted {
      color: var(--secondary-text-color);
    }
    button.action {
      font: inherit;
      border: 1px solid var(--divider-color);
      background: var(--card-background-color, var(--ha-card-background));
      color: var(--primary-text-color);
      border-radius: 18px;
      padding: 6px 14px;
      min-height: 36px;
      cursor: pointer;
    }
    button.action.primary {
      background: var(--primary-color);
      border-color: var(--primary-color);
      color: var(--text-primary-color, #fff);
    }
    button.action.danger {
      background: var(--error-color);
      border-color: var(--error-color);
      color: #fff;
    }
    button.action:disabled {
      opacity: 0.45;
      cursor: default;
    }
    .confirm {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin-top: 12px;
      padding: 10px;
      border-radius: 8px;
      background: var(--secondary-background-color);
      color: var(--primary-text-color);
    }
    .confirm span {
      flex: 1 1 160px;
    }
  `;
}
