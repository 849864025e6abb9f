/**
 * The operator's check before anyone acts on a plate alert: the plate in the image matches, the
 * entry is still active (confirmed with its source, and how); then a disposition. Confirmed stays
 * disabled until the alert is actionable; after confirming, what came of it.
 */

import type { AlertDetail, AlertOutcome, Disposition, VerificationIn } from "../api/types";
import { formatClock } from "../core/age";
import { words } from "../core/plates";
import { h } from "./dom";

export interface ReviewActions {
  verify(body: VerificationIn): Promise<void>;
  dispose(disposition: Disposition): Promise<void>;
  outcome(outcome: AlertOutcome, caseNumber: string | null, note: string | null): Promise<void>;
}

const OUTCOMES: ReadonlyArray<[AlertOutcome, string]> = [
  ["stop_made", "Stop made"],
  ["vehicle_recovered", "Vehicle recovered"],
  ["arrest", "Arrest"],
  ["none", "None"],
];

const optional = (value: string): string | null => (value.trim() === "" ? null : value.trim());

function checkbox(id: string, testId: string, label: string, checked: boolean): [HTMLInputElement, HTMLElement] {
  const box = h("input", { type: "checkbox", id, "data-testid": testId });
  box.checked = checked;
  return [box, h("label", { class: "check-row", for: id }, box, h("span", {}, label))];
}

/** Wrap a submit so its buttons are disabled while it runs (no double posts). */
function guarded(buttons: HTMLButtonElement[], run: () => Promise<void>): () => void {
  return () => {
    if (buttons.some((b) => b.dataset["busy"] === "1")) return;
    for (const b of buttons) b.dataset["busy"] = "1";
    void run().finally(() => {
      for (const b of buttons) delete b.dataset["busy"];
    });
  };
}

function verifiedLine(d: AlertDetail, nowMs: number): HTMLElement | null {
  if (!d.verified_by) return null;
  const plate = d.plate_matches_image ? "plate matches the image" : "plate does NOT match the image";
  const entry = d.entry_confirmed_active ? `entry active (${d.confirmed_with ?? "confirmed"})` : "entry NOT confirmed active";
  return h("p", { class: "verified-line", "data-testid": "verified-line" },
    `Checked by ${d.verified_by}${d.verified_at ? ` at ${formatClock(d.verified_at, nowMs)}` : ""}: ${plate}; ${entry}.`);
}

function verificationForm(d: AlertDetail, actions: ReviewActions): HTMLElement {
  const [plate, plateRow] = checkbox("verify-plate", "verify-plate", `The plate in the image is ${d.plate_read}`, d.plate_matches_image === true);
  const [active, activeRow] = checkbox("verify-active", "verify-active", "The entry is still active — confirmed with the source", d.entry_confirmed_active === true);
  const how = h("input", { type: "text", id: "verify-how", "data-testid": "verify-confirmed-with", maxlength: 200,
    placeholder: "How confirmed, e.g. NCIC QV message ref" });
  how.value = d.confirmed_with ?? "";
  const note = h("input", { type: "text", id: "verify-note", "data-testid": "verify-note", maxlength: 2000, placeholder: "Note (optional)" });
  const submit = h("button", { type: "submit", class: "primary", "data-testid": "verify-submit" }, "Record check");
  const syncHow = (): void => {
    how.required = active.checked;
    how.disabled = !active.checked;
  };
  active.addEventListener("change", syncHow);
  syncHow();
  const form = h("form", { class: "review-form", "data-testid": "verify-form" }, plateRow, activeRow,
    h("div", { class: "field" }, h("label", { for: "verify-how" }, "How the entry was confirmed"), how),
    h("div", { class: "field" }, h("label", { for: "verify-note" }, "Note"), note), h("div", { class: "form-actions" }, submit));
  const run = guarded([submit], () => actions.verify({ plate_matches_image: plate.checked, entry_confirmed_active: active.checked,
    confirmed_with: active.checked ? optional(how.value) : null, note: optional(note.value) }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  return form;
}

function dispositionBar(d: AlertDetail, actions: ReviewActions): HTMLElement {
  const actionable = d.status === "actionable";
  const confirm = h("button", { type: "button", class: "primary", "data-testid": "dispose-confirmed", disabled: !actionable,
    title: actionable ? "Confirm the hit: it may be acted on" : "Check the image and confirm the entry with its source first" }, "Confirmed");
  const others: Array<[Disposition, string]> = [["misread", "Misread"], ["entry_not_active", "Entry not active"], ["no_action", "No action"]];
  const buttons = [confirm, ...others.map(([value, label]) => h("button", { type: "button", "data-testid": `dispose-${value}`, "data-value": value }, label))];
  for (const button of buttons) {
    const value = (button.dataset["value"] ?? "confirmed") as Disposition;
    button.addEventListener("click", guarded(buttons, () => actions.dispose(value)));
  }
  const hint = actionable ? null : h("p", { class: "muted review-hint" }, "Confirmed is available once both checks are recorded.");
  return h("div", { class: "disposition-bar" }, h("div", { class: "disposition-buttons" }, ...buttons), hint);
}

function outcomeForm(actions: ReviewActions): HTMLElement {
  const select = h("select", { id: "outcome-kind", "data-testid": "outcome-kind" },
    ...OUTCOMES.map(([value, label]) => h("option", { value }, label)));
  const caseNumber = h("input", { type: "text", id: "outcome-case", "data-testid": "outcome-case", maxlength: 100 });
  const note = h("input", { type: "text", id: "outcome-note", maxlength: 2000 });
  const submit = h("button", { type: "submit", class: "primary", "data-testid": "outcome-submit" }, "Record outcome");
  const form = h("form", { class: "review-form", "data-testid": "outcome-form" },
    h("div", { class: "field" }, h("label", { for: "outcome-kind" }, "What came of it"), select),
    h("div", { class: "field" }, h("label", { for: "outcome-case" }, "Case number"), caseNumber),
    h("div", { class: "field" }, h("label", { for: "outcome-note" }, "Note"), note), h("div", { class: "form-actions" }, submit));
  const run = guarded([submit], () => actions.outcome(select.value as AlertOutcome, optional(caseNumber.value), optional(note.value)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  return form;
}

function closedLine(d: AlertDetail, nowMs: number): HTMLElement {
  const by = d.disposition_by ? ` by ${d.disposition_by}` : "";
  const at = d.disposition_at ? ` at ${formatClock(d.disposition_at, nowMs)}` : "";
  const outcome = d.outcome ? ` Outcome: ${words(d.outcome)}${d.case_number ? `, case ${d.case_number}` : ""}.` : "";
  return h("p", { class: "closed-line", "data-testid": "closed-line" }, `Closed as ${words(d.disposition)}${by}${at}.${outcome}`);
}

/** Verification, disposition and outcome, as fits where the alert is. */
export function reviewSection(d: AlertDetail, actions: ReviewActions, nowMs: number): HTMLElement {
  const parts: Array<HTMLElement | null> = [verifiedLine(d, nowMs)];
  if (d.status !== "closed") parts.push(verificationForm(d, actions), dispositionBar(d, actions));
  else parts.push(closedLine(d, nowMs));
  if (d.disposition === "confirmed" && !d.outcome) parts.push(outcomeForm(actions));
  return h("section", { class: "detail-section section-review", "data-testid": "alert-review" }, h("h3", {}, "Check before acting"), ...parts);
}
