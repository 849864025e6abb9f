/** Routes shortcut keys to the floor's actions; never while typing (except Esc) or while locked. */

import { commandFor, isTyping, type Command } from "../core/keys";

export type CommandHandlers = Partial<Record<Command, () => void>>;

export function listenForShortcuts(handlers: CommandHandlers, enabled: () => boolean): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (!enabled() || event.defaultPrevented || event.isComposing) return;
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const focus = active ? { tagName: active.tagName, isContentEditable: active.isContentEditable,
      type: active instanceof HTMLInputElement ? active.type : undefined } : null;
    const command = commandFor(event, isTyping(focus));
    if (command === null) return;
    // Enter on a focused button or link keeps its own meaning.
    if (command === "open-selected" && active && active.closest("button, a, summary")) return;
    const handler = handlers[command];
    if (!handler) return;
    event.preventDefault();
    handler();
  };
  window.addEventListener("keydown", onKey);
  return () => window.removeEventListener("keydown", onKey);
}
