/**
 * The context packet on the open incident, shown without a click: read when the detail opens
 * (GET /api/incidents/{id}/context), replaced by every live `context` message for the incident.
 * CAD cautions first and prominent, then the cameras that can see it (the cameras' own section,
 * fed from the packet), nearest units, attached alerts, gunshots, premises, prior incidents,
 * plate activity and community cameras; an empty section says so in a few words.
 */

import { asApiError, describeError } from "../api/errors";
import { call, route } from "../api/loose";
import type { IncidentDetail } from "../api/types";
import { formatClock } from "../core/age";
import type { ContextMessage } from "../live/messages";
import { h, replaceChildren } from "../ui/dom";
import { KIND_MARKS, type AlertKind } from "../alerts/alert-model";
import {
  cautionsInOrder, distanceText, EMPTY_TEXT, isEmpty, plateSummary, premisesInOrder, priorSummary, readPacket, unitLine,
  type CommunityCamera, type ContextPacket, type SectionName,
} from "./packet";
import type { Sighting } from "../cameras/seeing-section";

export interface ContextHooks {
  /** The "cameras that can see this" section for the incident (filled from the packet). */
  camerasSection(detail: IncidentDetail): HTMLElement | null;
  camerasFound(sightings: readonly Sighting[]): void;
  /** No packet to be had: the cameras section asks on its own. */
  camerasDirect(): void;
  /** An attached alert was clicked. */
  openAlert(alertId: string): void;
  /** The registered community cameras section for the incident (filled from the packet); absent: a plain list. */
  communitySection?(detail: IncidentDetail): HTMLElement;
  communityFound?(cameras: readonly CommunityCamera[]): void;
}

function part(name: SectionName, title: string, count: number | null, body: Node | null, packet: ContextPacket): HTMLElement {
  const empty = isEmpty(packet, name);
  return h("div", { class: `ctx-part ctx-${name}${empty ? " is-empty" : ""}`, "data-testid": `ctx-${name}` },
    h("h4", {}, title, count !== null && !empty ? h("span", { class: "section-count" }, String(count)) : null),
    empty || !body ? h("p", { class: "muted ctx-empty" }, EMPTY_TEXT[name]) : body);
}

const list = (items: HTMLElement[]): HTMLElement => h("ul", { class: "plain-list ctx-list" }, ...items);

export class ContextPanel {
  private incidentId: string | null = null;
  private packet: ContextPacket | null = null;
  private token = 0;
  private readonly root = h("section", { class: "detail-section section-context", "data-testid": "context-packet", "aria-label": "Context" });
  private readonly body = h("div", { class: "ctx-body" });
  private readonly stamp = h("span", { class: "muted ctx-stamp", "data-testid": "context-stamp" });
  private cameras: HTMLElement | null = null;
  private communityPart: HTMLElement | null = null;
  private status: HTMLElement | null = h("p", { class: "muted" }, "Assembling the context…");

  constructor(private readonly hooks: ContextHooks) {
    this.root.append(h("h3", {}, "Context", this.stamp), this.body);
  }

  get openIncident(): string | null {
    return this.incidentId;
  }

  /** The section for the open incident (the same element while it stays open). */
  forIncident(detail: IncidentDetail): HTMLElement {
    const id = detail.incident.id;
    this.communityPart = this.hooks.communitySection?.(detail) ?? null;
    if (id !== this.incidentId) {
      this.incidentId = id;
      this.packet = null;
      this.status = h("p", { class: "muted" }, "Assembling the context…");
      this.cameras = this.hooks.camerasSection(detail);
      void this.load();
    } else {
      const cameras = this.hooks.camerasSection(detail);
      if (cameras !== this.cameras && this.packet) this.hooks.camerasFound(this.packet.cameras); // the place moved: a fresh section
      this.cameras = cameras;
    }
    this.render();
    return this.root;
  }

  /** The detail closed. */
  forget(): void {
    this.incidentId = null;
    this.packet = null;
    this.token += 1;
  }

