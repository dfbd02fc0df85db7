// The history card's rows, from the integration's bambu_cloud/subscribe_history.
import { formatMinutes } from "./format";

export interface HistoryJob {
  id: string;
  title: string;
  start: string;
  end: string | null;
  outcome: "finished" | "failed" | "unknown" | string;
  seconds: number | null;
  weight: number | null; // grams
  length: number | null; // metres
  cover: string | null;
}

export interface HistoryRow {
  id: string;
  title: string;
  when: string;
  outcome: "finished" | "failed" | "unknown";
  duration: string | undefined;
  filament: string | undefined;
  cover: string | null;
}

/** What a row shows: dates in the user's language, durations and grams. */
export function historyRow(job: HistoryJob, language: string, units = { h: "h", min: "min" }): HistoryRow {
  const start = new Date(job.start);
  const outcome = job.outcome === "finished" || job.outcome === "failed" ? job.outcome : "unknown";
  return {
    id: job.id,
    title: job.title,
    when: Number.isNaN(start.getTime())
      ? ""
      : start.toLocaleString(language, { dateStyle: "medium", timeStyle: "short" }),
    outcome,
    duration: job.seconds === null ? undefined : formatMinutes(job.seconds / 60, units),
    filament: job.weight === null ? undefined : `${job.weight < 10 ? job.weight.toFixed(1) : Math.round(job.weight)} g`,
    cover: job.cover,
  };
}
