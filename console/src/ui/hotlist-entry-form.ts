/** A plate put on a local list by hand: plate, state, reason code, expiry and the documented reason, all checked by the server. */

import type { ManualEntryIn, ReasonCode } from "../api/types";
import { MAX_MANUAL_DAYS, REASON_CODES } from "../core/hotlist-status";
import { fromLocalInput, toLocalInput } from "../core/local-time";
import { words } from "../core/plates";
import { h, setText } from "./dom";

const DAY_MS = 86_400_000;

function field(label: string, input: HTMLElement, id: string): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), input);
}

/** The form; submit hands the body over and shows the answer (null = stored, else why not). */
export function manualEntryForm(listId: number, nowMs: number, submit: (body: ManualEntryIn) => Promise<string | null>): HTMLElement {
  const id = (name: string): string => `entry-${listId}-${name}`;
  const plate = h("input", { type: "text", id: id("plate"), "data-testid": "entry-plate", required: true, maxlength: 32, autocomplete: "off" });
  const state = h("input", { type: "text", id: id("state"), "data-testid": "entry-state", maxlength: 3, placeholder: "e.g. CA" });
  const reason = h("select", { id: id("reason-code"), "data-testid": "entry-reason-code" },
    ...REASON_CODES.map((code) => h("option", { value: code }, words(code))));
  reason.value = "bolo";
  const expires = h("input", { type: "datetime-local", id: id("expires"), "data-testid": "entry-expires", required: true,
    min: toLocalInput(nowMs), max: toLocalInput(nowMs + MAX_MANUAL_DAYS * DAY_MS) });
  expires.value = toLocalInput(nowMs + 7 * DAY_MS);
  const why = h("textarea", { id: id("reason"), "data-testid": "entry-reason", required: true, rows: 2, maxlength: 4000,
    placeholder: "Why the plate is listed (documented; required by law)" });
  const caseNumber = h("input", { type: "text", id: id("case"), "data-testid": "entry-case", maxlength: 100 });
  const error = h("p", { class: "form-error", role: "alert" });
  const button = h("button", { type: "submit", class: "primary", "data-testid": "entry-submit" }, "Add to list");
  const form = h("form", { class: "entry-form", "data-testid": "entry-form" },
    h("div", { class: "form-row" }, field("Plate", plate, id("plate")), field("State", state, id("state"))),
    h("div", { class: "form-row" }, field("Reason code", reason, id("reason-code")), field(`Expires (≤ ${MAX_MANUAL_DAYS} days)`, expires, id("expires"))),
    field("Reason", why, id("reason")), field("Case number", caseNumber, id("case")), error, h("div", { class: "form-actions" }, button));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const expiresAt = fromLocalInput(expires.value);
    if (!plate.value.trim() || !why.value.trim() || expiresAt === null) {
      setText(error, "Plate, expiry and the reason are required.");
      return;
    }
    button.disabled = true;
    const body: ManualEntryIn = { plate: plate.value.trim(), state: state.value.trim() || null, reason_code: reason.value as ReasonCode,
      reason: why.value.trim(), expires_at: expiresAt, case_number: caseNumber.value.trim() || null };
    void submit(body).then((problem) => {
      button.disabled = false;
      setText(error, problem ?? "");
      if (problem === null) for (const input of [plate, state, why, caseNumber]) input.value = "";
    });
  });
  return form;
}