  /** A live `context` message: the packet for its subject, as assembled now. */
  onLive(message: ContextMessage): void {
    if (message.subject.type !== "incident" || message.subject.id !== this.incidentId) return;
    const packet = readPacket(message.packet);
    if (packet) this.show(packet);
  }

  /** Read the packet again (after a resync). */
  async load(): Promise<void> {
    const id = this.incidentId;
    if (id === null) return;
    const token = ++this.token;
    try {
      const packet = readPacket(await call("GET", route("/api/incidents", id, "context")));
      if (token !== this.token || id !== this.incidentId) return;
      if (packet) this.show(packet);
    } catch (error) {
      if (token !== this.token || id !== this.incidentId) return;
      const problem = asApiError(error);
      if (problem.status === 401) return;
      if (this.packet) return; // keep what we have; the next live message brings it up to date
      this.status = h("p", { class: "muted", "data-testid": "context-problem" },
        problem.status === 403 ? "Your role cannot see the context packet." : `No context packet: ${describeError(problem)}`);
      this.hooks.camerasDirect();
      this.render();
    }
  }

  private show(packet: ContextPacket): void {
    this.packet = packet;
    this.status = null;
    this.hooks.camerasFound(packet.cameras);
    this.hooks.communityFound?.(packet.community_cameras);
    this.render();
  }

