/** The frame of every public page: heading, a polite status line, the footer's promises. */

import "./public.css";
import { h } from "../ui/dom";

export type Tone = "info" | "ok" | "problem";

export class PublicPage {
  readonly main: HTMLElement;
  readonly body = h("div", { class: "page-body" });
  private readonly status = h("p", { class: "status", role: "status", "aria-live": "polite", "data-testid": "status" });

  constructor(title: string, lead: string) {
    const main = document.getElementById("main");
    if (!main) throw new Error("the page has no #main");
    this.main = main;
    main.replaceChildren(
      h("header", { class: "page-head" },
        h("p", { class: "programme" }, "Community Connect"),
        h("h1", {}, title),
        h("p", { class: "lead" }, lead)),
      this.status,
      this.body,
      h("footer", { class: "page-foot" },
        h("p", {}, "Taking part is voluntary and free. The police get no live view of your cameras and no access to your system."),
        h("p", {}, h("a", { href: "/community/" }, "About Community Connect and registering"))),
    );
  }

  /** Say something in the status line (read out politely by screen readers). */
  say(text: string, tone: Tone = "info"): void {
    this.status.textContent = text;
    this.status.dataset["tone"] = tone;
  }

  /** Replace the page's content. */
  show(...children: (Node | null)[]): void {
    this.body.replaceChildren(...children.filter((c): c is Node => c !== null));
  }
}

/** Local date and time, like "21 Nov 2026, 14:00". */
export function when(iso: string | null): string {
  if (!iso) return "—";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return at.toLocaleString(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** A time window, like "21 Nov 2026, 13:00 – 14:30". */
export function windowOf(from: string, to: string): string {
  return `${when(from)} – ${when(to)}`;
}
