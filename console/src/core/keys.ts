/** Keyboard shortcuts of the watch floor, as a pure mapping from a key press to a command. */

export type Command =
  | "select-next"
  | "select-previous"
  | "open-selected"
  | "claim"
  | "release"
  | "focus-note"
  | "escape"
  | "toggle-layers"
  | "toggle-help"
  | "show-queue"
  | "show-desk-alerts"
  | "show-alerts"
  | "show-search"
  | "show-hotlists"
  | "show-precision"
  | "show-cameras"
  | "show-video"
  | "show-units"
  | "show-community"
  | "toggle-plate-sound";

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export interface FocusTarget {
  tagName: string;
  isContentEditable?: boolean;
  type?: string;
}

const BUTTON_INPUT_TYPES = new Set(["button", "submit", "reset", "checkbox", "radio", "range", "color", "file"]);

/** Is focus in a place where letters are text, not commands? */
export function isTyping(target: FocusTarget | null): boolean {
  if (target === null) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  return !BUTTON_INPUT_TYPES.has((target.type ?? "text").toLowerCase());
}

const BY_KEY: Record<string, Command> = {
  j: "select-next",
  ArrowDown: "select-next",
  k: "select-previous",
  ArrowUp: "select-previous",
  Enter: "open-selected",
  c: "claim",
  r: "release",
  n: "focus-note",
  Escape: "escape",
  l: "toggle-layers",
  "?": "toggle-help",
  q: "show-queue",
  g: "show-desk-alerts",
  a: "show-alerts",
  s: "show-search",
  h: "show-hotlists",
  p: "show-precision",
  e: "show-cameras",
  v: "show-video",
  u: "show-units",
  o: "show-community",
  m: "toggle-plate-sound",
};

/** The command for a key press, or null. Only Escape works while typing (it blurs). */
export function commandFor(press: KeyPress, typing: boolean): Command | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const command = BY_KEY[press.key] ?? null;
  if (typing && command !== "escape") return null;
  return command;
}

/** What each shortcut does, for the help overlay. */
export const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ["j / ↓", "next incident (or alert) in the list"],
  ["k / ↑", "previous incident (or alert) in the list"],
  ["Enter", "open the selected incident or alert"],
  ["c", "claim the open incident"],
  ["r", "release the open incident"],
  ["n", "write an intel note"],
  ["Ctrl+Enter", "submit the note"],
  ["Esc", "close the detail or alert / leave a field"],
  ["l", "map layers"],
  ["q", "call queue"],
  ["g", "alerts: gunshot, panic, sensors, CAP, analytics, geofences"],
  ["a", "plate alerts"],
  ["s", "plate search (investigative)"],
  ["h", "hotlists"],
  ["p", "plate-hit precision"],
  ["e", "cameras (list, detail, edit)"],
  ["v", "video (live views)"],
  ["u", "units: status, staleness, on the map with heading and trail"],
  ["o", "community footage requests: figures (supervisors)"],
  ["← ↑ → ↓ + −", "PTZ: move or zoom the focused video tile while held"],
  ["m", "mute / unmute the plate-alert sound"],
  ["?", "this help"],
];
