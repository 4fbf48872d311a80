/**
 * Is a participant still there while their connection to the signal service is down? Their
 * media tells: the leg's inbound RTP is read every {@link CHECK_INTERVAL_MS}, and when no packet
 * arrived for {@link STALL_MS} they are gone (closed or crashed tab, lost network).
 */

/** How often inbound RTP is read while watching, in ms. */
const CHECK_INTERVAL_MS = 500;
/** No RTP packet for this long (ms) means the participant is gone. */
const STALL_MS = 1_500;

export interface LegMediaWatchOptions {
  /** The leg's statistics (W3C webrtc-stats), or null without a connection. */
  getStats(): Promise<RTCStatsReport | null>;
  /** No packet arrived for {@link STALL_MS} while watching. */
  onStalled(): void;
}

/** Watches one leg's inbound media while asked to (see the file comment). */
export class LegMediaWatch {
  readonly #options: LegMediaWatchOptions;
  #interval: ReturnType<typeof setInterval> | undefined;

  constructor(options: LegMediaWatchOptions) {
    this.#options = options;
  }

  /** Starts (true) or stops (false) watching. Starting again restarts the watch. */
  watch(on: boolean): void {
    clearInterval(this.#interval);
    this.#interval = undefined;
    if (!on) return;
    let lastCount = -1;
    let lastChangeAt = Date.now();
    const interval = setInterval(() => {
      void this.#packetsReceived().then((count) => {
        if (interval !== this.#interval) return;
        if (count !== lastCount) {
          lastCount = count;
          lastChangeAt = Date.now();
        } else if (Date.now() - lastChangeAt >= STALL_MS) {
          this.watch(false);
          this.#options.onStalled();
        }
      });
    }, CHECK_INTERVAL_MS);
    this.#interval = interval;
  }

  async #packetsReceived(): Promise<number> {
    let total = 0;
    (await this.#options.getStats().catch(() => null))?.forEach((report: RTCStats) => {
      if (report.type === 'inbound-rtp') total += (report as RTCInboundRtpStreamStats).packetsReceived ?? 0;
    });
    return total;
  }
}
