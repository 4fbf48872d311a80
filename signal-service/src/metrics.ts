/**
 * The service's Prometheus metrics (prom-client), served at `GET /metrics` (app.ts).
 *
 * Each service has its own Registry (not prom-client's global one), so one process may run
 * several services (tests, or a host app that mounts the service next to its own metrics).
 *
 * Metrics (all of this node; sum them over nodes):
 * - `video_call_sockets` (gauge): socket.io connections held.
 * - `video_call_rooms` (gauge): rooms with at least one member connected to this node.
 * - `video_call_members` (gauge): room members connected to this node.
 * - `video_call_joins_total{outcome}` (counter): answered `room:join` requests, `outcome` = `ok`
 *   or the error code (`room-full`, `invalid-payload`, `ticket-required`, `ticket-invalid`,
 *   `ticket-expired`, `ticket-wrong-room`, `rejoin-invalid`, `overloaded`, `rate-limited`, …).
 * - `video_call_relayed_messages_total{kind}` (counter): signals relayed, by signal kind (`ring`,
 *   `accept`, `decline`, `hang-up`, `description`, `candidate`, `chat`).
 * - `video_call_refused_requests_total{event,code}` (counter): requests answered `{ ok: false }`,
 *   by event (`room:join`, …, `unknown` for events of no known name) and error code.
 * - `video_call_rate_limited_total{event}` (counter): requests refused `rate-limited`.
 * - `video_call_ice_server_requests_total{provider,outcome}` (counter): `ice:servers` requests by
 *   provider (`static`, `twilio`, `turn-rest`) and outcome (`ok`; `degraded`: the provider failed
 *   and only the STUN fallback was given; or the error code).
 * - `video_call_handshakes_refused_total{code}` (counter): new connections refused before they
 *   existed (`service-full`, `too-many-connections`, `rate-limited`, `overloaded`, `draining`,
 *   `origin-not-allowed`).
 * - `video_call_event_loop_lag_seconds` (gauge): how late the load monitor's last 250 ms tick
 *   fired (the input of load shedding); `video_call_overloaded` (gauge, 0 or 1): shedding now.
 * - `video_call_draining` (gauge, 0 or 1): the node is draining (drain.ts).
 * - prom-client's default metrics: `process_cpu_seconds_total`, `process_resident_memory_bytes`,
 *   `process_open_fds`, `nodejs_eventloop_lag_seconds`, `nodejs_eventloop_lag_p99_seconds` (over
 *   the time since the last scrape, sampled every 100 ms), `nodejs_heap_size_used_bytes`,
 *   `nodejs_gc_duration_seconds`, … (unless `defaultMetrics: false`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Ack } from 'video-call-protocol';
import { createAddressMatcher, type ClientInfo } from './trusted-proxy.js';

/** Where the gauges read their values, at each scrape. */
export interface MetricsSources {
  /** socket.io (engine.io) connections held. */
  sockets(): number;
  /** Rooms with a member on this node, and those members. */
  occupancy(): { rooms: number; members: number };
  /** The load monitor's last lag, ms. */
  lagMs(): number;
  /** Whether load shedding is on. */
  overloaded(): boolean;
  /** Whether the node is draining. */
  draining(): boolean;
}

export interface MetricsOptions {
  /** The ICE provider's kind, the `provider` label of ICE server requests. */
  iceProvider: string;
  /** Also collect prom-client's process and Node.js metrics; default true. */
  defaultMetrics?: boolean;
}

/** The service's metrics: the registry and the hooks the service calls. */
export interface ServiceMetrics {
  readonly registry: Registry;
  /**
   * One answered client request: `event` is its name (or `unknown`), `payload` what the client
   * sent (read only for a relayed signal's validated `kind`), `result` the answer.
   */
  answered(event: string, payload: unknown, result: Ack<object>): void;
  /** A new connection refused before it existed, with its refusal code. */
  handshakeRefused(code: string): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** `Content-Type` of {@link render}'s text. */
  readonly contentType: string;
}

