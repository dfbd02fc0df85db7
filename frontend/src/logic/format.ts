// Pure formatting of what the cards show, so it can be unit tested.

/** "1 h 05 min", "42 min", "0 min" from minutes; undefined stays undefined. */
export function formatMinutes(minutes: number | undefined, units = { h: "h", min: "min" }): string | undefined {
  if (minutes === undefined || !Number.isFinite(minutes) || minutes < 0) return undefined;
  const total = Math.round(minutes);
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours === 0) return `${rest} ${units.min}`;
  return `${hours} ${units.h} ${String(rest).padStart(2, "0")} ${units.min}`;
}

/** "212 / 220 °C", "25 °C" (no target or target off), "—" when unknown. */
export function formatTemperature(current: number | undefined, target: number | undefined): string {
  const now = current === undefined ? "—" : `${Math.round(current)}`;
  if (target === undefined || target <= 0) return `${now} °C`;
  return `${now} / ${Math.round(target)} °C`;
}

/** The stroke offset that draws ``percent`` of a ring of radius ``radius``. */
export function ringOffset(percent: number | undefined, radius: number): { circumference: number; offset: number } {
  const circumference = 2 * Math.PI * radius;
  const clamped = Math.min(100, Math.max(0, percent ?? 0));
  return { circumference, offset: circumference * (1 - clamped / 100) };
}

/** A text colour readable on ``background`` ("#RRGGBB"): black or white. */
export function textColorOn(background: string | undefined | null): string {
  const match = /^#?([0-9a-f]{6})/i.exec(background ?? "");
  if (!match) return "var(--primary-text-color)";
  const value = parseInt(match[1], 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
  // Where black and white contrast equally (WCAG): about 0.179.
  return luminance > 0.179 ? "#000000" : "#ffffff";
}

/** A CSS background for a spool: one colour, or stripes of several. */
export function spoolBackground(color: string | null | undefined, colors: readonly string[] | undefined): string {
  const all = (colors ?? []).filter((c) => /^#[0-9a-f]{6}$/i.test(c));
  if (all.length > 1) {
    const step = 100 / all.length;
    const stops = all.map((c, i) => `${c} ${i * step}% ${(i + 1) * step}%`);
    return `linear-gradient(90deg, ${stops.join(", ")})`;
  }
  const one = all[0] ?? color;
  return one && /^#[0-9a-f]{6}$/i.test(one) ? one : "transparent";
}

/** "HH:MM" of an ISO timestamp in the given locale; undefined if not a time. */
export function formatClock(iso: string | undefined, language: string): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
}
