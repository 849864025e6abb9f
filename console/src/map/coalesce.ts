/**
 * Coalesces incident changes into at most one map update per interval. A burst of live messages
 * then costs the map one frame instead of one per message, so queue rows paint without waiting
 * behind map frames (which are slow where WebGL falls back to software, e.g. a workstation or a
 * wall PC without a GPU). The queue is what operators act on; the map may trail it briefly.
 */
export class CoalescedUpdate {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly apply: () => void,
    private readonly intervalMs = 400,
  ) {}

  /** Ask for an update; several requests within the interval give one. */
  request(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.apply();
    }, this.intervalMs);
  }

  /** Drop a pending update (the view is going away). */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
