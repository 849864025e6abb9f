/** Investigative search results: a table of reads (newest first) and the timeline "where was this vehicle seen". */

import type { ReadHit, SearchOut } from "../api/types";
import { formatClock } from "../core/age";
import { compass } from "../core/plates";
import { trailsByPlate } from "../core/search-form";
import { h } from "./dom";

const place = (r: ReadHit): string => (r.lat !== null && r.lon !== null ? `${r.lat.toFixed(5)}, ${r.lon.toFixed(5)}` : "—");
const reader = (r: ReadHit): string => r.reader_name ? `${r.reader_name} (${r.reader_code ?? "?"})` : r.reader_code ?? "—";
const vehicle = (r: ReadHit): string => [r.colour, r.make, r.model, r.vehicle_kind].filter(Boolean).join(" ") || "—";

export function resultsTable(out: SearchOut, nowMs: number, onPick: (read: ReadHit) => void): HTMLElement {
  const rows = out.reads.map((r) => {
    const row = h("tr", { "data-testid": "search-row", "data-read-id": r.id, class: r.hit ? "is-hit" : "", tabindex: 0 },
      h("td", { class: "mono" }, formatClock(r.captured_at, nowMs)),
      h("td", { class: "plate" }, r.plate, r.plate_raw !== r.plate ? h("span", { class: "muted" }, ` (${r.plate_raw})`) : null),
      h("td", {}, reader(r)), h("td", { class: "mono" }, place(r)), h("td", {}, vehicle(r)),
      h("td", {}, r.hit ? h("span", { class: "badge sev-high" }, "HIT") : ""));
    row.addEventListener("click", () => onPick(r));
    return row;
  });
  const head = h("tr", {}, ...["Time", "Plate", "Reader", "Place", "Vehicle", ""].map((c) => h("th", { scope: "col" }, c)));
  return h("section", { class: "tool-section" },
    h("h3", {}, `Reads (${out.reads.length}${out.truncated ? ", more matched: narrow the search" : ""})`),
    out.reads.length === 0 ? h("p", { class: "muted", "data-testid": "search-empty" }, "No reads matched.")
      : h("div", { class: "table-scroll" }, h("table", { class: "data-table", "data-testid": "search-results" }, h("thead", {}, head), h("tbody", {}, ...rows))));
}

export function timeline(out: SearchOut, nowMs: number, onPick: (read: ReadHit) => void): HTMLElement | null {
  if (out.reads.length === 0) return null;
  const trails = trailsByPlate(out.reads).map((trail) => {
    const first = trail.sightings[0] as ReadHit;
    const last = trail.sightings[trail.sightings.length - 1] as ReadHit;
    const items = trail.sightings.map((r) => {
      const item = h("li", { class: "timeline-entry", "data-testid": "sighting", "data-read-id": r.id },
        h("time", { datetime: r.captured_at }, formatClock(r.captured_at, nowMs)),
        h("span", { class: "timeline-what" }, reader(r)),
        h("span", { class: "timeline-actor muted" }, [place(r), r.direction, r.heading !== null ? compass(r.heading) : null].filter(Boolean).join(" · ")));
      item.addEventListener("click", () => onPick(r));
      return item;
    });
    return h("div", { class: "trail", "data-testid": "trail", "data-plate": trail.plate },
      h("p", { class: "trail-head" }, h("strong", { class: "plate" }, trail.plate),
        h("span", { class: "muted" }, ` ${items.length} sighting${items.length === 1 ? "" : "s"}, ${formatClock(first.captured_at, nowMs)} → ${formatClock(last.captured_at, nowMs)}`)),
      h("ol", { class: "timeline" }, ...items));
  });
  return h("section", { class: "tool-section", "data-testid": "search-timeline" }, h("h3", {}, "Where was this vehicle seen"), ...trails);
}
