/** The server side of a live view: open and end views, the live socket, PTZ, snapshots and recording. */

import { ApiError } from "../api/errors";
import { call, route } from "../api/loose";
import type { PtzSender, PtzVelocity } from "./ptz";
import type { ViewReason } from "./reason";
import { readViewOpened, type SocketLike, type ViewOpened, type ViewTransport } from "./view-session";

/** Stored evidence as the server reports it (snapshot or clip). */
export interface EvidenceMade {
  code: string;
  sha256: string;
  sizeBytes: number | null;
}

export interface Preset {
  token: string;
  name: string;
}

function field(body: unknown, key: string): unknown {
  return typeof body === "object" && body !== null ? (body as Record<string, unknown>)[key] : undefined;
}

export function readEvidence(body: unknown): EvidenceMade {
  const code = field(body, "code");
  const sha = field(body, "sha256");
  const size = field(body, "size_bytes");
  return { code: typeof code === "string" ? code : "?", sha256: typeof sha === "string" ? sha : "",
    sizeBytes: typeof size === "number" ? size : null };
}

export function readPresets(body: unknown): Preset[] {
  if (!Array.isArray(body)) return [];
  return body.flatMap((p) => {
    const token = field(p, "token");
    const name = field(p, "name");
    return typeof token === "string" ? [{ token, name: typeof name === "string" && name ? name : token }] : [];
  });
}

export const videoTransport: ViewTransport = {
  async open(camera: string, reason: ViewReason): Promise<ViewOpened> {
    const body = await call("POST", route("/api/cameras", camera, "views"), { action: "live", reason });
    const opened = readViewOpened(body);
    if (!opened) throw new ApiError(502, "bad_answer", "The server's answer named no view.");
    return opened;
  },
  async end(viewId: string): Promise<void> {
    await call("POST", route("/api/video/views", viewId, "end"));
  },
  connect(viewId: string): SocketLike {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return new WebSocket(`${scheme}//${location.host}${route("/api/video/live", viewId)}`) as unknown as SocketLike;
  },
};

/** PTZ calls for one camera, made on behalf of the tile's current view. */
export function ptzCalls(camera: string, viewId: () => string | null) {
  const id = (): string => {
    const current = viewId();
    if (!current) throw new ApiError(409, "no_view", "The view is not open.");
    return current;
  };
  const sender: PtzSender = {
    async move(v: PtzVelocity) {
      await call("POST", route("/api/cameras", camera, "ptz", "move"), { view_id: id(), pan: v.pan, tilt: v.tilt, zoom: v.zoom });
    },
    async stop() {
      await call("POST", route("/api/cameras", camera, "ptz", "stop"), { view_id: id() });
    },
  };
  return {
    sender,
    home: async () => void (await call("POST", route("/api/cameras", camera, "ptz", "home"), { view_id: id() })),
    presets: async () => readPresets(await call("GET", route("/api/cameras", camera, "ptz", "presets"), undefined, { view_id: id() })),
    goto: async (token: string) => void (await call("POST", route("/api/cameras", camera, "ptz", "presets", token, "goto"), { view_id: id() })),
    save: async (name: string) => void (await call("POST", route("/api/cameras", camera, "ptz", "presets"), { view_id: id(), name })),
  };
}

export type PtzCalls = ReturnType<typeof ptzCalls>;

export async function takeSnapshot(camera: string, viewId: string): Promise<EvidenceMade> {
  return readEvidence(await call("POST", route("/api/cameras", camera, "snapshots"), { view_id: viewId }));
}

export async function startRecording(viewId: string): Promise<void> {
  await call("POST", route("/api/video/views", viewId, "recording"));
}

export async function stopRecording(viewId: string): Promise<EvidenceMade> {
  return readEvidence(await call("DELETE", route("/api/video/views", viewId, "recording")));
}

export async function saveLast(viewId: string, seconds = 30): Promise<EvidenceMade> {
  return readEvidence(await call("POST", route("/api/video/views", viewId, "save-last"), { seconds }));
}

/** "EV-2026-0001 · sha256 3f2a9c1e…" for a toast. */
export function describeEvidence(made: EvidenceMade): string {
  return `${made.code} · sha256 ${made.sha256.slice(0, 12)}…`;
}
