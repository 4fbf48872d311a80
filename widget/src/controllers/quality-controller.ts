/**
 * How good is the call's connection? Reads the call's statistics every {@link DEFAULT_INTERVAL_MS}
 * while asked to, and reports the level and figures whenever they change (the policy, its
 * thresholds and their sources are in call/quality.ts).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  assessQuality,
  needsLongerInterval,
  sameQuality,
  sampleFromStats,
  smoothLevel,
  type Quality,
  type QualityLevel,
  type QualitySample,
} from '../call/quality.js';

/** How often the statistics are read, in ms. */
export const DEFAULT_INTERVAL_MS = 2_000;

export interface QualityOptions {
  /** The current call's statistics (W3C webrtc-stats), or null without a call. */
  getStats(): Promise<RTCStatsReport | null>;
  /** The level or one of the (rounded) figures changed; `quality` is also `value` now. */
  onChange(quality: Quality): void;
  /** How often the statistics are read while watching, in ms (default {@link DEFAULT_INTERVAL_MS}). */
  intervalMs?: number;
}

/** Reactive controller that measures the connection's quality while asked to (see the file comment). */
export class QualityController implements ReactiveController {
  /** The last quality reported (level smoothed against flapping), or null before the first or when not watching. */
  value: Quality | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #options: QualityOptions;
  #interval: ReturnType<typeof setInterval> | undefined;
  /** The sample the next interval starts from. */
  #previous: QualitySample | null = null;
  /** The previous interval's own (unsmoothed) level. */
  #previousRaw: QualityLevel | null = null;

  constructor(host: ReactiveControllerHost, options: QualityOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.watch(false);
  }

  /**
   * Starts (true) or stops (false) measuring; asking for what is already so changes nothing. Stopping forgets the
   * samples and sets `value` to null (without `onChange`: there is no quality to report).
   */
  watch(on: boolean): void {
    if (on === (this.#interval !== undefined)) return; // already so: keep the readings
    clearInterval(this.#interval);
    this.#interval = undefined;
    this.#previous = null;
    this.#previousRaw = null;
    if (this.value !== null) {
      this.value = null;
      this.#host.requestUpdate();
    }
    if (!on) return;
    const interval = setInterval(() => void this.#read(interval), this.#options.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.#interval = interval;
  }

  /** True while measuring. */
  get watching(): boolean {
    return this.#interval !== undefined;
  }

  async #read(interval: ReturnType<typeof setInterval>): Promise<void> {
    let report: RTCStatsReport | null;
    try {
      report = await this.#options.getStats();
    } catch {
      return; // the connection closed meanwhile: the next read (or watch(false)) settles it
    }
    if (interval !== this.#interval || !report) return;
    const current = sampleFromStats(report);
    const previous = this.#previous;
    if (previous === null) {
      this.#previous = current; // the first interval starts here
      return;
    }
    if (current.at <= previous.at || needsLongerInterval(previous, current)) return;
    this.#previous = current;
    const raw = assessQuality(previous, current);
    const level = smoothLevel(this.value?.level ?? null, this.#previousRaw, raw.level);
    this.#previousRaw = raw.level;
    const quality: Quality = { ...raw, level };
    if (sameQuality(quality, this.value)) return;
    this.value = quality;
    this.#host.requestUpdate();
    this.#options.onChange(quality);
  }
}
