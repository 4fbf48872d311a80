/**
 * Our legs, one per participant of the call (a full mesh): each a LegController (its
 * RTCPeerConnection and data channel), the watch on its media while its participant is away,
 * and its connection quality. The room machine opens and closes them by the member's `peerId`;
 * what concerns every leg at once (our tracks, a device switch, the screen, ICE servers, the
 * video cap, chat) is handed to each here.
 *
 * The topology lives in this one class: a later media-server (SFU) call, with one upstream
 * connection and a downstream subscription per participant, would be another set with the same
 * methods, and nothing above it would change.
 */
import type { ReactiveControllerHost } from 'lit';
import type { IceServer } from 'video-call-protocol';
import type { Quality } from '../call/quality.js';
import { LegController, type LegSetup, type LegSignal, type VideoCap } from './leg-controller.js';
import { LegMediaWatch } from './leg-media-watch.js';
import { QualityController } from './quality-controller.js';
import { SpareConnection, type ConnectionSettings } from './spare-connection.js';

/** What the legs report, each naming its leg by the member's `peerId`. */
export interface LegSetOptions {
  sendSignal(peerId: string, signal: LegSignal): void;
  onConnectionStateChange(peerId: string, state: RTCPeerConnectionState): void;
  onNoLocalCandidates(peerId: string): void;
  onChannelOpen(peerId: string): void;
  onChannelMessage(peerId: string, data: unknown): void;
  /** The away participant's media stopped (see leg-media-watch.ts). */
  onMediaStalled(peerId: string): void;
  /** The leg's quality changed (quality-controller.ts). */
  onQualityChange(peerId: string, quality: Quality): void;
}

/** One leg and what watches it. */
interface LegParts {
  connection: LegController;
  watch: LegMediaWatch;
  quality: QualityController;
}

/** See the file comment. */
export class LegSet {
  readonly #host: ReactiveControllerHost;
  readonly #options: LegSetOptions;
  readonly #legs = new Map<string, LegParts>();
  /** What every leg sends besides the camera: the shared screen, and the video cap. */
  #screen: MediaStream | null = null;
  #videoCap: VideoCap | null = null;
  /** A connection made while no call runs, for the next leg (spare-connection.ts). */
  readonly #spare = new SpareConnection();

  constructor(host: ReactiveControllerHost, options: LegSetOptions) {
    this.#host = host;
    this.#options = options;
  }

  /** The connection of the leg to `peerId`, or undefined. */
  get(peerId: string): LegController | undefined {
    return this.#legs.get(peerId)?.connection;
  }

  /** The `peerId`s of the legs, in the order they were opened. */
  get peerIds(): string[] {
    return [...this.#legs.keys()];
  }

  /** Settles once the first offer of every new leg is out (LegController.offerSent); null when none is being made. */
  offersSent(): Promise<void> | null {
    const pending = [...this.#legs.values()].flatMap(({ connection }) => connection.offerSent ?? []);
    return pending.length ? Promise.all(pending).then(() => undefined) : null;
  }

  /** Opens the leg to `peerId` (a fresh connection: an older one to them is closed first). */
  open(peerId: string, setup: LegSetup): void {
    this.close(peerId);
    const o = this.#options;
    const connection = new LegController(this.#host, {
      sendSignal: (signal) => o.sendSignal(peerId, signal),
      onConnectionStateChange: (state) => o.onConnectionStateChange(peerId, state),
      onNoLocalCandidates: () => o.onNoLocalCandidates(peerId),
      onOpen: () => o.onChannelOpen(peerId),
      onMessage: (data) => o.onChannelMessage(peerId, data),
    });
    const getStats = () => connection.getStats();
    const parts: LegParts = {
      connection,
      watch: new LegMediaWatch({ getStats, onStalled: () => o.onMediaStalled(peerId) }),
      quality: new QualityController(this.#host, { getStats, onChange: (quality) => o.onQualityChange(peerId, quality) }),
    };
    this.#legs.set(peerId, parts);
    const { iceServers, iceTransportPolicy = 'all' } = setup;
    connection.open(Array.isArray(iceServers) ? { ...setup, connection: this.#spare.take({ iceServers, iceTransportPolicy }) } : setup);
    if (this.#videoCap) connection.capVideo(this.#videoCap);
    if (this.#screen) connection.shareScreen(this.#screen);
  }

  /** Closes the leg to `peerId`, if any. */
  close(peerId: string): void {
    const parts = this.#legs.get(peerId);
    if (!parts) return;
    this.#legs.delete(peerId);
    parts.watch.watch(false);
    parts.quality.watch(false);
    this.#host.removeController(parts.quality);
    parts.connection.close();
  }

  /** Closes every leg and the spare connection. */
  closeAll(): void {
    for (const peerId of this.peerIds) this.close(peerId);
    this.#screen = null;
    this.#spare.discard();
  }

  /**
   * Makes a connection ahead for the next leg, unless one is held (spare-connection.ts): called
   * while we are in the room with no call and the ICE servers are known.
   */
  prepareSpare(settings: ConnectionSettings): void {
    this.#spare.prepare(settings);
  }

  /** Closes the spare connection, if any (leaving the room). */
  discardSpare(): void {
    this.#spare.discard();
  }

  /** Watches (or stops watching) the media of the leg to `peerId`: its participant is away. */
  watchMedia(peerId: string, on: boolean): void {
    this.#legs.get(peerId)?.watch.watch(on);
  }

  /** Measures the quality of the legs in `peerIds` (those whose media flows), and only those. */
  measureQuality(peerIds: ReadonlySet<string>): void {
    for (const [peerId, parts] of this.#legs) parts.quality.watch(peerIds.has(peerId));
  }

  /** The last quality of the leg to `peerId`, or null. */
  quality(peerId: string): Quality | null {
    return this.#legs.get(peerId)?.quality.value ?? null;
  }

  /** The recent audio level (0–1) of each leg's participant, by `peerId`. */
  audioLevels(peerIds: Iterable<string>): Record<string, number> {
    const levels: Record<string, number> = {};
    for (const peerId of peerIds) levels[peerId] = this.get(peerId)?.audioLevel() ?? 0;
    return levels;
  }

  /** The camera or microphone changed: every leg that sends it gets the new track (replaceTrack). */
  replaceLocalTrack(kind: 'audio' | 'video', track: MediaStreamTrack): void {
    for (const parts of this.#legs.values()) parts.connection.replaceLocalTrack(kind, track);
  }

  /** Shares `stream` on every leg (and on legs opened later), or stops sharing (null). */
  shareScreen(stream: MediaStream | null): void {
    this.#screen = stream;
    for (const parts of this.#legs.values()) parts.connection.shareScreen(stream);
  }

  /** New ICE servers (refreshed TURN credentials) for every leg. */
  setIceServers(servers: IceServer[]): void {
    for (const parts of this.#legs.values()) parts.connection.setIceServers(servers);
  }

  /** Caps the camera video of every leg (and of legs opened later): call/bandwidth.ts. */
  capVideo(cap: VideoCap): void {
    if (this.#videoCap?.maxBitrateBps === cap.maxBitrateBps && this.#videoCap.scaleResolutionDownBy === cap.scaleResolutionDownBy) return;
    this.#videoCap = cap;
    for (const parts of this.#legs.values()) parts.connection.capVideo(cap);
  }

  /** Sends `data` over every open data channel; returns the `peerId`s it reached. */
  sendToAll(data: string): string[] {
    return [...this.#legs].filter(([, parts]) => parts.connection.sendOnChannel(data)).map(([peerId]) => peerId);
  }
}
