/** /community/: what Community Connect is, its public numbers, the registration form and the
 * "send me a new link" form. */

import { h } from "../ui/dom";
import { messageOf, PublicApi } from "./http";
import { linkForm } from "./link-form";
import { PublicPage } from "./page";
import { RegistrationForm, TERMS } from "./registration-form";
import { transparencySection } from "./transparency";
import type { Accepted, RegistrationIn } from "./types";

function about(): HTMLElement {
  return h("section", { class: "section", "aria-labelledby": "what" },
    h("h2", { id: "what" }, "What this is"),
    h("p", {}, "If something happens near your home or business, a recording from your security camera can help the police. "
      + "By registering, you let the police know a camera is there, so they can ask you for a recording when it matters — "
      + "before your system records over it."),
    h("ul", {}, ...TERMS.map((t) => h("li", {}, t))));
}

async function main(): Promise<void> {
  const page = new PublicPage("Register your security cameras", "Help your neighbourhood: tell the police where your cameras are. You stay in control.");
  const api = new PublicApi();
  let start;
  try {
    start = await api.start();
  } catch (error) {
    page.say(messageOf(error), "problem");
    return;
  }
  const done = h("section", { class: "section done", hidden: true, tabindex: "-1", "data-testid": "registered" });
  const form = new RegistrationForm({
    start, api, initial: null, submitLabel: "Register",
    async onSubmit(body: RegistrationIn) {
      const answer = await api.call<Accepted>("POST", "/registrations", { json: body });
      form.element.hidden = true;
      done.replaceChildren(h("h2", {}, "Almost done: check your e-mail"), h("p", {}, answer.message));
      done.hidden = false;
      done.focus();
      page.say(answer.message, "ok");
    },
  });
  page.show(about(), transparencySection(api),
    form.element, done,
    linkForm(api, (text, tone) => page.say(text, tone)));
  await form.mount();
}

void main();
