/** What the owner sees of their registration and of every request the police made. */

import { h } from "../ui/dom";
import { describeBearing } from "./camera-terms";
import { when, windowOf } from "./page";
import type { Choice, OwnerRequest, OwnerView, RegistrationOut, SiteStatus } from "./types";

export const STATUS_WORDS: Record<SiteStatus, string> = {
  pending: "Not confirmed yet",
  active: "Confirmed: the police can see where your cameras are",
  paused: "Paused: your cameras are hidden from the police until you resume",
};

export const REQUEST_STATUS_WORDS: Record<string, string> = {
  sent: "Waiting for your answer",
  opened: "Opened, not answered yet",
  uploaded: "You shared footage",
  declined: "You declined",
  expired: "Closed without an answer",
  withdrawn: "Withdrawn by the police",
};

/** The label for a value, or the value itself. */
export function labelOf(choices: Choice[], value: string): string {
  return choices.find((c) => c.value === value)?.label ?? value;
}

function row(term: string, value: string, testid?: string): HTMLElement[] {
  return [h("dt", {}, term), h("dd", testid ? { "data-testid": testid } : {}, value)];
}

function cameraItem(camera: RegistrationOut["cameras"][number], covers: Choice[]): HTMLElement {
  const parts = [
    `points ${describeBearing(camera.bearing).toLowerCase()}`,
    camera.fov_angle === null ? null : `sees about ${Math.round(camera.fov_angle)}° wide`,
    camera.range_m === null ? null : `about ${Math.round(camera.range_m)} m far`,
    `covers ${camera.covers.map((c) => labelOf(covers, c).toLowerCase()).join(", ")}`,
  ].filter((p): p is string => p !== null);
  return h("li", {}, h("strong", {}, camera.label), `: ${parts.join("; ")}.`);
}

/** The registration as a list of terms. */
export function registrationSummary(view: OwnerView, kinds: Choice[], covers: Choice[]): HTMLElement {
  const r = view.registration;
  return h("div", { class: "summary", "data-testid": "registration" },
    h("p", { class: `site-status status-${view.status}`, "data-testid": "site-status", "data-status": view.status }, STATUS_WORDS[view.status]),
    h("dl", { class: "terms-list" },
      ...row("Registered as", r.kind === "business" ? `Business: ${r.name ?? ""}` : "A home"),
      ...row("Contact person", r.contact_name, "contact-name"),
      ...row("E-mail", r.email),
      ...row("Phone", r.phone ?? "—"),
      ...row("Address", r.address, "site-address"),
      ...row("Pin", `${r.lat.toFixed(5)}, ${r.lon.toFixed(5)}`),
      ...row("Recordings kept", `${r.retention_days} days`, "retention"),
      ...row("Requests you accept", r.accepts.map((a) => labelOf(kinds, a)).join(", ")),
      ...row("When to contact you", r.contact_times ?? "Any time"),
      ...(view.link_expires_at ? row("Your private link works until", when(view.link_expires_at)) : [])),
    h("h3", {}, `Cameras (${r.cameras.length})`),
    h("ul", { class: "camera-list", "data-testid": "owner-cameras" }, ...r.cameras.map((c) => cameraItem(c, covers))));
}

/** Every request the police made for these cameras, newest first. */
export function requestsTable(requests: OwnerRequest[], kinds: Choice[]): HTMLElement {
  if (requests.length === 0) {
    return h("p", { "data-testid": "owner-requests" }, "The police have not asked you for any footage.");
  }
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Requests for footage" },
    h("table", { class: "requests", "data-testid": "owner-requests" },
      h("thead", {}, h("tr", {}, ...["Asked on", "About", "Time window", "Why", "Status"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...requests.map((q) => h("tr", {},
        h("td", {}, when(q.created_at)),
        h("td", {}, `${q.incident_type} (${labelOf(kinds, q.kind)})`),
        h("td", {}, windowOf(q.window_from, q.window_to)),
        h("td", {}, q.reason),
        h("td", {}, REQUEST_STATUS_WORDS[q.status] ?? q.status, q.answered_at ? ` (${when(q.answered_at)})` : ""))))));
}
