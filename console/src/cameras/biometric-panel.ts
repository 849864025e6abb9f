/**
 * The biometric-analytics switch: everyone sees whether face recognition and other biometric
 * analytics are kept off every video path; only admins may change it (with a reason), and not
 * where the agency's policy forbids enabling it.
 */

import { asApiError, describeError } from "../api/errors";
import { call } from "../api/loose";
import { h, replaceChildren, setText } from "../ui/dom";

export interface BiometricPolicy {
  blocked: boolean;
  forbiddenByPolicy: boolean;
  changedAt: string | null;
  changedBy: string | null;
}

export function readPolicy(body: unknown): BiometricPolicy {
  const f = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  return {
    blocked: f["biometrics_blocked"] !== false,
    forbiddenByPolicy: f["forbidden_by_policy"] === true,
    changedAt: typeof f["changed_at"] === "string" ? f["changed_at"] : null,
    changedBy: typeof f["changed_by"] === "string" ? f["changed_by"] : null,
  };
}

export class BiometricPanel {
  readonly element = h("div", { class: "biometric-panel", "data-testid": "biometric-panel" });
  private policy: BiometricPolicy | null = null;

  constructor(private readonly isAdmin: () => boolean) {}

  async load(): Promise<void> {
    try {
      this.policy = readPolicy(await call("GET", "/api/video/policy"));
      this.render(null);
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status === 404 || problem.status === 403 || problem.status === 401) {
        replaceChildren(this.element);
        return;
      }
      this.render(describeError(problem));
    }
  }

  private render(problem: string | null): void {
    const p = this.policy;
    if (!p) {
      replaceChildren(this.element, problem ? h("p", { class: "form-error" }, problem) : null);
      return;
    }
    const badge = h("span", { class: `biometric-badge ${p.blocked ? "is-blocked" : "is-allowed"}`, "data-testid": "biometric-badge" },
      `Biometric analytics: ${p.blocked ? "blocked" : "allowed"}`);
    const since = p.changedAt ? h("span", { class: "muted" }, ` since ${new Date(p.changedAt).toLocaleString()}${p.changedBy ? ` by ${p.changedBy}` : ""}`) : null;
    replaceChildren(this.element, h("p", {}, badge, since), this.isAdmin() ? this.switchForm(p) : null,
      problem ? h("p", { class: "form-error", "data-testid": "biometric-error" }, problem) : null);
  }

  private switchForm(p: BiometricPolicy): HTMLElement {
    const reason = h("input", { type: "text", "data-testid": "biometric-reason", maxlength: 500, placeholder: "Reason (audited)",
      "aria-label": "Reason for the change" });
    const target = !p.blocked;
    const button = h("button", { type: "submit", class: target ? "" : "danger", "data-testid": "biometric-toggle",
      disabled: !target && p.forbiddenByPolicy }, target ? "Block biometric analytics" : "Allow biometric analytics");
    const note = !target && p.forbiddenByPolicy ? h("p", { class: "muted" }, "The agency's policy forbids enabling biometric analytics.") : null;
    const error = h("p", { class: "form-error", "data-testid": "biometric-error" });
    const form = h("form", { class: "biometric-form" }, reason, button, note, error);
    form.addEventListener("keydown", (event) => event.stopPropagation());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!reason.value.trim()) return setText(error, "Give the reason for the change.");
      button.disabled = true;
      call("PUT", "/api/video/policy", { biometrics_blocked: target, reason: reason.value.trim() })
        .then((body) => {
          this.policy = readPolicy(body);
          this.render(null);
        }, (failure: unknown) => {
          button.disabled = false;
          setText(error, describeError(asApiError(failure)));
        });
    });
    return form;
  }
}
