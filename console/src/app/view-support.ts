/** What the floor and the wall share: their contract with the session, the first queue load, hash routes. */

import type { AuthFailure } from "../api/errors";
import { asApiError } from "../api/errors";
import type { ConsoleConfig } from "../api/types";
import type { LiveSocketHooks } from "../live/socket";
import type { Header } from "../ui/header";
import type { ServerClock } from "./clock";
import { loadQueue } from "./queue-load";
import type { QueueStore } from "./queue-store";

export interface ViewCallbacks {
  logout(): void;
  authFailure(failure: AuthFailure): void;
  /** Ask the server whether the session is still good (a 401 then reaches authFailure). */
  checkSession(): void;
}

export interface ConsoleView {
  readonly element: HTMLElement;
  start(): Promise<void>;
  setConfig(config: ConsoleConfig): void;
  suspend(): void;
  resume(): void;
  dispose(): void;
}

const RETRY_MS = 3000;

/** The first REST load of the queue, retried until it works (401s go to the lock/logon). */
export class QueueLoader {
  private loading: Promise<void> | null = null;

  constructor(private readonly store: QueueStore) {}

  loadFirst(): Promise<void> {
    this.loading ??= this.attempt().finally(() => (this.loading = null));
    return this.loading;
  }

  private async attempt(): Promise<void> {
    for (;;) {
      try {
        await loadQueue(this.store);
        return;
      } catch (error) {
        if (asApiError(error).status === 401) return; // resumed after unlock / logon
        await new Promise((resolve) => window.setTimeout(resolve, RETRY_MS));
      }
    }
  }
}

const INCIDENT_ROUTE = /^#\/incident\/([^/?#]+)$/;

export function incidentIdFromHash(hash: string): string | null {
  const match = INCIDENT_ROUTE.exec(hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

export function incidentHash(id: string | null): string {
  return id ? `#/incident/${encodeURIComponent(id)}` : "";
}

/** /wall or #/wall opens the video-wall view. */
export function isWallLocation(pathname: string, hash: string): boolean {
  return pathname.replace(/\/+$/, "") === "/wall" || hash === "#/wall" || hash.startsWith("#/wall/");
}

/** The live socket's hooks both views use: state and last event in the header, the server
 * clock kept in step by hello and ping, session failures handed to the session. */
export function liveHooks(header: Header, clock: ServerClock, callbacks: ViewCallbacks): LiveSocketHooks {
  return {
    stateChanged: (state) => header.setLiveState(state),
    received: (message, at) => {
      if (message.type === "hello" || message.type === "ping") clock.sync(message.server_time);
      header.eventArrived(at);
    },
    sessionEnded: (failure: AuthFailure) => callbacks.authFailure(failure),
    connectFailed: () => callbacks.checkSession(),
  };
}
