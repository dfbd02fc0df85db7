// The skip-objects card's data and selection logic.

/** One object of the plate, its box as fractions (0-1) of the picture. */
export interface PlateObject {
  id: number;
  name: string;
  box: [number, number, number, number] | null; // left, top, right, bottom
  skipped: boolean;
}

/** The current plate, from the integration's bambu_cloud/plate_objects. */
export interface PlateObjects {
  plate: number | null;
  image: string | null; // a data: URL of the plate's top view
  objects: PlateObject[];
}

/** The ids to send: the selected ones not skipped already, ascending. */
export function idsToSkip(objects: readonly PlateObject[], selected: ReadonlySet<number>): number[] {
  return objects
    .filter((o) => selected.has(o.id) && !o.skipped)
    .map((o) => o.id)
    .sort((a, b) => a - b);
}

/** Select or unselect an object; skipped objects cannot be selected. */
export function toggle(objects: readonly PlateObject[], selected: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(selected);
  const object = objects.find((o) => o.id === id);
  if (!object || object.skipped) return next;
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** The names to confirm, joined; at most ``limit`` then "…". */
export function names(objects: readonly PlateObject[], ids: readonly number[], limit = 5): string {
  const chosen = objects.filter((o) => ids.includes(o.id)).map((o) => o.name || `#${o.id}`);
  return chosen.length > limit ? `${chosen.slice(0, limit).join(", ")}, …` : chosen.join(", ");
}
