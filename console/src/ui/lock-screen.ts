/**
 * The idle lock: covers and hides everything (the app under it keeps its state), asks for the
 * password and a fresh TOTP code, and resumes the same session.
 */

import { api, unwrap } from "../api/client";
import { asApiError } from "../api/errors";
import type { UserOut } from "../api/types";
import { credentialErrorText, field, totpField, type Field } from "./credentials";
import { h, setText } from "./dom";

export type UnlockOutcome = { kind: "unlocked"; user: UserOut } | { kind: "logged-off" };

/** Errors that mean the session itself is gone: log on again. */
const SESSION_GONE = new Set(["not_authenticated", "session_expired"]);

export class LockScreen {
  readonly element: HTMLElement;
  private readonly who: HTMLElement;
  private readonly password: Field;
  private readonly totp: Field;
  private readonly error: HTMLElement;
  private readonly submit: HTMLButtonElement;
  private settle: ((outcome: UnlockOutcome) => void) | null = null;

  constructor() {
    this.password = field("unlock-password", "Password", { type: "password", autocomplete: "current-password" });
    this.totp = totpField("unlock-totp");
    this.error = h("p", { class: "form-error", "data-testid": "unlock-error", role: "alert" });
    this.submit = h("button", { type: "submit", class: "primary", "data-testid": "unlock-submit" }, "Unlock");
    this.who = h("p", { class: "lock-who" });
    const logoff = h("button", { type: "button", class: "ghost" }, "Log out instead");
    logoff.addEventListener("click", () => this.finish({ kind: "logged-off" }));
    const form = h("form", { class: "lock-form", novalidate: true }, this.password.row, this.totp.row, this.error,
      h("div", { class: "lock-actions" }, this.submit, logoff));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.unlock();
    });
    this.element = h("div", { class: "lock-screen", "data-testid": "lock-screen", role: "dialog", "aria-modal": "true",
      "aria-label": "Session locked", hidden: true },
      h("div", { class: "lock-card" }, h("h1", { class: "brand" }, "Watchfloor"), h("h2", {}, "Session locked"), this.who,
        h("p", { class: "muted" }, "The screen locked after inactivity. Enter your password and a new authenticator code to resume."),
        form));
  }

  get isShown(): boolean {
    return !this.element.hidden;
  }

  /** Show the lock; resolves when unlocked or when the operator (or the server) ends the session. */
  show(username: string): Promise<UnlockOutcome> {
    setText(this.who, username);
    setText(this.error, "");
    this.password.input.value = "";
    this.totp.input.value = "";
    this.element.hidden = false;
    this.password.input.focus();
    return new Promise((resolve) => {
      const previous = this.settle;
      this.settle = (outcome) => {
        previous?.(outcome);
        resolve(outcome);
      };
    });
  }

  private finish(outcome: UnlockOutcome): void {
    this.element.hidden = true;
    const settle = this.settle;
    this.settle = null;
    settle?.(outcome);
  }

  private async unlock(): Promise<void> {
    setText(this.error, "");
    if (!this.password.input.value || !this.totp.input.value.trim()) {
      setText(this.error, "Enter your password and authenticator code.");
      return;
    }
    this.submit.disabled = true;
    try {
      const user = await unwrap(api.POST("/api/auth/unlock", {
        body: { password: this.password.input.value, totp: this.totp.input.value.replace(/\s+/g, "") },
      }));
      this.finish({ kind: "unlocked", user });
    } catch (failure) {
      const problem = asApiError(failure);
      if (problem.status === 401 && SESSION_GONE.has(problem.code)) this.finish({ kind: "logged-off" });
      else {
        setText(this.error, credentialErrorText(problem));
        this.totp.input.value = "";
        this.password.input.focus();
      }
    } finally {
      this.submit.disabled = false;
    }
  }
}
