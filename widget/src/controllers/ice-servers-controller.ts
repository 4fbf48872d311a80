/**
 * ICE servers for the calls of one room membership: asked for right after joining (so that a
 * call never waits on a token request), asked for again at 80 % of their lifetime, and handed
 * to a running call with `setConfiguration()`, so that an ICE restart late in a long call still
 * has valid TURN credentials.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { IceServer, IceServersResult } from 'video-call-protocol';
import { VideoCallError } from '../errors.js';

/** Credentials are asked for again when this share of their lifetime (`ttl`) has passed … */
const REFRESH_AT = 0.8;
/** … but never sooner than this (ms); a failed request is tried again after twice this. */
const MIN_REFRESH_MS = 5_000;

export interface IceServersControllerOptions {
  /** Asks the signal service (`ice:servers`); rejects when it refuses or does not answer. */
  request(): Promise<IceServersResult>;
  /** New servers while a call may be running (refreshed credentials). */
  onRefresh(iceServers: IceServer[]): void;
  /** The first answer after `fetch()` is in `current` (empty when the request failed). */
  onFetched?(iceServers: IceServer[]): void;
  /** The service answered with only the STUN fallback (`degraded`), or refused: no TURN. */
  onDegraded(): void;
}

/** Reactive controller holding the room's current ICE servers (see the file comment). */
export class IceServersController implements ReactiveController {
  /** The servers once known; until then a promise of them (empty when the request failed). */
  current: IceServer[] | Promise<IceServer[]> = [];

  readonly #options: IceServersControllerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;

  constructor(host: ReactiveControllerHost, options: IceServersControllerOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Asks for servers now (after a join or rejoin) and keeps them fresh until `stop()`. */
  fetch(): void {
    this.stop();
    const generation = this.#generation;
    const pending = this.#request(generation);
    this.current = pending;
    void pending.then((servers) => {
      if (generation !== this.#generation) return;
      this.current = servers;
      this.#options.onFetched?.(servers);
    });
  }

  /** Stops refreshing (leaving the room). */
  stop(): void {
    this.#generation++;
    clearTimeout(this.#timer);
  }

  async #request(generation: number): Promise<IceServer[]> {
    try {
      const result = await this.#options.request();
      if (generation !== this.#generation) return result.iceServers;
      if (result.degraded) this.#options.onDegraded();
      if (result.ttl !== undefined) this.#schedule(generation, Math.max(MIN_REFRESH_MS, result.ttl * 1000 * REFRESH_AT));
      return result.iceServers;
    } catch (error) {
      if (generation !== this.#generation) return [];
      // A refusal leaves calls without TURN; a dropped connection is retried after the rejoin.
      if (error instanceof VideoCallError && error.code === 'ice-degraded') this.#options.onDegraded();
      this.#schedule(generation, MIN_REFRESH_MS * 2);
      return []; // host candidates still work on the same network
    }
  }

  #schedule(generation: number, delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(async () => {
      const servers = await this.#request(generation);
      if (generation !== this.#generation || servers.length === 0) return;
      this.current = servers;
      this.#options.onRefresh(servers);
    }, delayMs);
  }
}
