/** Plate-hit precision per reader and per hotlist, worst first: where hits are mostly wrong shows at the top. */

import { asApiError, describeError } from "../api/errors";
import type { PrecisionOut, PrecisionRow } from "../api/types";
import { formatPrecision, precisionBand, worstFirst } from "../core/precision";
import { h, replaceChildren, setText } from "./dom";

const COLUMNS = ["Hits", "Confirmed", "Misread", "Entry not active", "No action", "Open", "Precision"];

function table(title: string, testId: string, rows: readonly PrecisionRow[], showKey: boolean): HTMLElement {
  const head = h("tr", {}, h("th", { scope: "col" }, title), ...COLUMNS.map((c) => h("th", { scope: "col", class: "num" }, c)));
  const body = worstFirst(rows).map((r) =>
    h("tr", { "data-testid": `${testId}-row`, "data-key": r.key, "data-band": precisionBand(r.precision) },
      h("th", { scope: "row" }, r.name, showKey && r.name !== r.key ? h("span", { class: "muted" }, ` ${r.key}`) : null),
      ...[r.hits, r.confirmed, r.misread, r.entry_not_active, r.no_action, r.open].map((n) => h("td", { class: "num" }, String(n))),
      h("td", { class: "num precision-cell" }, formatPrecision(r.precision))));
  const content = rows.length
    ? h("table", { class: "data-table", "data-testid": testId }, h("thead", {}, head), h("tbody", {}, ...body))
    : h("p", { class: "muted" }, "No hits yet.");
  return h("section", { class: "tool-section" }, h("h3", {}, title === "Reader" ? "Per reader" : "Per hotlist"), content);
}

export class PrecisionView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;

  constructor(private readonly load: () => Promise<PrecisionOut>) {
    this.body = h("div", { class: "tool-body" });
    this.status = h("p", { class: "muted tool-status", role: "status" });
    const refresh = h("button", { type: "button", class: "ghost small", "data-testid": "precision-refresh" }, "Refresh");
    refresh.addEventListener("click", () => void this.refresh());
    this.element = h("section", { class: "tool-panel", "data-testid": "precision-view", "aria-label": "Plate-hit precision" },
      h("header", { class: "panel-head" }, h("h2", {}, "Plate-hit precision"), refresh),
      h("p", { class: "muted tool-intro" }, "Confirmed hits out of all hits. Low precision points at a reader misreading or a list out of date."),
      this.status, this.body);
  }

  async refresh(): Promise<void> {
    setText(this.status, "Loading…");
    try {
      const data = await this.load();
      replaceChildren(this.body, table("Reader", "precision-readers", data.readers, true), table("Hotlist", "precision-hotlists", data.hotlists, false));
      setText(this.status, "");
    } catch (error) {
      setText(this.status, `Precision cannot be loaded: ${describeError(asApiError(error))}`);
    }
  }
}
