import { describe, expect, it } from "vitest";
import { answerToken, takeFragmentToken, tokenFromFragment, type StoreLike } from "./fragment";

const TOKEN = "Zk3_q-8xYbN2mR7tLw0cVh5sJd9pUe1a";

function bar(hash: string): { hash: string; pathname: string; search: string } {
  return { hash, pathname: "/community/owner", search: "" };
}

function recorder(): { calls: string[]; replaceState(data: unknown, unused: string, url?: string): void } {
  const calls: string[] = [];
  return { calls, replaceState: (_d, _u, url) => void calls.push(url ?? "") };
}

class Tab implements StoreLike {
  items = new Map<string, string>();
  getItem(key: string): string | null { return this.items.get(key) ?? null; }
  setItem(key: string, value: string): void { this.items.set(key, value); }
  removeItem(key: string): void { this.items.delete(key); }
}

describe("tokenFromFragment", () => {
  it("reads t from the fragment", () => {
    expect(tokenFromFragment(`#t=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromFragment(`#x=1&t=${TOKEN}`)).toBe(TOKEN);
  });

  it("refuses missing, short or odd tokens", () => {
    expect(tokenFromFragment("")).toBeNull();
    expect(tokenFromFragment("#t=")).toBeNull();
    expect(tokenFromFragment("#t=short")).toBeNull();
    expect(tokenFromFragment(`#t=${TOKEN}<script>`)).toBeNull();
    expect(tokenFromFragment(`#token=${TOKEN}`)).toBeNull();
  });
});

describe("takeFragmentToken", () => {
  it("clears the fragment from the address bar, keeping path and query", () => {
    const history = recorder();
    const token = takeFragmentToken({ hash: `#t=${TOKEN}`, pathname: "/community/answer", search: "?lang=en" }, history);
    expect(token).toBe(TOKEN);
    expect(history.calls).toEqual(["/community/answer?lang=en"]);
  });

  it("clears even a malformed fragment and leaves a clean address alone", () => {
    const history = recorder();
    expect(takeFragmentToken(bar("#t=bad"), history)).toBeNull();
    expect(takeFragmentToken(bar(""), history)).toBeNull();
    expect(history.calls).toEqual(["/community/owner"]);
  });
});

describe("answerToken", () => {
  it("keeps a fresh token for this tab so a reload can resume", () => {
    const tab = new Tab();
    expect(answerToken(bar(`#t=${TOKEN}`), recorder(), tab)).toBe(TOKEN);
    expect(answerToken(bar(""), recorder(), tab)).toBe(TOKEN);
  });

  it("forgets the kept token when a new link is malformed", () => {
    const tab = new Tab();
    tab.setItem("wfc_answer", TOKEN);
    expect(answerToken(bar("#t=nope"), recorder(), tab)).toBeNull();
    expect(tab.getItem("wfc_answer")).toBeNull();
  });
});
