/** How an owner describes a camera in plain words, and the numbers the registry keeps. */

import type { Choice } from "./types";

/** "Not sure" and "type degrees" sit beside the eight compass points. */
export const DIRECTION_UNKNOWN = "";
export const DIRECTION_DEGREES = "degrees";

export const COMPASS: Choice[] = [
  { value: "0", label: "North" },
  { value: "45", label: "North-east" },
  { value: "90", label: "East" },
  { value: "135", label: "South-east" },
  { value: "180", label: "South" },
  { value: "225", label: "South-west" },
  { value: "270", label: "West" },
  { value: "315", label: "North-west" },
];

export const DIRECTION_CHOICES: Choice[] = [
  { value: DIRECTION_UNKNOWN, label: "Not sure / all around" },
  ...COMPASS,
  { value: DIRECTION_DEGREES, label: "Exact direction in degrees…" },
];

export const FIELD_OF_VIEW: Choice[] = [
  { value: "", label: "Not sure" },
  { value: "60", label: "Narrow (about 60°)" },
  { value: "90", label: "Normal (about 90°)" },
  { value: "120", label: "Wide (about 120°)" },
  { value: "180", label: "Very wide (about 180°)" },
  { value: "360", label: "All around (360°)" },
];

/** The select's value and the degrees box for a stored bearing (null: not sure). */
export function directionOf(bearing: number | null): { direction: string; degrees: string } {
  if (bearing === null) return { direction: DIRECTION_UNKNOWN, degrees: "" };
  const point = COMPASS.find((c) => Number(c.value) === bearing);
  return point ? { direction: point.value, degrees: "" } : { direction: DIRECTION_DEGREES, degrees: String(bearing) };
}

/** The select's value for a stored field of view: the nearest offered width. */
export function fieldOfViewOf(angle: number | null): string {
  if (angle === null) return "";
  let best = FIELD_OF_VIEW[1]?.value ?? "";
  for (const choice of FIELD_OF_VIEW.slice(1)) {
    if (Math.abs(Number(choice.value) - angle) < Math.abs(Number(best) - angle)) best = choice.value;
  }
  return best;
}

/** A compass word for a bearing (for summaries): 100 → "East (100°)". */
export function describeBearing(bearing: number | null): string {
  if (bearing === null) return "Not sure / all around";
  const index = Math.round((((bearing % 360) + 360) % 360) / 45) % 8;
  const word = COMPASS[index]?.label ?? "";
  return Number(COMPASS[index]?.value) === bearing ? word : `${word} (${Math.round(bearing)}°)`;
}
