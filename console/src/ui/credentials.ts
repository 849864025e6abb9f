/** Shared bits of the logon and unlock forms. */

import { describeError, type ApiError } from "../api/errors";
import { h } from "./dom";

export interface Field {
  row: HTMLElement;
  input: HTMLInputElement;
}

export function field(id: string, label: string, attrs: Record<string, string | number | boolean>): Field {
  const input = h("input", { id, name: id, required: true, ...attrs });
  return { row: h("div", { class: "field" }, h("label", { for: id }, label), input), input };
}

export function totpField(id: string): Field {
  return field(id, "Authenticator code", {
    type: "text", inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6,10}",
    minlength: 6, maxlength: 10, spellcheck: false,
  });
}

/** What went wrong, in words for the person at the desk. */
export function credentialErrorText(error: ApiError): string {
  if (error.code === "invalid_credentials") return "The username, password or authenticator code is wrong.";
  if (error.status === 429) return `${error.message || "Too many failed attempts"}. Wait, or ask a supervisor to unlock the account.`;
  if (error.status === 0) return "The Watchfloor server cannot be reached. Check the network and try again.";
  return describeError(error);
}
