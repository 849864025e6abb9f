/**
 * The console's session life: find out whether we are logged on, show the logon or the lock
 * screen when needed, mount the floor or the wall, and react to locks and logoffs from REST,
 * the live channel or the idle timer without losing what is on screen under the lock.
 */

import { api, setAuthFailureHandler, setCsrfToken, unwrap } from "../api/client";
import { asApiError, authFailureOf, type AuthFailure } from "../api/errors";
import type { ConsoleConfig } from "../api/types";
import { h } from "../ui/dom";
import { LockScreen } from "../ui/lock-screen";
import { showLogon } from "../ui/logon-screen";
import { loadConsoleConfig } from "./config";
import { FloorApp } from "./floor";
import { IdleWatch } from "./idle-watch";
import { WallApp } from "./wall";
import type { ConsoleView } from "./view-support";

type Phase = "booting" | "running" | "locked" | "ending";

const SESSION_ENDED = "Your session has ended. Log on again to continue.";
const RETRY_MS = 3000;

export class ConsoleSession {
  private phase: Phase = "booting";
  private view: ConsoleView | null = null;
  private idle: IdleWatch | null = null;
  private config: ConsoleConfig | null = null;
  private readonly lock = new LockScreen();
  private lastSessionCheck = 0;

  constructor(private readonly root: HTMLElement, private readonly wall: boolean) {
    document.body.append(this.lock.element);
    setAuthFailureHandler((failure) => this.onAuthFailure(failure));
  }

  /** Get to a usable session (logon or unlock as needed), then mount the view. */
  async boot(notice: string | null = null): Promise<void> {
    this.phase = "booting";
    const config = await this.obtainConfig(notice);
    this.config = config;
    this.mount(config);
  }

  private async obtainConfig(notice: string | null): Promise<ConsoleConfig> {
    for (;;) {
      try {
        return await loadConsoleConfig();
      } catch (error) {
        const problem = asApiError(error);
        const failure = authFailureOf(problem.status, problem.code);
        if (failure === "locked") {
          const outcome = await this.lock.show("");
          if (outcome.kind === "logged-off") await this.logoutQuietly();
        } else if (failure === "logged-off") {
          await showLogon(this.root, notice);
          notice = null;
        } else {
          this.showUnreachable();
          await new Promise((resolve) => window.setTimeout(resolve, RETRY_MS));
        }
      }
    }
  }

  private mount(config: ConsoleConfig): void {
    const callbacks = {
      logout: () => void this.logout(),
      authFailure: (failure: AuthFailure) => this.onAuthFailure(failure),
      checkSession: () => this.checkSession(),
    };
    const view = this.wall ? new WallApp(config, callbacks) : new FloorApp(config, callbacks);
    this.view = view;
    this.root.replaceChildren(view.element);
    this.idle = new IdleWatch(config.idleLockMinutes, () => this.onAuthFailure("locked"));
    this.idle.start();
    this.phase = "running";
    void view.start();
  }

  /** Locked (idle timer, REST 401 session_locked, WS 4401) or logged off (any other 401). */
  onAuthFailure(failure: AuthFailure): void {
    if (this.phase !== "running") return;
    if (failure === "locked") void this.lockAndWait();
    else void this.end(SESSION_ENDED);
  }

  private async lockAndWait(): Promise<void> {
    this.phase = "locked";
    this.view?.suspend();
    this.idle?.pause();
    this.conceal(true);
    const outcome = await this.lock.show(this.config?.user.username ?? "");
    this.conceal(false);
    if (outcome.kind === "logged-off") {
      this.phase = "running";
      await this.logout();
      return;
    }
    this.phase = "running";
    this.idle?.resume();
    this.view?.resume();
    void this.refreshConfig();
  }

  private async refreshConfig(): Promise<void> {
    try {
      const config = await loadConsoleConfig();
      this.config = config;
      this.view?.setConfig(config);
      this.idle?.setLimitMinutes(config.idleLockMinutes);
    } catch {
      // Keep the settings we have; a 401 here already reached onAuthFailure.
    }
  }

  private async logout(): Promise<void> {
    if (this.phase === "ending") return;
    this.phase = "ending";
    await this.logoutQuietly();
    await this.end("You have logged out.", true);
  }

  private async logoutQuietly(): Promise<void> {
    try {
      await unwrap(api.POST("/api/auth/logout"));
    } catch {
      // Already gone, or unreachable: the cookies are cleared below either way.
    }
    setCsrfToken(null);
  }

  private async end(notice: string, alreadyEnding = false): Promise<void> {
    if (this.phase === "ending" && !alreadyEnding) return;
    this.phase = "ending";
    this.view?.dispose();
    this.view = null;
    this.idle?.stop();
    this.idle = null;
    this.conceal(false);
    setCsrfToken(null);
    history.replaceState(null, "", location.pathname + location.search);
    await this.boot(notice);
  }

  /** Hide the floor under the lock (kept in the DOM as it is, but neither visible nor reachable). */
  private conceal(locked: boolean): void {
    this.root.inert = locked;
    this.root.classList.toggle("is-locked", locked);
  }

  /** The live channel keeps failing to connect: ask REST whether the session is still good. */
  private checkSession(): void {
    const now = Date.now();
    if (now - this.lastSessionCheck < 5000) return;
    this.lastSessionCheck = now;
    void unwrap(api.GET("/api/auth/me")).catch(() => undefined);
  }

  private showUnreachable(): void {
    if (this.root.querySelector(".unreachable")) return;
    this.root.replaceChildren(h("main", { class: "logon-screen" }, h("div", { class: "logon-card unreachable" },
      h("h1", { class: "brand" }, "Watchfloor"), h("p", { role: "status" }, "The Watchfloor server cannot be reached. Retrying…"))));
  }
}