  private render(): void {
    const packet = this.packet;
    const now = Date.now();
    replaceChildren(this.stamp, packet?.assembled_at ? ` assembled ${formatClock(packet.assembled_at, now)}` : "");
    // A form kept across packets (the community request) must not lose the operator's caret.
    const focused = document.activeElement instanceof HTMLElement && this.body.contains(document.activeElement) ? document.activeElement : null;
    if (!packet) replaceChildren(this.body, this.cameras, this.status, this.communityPart);
    else {
      replaceChildren(this.body, this.cautions(packet), this.cameras, this.units(packet), this.alerts(packet, now),
        this.gunshots(packet, now), this.premises(packet), this.prior(packet, now), this.plates(packet, now),
        this.communityPart ?? this.community(packet));
    }
    if (focused?.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
  }

  private cautions(packet: ContextPacket): HTMLElement {
    const items = cautionsInOrder(packet.cautions).map((c) =>
      h("li", { class: `caution severity-${(c.severity ?? "").toLowerCase()}` },
        h("strong", {}, c.kind_text || c.kind), h("span", { class: "muted" }, [c.severity, c.source].filter(Boolean).join(" · "))));
    return part("cautions", "CAD cautions", items.length, h("ul", { class: "caution-list ctx-caution-list" }, ...items), packet);
  }

  private units(packet: ContextPacket): HTMLElement {
    const items = packet.units.map((u) =>
      h("li", { class: `ctx-unit${u.stale ? " is-stale" : ""}`, "data-testid": "ctx-unit", "data-code": u.code },
        h("strong", {}, u.name), h("span", { class: "muted" }, ` ${u.code === u.name ? "" : u.code} `),
        h("span", { class: "ctx-unit-line" }, unitLine(u, this.incidentId))));
    return part("units", "Nearest units", items.length, list(items), packet);
  }

  private alerts(packet: ContextPacket, now: number): HTMLElement {
    const items = packet.alerts.map((a) => {
      const mark = KIND_MARKS[a.kind as AlertKind];
      const item = h("li", { class: "ctx-alert", "data-testid": "ctx-alert", "data-alert-id": a.alert_id },
        h("span", { class: `kind-icon kind-${a.kind}`, "aria-hidden": "true" }, mark?.icon ?? "•"),
        h("strong", {}, a.title), h("span", { class: "muted" }, ` ${[mark?.label ?? a.kind, a.status, formatClock(a.occurred_at, now)].join(" · ")}`));
      item.addEventListener("click", () => this.hooks.openAlert(a.alert_id));
      return item;
    });
    return part("alerts", "Alerts attached", items.length, list(items), packet);
  }

  private gunshots(packet: ContextPacket, now: number): HTMLElement {
    const items = packet.gunshots.map((g) =>
      h("li", { class: "ctx-gunshot" }, h("strong", {}, formatClock(g.occurred_at, now)),
        h("span", {}, ` ${[g.rounds !== null ? `${g.rounds} round${g.rounds === 1 ? "" : "s"}` : null, g.type, distanceText(g.distance_m)]
          .filter(Boolean).join(" · ")}`)));
    return part("gunshots", "Gunshots nearby", items.length, list(items), packet);
  }

  private premises(packet: ContextPacket): HTMLElement {
    const items = premisesInOrder(packet.premises).map((p) =>
      h("li", { class: `ctx-premise${p.hazards.length ? " has-hazards" : ""}` },
        h("strong", {}, p.address ?? "Premise"), h("span", { class: "muted" }, ` ${distanceText(p.distance_m)}`),
        p.hazards.length ? h("span", { class: "ctx-hazards" }, ...p.hazards.map((z) => h("span", { class: "hazard-chip" }, z))) : null,
        p.notes ? h("p", { class: "ctx-notes" }, p.notes) : null,
        p.floor_plans.length ? h("span", { class: "ctx-plans" }, ...p.floor_plans.map((f) =>
          h("a", { href: route("/api/premises", p.id, "floor-plans", f.id), target: "_blank", rel: "noopener" }, f.name))) : null));
    return part("premises", "Premises", items.length, list(items), packet);
  }

  private prior(packet: ContextPacket, now: number): HTMLElement {
    const { line, byType } = priorSummary(packet.prior_incidents);
    const types = byType.map((t) => h("span", { class: "ctx-type-count" }, `${t.type_text || t.type_code} ×${t.count}`));
    const recent = packet.prior_incidents.recent.slice(0, 5).map((r) =>
      h("li", {}, h("span", {}, formatClock(r.received_at, now)), h("strong", {}, ` ${r.type_text || r.type_code}`),
        h("span", { class: "muted" }, ` ${[r.priority !== null ? `P${r.priority}` : null, r.address, distanceText(r.distance_m)].filter(Boolean).join(" · ")}`)));
    const body = h("div", {}, h("p", { "data-testid": "ctx-prior-line" }, line), h("p", { class: "ctx-types" }, ...types), list(recent));
    return part("prior", "Prior incidents (12 months)", packet.prior_incidents.nearby, body, packet);
  }

  private plates(packet: ContextPacket, now: number): HTMLElement {
    const { line, readers } = plateSummary(packet.plate_activity);
    const readerItems = readers.map((r) => h("li", {}, h("strong", {}, r.name ?? r.code),
      h("span", { class: "muted" }, ` ${r.code} · ${r.reads} read${r.reads === 1 ? "" : "s"} · ${distanceText(r.distance_m)}`)));
    const hits = packet.plate_activity.hits.map((x) => h("li", { class: "ctx-hit" }, h("strong", { class: "plate" }, x.plate),
      h("span", {}, ` ${[x.reason_code.replace(/_/g, " "), x.status, x.reader_code, formatClock(x.read_at, now)].filter(Boolean).join(" · ")}`)));
    const body = h("div", {}, h("p", {}, line), hits.length ? list(hits) : null, list(readerItems));
    return part("plates", "Plate activity (30 min)", packet.plate_activity.reads, body, packet);
  }

  private community(packet: ContextPacket): HTMLElement {
    const items = packet.community_cameras.map((c) => h("li", {}, h("strong", {}, c.name),
      h("span", { class: "muted" }, ` ${[distanceText(c.distance_m), c.retention_days !== null ? `keeps ${c.retention_days} days` : null,
        c.covers.length ? `covers ${c.covers.join(", ")}` : null].filter(Boolean).join(" · ")}`)));
    return part("community", "Community cameras", items.length, list(items), packet);
  }
}
