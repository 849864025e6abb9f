/**
 * Short alert tones generated with WebAudio (no audio files): two falling beeps for a new P1
 * (off until the operator turns it on) and three rising beeps for a high-severity plate alert
 * (on unless muted). Browsers let a page play audio once it has had a click (the logon).
 */

import { readFlag, writeFlag } from "../core/preferences";

const SOUND_KEY = "watchfloor.sound";
const PLATE_SOUND_KEY = "watchfloor.sound.plate";

export class AlertSound {
  private context: AudioContext | null = null;
  private on: boolean = readFlag(SOUND_KEY, false);
  private plateOn: boolean = readFlag(PLATE_SOUND_KEY, true);

  get enabled(): boolean {
    return this.on;
  }

  setEnabled(on: boolean): void {
    this.on = on;
    writeFlag(SOUND_KEY, on);
    if (on) this.ensureContext(); // created inside the click, so the browser lets it play
  }

  get plateEnabled(): boolean {
    return this.plateOn;
  }

  setPlateEnabled(on: boolean): void {
    this.plateOn = on;
    writeFlag(PLATE_SOUND_KEY, on);
    if (on) this.ensureContext();
  }

  /** Three rising beeps (660, 880, 1175 Hz): a high-severity plate hit, unlike the P1 tone. */
  beepPlateHigh(): void {
    if (!this.plateOn) return;
    const context = this.ensureContext();
    if (!context) return;
    void context.resume().catch(() => undefined);
    [660, 880, 1175].forEach((frequency, i) => this.tone(context, frequency, context.currentTime + i * 0.14, 0.11, "triangle"));
    performance.mark("watchfloor:plate-alert-sound");
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

  private tone(context: AudioContext, frequency: number, start: number, length: number, wave: OscillatorType = "sine"): void {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = wave;
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + length + 0.02);
  }
}
