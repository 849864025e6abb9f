/**
 * /community/owner: the owner's private page. The e-mailed link's token (in the fragment) is
 * exchanged for a short session cookie, then the owner sees, edits, pauses, resumes or deletes
 * the registration and every request made of it.
 */

import { ApiError } from "../api/errors";
import { h } from "../ui/dom";
import { takeFragmentToken, tokenFromFragment } from "./fragment";
import { messageOf, PublicApi } from "./http";
import { linkForm } from "./link-form";
import { registrationSummary, requestsTable } from "./owner-view";
import { PublicPage, when } from "./page";
import { RegistrationForm } from "./registration-form";
import type { DeletionReceipt, OwnerView, PublicStart, RegistrationIn } from "./types";

const page = new PublicPage("Your registration", "Change, pause or delete your registration, and see every request the police made.");
const api = new PublicApi();

function noSession(error: unknown): void {
  const reason = error instanceof ApiError && error.status === 410
    ? "This link has expired or has already been used."
    : error instanceof ApiError && error.status < 500 && error.status > 0
      ? "This link is not valid, or your visit has timed out."
      : messageOf(error);
  page.say(reason, "problem");
  page.show(h("section", { class: "section", "data-testid": "no-session" },
    h("h2", {}, "We cannot open your registration"),
    h("p", {}, `${reason} Private links work for a limited time, and only the newest one works. Ask for a new link below; it is sent to the e-mail address you registered.`)),
  linkForm(api, (text, tone) => page.say(text, tone)));
}

class OwnerPage {
  constructor(private readonly start: PublicStart, private view: OwnerView) {}

  render(): void {
    const paused = this.view.status === "paused";
    const actions = h("div", { class: "actions" },
      this.button("Change details", "edit", () => this.edit()),
      paused ? this.button("Resume", "resume", () => this.act("/owner/resume", "Resumed: the police can see your cameras again."))
        : this.button("Pause", "pause", () => this.act("/owner/pause", "Paused: your cameras are hidden from the police.")),
      this.button("Delete registration", "delete", () => this.confirmDelete(), "danger"),
      this.button("Log out", "logout", () => void this.logout(), "secondary"));
    page.show(
      h("section", { class: "section" }, h("h2", {}, "Your registration"),
        registrationSummary(this.view, this.start.request_kinds, this.start.covers), actions),
      h("section", { class: "section" }, h("h2", {}, "Requests from the police"),
        requestsTable(this.view.requests, this.start.request_kinds)));
  }

  private button(text: string, id: string, run: () => void, tone = "primary"): HTMLButtonElement {
    const button = h("button", { type: "button", class: tone, "data-testid": `owner-${id}` }, text);
    button.addEventListener("click", run);
    return button;
  }

  private act(path: string, done: string): void {
    api.call<OwnerView>("POST", path)
      .then((view) => { this.view = view; this.render(); page.say(done, "ok"); })
      .catch((error: unknown) => this.failed(error));
  }

  private failed(error: unknown): void {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) noSession(error);
    else page.say(messageOf(error), "problem");
  }

  private edit(): void {
    const cancel = this.button("Cancel", "cancel", () => this.render(), "secondary");
    const form = new RegistrationForm({
      start: this.start, api, initial: this.view.registration, submitLabel: "Save changes",
      onSubmit: async (body: RegistrationIn) => {
        const { consent: _consent, ...update } = body;
        const before = this.view.registration.email;
        this.view = await api.call<OwnerView>("PUT", "/owner", { json: update });
        this.render();
        page.say(update.email === before ? "Your changes are saved."
          : "Your changes are saved. We sent a new private link to your new e-mail address; this one no longer works.", "ok");
      },
    });
    page.show(h("section", { class: "section" }, h("h2", {}, "Change your registration"), form.element, cancel));
    void form.mount();
  }

  private confirmDelete(): void {
    const yes = this.button("Yes, delete everything", "delete-confirm", () => void this.delete(), "danger");
    const no = this.button("No, keep it", "delete-cancel", () => this.render(), "secondary");
    const panel = h("section", { class: "section confirm", role: "alertdialog", "aria-labelledby": "del-h", "aria-describedby": "del-p", tabindex: "-1" },
      h("h2", { id: "del-h" }, "Delete your registration?"),
      h("p", { id: "del-p" }, "Your contact details, address and cameras are deleted for good. Requests the police already made stay on their record, without your details. You get a receipt."),
      h("div", { class: "actions" }, yes, no));
    page.show(panel);
    no.focus();
  }

  private async delete(): Promise<void> {
    try {
      const receipt = await api.call<DeletionReceipt>("DELETE", "/owner");
      page.say("Your registration is deleted.", "ok");
      page.show(h("section", { class: "section done", "data-testid": "deleted" },
        h("h2", {}, "Deleted"),
        h("p", {}, `Your registration was deleted on ${when(receipt.deleted_at)}. We also e-mailed you this receipt.`),
        h("p", {}, "Receipt (proof of deletion in the audit record): ", h("code", { class: "receipt", "data-testid": "receipt" }, receipt.receipt)),
        h("p", {}, h("a", { href: "/community/" }, "Register again"))));
    } catch (error) {
      this.failed(error);
    }
  }

  private async logout(): Promise<void> {
    await api.call("POST", "/owner/logout").catch(() => null);
    page.say("You are logged out.", "ok");
    page.show(h("p", {}, "You are logged out. Use the link in your e-mail to come back."));
  }
}

async function main(): Promise<void> {
  const token = takeFragmentToken(location, history);
  let start: PublicStart;
  try {
    start = await api.start();
  } catch (error) {
    page.say(messageOf(error), "problem");
    return;
  }
  page.say("Opening your registration…");
  try {
    const view = token === null
      ? await api.call<OwnerView>("GET", "/owner")
      : await api.call<OwnerView>("POST", "/owner/session", { json: { token } });
    page.say(token === null ? "" : "Your registration is open.", "ok");
    new OwnerPage(start, view).render();
  } catch (error) {
    noSession(error);
  }
}

// Opening another e-mailed link in this tab changes only the fragment: start over with it.
window.addEventListener("hashchange", () => {
  if (tokenFromFragment(location.hash) !== null) location.reload();
});
void main();
