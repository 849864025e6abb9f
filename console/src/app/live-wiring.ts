/**
 * Ties the live channel to the console: incident events upsert or drop queue rows (and map
 * points), note and incident events refresh the open detail, resyncs reload over REST, and every
 * applied incident event leaves a timing in window.watchfloorMetrics.live.
 */

import type { QueueRow } from "../api/types";
import { pushBounded, type LiveTiming } from "../core/metrics";
import { isNewP1 } from "../core/queue-order";
import type {
  AlertMessage, CameraStatusMessage, CommunityRequestMessage, ContextMessage, EventMessage, IncidentMessage, PlateAlertMessage,
  PlaybookMessage, UnitMessage,
} from "../live/messages";
import { LiveSocket, type LiveSocketHooks } from "../live/socket";
import { LiveSync } from "../live/sync";
import { loadQueue } from "./queue-load";
import type { QueueStore } from "./queue-store";

declare global {
  interface Window {
    watchfloorMetrics: { live: LiveTiming[] };
  }
}

export function liveMetrics(): LiveTiming[] {
  window.watchfloorMetrics ??= { live: [] };
  return window.watchfloorMetrics.live;
}

export interface LiveTargets {
  store: QueueStore;
  /** The open incident, if any, and a way to re-read it. */
  openIncidentId(): string | null;
  refreshDetail(): Promise<void>;
  newP1(row: QueueRow): void;
  /** Plate alerts raised or changed (the floor's alert list); absent where nobody shows them. */
  plateAlert?(message: PlateAlertMessage): void;
  /** Re-read the open plate alerts after a resync. */
  reloadPlateAlerts?(): Promise<void>;
  /** A camera's health changed; absent where no camera is shown. */
  cameraStatus?(message: CameraStatusMessage): void;
  /** Re-read cameras and their health after a resync. */
  reloadCameras?(): Promise<void>;
  /** An alert-desk alert changed (gunshot, panic, sensor, CAP, analytics, geofence). */
  deskAlert?(message: AlertMessage): void;
  /** Re-read the open alert-desk alerts (and geofences) after a resync. */
  reloadDeskAlerts?(): Promise<void>;
  /** A context packet or a playbook run changed (the open incident shows them). */
  context?(message: ContextMessage): void;
  playbook?(message: PlaybookMessage): void;
  /** Re-read the open incident's context packet and playbook after a resync. */
  reloadIncidentExtras?(): Promise<void>;
  /** A unit moved or changed status (the units layer and tab). */
  unit?(message: UnitMessage): void;
  /** Re-read the units and their trails after a resync. */
  reloadUnits?(): Promise<void>;
  /** A community footage request changed (the open incident lists its requests). */
  communityRequest?(message: CommunityRequestMessage): void;
  /** Re-read the open incident's community requests and the community layer after a resync. */
  reloadCommunity?(): Promise<void>;
}


function recordTiming(message: IncidentMessage): void {
  const receivedAt = message.received_at_ms ?? Date.now();
  requestAnimationFrame(() => {
    pushBounded(liveMetrics(), {
      seq: message.seq,
      incident_id: message.incident_id,
      sent_at_ms: message.sent_at_ms,
      received_at_ms: receivedAt,
      rendered_at_ms: Date.now(),
    });
  });
}

class DetailRefresher {
  private timer: number | undefined;

  constructor(private readonly targets: LiveTargets) {}

  /** Coalesce a burst of changes to the open incident into one audited read. */
  poke(incidentId: string): void {
    if (this.targets.openIncidentId() !== incidentId) return;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.targets.refreshDetail(), 150);
  }
}

function applier(targets: LiveTargets): (message: EventMessage) => void {
  const refresher = new DetailRefresher(targets);
  return (message) => {
    if (message.type === "note") {
      refresher.poke(message.incident_id);
      return;
    }
    if (message.type === "plate_alert") {
      targets.plateAlert?.(message);
      return;
    }
    if (message.type === "camera_status") {
      targets.cameraStatus?.(message);
      return;
    }
    if (message.type === "alert") {
      targets.deskAlert?.(message);
      return;
    }
    if (message.type === "context") {
      targets.context?.(message);
      return;
    }
    if (message.type === "playbook") {
      targets.playbook?.(message);
      return;
    }
    if (message.type === "unit") {
      targets.unit?.(message);
      return;
    }
    if (message.type === "community.request") {
      targets.communityRequest?.(message);
      return;
    }
    const previous = targets.store.get(message.incident_id);
    if (message.row) targets.store.upsert(message.row);
    else targets.store.remove(message.incident_id);
    if (targets.store.hasLoaded && isNewP1(previous, message.row) && message.row) targets.newP1(message.row);
    refresher.poke(message.incident_id);
    recordTiming(message);
  };
}

export function createLive(targets: LiveTargets, hooks: LiveSocketHooks): LiveSocket {
  liveMetrics();
  const sync = new LiveSync({
    reloadSnapshot: async () => {
      await loadQueue(targets.store);
      await Promise.all([targets.refreshDetail(), targets.reloadPlateAlerts?.(), targets.reloadCameras?.(),
        targets.reloadDeskAlerts?.(), targets.reloadIncidentExtras?.(), targets.reloadUnits?.(), targets.reloadCommunity?.()]);
    },
    applyEvent: applier(targets),
  });
  return new LiveSocket(sync, hooks);
}
