/** The server's clock as the console knows it (offset from config and every hello/ping). */

import { serverOffsetMs } from "../core/age";

export class ServerClock {
  private offsetMs = 0;

  sync(serverTimeIso: string): void {
    if (serverTimeIso) this.offsetMs = serverOffsetMs(serverTimeIso, Date.now());
  }

  get offset(): number {
    return this.offsetMs;
  }
}
