// The visual editor of every card: pick a printer (and, for the printer
// card, whether to show the live camera). Home Assistant's own ha-form draws
// the fields, so they look and behave like the built-in cards' editors.
import { LitElement, html, type TemplateResult } from "lit";
import type { HomeAssistant } from "../logic/hass";
import { textsFor, translate, type TextKey } from "../logic/i18n";
import type { BambuCardConfig } from "./base";

declare global {
  interface Window {
    loadCardHelpers?: () => Promise<{ createCardElement(config: object): HTMLElement }>;
  }
}

/** Make sure ha-form is defined: it is loaded with the built-in editors. */
async function loadHaForm(): Promise<void> {
  if (customElements.get("ha-form") || !window.loadCardHelpers) return;
  const helpers = await window.loadCardHelpers();
  const card = helpers.createCardElement({ type: "entities", entities: [] });
  const editor = (card.constructor as unknown as { getConfigElement?: () => Promise<unknown> }).getConfigElement;
  await editor?.();
}

export class BambuCardEditor extends LitElement {
  static properties = {
    hass: { attribute: false },
    config: { state: true },
    ready: { state: true },
  };

  hass?: HomeAssistant;
  config?: BambuCardConfig;
  ready = false;

  setConfig(config: BambuCardConfig): void {
    this.config = config;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void loadHaForm().then(() => (this.ready = true));
  }

  private t(key: TextKey): string {
    return translate(textsFor(this.hass?.locale?.language ?? this.hass?.language), key);
  }

  private get schema(): object[] {
    const schema: object[] = [
      {
        name: "device_id",
        required: true,
        // Only printers have buttons (pause, stop...): AMS units and the account do not.
        selector: { device: { filter: { integration: "bambu_cloud" }, entity: { integration: "bambu_cloud", domain: "button" } } },
      },
    ];
    if (this.config?.type === "custom:bambu-printer-card") {
      schema.push({ name: "show_camera", selector: { boolean: {} } });
    }
    return schema;
  }

  render(): TemplateResult {
    if (!this.hass || !this.config || !this.ready) return html``;
    return html`<ha-form
      .hass=${this.hass}
      .data=${this.config}
      .schema=${this.schema}
      .computeLabel=${(field: { name: string }) =>
        this.t(field.name === "device_id" ? "printer" : "show_camera")}
      @value-changed=${(event: CustomEvent<{ value: BambuCardConfig }>) => {
        this.config = { ...event.detail.value, type: this.config!.type };
        this.dispatchEvent(new CustomEvent("config-changed", { detail: { config: this.config }, bubbles: true, composed: true }));
      }}
    ></ha-form>`;
  }
}
