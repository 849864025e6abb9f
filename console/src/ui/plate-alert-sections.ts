/** The read-only parts of an open plate alert: header, stale warning, images, what matched, the entry, the read. */

import type { AlertDetail } from "../api/types";
import { formatClock } from "../core/age";
import { compass, percent, severityLabel, words } from "../core/plates";
import { h } from "./dom";
import { platePair } from "./plate-chars";

/** The images as object URLs once fetched (null while loading or when there is none). */
export interface AlertImages {
  plate: string | null;
  vehicle: string | null;
  problem: string | null;
  /** The fetches are over: a null image now means it could not be had. */
  loaded: boolean;
}

type Doc = Record<string, unknown>;

function text(doc: Doc | null | undefined, key: string): string | null {
  const value = doc?.[key];
  if (value === null || value === undefined || value === "") return null;
  return typeof value === "string" ? value : String(value);
}

const joined = (...parts: Array<string | null | undefined>): string => parts.filter((p) => p).join(" · ");

function section(title: string, testId: string, ...body: Array<Node | null>): HTMLElement {
  return h("section", { class: `detail-section section-${testId}`, "data-testid": testId }, h("h3", {}, title), ...body);
}

/** Label/value rows, leaving out the empty ones. */
function facts(rows: Array<[string, string | null]>): HTMLElement {
  const list = h("dl", { class: "facts" });
  for (const [label, value] of rows) if (value) list.append(h("dt", {}, label), h("dd", {}, value));
  return list;
}

function when(iso: string | null, nowMs: number): string | null {
  return iso ? formatClock(iso, nowMs) : null;
}

export function alertHead(detail: AlertDetail, age: HTMLElement, nowMs: number): HTMLElement {
  const status = detail.status === "closed" ? words(detail.disposition ?? "closed") : detail.status;
  return h("header", { class: "detail-head" },
    h("div", { class: "detail-title" },
      h("span", { class: `badge sev-${detail.severity}`, "data-testid": "alert-severity" }, severityLabel(detail.severity)),
      h("h2", { class: "alert-plates" }, platePair(detail.plate_read, detail.plate_entry)),
      h("span", { class: `status-pill alert-status-${detail.status}`, "data-testid": "alert-status" }, status)),
    h("p", { class: "detail-address" }, `${words(detail.reason_code)} · ${detail.hotlist_name}`),
    h("p", { class: "detail-times" }, "Raised ", h("time", { datetime: detail.raised_at }, formatClock(detail.raised_at, nowMs)),
      " · age ", age, ` · at ${detail.reader_code}`,
      detail.repeat_count > 1 ? ` · seen ${detail.repeat_count}× (last ${formatClock(detail.last_seen_at, nowMs)})` : ""));
}

export function staleWarning(detail: AlertDetail): HTMLElement | null {
  if (!detail.stale) return null;
  return h("p", { class: "stale-warning", "data-testid": "alert-stale-warning", role: "note" },
    h("strong", {}, "Stale list. "),
    `${detail.hotlist_name} had not been refreshed within its limit when this matched: the entry may no longer be active. Confirm with the source before anyone acts.`);
}

function image(url: string | null, loaded: boolean, alt: string, testId: string): HTMLElement {
  if (url === null) return h("div", { class: "alert-image is-loading" }, loaded ? "Image unavailable" : "Loading…");
  return h("img", { class: "alert-image", src: url, alt, "data-testid": testId });
}

export function imagesSection(detail: AlertDetail, images: AlertImages): HTMLElement {
  const plate = detail.plate_image ? image(images.plate, images.loaded, `Plate image of ${detail.plate_read}`, "alert-plate-image")
    : h("p", { class: "muted" }, "The reader sent no plate image: the plate cannot be checked by eye.");
  const vehicle = detail.vehicle_image ? image(images.vehicle, images.loaded, "Vehicle image", "alert-vehicle-image") : null;
  const problem = images.problem ? h("p", { class: "form-error" }, images.problem) : null;
  return section("Images", "alert-images", h("div", { class: "alert-images" }, plate, vehicle), problem);
}

export function matchSection(detail: AlertDetail): HTMLElement {
  const corroboration = Object.entries(detail.corroboration_detail).map(([what, verdict]) =>
    h("li", {}, h("strong", {}, what), ` ${verdict}`));
  return section("What matched, how sure", "alert-match",
    h("p", { class: "alert-explanation", "data-testid": "alert-explanation" }, detail.explanation),
    facts([
      ["Match", detail.match_kind === "misread" ? `possible OCR misread (${detail.substitutions} character${detail.substitutions === 1 ? "" : "s"})` : "exact"],
      ["State", words(detail.state_match)],
      ["Score", percent(detail.score)],
      ["Vehicle", detail.corroboration === null ? "not compared (no vehicle details on one side)" : percent(detail.corroboration)],
    ]),
    corroboration.length ? h("ul", { class: "plain-list corroboration" }, ...corroboration) : null);
}

export function entrySection(detail: AlertDetail, nowMs: number): HTMLElement {
  const e = detail.entry;
  const vehicle = joined(text(e, "vehicle_year"), text(e, "colour"), text(e, "make"), text(e, "model"));
  return section("Hotlist entry", "alert-entry", facts([
    ["List", detail.hotlist_name],
    ["Reason", words(text(e, "reason_code"))],
    ["Plate", joined(text(e, "plate"), text(e, "state"), text(e, "plate_type"))],
    ["Vehicle", vehicle || null],
    ["Description", text(e, "description")],
    ["NCIC", joined(text(e, "list_code") && `list ${text(e, "list_code")}`, text(e, "nic") && `NIC ${text(e, "nic")}`,
      text(e, "ori") && `ORI ${text(e, "ori")}`, text(e, "oca") && `OCA ${text(e, "oca")}`) || null],
    ["Entered", joined(when(text(e, "entered_at"), nowMs), text(e, "entered_by"))],
    ["Expires", when(text(e, "expires_at"), nowMs)],
  ]));
}

export function readSection(detail: AlertDetail, nowMs: number): HTMLElement {
  const r = detail.read;
  const seen = r["vehicle"] && typeof r["vehicle"] === "object" ? (r["vehicle"] as Doc) : null;
  const lat = typeof r["lat"] === "number" ? r["lat"] : null;
  const lon = typeof r["lon"] === "number" ? r["lon"] : null;
  const heading = typeof r["heading"] === "number" ? r["heading"] : null;
  const confidence = typeof r["confidence"] === "number" ? r["confidence"] : null;
  return section("The read", "alert-read", facts([
    ["Time", when(text(r, "captured_at"), nowMs)],
    ["Reader", joined(text(r, "reader_name"), text(r, "reader"))],
    ["Place", lat !== null && lon !== null ? `${lat.toFixed(5)}, ${lon.toFixed(5)}` : null],
    ["Heading", joined(heading !== null ? compass(heading) : null, text(r, "direction"))],
    ["Lane / speed", joined(text(r, "lane") && `lane ${text(r, "lane")}`, text(r, "speed_kmh") && `${text(r, "speed_kmh")} km/h`) || null],
    ["Plate read", joined(text(r, "plate_raw"), text(r, "region"), confidence !== null ? `confidence ${percent(confidence)}` : null)],
    ["Vehicle seen", seen ? joined(text(seen, "colour"), text(seen, "make"), text(seen, "model"), text(seen, "kind")) || "—" : "not reported"],
  ]));
}
