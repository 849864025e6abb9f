import { describe, expect, it } from "vitest";
import { commandFor, isTyping, SHORTCUTS } from "./keys";

const press = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key, ctrlKey: false, metaKey: false, altKey: false, ...mods,
});

describe("shortcuts", () => {
  it("maps the floor's keys", () => {
    expect(commandFor(press("j"), false)).toBe("select-next");
    expect(commandFor(press("ArrowDown"), false)).toBe("select-next");
    expect(commandFor(press("k"), false)).toBe("select-previous");
    expect(commandFor(press("ArrowUp"), false)).toBe("select-previous");
    expect(commandFor(press("Enter"), false)).toBe("open-selected");
    expect(commandFor(press("c"), false)).toBe("claim");
    expect(commandFor(press("r"), false)).toBe("release");
    expect(commandFor(press("n"), false)).toBe("focus-note");
    expect(commandFor(press("Escape"), false)).toBe("escape");
    expect(commandFor(press("l"), false)).toBe("toggle-layers");
    expect(commandFor(press("?"), false)).toBe("toggle-help");
    expect(commandFor(press("x"), false)).toBeNull();
  });

  it("opens the plate views with their own keys, none taken twice", () => {
    expect(commandFor(press("q"), false)).toBe("show-queue");
    expect(commandFor(press("a"), false)).toBe("show-alerts");
    expect(commandFor(press("s"), false)).toBe("show-search");
    expect(commandFor(press("h"), false)).toBe("show-hotlists");
    expect(commandFor(press("p"), false)).toBe("show-precision");
    expect(commandFor(press("m"), false)).toBe("toggle-plate-sound");
    expect(commandFor(press("g"), false)).toBe("show-desk-alerts");
    for (const key of ["q", "a", "s", "h", "p", "m", "g"]) expect(commandFor(press(key), true)).toBeNull();
    const listed = SHORTCUTS.flatMap(([keys]) => keys.split(" / "));
    expect(new Set(listed).size).toBe(listed.length);
    for (const key of ["q", "a", "s", "h", "p", "m", "g", "e", "v"]) expect(listed).toContain(key);
  });

  it("does nothing while typing, except Esc", () => {
    for (const key of ["j", "k", "c", "r", "n", "l", "?", "Enter", "ArrowDown"]) {
      expect(commandFor(press(key), true)).toBeNull();
    }
    expect(commandFor(press("Escape"), true)).toBe("escape");
  });

  it("leaves browser and OS shortcuts alone", () => {
    expect(commandFor(press("c", { ctrlKey: true }), false)).toBeNull();
    expect(commandFor(press("r", { metaKey: true }), false)).toBeNull();
    expect(commandFor(press("l", { altKey: true }), false)).toBeNull();
  });
});

describe("typing detection", () => {
  it("treats text fields as typing and buttons or checkboxes as not", () => {
    expect(isTyping({ tagName: "TEXTAREA" })).toBe(true);
    expect(isTyping({ tagName: "INPUT", type: "text" })).toBe(true);
    expect(isTyping({ tagName: "INPUT", type: "password" })).toBe(true);
    expect(isTyping({ tagName: "INPUT" })).toBe(true);
    expect(isTyping({ tagName: "DIV", isContentEditable: true })).toBe(true);
    expect(isTyping({ tagName: "INPUT", type: "checkbox" })).toBe(false);
    expect(isTyping({ tagName: "BUTTON" })).toBe(false);
    expect(isTyping({ tagName: "BODY" })).toBe(false);
    expect(isTyping(null)).toBe(false);
  });
});
