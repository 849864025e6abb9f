/**
 * Asks why a camera is being opened (incident, plate alert, or a proactive-monitoring note)
 * before any view starts; prefilled when opened from an incident or alert. The submit callback
 * opens the view and hands back the server's field problems (422) to show beside the fields.
 */

import { h, setText } from "../ui/dom";
import { checkReason, REASON_KINDS, REASON_WORDS, type ReasonDraft, type ReasonField, type ReasonProblems, type ViewReason } from "./reason";

/** null: done (the dialog closes); otherwise what to show, by field. */
export type ReasonSubmit = (reason: ViewReason) => Promise<ReasonProblems | null>;

export function openReasonDialog(cameraName: string, initial: Partial<ReasonDraft>, submit: ReasonSubmit): HTMLElement {
  const kind = h("select", { id: "reason-kind", "data-testid": "reason-kind" },
    ...REASON_KINDS.map((k) => h("option", { value: k }, REASON_WORDS[k])));
  kind.value = initial.kind ?? "incident";
  const ref = h("input", { type: "text", id: "reason-ref", "data-testid": "reason-ref", maxlength: 100, autocomplete: "off" });
  ref.value = initial.ref ?? "";
  const note = h("textarea", { id: "reason-note", "data-testid": "reason-note", rows: 2, maxlength: 500 });
  note.value = initial.note ?? "";
  const errors: Record<ReasonField, HTMLElement> = {
    kind: h("p", { class: "form-error", "data-testid": "reason-error-kind" }),
    ref: h("p", { class: "form-error", "data-testid": "reason-error-ref" }),
    note: h("p", { class: "form-error", "data-testid": "reason-error-note" }),
  };
  const refLabel = h("label", { for: "reason-ref" });
  const noteLabel = h("label", { for: "reason-note" });
  const relabel = (): void => {
    setText(refLabel, kind.value === "alert" ? "Plate alert" : kind.value === "incident" ? "Incident number" : "Reference (optional)");
    setText(noteLabel, kind.value === "proactive" ? "What you are monitoring, and why" : "Note (optional)");
  };
  kind.addEventListener("change", relabel);
  relabel();
  const open = h("button", { type: "submit", class: "primary", "data-testid": "reason-submit" }, "Open live view");
  const cancel = h("button", { type: "button", class: "ghost", "data-testid": "reason-cancel" }, "Cancel");
  const form = h("form", { class: "reason-form" },
    h("h2", {}, `Why are you opening ${cameraName}?`),
    h("p", { class: "muted" }, "Every live view is audited with its reason."),
    h("div", { class: "field" }, h("label", { for: "reason-kind" }, "Reason"), kind, errors.kind),
    h("div", { class: "field" }, refLabel, ref, errors.ref),
    h("div", { class: "field" }, noteLabel, note, errors.note),
    h("div", { class: "form-actions" }, cancel, open));
  const dialog = h("div", { class: "reason-dialog", role: "dialog", "aria-modal": "true", "aria-label": "Reason for viewing", "data-testid": "reason-dialog" },
    h("div", { class: "reason-card" }, form));
  const show = (problems: ReasonProblems): void => {
    for (const field of ["kind", "ref", "note"] as const) setText(errors[field], problems[field] ?? "");
    ref.setAttribute("aria-invalid", String(Boolean(problems.ref)));
    note.setAttribute("aria-invalid", String(Boolean(problems.note)));
  };
  const done = (): void => dialog.remove();
  cancel.addEventListener("click", done);
  dialog.addEventListener("keydown", (event) => {
    event.stopPropagation(); // letters are text here, not floor shortcuts
    if (event.key === "Escape") done();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const checked = checkReason({ kind: kind.value, ref: ref.value, note: note.value });
    if ("problems" in checked) return show(checked.problems);
    show({});
    open.disabled = true;
    void submit(checked.reason).then((problems) => {
      open.disabled = false;
      if (problems) show(problems);
      else done();
    });
  });
  document.body.append(dialog);
  (initial.ref ? (kind.value === "proactive" ? note : open) : kind.value === "proactive" ? note : ref).focus();
  return dialog;
}
