/** The public transparency numbers: aggregate counts only, nobody's details. */

import { h } from "../ui/dom";
import { type PublicApi } from "./http";
import { when } from "./page";
import type { Transparency } from "./types";

function figure(value: number, label: string): HTMLElement {
  return h("div", { class: "figure" }, h("dt", {}, label), h("dd", {}, value.toLocaleString()));
}

/** A section that fills itself with the current numbers (or says they are unavailable). */
export function transparencySection(api: PublicApi): HTMLElement {
  const body = h("div", { "data-testid": "transparency" }, h("p", {}, "Loading the numbers…"));
  const section = h("section", { class: "section", "aria-labelledby": "numbers" },
    h("h2", { id: "numbers" }, "The programme in numbers"), body);
  api.call<Transparency>("GET", "/transparency")
    .then((t) => {
      const months = t.months.length === 0 ? null : h("table", { class: "months" },
        h("caption", {}, "Requests by month"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Month"), h("th", { scope: "col" }, "Requests"), h("th", { scope: "col" }, "Answered"))),
        h("tbody", {}, ...t.months.map((m) => h("tr", {}, h("th", { scope: "row" }, m.month), h("td", {}, String(m.requests)), h("td", {}, String(m.answered))))));
      body.replaceChildren(
        h("dl", { class: "figures" },
          figure(t.registrations, "Registered homes and businesses"), figure(t.cameras, "Registered cameras"),
          figure(t.requests, "Requests for footage"), figure(t.answered, "Requests answered"),
          figure(t.uploaded, "Answered with footage"), figure(t.declined, "Declined")),
        ...(months ? [months] : []),
        h("p", { class: "hint" }, `As of ${when(t.as_of)}. Only totals are published; no one's details.`));
    })
    .catch(() => body.replaceChildren(h("p", {}, "The numbers are not available just now.")));
  return section;
}
