/** PTZ from a tile: press-and-hold moves, release stops; Home and presets. Velocities are in [-1, 1]. */

export const PTZ_DIRECTIONS = ["up", "down", "left", "right", "zoom-in", "zoom-out"] as const;
export type PtzDirection = (typeof PTZ_DIRECTIONS)[number];

export interface PtzVelocity {
  pan: number;
  tilt: number;
  zoom: number;
}

export const PTZ_SPEED = 0.5;

export function velocityOf(direction: PtzDirection, speed = PTZ_SPEED): PtzVelocity {
  switch (direction) {
    case "up": return { pan: 0, tilt: speed, zoom: 0 };
    case "down": return { pan: 0, tilt: -speed, zoom: 0 };
    case "left": return { pan: -speed, tilt: 0, zoom: 0 };
    case "right": return { pan: speed, tilt: 0, zoom: 0 };
    case "zoom-in": return { pan: 0, tilt: 0, zoom: speed };
    case "zoom-out": return { pan: 0, tilt: 0, zoom: -speed };
  }
}

const BY_KEY: Record<string, PtzDirection> = {
  ArrowUp: "up",
  ArrowDown: "down",
  ArrowLeft: "left",
  ArrowRight: "right",
  "+": "zoom-in",
  "=": "zoom-in",
  "-": "zoom-out",
};

/** The direction a key drives while a PTZ tile has focus (arrows; + and - zoom). */
export function directionForKey(key: string): PtzDirection | null {
  return BY_KEY[key] ?? null;
}

/** What the pad sends (the tile binds it to the camera and the open view). */
export interface PtzSender {
  move(velocity: PtzVelocity): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One held direction at a time: a press starts a move (a key's auto-repeat sends nothing more),
 * a release stops it, and a stop is sent only when something was moving.
 */
export class PtzPad {
  private held: PtzDirection | null = null;

  constructor(private readonly sender: PtzSender, private readonly failed: (error: unknown) => void = () => undefined) {}

  get moving(): PtzDirection | null {
    return this.held;
  }

  press(direction: PtzDirection): void {
    if (this.held === direction) return;
    this.held = direction;
    this.sender.move(velocityOf(direction)).catch(this.failed);
  }

  /** Release (a given direction, or whatever is held); pointer-leave and blur release too. */
  release(direction?: PtzDirection): void {
    if (this.held === null || (direction !== undefined && direction !== this.held)) return;
    this.held = null;
    this.sender.stop().catch(this.failed);
  }
}
