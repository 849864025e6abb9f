import { describe, expect, it } from "vitest";
import { groupName, noteBody, noteProblem, reachSummary, readNote, readNotes } from "./field-notes";

describe("send to field: pure parts", () => {
  it("refuses empty and oversize notes", () => {
    expect(noteProblem("   ")).toBe("Write the note first.");
    expect(noteProblem("x".repeat(11), 10)).toBe("At most 10 characters (11 now).");
    expect(noteProblem(" suspect in red hoodie ")).toBeNull();
  });

  it("addresses the incident's units or a team", () => {
    expect(noteBody("inc-1", " go ", { kind: "incident" })).toEqual({ text: "go", incident_id: "inc-1" });
    expect(noteBody("inc-1", "go", { kind: "group", group: "Cyan" })).toEqual({ text: "go", incident_id: "inc-1", group: "Cyan" });
    expect(groupName("  ")).toBeNull();
    expect(groupName(" Cyan ")).toBe("Cyan");
  });

  it("says who a note reached and who it did not", () => {
    expect(reachSummary({ recipients: ["A12", "B4", "C7"], reached: ["A12", "B4"] })).toBe("Reached 2 of 3: A12, B4 (not connected: C7)");
    expect(reachSummary({ recipients: ["A12"], reached: ["A12"] })).toBe("Reached 1 of 1: A12");
    expect(reachSummary({ recipients: ["A12"], reached: [] })).toBe("Reached nobody connected (sent to A12)");
  });

  it("reads answers defensively, oldest first", () => {
    expect(readNote({ id: "n" })).toBeNull();
    const notes = readNotes([
      { id: "2", text: "b", written_at: "2026-11-21T14:02:00Z", recipients: ["A"], reached: [1, "A"] },
      { id: "1", text: "a", written_at: "2026-11-21T14:01:00Z" },
      "junk",
    ]);
    expect(notes.map((n) => n.id)).toEqual(["1", "2"]);
    expect(notes[1]?.reached).toEqual(["A"]);
    expect(notes[0]?.recipients).toEqual([]);
  });
});
