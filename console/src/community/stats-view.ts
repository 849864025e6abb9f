/**
 * The supervisor's "Community requests" tab (`o`): footage requests in a period (GET
 * /api/community/stats) — sent, opened, uploaded, declined, expired, withdrawn, judged useful or
 * not, the answer rate and the median time to an answer. Counts only, nobody named.
 */

import { asApiError, describeError } from "../api/errors";
import { call } from "../api/loose";
import { h, replaceChildren, setText } from "../ui/dom";
import { hoursText, rateText, readStats, type RequestStats } from "./community-model";

export const PERIODS: ReadonlyArray<readonly [number, string]> = [[7, "Last 7 days"], [30, "Last 30 days"], [90, "Last 90 days"],
  [365, "Last 12 months"]];

/** The figures as rows of [label, value, test id]. */
export function statRows(s: RequestStats): Array<[string, string, string]> {
  return [
    ["Requests sent", String(s.sent), "sent"],
    ["Opened by the owner", String(s.opened), "opened"],
    ["Footage uploaded", String(s.uploaded), "uploaded"],
    ["Declined", String(s.declined), "declined"],
    ["Expired unanswered", String(s.expired), "expired"],
    ["Withdrawn", String(s.withdrawn), "withdrawn"],
    ["Judged useful", String(s.useful), "useful"],
    ["Judged not useful", String(s.notUseful), "not-useful"],
    ["Answer rate", rateText(s.answerRate), "answer-rate"],
    ["Median time to answer", hoursText(s.medianHoursToAnswer), "median"],
  ];
}

/** The period's bounds for the query: `days` back from now. */
export function periodQuery(days: number, nowMs: number): { since: string; until: string } {
  return { since: new Date(nowMs - days * 86_400_000).toISOString(), until: new Date(nowMs).toISOString() };
}

export class CommunityStatsView {
  readonly element: HTMLElement;
  private readonly period = h("select", { "data-testid": "community-stats-period", "aria-label": "Period" },
    ...PERIODS.map(([days, label]) => h("option", { value: String(days), selected: days === 30 }, label)));
  private readonly body = h("div", { class: "tool-body" });
  private readonly status = h("p", { class: "muted tool-status", role: "status" });

  constructor(private readonly nowMs: () => number) {
    const refresh = h("button", { type: "button", class: "ghost small", "data-testid": "community-stats-refresh" }, "Refresh");
    refresh.addEventListener("click", () => void this.refresh());
    this.period.addEventListener("change", () => void this.refresh());
    this.element = h("section", { class: "tool-panel community-stats", "data-testid": "community-stats", "aria-label": "Community requests" },
      h("header", { class: "panel-head" }, h("h2", {}, "Community requests"), this.period, refresh),
      h("p", { class: "muted tool-intro" }, "Footage requests to registered community cameras: how many were answered, and how many helped."),
      this.status, this.body);
  }

  async refresh(): Promise<void> {
    setText(this.status, "Loading…");
    try {
      const stats = readStats(await call("GET", "/api/community/stats", undefined, periodQuery(Number(this.period.value), this.nowMs())));
      if (!stats) throw new Error("unreadable");
      const rows = statRows(stats).map(([label, value, id]) =>
        h("tr", {}, h("th", { scope: "row" }, label), h("td", { class: "num", "data-testid": `community-stat-${id}` }, value)));
      replaceChildren(this.body, h("table", { class: "data-table" }, h("tbody", {}, ...rows)));
      setText(this.status, "");
    } catch (error) {
      const failure = asApiError(error);
      setText(this.status, failure.status === 403 ? "Only supervisors see these figures." : `Figures cannot be loaded: ${describeError(failure)}`);
    }
  }
}
