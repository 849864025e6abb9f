/** The top bar: who is on, the live link's state and last-event age, sound, help, logout. */

import { formatSince } from "../core/age";
import type { ConsoleUser } from "../api/types";
import type { LiveState } from "../live/socket";
import { h, setAttr, setText } from "./dom";

const STATE_WORDS: Record<LiveState, string> = {
  connecting: "Connecting",
  live: "Live",
  reconnecting: "Reconnecting",
  offline: "Offline",
};

export interface HeaderActions {
  logout(): void;
  toggleSound(on: boolean): void;
  showHelp(): void;
}

export class Header {
  readonly element: HTMLElement;
  private readonly who: HTMLElement;
  private readonly live: HTMLElement;
  private readonly liveText: HTMLElement;
  private readonly liveAge: HTMLElement;
  private readonly sound: HTMLButtonElement;
  private state: LiveState = "connecting";
  private lastEventMs: number | null = null;

  constructor(private readonly actions: HeaderActions | null, soundOn: boolean, title: string) {
    this.who = h("span", { class: "who", "data-testid": "user" });
    this.liveText = h("span", { class: "live-word" });
    this.liveAge = h("span", { class: "live-age" });
    this.live = h("span", { class: "live-state", "data-testid": "live-state", "data-state": this.state, role: "status" },
      h("span", { class: "live-dot", "aria-hidden": "true" }), this.liveText, this.liveAge);
    this.sound = h("button", { type: "button", class: "ghost", "data-testid": "sound-toggle" });
    this.setSound(soundOn);
    this.element = h("header", { class: "top-bar" }, h("h1", { class: "brand" }, title), this.live, this.who, this.controls());
    this.render(Date.now());
  }

  private controls(): HTMLElement | null {
    const actions = this.actions;
    if (!actions) return null;
    this.sound.addEventListener("click", () => {
      const on = this.sound.getAttribute("aria-pressed") !== "true";
      this.setSound(on);
      actions.toggleSound(on);
    });
    const help = h("button", { type: "button", class: "ghost", title: "Keyboard shortcuts (?)" }, "?");
    help.addEventListener("click", () => actions.showHelp());
    const logout = h("button", { type: "button", class: "ghost", "data-testid": "logout" }, "Log out");
    logout.addEventListener("click", () => actions.logout());
    return h("div", { class: "top-controls" }, this.sound, help, logout);
  }

  /** Put a status indicator (e.g. a stale-hotlist warning) beside the live state. */
  addIndicator(element: HTMLElement): void {
    this.element.insertBefore(element, this.who);
  }

  setUser(user: ConsoleUser): void {
    setText(this.who, user.designator ? `${user.designator} · ${user.username}` : user.username);
  }

  setSound(on: boolean): void {
    this.sound.setAttribute("aria-pressed", String(on));
    setText(this.sound, on ? "Sound on" : "Sound off");
    this.sound.title = on ? "New-P1 sound is on" : "New-P1 sound is off";
  }

  setLiveState(state: LiveState): void {
    this.state = state;
    this.render(Date.now());
  }

  eventArrived(atMs: number): void {
    this.lastEventMs = atMs;
    this.render(atMs);
  }

  /** Called every second so the last-event age counts up. */
  tick(nowMs: number): void {
    this.render(nowMs);
  }

  private render(nowMs: number): void {
    setAttr(this.live, "data-state", this.state);
    setText(this.liveText, STATE_WORDS[this.state]);
    const age = this.lastEventMs === null ? "" : `last event ${formatSince((nowMs - this.lastEventMs) / 1000)} ago`;
    setText(this.liveAge, age);
  }
}
