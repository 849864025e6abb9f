/** The floor's left column: the call queue and, on tabs beside it, alerts, plate alerts, search, hotlists, precision, cameras, video, units and (supervisors) community requests. */

import { h, setAttr, setText } from "./dom";

export const SIDE_TABS = ["queue", "desk", "alerts", "search", "hotlists", "precision", "cameras", "video", "units", "community"] as const;
export type SideTab = (typeof SIDE_TABS)[number];

const TITLES: Record<SideTab, [string, string]> = {
  queue: ["Queue", "q"],
  desk: ["Alerts", "g"],
  alerts: ["Plate alerts", "a"],
  search: ["Search", "s"],
  hotlists: ["Hotlists", "h"],
  precision: ["Precision", "p"],
  cameras: ["Cameras", "e"],
  video: ["Video", "v"],
  units: ["Units", "u"],
  community: ["Community", "o"],
};

export class SidePanel {
  readonly element: HTMLElement;
  private readonly buttons = new Map<SideTab, HTMLButtonElement>();
  private readonly panels: Record<SideTab, HTMLElement>;
  private readonly alertCount = h("span", { class: "tab-count", "data-testid": "alerts-tab-count" });
  private readonly deskCount = h("span", { class: "tab-count", "data-testid": "desk-tab-count" });
  private tab: SideTab = "queue";

  constructor(panels: Record<SideTab, HTMLElement>, private readonly onShow: (tab: SideTab) => void) {
    this.panels = panels;
    const bar = h("div", { class: "side-tabs", role: "tablist", "aria-label": "Floor views" });
    for (const tab of SIDE_TABS) {
      const [title, key] = TITLES[tab];
      const button = h("button", { type: "button", role: "tab", class: "side-tab", id: `tab-${tab}`, "data-testid": `tab-${tab}`,
        "aria-controls": `panel-${tab}`, title: `${title} (${key})` }, title,
        tab === "alerts" ? this.alertCount : tab === "desk" ? this.deskCount : null);
      button.addEventListener("click", () => this.show(tab));
      this.buttons.set(tab, button);
      bar.append(button);
      panels[tab].id = `panel-${tab}`;
      panels[tab].setAttribute("role", "tabpanel");
      panels[tab].setAttribute("aria-labelledby", `tab-${tab}`);
    }
    this.element = h("div", { class: "side-panel", "data-testid": "side-panel" }, bar, ...SIDE_TABS.map((t) => panels[t]));
    this.apply();
  }

  get current(): SideTab {
    return this.tab;
  }

  show(tab: SideTab): void {
    this.tab = tab;
    this.apply();
    this.onShow(tab);
  }

  /** Offer a tab or not (some are for supervisors only); a hidden tab on show gives way to the queue. */
  setAvailable(tab: SideTab, available: boolean): void {
    const button = this.buttons.get(tab);
    if (button) button.hidden = !available;
    if (!available && this.tab === tab) this.show("queue");
  }

  /** Is the tab offered? */
  isAvailable(tab: SideTab): boolean {
    return this.buttons.get(tab)?.hidden !== true;
  }

  /** The open plate alerts on the tab, marked while any of them is high severity. */
  setAlertCount(open: number, high: number): void {
    setText(this.alertCount, open ? String(open) : "");
    setAttr(this.alertCount, "data-high", String(high > 0));
  }

  /** The alert desk's open alerts on its tab, marked while any of them is Priority 1. */
  setDeskCount(open: number, p1: number): void {
    setText(this.deskCount, open ? String(open) : "");
    setAttr(this.deskCount, "data-high", String(p1 > 0));
  }

  private apply(): void {
    setAttr(this.element, "data-tab", this.tab);
    for (const tab of SIDE_TABS) {
      this.panels[tab].hidden = tab !== this.tab;
      this.buttons.get(tab)?.setAttribute("aria-selected", String(tab === this.tab));
    }
  }
}
