// The Bambu Lab Cloud dashboard cards: defined once, listed in the card picker.
import { BambuAmsCard } from "./cards/ams-card";
import { BambuCardEditor } from "./cards/editor";
import { BambuHistoryCard } from "./cards/history-card";
import { BambuPrinterCard } from "./cards/printer-card";
import { BambuSkipCard } from "./cards/skip-card";
import { BambuStrategy } from "./cards/strategy";
import { textsFor } from "./logic/i18n";

declare global {
  interface Window {
    customCards?: { type: string; name: string; description: string; preview?: boolean; documentationURL?: string }[];
  }
}

const ELEMENTS: [string, CustomElementConstructor][] = [
  ["bambu-printer-card", BambuPrinterCard],
  ["bambu-ams-card", BambuAmsCard],
  ["bambu-skip-card", BambuSkipCard],
  ["bambu-history-card", BambuHistoryCard],
  ["bambu-card-editor", BambuCardEditor],
  ["ll-strategy-dashboard-bambu-cloud", BambuStrategy],
];

for (const [name, element] of ELEMENTS) {
  // Loading the module twice (an old URL still listed) must not throw.
  if (!customElements.get(name)) customElements.define(name, element);
}

const texts = textsFor(document.documentElement.lang || navigator.language);
const DOCS = "https://github.com/bambu-cloud/ha-bambu-cloud#dashboard-cards";
window.customCards = window.customCards ?? [];
for (const [type, name, description] of [
  ["bambu-printer-card", texts.printer_card, texts.printer_card_description],
  ["bambu-ams-card", texts.ams_card, texts.ams_card_description],
  ["bambu-skip-card", texts.skip_card, texts.skip_card_description],
  ["bambu-history-card", texts.history_card, texts.history_card_description],
]) {
  if (!window.customCards.some((card) => card.type === type)) {
    window.customCards.push({ type, name, description, preview: true, documentationURL: DOCS });
  }
}
