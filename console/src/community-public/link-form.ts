/** "Lost your link? Get a new one": the same answer whether or not the address is registered. */

import { ApiError } from "../api/errors";
import { h } from "../ui/dom";
import { field, FieldErrors } from "./forms";
import { messageOf, type PublicApi } from "./http";
import type { Accepted } from "./types";
import { checkEmail } from "./validation";

export function linkForm(api: PublicApi, say: (text: string, tone: "ok" | "problem") => void): HTMLElement {
  const errors = new FieldErrors();
  const email = h("input", { type: "email", maxlength: 254, autocomplete: "email", "data-testid": "link-email" });
  const button = h("button", { type: "submit", class: "secondary" }, "Send me a new link");
  const done = h("p", { class: "done", "aria-live": "polite", "data-testid": "link-sent" });
  const form = h("form", { class: "link-form", novalidate: true }, errors.summary,
    field(errors, "email", email, { label: "Your e-mail address", hint: "The one you registered with." }), button, done);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const problem = checkEmail(email.value.trim());
    if (problem) {
      errors.show([{ pointer: "/email", reason: problem }]);
      return;
    }
    errors.clear();
    button.disabled = true;
    api.call<Accepted>("POST", "/owner/link", { json: { email: email.value.trim() } })
      .then((answer) => {
        done.textContent = answer.message;
        say(answer.message, "ok");
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.problems.length > 0) errors.show(error.problems);
        else say(messageOf(error), "problem");
      })
      .finally(() => { button.disabled = false; });
  });
  return h("section", { class: "section", "aria-labelledby": "lost-link" },
    h("h2", { id: "lost-link" }, "Lost your link? Get a new one"),
    h("p", {}, "If this address is registered, we e-mail it a new private link. The old link stops working."), form);
}
