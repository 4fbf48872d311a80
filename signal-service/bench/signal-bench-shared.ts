/**
 * What the two threads of the signal service benchmark (`npm run bench`) share: the run's
 * parameters, and the messages and results that pass between the main thread (signal-bench.ts:
 * the service and the report) and the clients' worker thread (signal-bench-clients.ts). Both
 * threads import this file; it has no side effects.
 */
// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/** N: connected clients, two a room (N / 2 rooms). */
export const CLIENTS = 200;
/** M: ICE candidates each member relays to its peer in the relay burst. */
export const RELAYS_PER_MEMBER = 200;
/** In the burst, every k-th relay of a member carries an acknowledgement: the latency sample under load. */
export const BURST_ACK_EVERY = 10;
/** Candidate relays sent one at a time (awaiting each ack), nothing else running. */
export const IDLE_RELAY_SAMPLES = 200;
/** Size of the SDP offer relayed, in bytes (characters; SDP is ASCII). */
export const SDP_BYTES = 10 * 1024;
/** SDP offers relayed one at a time. */
export const SDP_SAMPLES = 100;
/** `ice:servers` requests sent one at a time (spread over the clients). */
export const ICE_SAMPLES = 200;
/**
 * Clients of the warm-up round (connect, join, relay, ice, disconnect) run before any figure: as
 * many as measured, so the service's tables have already grown to that size in the baseline.
 */
export const WARM_UP_CLIENTS = CLIENTS;
/** Candidates each member relays in the warm-up burst. */
export const WARM_UP_RELAYS_PER_MEMBER = 20;
/** Longest wait for any one step before the run gives up. */
export const STEP_TIMEOUT_MS = 15_000;
/** The whole run stops (exit status 1) if it has not finished by then. */
export const RUN_DEADLINE_MS = 55_000;
/** Budget points per window: large enough never to refuse anything in this run. */
export const GENEROUS_POINTS = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Messages and results between the two threads
// ---------------------------------------------------------------------------------------------

/** What the main thread asks the clients' worker to do; the result types are below. */
export type Op =
  | 'warm-up'
  | 'connect'
  | 'join-one-at-a-time'
  | 'leave-all'
  | 'join-all-at-once'
  | 'relay-one-at-a-time'
  | 'relay-burst'
  | 'sdp-one-at-a-time'
  | 'ice-one-at-a-time'
  | 'disconnect';

/** Latencies of `ms.length` requests, and the wall time from the first send to the last answer. */
export interface Timing {
  ms: number[];
  wallMs: number;
}

/** The result of `relay-burst`. */
export interface BurstResult {
  sent: number;
  delivered: number;
  /** From the first send to the last delivery. */
  wallMs: number;
  /** Ack round trips of the sampled relays (every BURST_ACK_EVERY-th). */
  ackMs: number[];
}

/** The result of `sdp-one-at-a-time`: latencies, and the size of the SDP offer relayed (characters). */
export interface SdpResult extends Timing {
  bytes: number;
}

/** The result of `disconnect`: the run's health, counted by the clients. */
export interface DisconnectResult {
  /** Disconnections nobody asked for during the run (ping timeouts, server cut-offs): should be 0. */
  unexpectedDisconnects: number;
  /** Requests answered `{ ok: false }` during the run: should be 0. */
  refused: number;
}

/** Main thread to worker: run `op` against the service at `url`; the answer carries the same `id`. */
export type ToWorker = { id: number; op: Op; url: string };
/** Worker to main thread: `ready` once, first; then one result or error per request `id`. */
export type FromWorker = { ready: true } | { id: number; result: unknown } | { id: number; error: string };

/** Resolves after one turn of the event loop (`setImmediate`): the clients' burst rounds, the main thread's gc rounds. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
