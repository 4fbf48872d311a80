/**
 * Who speaks in the call: the participants' audio levels read every
 * {@link SPEAKING_SAMPLE_MS} (RTCRtpReceiver synchronization sources: no getStats) while media
 * flows (from {@link SPEAKING_FIRST_SAMPLE_MS} after it starts: off the call's set-up), turned into speaking / not speaking with hysteresis by call/speaking.ts. Re-renders only
 * when someone starts or stops speaking.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { activeSpeaker, SPEAKING_FIRST_SAMPLE_MS, SPEAKING_SAMPLE_MS, trackVoices, type VoiceTrack } from '../call/speaking.js';

export interface SpeakingOptions {
  /** The recent audio level (0–1) of each participant in `ids`, by id. */
  levels(ids: Iterable<string>): Record<string, number>;
}

/** Reactive controller tracking who speaks (see the file comment). */
export class SpeakingController implements ReactiveController {
  /** The participant who speaks now (or spoke last), by `peerId`, or null. */
  active: string | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #options: SpeakingOptions;
  #voices: Record<string, VoiceTrack> = {};
  #ids: string[] = [];
  #interval: ReturnType<typeof setInterval> | undefined;
  /** The wait before the first read, while it runs. */
  #firstSample: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, options: SpeakingOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.listen([]);
  }

  /** True while participant `peerId` speaks. */
  speaking(peerId: string): boolean {
    return this.#voices[peerId]?.speaking === true;
  }

  /** Listens to the participants `peerIds` (those whose media flows); none stops listening. */
  listen(peerIds: string[]): void {
    const same = peerIds.length === this.#ids.length && peerIds.every((id, i) => id === this.#ids[i]);
    if (same) return;
    this.#ids = [...peerIds];
    if (peerIds.length === 0) {
      clearTimeout(this.#firstSample);
      clearInterval(this.#interval);
      this.#interval = this.#firstSample = undefined;
      this.#update({});
      return;
    }
    if (this.#interval || this.#firstSample) return;
    this.#firstSample = setTimeout(() => {
      this.#firstSample = undefined;
      this.#interval = setInterval(() => this.#sample(), SPEAKING_SAMPLE_MS);
    }, SPEAKING_FIRST_SAMPLE_MS);
  }

  #sample(): void {
    const levels = this.#options.levels(this.#ids);
    const voices = trackVoices(this.#voices, levels, performance.now());
    this.#update(voices, levels);
  }

  #update(voices: Record<string, VoiceTrack>, levels: Record<string, number> = {}): void {
    const before = this.#signature();
    this.#voices = voices;
    this.active = activeSpeaker(this.active, voices, levels);
    if (this.#signature() !== before) this.#host.requestUpdate();
  }

  /** Who speaks and who is active, as one string (a re-render only when it changes). */
  #signature(): string {
    const speaking = Object.keys(this.#voices).filter((id) => this.#voices[id]!.speaking);
    return `${this.active ?? ''}|${speaking.sort().join(',')}`;
  }
}
