/** Loading the queue over REST, and the benchmark's queue-ready mark. */

import { api, unwrap } from "../api/client";
import type { QueueStore } from "./queue-store";

let queueReadyMarked = false;

/** Mark the benchmark's queue-ready point once per page, right after the first render with data. */
export function markQueueReady(): void {
  if (queueReadyMarked) return;
  queueReadyMarked = true;
  performance.mark("watchfloor:queue-ready");
}

/** Load the queue (first load, resync, unlock); the views render it synchronously. */
export async function loadQueue(store: QueueStore): Promise<void> {
  const rows = await unwrap(api.GET("/api/incidents/queue"));
  store.replace(rows);
  markQueueReady();
}
