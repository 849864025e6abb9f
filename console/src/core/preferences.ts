/** Operator preferences kept in localStorage (sound, map layers); never data about incidents. */

export interface PreferenceStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function storage(): PreferenceStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function readFlag(key: string, fallback: boolean, store: PreferenceStore | null = storage()): boolean {
  const value = store?.getItem(key);
  if (value === "1") return true;
  if (value === "0") return false;
  return fallback;
}

export function writeFlag(key: string, value: boolean, store: PreferenceStore | null = storage()): void {
  try {
    store?.setItem(key, value ? "1" : "0");
  } catch {
    // Private mode or a full store: the preference lasts this page only.
  }
}
