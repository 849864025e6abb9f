/** The read-only sections of an incident's detail: cautions, units, people, vehicles, agencies, timeline. */

import type { IncidentDetail, TimelineEntry } from "../api/types";
import { formatClock } from "../core/age";
import { chronological, describeTimelineEntry, statusWord } from "../core/timeline";
import { h } from "./dom";

type Detail = IncidentDetail;

function section(title: string, testId: string, count: number, body: Node): HTMLElement {
  return h("section", { class: `detail-section section-${testId}`, "data-testid": testId },
    h("h3", {}, title, h("span", { class: "section-count" }, String(count))), body);
}

function emptyLine(text: string): HTMLElement {
  return h("p", { class: "muted" }, text);
}

const joined = (...parts: Array<string | null | undefined>): string => parts.filter((p) => p).join(" · ");

export function cautionsSection(detail: Detail): HTMLElement | null {
  if (detail.cautions.length === 0) return null;
  const items = detail.cautions.map((c) =>
    h("li", { class: `caution severity-${c.severity.toLowerCase()}` },
      h("strong", {}, c.kind_text || c.kind), h("span", { class: "muted" }, joined(c.severity, c.source))));
  return section("Cautions", "cautions", items.length, h("ul", { class: "caution-list" }, ...items));
}

export function unitsSection(detail: Detail, nowMs: number): HTMLElement {
  const items = detail.units.map((u) =>
    h("li", { class: "unit" }, h("strong", {}, u.name), h("span", { class: "unit-status" }, u.status_text || statusWord(u.status)),
      h("span", { class: "muted" }, joined(u.kind, u.agency_ref, formatClock(u.updated_at, nowMs)))));
  const body = items.length ? h("ul", { class: "plain-list" }, ...items) : emptyLine("No units assigned.");
  return section("Units", "units", items.length, body);
}

export function personsSection(detail: Detail): HTMLElement | null {
  if (detail.persons.length === 0) return null;
  const items = detail.persons.map((p) =>
    h("li", {}, h("strong", {}, p.name ?? "Unnamed"), h("span", { class: "muted" }, joined(p.roles.join(", "), p.description))));
  return section("Persons", "persons", items.length, h("ul", { class: "plain-list" }, ...items));
}

export function vehiclesSection(detail: Detail): HTMLElement | null {
  if (detail.vehicles.length === 0) return null;
  const items = detail.vehicles.map((v) => {
    const plate = v.plate ? `${v.plate}${v.plate_state ? ` (${v.plate_state})` : ""}` : "No plate";
    const car = joined(v.color, v.year ? String(v.year) : null, v.make, v.model);
    return h("li", {}, h("strong", { class: "plate" }, plate), h("span", {}, car),
      h("span", { class: "muted" }, joined(v.relationships.join(", "), v.description)));
  });
  return section("Vehicles", "vehicles", items.length, h("ul", { class: "plain-list" }, ...items));
}

export function agenciesSection(detail: Detail): HTMLElement | null {
  if (detail.agencies.length === 0) return null;
  const items = detail.agencies.map((a) =>
    h("li", {}, h("strong", {}, a.name ?? "Agency"), h("span", { class: "muted" },
      joined(a.owning ? "owning" : null, a.roles.join(", "), a.types.join(", ")))));
  return section("Agencies", "agencies", items.length, h("ul", { class: "plain-list" }, ...items));
}

function timelineItem(entry: TimelineEntry, nowMs: number): HTMLElement {
  return h("li", { class: `timeline-entry kind-${entry.kind.replace(/[^a-z0-9]+/gi, "-")}` },
    h("time", { datetime: entry.at }, formatClock(entry.at, nowMs)),
    h("span", { class: "timeline-what" }, describeTimelineEntry(entry)),
    h("span", { class: "timeline-actor muted" }, entry.actor));
}

export function timelineSection(detail: Detail, nowMs: number): HTMLElement {
  const entries = chronological(detail.timeline);
  const list = h("ol", { class: "timeline", "data-testid": "timeline" }, ...entries.map((e) => timelineItem(e, nowMs)));
  return h("section", { class: "detail-section section-timeline" },
    h("h3", {}, "Timeline", h("span", { class: "section-count" }, String(entries.length))), list);
}
