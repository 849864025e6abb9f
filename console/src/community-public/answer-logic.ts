/** Rules of the answer page that need no browser: which files to refuse, sizes in words. */

import type { AnswerView } from "./types";

/** "3.2 MB", "640 KB", "12 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf(".");
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : null;
}

/** The extensions the server takes, without dots, lower case. */
export function acceptedExtensions(view: Pick<AnswerView, "accepted">): string[] {
  return view.accepted.map((e) => e.replace(/^\./, "").toLowerCase()).filter((e) => e !== "");
}

/** Why a chosen file cannot be sent (before any byte goes up), or null. The server decides the
 * type from the file's content; a name that plainly says another type is refused here already. */
export function fileProblem(file: { name: string; size: number }, view: Pick<AnswerView, "accepted" | "max_file_bytes">): string | null {
  if (file.size === 0) return "This file is empty.";
  if (file.size > view.max_file_bytes) {
    return `This file is too large (${formatBytes(file.size)}); the most we can take is ${formatBytes(view.max_file_bytes)}. `
      + "Could you export a shorter clip covering just the time asked for?";
  }
  const extension = extensionOf(file.name);
  const accepted = acceptedExtensions(view);
  if (extension !== null && accepted.length > 0 && !accepted.includes(extension)) {
    return `We can take video and image files only (${accepted.join(", ")}); “${file.name}” does not look like one.`;
  }
  return null;
}

/** What to tell the owner when the request is no longer open. */
export function closedMessage(status: string): string | null {
  switch (status) {
    case "uploaded": return "You have already shared footage for this request. Thank you.";
    case "declined": return "You have declined this request. Nothing more is needed from you.";
    case "expired": return "This request has closed. Nothing more is needed from you.";
    case "withdrawn": return "The police have withdrawn this request. Nothing more is needed from you.";
    default: return null;
  }
}