/** Creates the registry and the metrics listed in the file comment. */
export function createMetrics(sources: MetricsSources, options: MetricsOptions): ServiceMetrics {
  const registry = new Registry();
  const registers = [registry];
  new Gauge({
    name: 'video_call_sockets',
    help: 'socket.io connections held by this node.',
    registers,
    collect() {
      this.set(sources.sockets());
    },
  });
  new Gauge({
    name: 'video_call_rooms',
    help: 'Rooms with at least one member connected to this node.',
    registers,
    collect() {
      this.set(sources.occupancy().rooms);
    },
  });
  new Gauge({
    name: 'video_call_members',
    help: 'Room members connected to this node.',
    registers,
    collect() {
      this.set(sources.occupancy().members);
    },
  });
  new Gauge({
    name: 'video_call_event_loop_lag_seconds',
    help: "How late the load monitor's last 250 ms tick fired, in seconds.",
    registers,
    collect() {
      this.set(sources.lagMs() / 1000);
    },
  });
  new Gauge({
    name: 'video_call_overloaded',
    help: '1 while new connections and joins are shed for load, else 0.',
    registers,
    collect() {
      this.set(sources.overloaded() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'video_call_draining',
    help: '1 while this node drains (shutting down), else 0.',
    registers,
    collect() {
      this.set(sources.draining() ? 1 : 0);
    },
  });
  const joins = new Counter({
    name: 'video_call_joins_total',
    help: 'Answered room:join requests, by outcome (ok or the error code).',
    labelNames: ['outcome'],
    registers,
  });
  const relayed = new Counter({
    name: 'video_call_relayed_messages_total',
    help: 'Signals relayed between room members, by signal kind.',
    labelNames: ['kind'],
    registers,
  });
  const refused = new Counter({
    name: 'video_call_refused_requests_total',
    help: 'Requests answered with an error, by event and error code.',
    labelNames: ['event', 'code'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'video_call_rate_limited_total',
    help: 'Requests refused as rate-limited, by event.',
    labelNames: ['event'],
    registers,
  });
  const ice = new Counter({
    name: 'video_call_ice_server_requests_total',
    help: 'ice:servers requests, by provider and outcome (ok, degraded, or the error code).',
    labelNames: ['provider', 'outcome'],
    registers,
  });
  const handshakes = new Counter({
    name: 'video_call_handshakes_refused_total',
    help: 'New connections refused at the handshake, by refusal code.',
    labelNames: ['code'],
    registers,
  });
  if (options.defaultMetrics ?? true) {
    // 100 ms sampling: 10 wake-ups a second (prom-client's default of 10 ms costs an idle service ~1 % of a core).
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  }

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    handshakeRefused: (code) => handshakes.inc({ code }),
    answered(event, payload, result) {
      const outcome = result.ok ? 'ok' : result.error.code;
      if (!result.ok) {
        refused.inc({ event, code: outcome });
        if (outcome === 'rate-limited') rateLimited.inc({ event });
      }
      if (event === 'room:join') joins.inc({ outcome });
      else if (event === 'ice:servers')
        ice.inc({
          provider: options.iceProvider,
          outcome: result.ok && (result as { degraded?: boolean }).degraded ? 'degraded' : outcome,
        });
      else if (event === 'signal:relay' && result.ok) {
        // Answered ok only after validation: `kind` is one of the protocol's kinds.
        const kind = (payload as { signal?: { kind?: unknown } } | undefined)?.signal?.kind;
        if (typeof kind === 'string') relayed.inc({ kind });
      }
    },
  };
}

/** Addresses that may read /metrics when no `METRICS_TOKEN` is set: this machine and private networks. */
const isPrivate = createAddressMatcher(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Who may read `/metrics`:
 * - with `METRICS_TOKEN` (`token`): a request with `Authorization: Bearer <token>` (compared in
 *   constant time), from anywhere; otherwise `unauthorized` (401);
 * - without it: clients on this machine or a private network (loopback, 10/8, 172.16/12,
 *   192.168/16, 169.254/16, fc00::/7, fe80::/10; the client address as TRUST_PROXY resolves it),
 *   unless the request came through a proxy that TRUST_PROXY does not list (`client.unsure`:
 *   forwarding headers not believed; the address is then the proxy's, and a proxy usually sits on
 *   a private address); otherwise `forbidden` (403).
 */
export function metricsAccess(
  token: string | undefined,
  authorization: string | undefined,
  client: Pick<ClientInfo, 'address' | 'unsure'>,
): 'ok' | 'unauthorized' | 'forbidden' {
  if (token === undefined) return !client.unsure && isPrivate(client.address) ? 'ok' : 'forbidden';
  const given = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
  // Equal-length digests: the comparison takes the same time whatever was sent.
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token)) && given !== '' ? 'ok' : 'unauthorized';
}
