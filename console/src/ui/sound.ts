/** A short two-tone alert for a new P1, generated with WebAudio (no audio files). */

import { readFlag, writeFlag } from "../core/preferences";

const SOUND_KEY = "watchfloor.sound";

export class AlertSound {
  private context: AudioContext | null = null;
  private on: boolean = readFlag(SOUND_KEY, false);

  get enabled(): boolean {
    return this.on;
  }

  setEnabled(on: boolean): void {
    this.on = on;
    writeFlag(SOUND_KEY, on);
    if (on) this.ensureContext(); // created inside the click, so the browser lets it play
  }

  private ensureContext(): AudioContext | null {
    if (this.context) return this.context;
    const Ctor = globalThis.AudioContext;
    if (!Ctor) return null;
    this.context = new Ctor();
    return this.context;
  }

  /** Two beeps, 880 Hz then 660 Hz, quiet enough for a shared room. */
  beepNewP1(): void {
    if (!this.on) return;
    const context = this.ensureContext();
    if (!context) return;
    void context.resume().catch(() => undefined);
    this.tone(context, 880, context.currentTime, 0.18);
    this.tone(context, 660, context.currentTime + 0.24, 0.22);
  }

  private tone(context: AudioContext, frequency: number, start: number, length: number): void {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + length + 0.02);
  }
}
