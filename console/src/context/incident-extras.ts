/**
 * What issue 6 adds to the open incident, wired together: the context packet (with the cameras
 * that can see it) and the playbook right under the cautions, the after-action timeline beside
 * the timeline; live `context` and `playbook` messages and resyncs keep them current.
 */

import type { IncidentDetail } from "../api/types";
import type { CameraFloor } from "../cameras/camera-floor";
import type { CommunityFloor } from "../community/community-floor";
import type { ContextMessage, PlaybookMessage } from "../live/messages";
import { SendToFieldPanel } from "../fieldlink/send-to-field";
import { AfterActionPanel } from "../playbooks/after-action";
import { PlaybookPanel } from "../playbooks/playbook-panel";
import { ContextPanel } from "./context-panel";
import type { CommunityCamera } from "./packet";

export class IncidentExtras {
  readonly context: ContextPanel;
  readonly playbook: PlaybookPanel;
  readonly afterAction = new AfterActionPanel();
  readonly sendToField = new SendToFieldPanel();
  private readonly community: CommunityFloor | null;

  constructor(cameras: CameraFloor, clockOffset: () => number, openAlert: (alertId: string) => void, community?: CommunityFloor) {
    this.context = new ContextPanel({
      camerasSection: (detail) => cameras.incidentExtras(detail, true)[0] ?? null,
      camerasFound: (sightings) => cameras.incidentCameras(sightings),
      camerasDirect: () => cameras.incidentCamerasDirect(),
      openAlert,
      ...(community ? { communitySection: (detail: IncidentDetail) => community.sectionFor(detail),
        communityFound: (found: readonly CommunityCamera[]) => community.found(found) } : {}),
    });
    this.community = community ?? null;
    this.playbook = new PlaybookPanel(clockOffset);
  }

  /** Right under the cautions: context (cameras included) and playbook. */
  leading(detail: IncidentDetail): HTMLElement[] {
    return [this.context.forIncident(detail), this.playbook.forIncident(detail.incident.id)];
  }

  /** After the notes: send to field, then the after-action timeline. */
  trailing(detail: IncidentDetail): HTMLElement[] {
    return [this.sendToField.forIncident(detail.incident.id), this.afterAction.forIncident(detail.incident.id)];
  }

  onContext(message: ContextMessage): void {
    this.context.onLive(message);
  }

  onPlaybook(message: PlaybookMessage): void {
    this.playbook.onLive(message);
  }

  /** After a resync: read the open incident's packet and playbook again. */
  async reload(): Promise<void> {
    await Promise.all([this.context.load(), this.playbook.load()]);
  }

  /** The detail closed. */
  forget(): void {
    this.context.forget();
    this.playbook.forget();
    this.afterAction.forget();
    this.sendToField.forget();
    this.community?.forget();
  }

  tick(nowMs: number): void {
    this.playbook.tick(nowMs);
  }
}
