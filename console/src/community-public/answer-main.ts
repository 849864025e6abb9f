/**
 * /community/answer: one footage request. The e-mailed link's token (fragment, kept for this tab
 * only) goes in the X-Upload-Token header. The owner reads what is asked and why, then shares
 * files and finishes, or declines, freely.
 */

import { ApiError } from "../api/errors";
import { h } from "../ui/dom";
import { closedMessage } from "./answer-logic";
import { FileUploads, transportFor } from "./answer-files";
import { answerToken, tokenFromFragment } from "./fragment";
import { messageOf, PublicApi, UPLOAD_TOKEN_HEADER } from "./http";
import { PublicPage, when, windowOf } from "./page";
import type { AnswerView } from "./types";

const TAB_KEY = "wfc_answer";
const page = new PublicPage("A request for footage", "The police are asking whether your cameras recorded something. Sharing is your choice.");
const api = new PublicApi();

function unusable(error: unknown): void {
  const reason = error instanceof ApiError && error.code === "no_token"
    ? error.message
    : error instanceof ApiError && error.status === 410
    ? "This link has expired or has already been used. Nothing more is needed from you."
    : error instanceof ApiError && error.status === 404
      ? "This link is not valid. Please use the newest link from the e-mail we sent you."
      : messageOf(error);
  page.say(reason, "problem");
  page.show(h("section", { class: "section", "data-testid": "link-unusable" }, h("h2", {}, "This link cannot be used"), h("p", {}, reason)));
}

function details(view: AnswerView): HTMLElement {
  return h("section", { class: "section", "data-testid": "request" },
    h("h2", {}, "What is asked"),
    h("dl", { class: "terms-list" },
      h("dt", {}, "About"), h("dd", { "data-testid": "incident-type" }, view.incident_type),
      h("dt", {}, "Time window"), h("dd", {}, windowOf(view.window_from, view.window_to)),
      h("dt", {}, "Why"), h("dd", { "data-testid": "reason" }, view.reason),
      h("dt", {}, "Cameras"), h("dd", {}, view.cameras.map((c) => c.label).join(", ")),
      h("dt", {}, "Your system may record over it"), h("dd", {}, `around ${when(view.footage_lost_at)}`),
      h("dt", {}, "This link works until"), h("dd", {}, when(view.expires_at))),
    h("p", { class: "hint" }, "Please share only the time window asked for. You can also decline; that is fine, and you do not need to give a reason."));
}

class AnswerPage {
  private readonly note = h("textarea", { id: "finish-note", rows: 3, maxlength: 2000 });
  private readonly finish = h("button", { type: "button", class: "primary", "data-testid": "finish" }, "Finish and send");
  private readonly declineNote = h("textarea", { id: "decline-note", rows: 3, maxlength: 2000 });
  private readonly decline = h("button", { type: "button", class: "secondary", "data-testid": "decline" }, "Decline this request");

  constructor(private readonly token: string, private readonly view: AnswerView) {}

  render(): void {
    const uploads = new FileUploads(this.view, transportFor(api, this.token), (stored) => {
      this.finish.disabled = stored === 0;
      page.say(stored === 0 ? "No file was stored yet." : `${stored} file${stored === 1 ? "" : "s"} stored. Press “Finish and send” when you are done.`, stored === 0 ? "problem" : "ok");
    });
    this.finish.disabled = uploads.stored() === 0;
    this.finish.addEventListener("click", () => void this.answer("/answer/finish", this.note, "Thank you. Your footage has been sent to the police."));
    this.decline.addEventListener("click", () => void this.answer("/answer/decline", this.declineNote, "Thank you for letting us know. Nothing more is needed from you."));
    page.show(details(this.view), uploads.element,
      h("section", { class: "section" }, h("h2", {}, "Finish"),
        h("div", { class: "field" }, h("label", { for: "finish-note" }, "A note for the police", h("span", { class: "optional" }, " (optional)")), this.note),
        this.finish),
      h("section", { class: "section" }, h("h2", {}, "Not able or not willing to share?"),
        h("p", {}, "That is completely fine. Declining has no consequences, and you stay registered."),
        h("div", { class: "field" }, h("label", { for: "decline-note" }, "A note", h("span", { class: "optional" }, " (optional)")), this.declineNote),
        this.decline));
  }

  private async answer(path: string, note: HTMLTextAreaElement, thanks: string): Promise<void> {
    this.finish.disabled = true;
    this.decline.disabled = true;
    try {
      const text = note.value.trim();
      await api.call<AnswerView>("POST", path, { json: { note: text === "" ? null : text }, headers: { [UPLOAD_TOKEN_HEADER]: this.token } });
      sessionStorage.removeItem(TAB_KEY);
      page.say(thanks, "ok");
      page.show(h("section", { class: "section done", "data-testid": "answered" }, h("h2", {}, "Done"), h("p", {}, thanks)));
    } catch (error) {
      page.say(messageOf(error), "problem");
      this.finish.disabled = false;
      this.decline.disabled = false;
    }
  }
}

async function main(): Promise<void> {
  const token = answerToken(location, history, sessionStorage, TAB_KEY);
  if (token === null) {
    unusable(new ApiError(404, "no_token", "This page opens from the link in the e-mail we sent you."));
    return;
  }
  try {
    await api.start();
    const view = await api.call<AnswerView>("GET", "/answer", { headers: { [UPLOAD_TOKEN_HEADER]: token } });
    const closed = closedMessage(view.status);
    if (closed !== null) {
      page.say(closed, "ok");
      page.show(details(view), h("p", { "data-testid": "closed" }, closed));
      return;
    }
    new AnswerPage(token, view).render();
  } catch (error) {
    unusable(error);
  }
}

// Opening another e-mailed link in this tab changes only the fragment: start over with it.
window.addEventListener("hashchange", () => {
  if (tokenFromFragment(location.hash) !== null) location.reload();
});
void main();
