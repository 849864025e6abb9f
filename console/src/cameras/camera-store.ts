/** The registry's cameras and their health, loaded over REST and kept current from the live channel. */

import { api, unwrap } from "../api/client";
import { asApiError, describeError } from "../api/errors";
import { call } from "../api/loose";
import type { CameraOut } from "../api/types";
import { HealthBook, readHealth } from "./camera-health";

export class CameraStore {
  readonly health = new HealthBook();
  private list: CameraOut[] = [];
  private readonly listeners = new Set<() => void>();
  /** Why the list could not be read (this role may not list cameras), or null. */
  problem: string | null = null;

  get cameras(): readonly CameraOut[] {
    return this.list;
  }

  get(code: string): CameraOut | undefined {
    return this.list.find((c) => c.code === code);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async load(): Promise<void> {
    try {
      this.list = await unwrap(api.GET("/api/cameras"));
      this.problem = null;
    } catch (error) {
      const problem = asApiError(error);
      if (problem.status === 401) return;
      this.problem = problem.status === 403 ? "Your role cannot list cameras." : describeError(problem);
    }
    await this.loadHealth();
    this.emit();
  }

  /** Health of every camera; until the probe reports (or where the route is missing) all are unknown. */
  async loadHealth(): Promise<void> {
    try {
      this.health.replaceAll(await call("GET", "/api/camera-health"));
    } catch {
      this.health.replaceAll([]);
    }
  }

  /** A live camera_status message. */
  applyStatus(message: unknown): void {
    const entry = readHealth(message);
    if (entry && this.health.apply(entry)) this.emit();
  }

  /** A camera created or changed in this console. */
  put(camera: CameraOut): void {
    const index = this.list.findIndex((c) => c.code === camera.code);
    if (index >= 0) this.list[index] = camera;
    else this.list = [...this.list, camera].sort((a, b) => a.code.localeCompare(b.code));
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
