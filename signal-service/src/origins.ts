/**
 * Which web pages may use the service: the `ALLOWED_ORIGINS` policy, shared by the HTTP routes
 * (app.ts) and the socket.io handshake (signaling.ts).
 *
 * Browsers send the page's origin in the `Origin` header (RFC 6454 §7; Fetch standard) on every
 * WebSocket handshake and every CORS request, and a page cannot forge it. CORS does not cover
 * WebSockets: a browser opens a WebSocket to any server and leaves the decision to the server, so
 * the handshake itself has to check `Origin`.
 *
 * - Unrestricted (`ALLOWED_ORIGINS` unset): every origin, and requests without `Origin`, pass.
 * - Restricted: an origin passes only if it is in the list (exact match after normalization, see
 *   config.ts). A socket.io handshake WITHOUT `Origin` is refused: browsers always send it on
 *   WebSockets and on cross-origin long-polling, so its absence means a non-browser client or a
 *   same-origin polling request (the service's own demo page falling back to polling).
 *   HTTP requests without `Origin` (monitoring, curl, page navigations) are not refused.
 *
 * `Origin` is a browser guarantee only: a non-browser client can send any value. This policy
 * stops other web sites from embedding the service; room tickets (tickets.ts) decide who may
 * join which room.
 */

/** The error code and message the HTTP routes send for a refused origin. */
export const ORIGIN_NOT_ALLOWED = {
  code: 'origin-not-allowed',
  message: 'This site is not allowed to use the video-call service.',
} as const;

export interface OriginPolicy {
  /** False when any origin may connect (`ALLOWED_ORIGINS` unset). */
  readonly restricted: boolean;
  /** The allowed origins, normalized; undefined when unrestricted. */
  readonly allowedOrigins?: readonly string[];
  /**
   * Whether a request carrying this `Origin` header value (undefined when absent) passes.
   * `requireOrigin`: whether a missing header fails when restricted (socket.io handshakes: yes;
   * plain HTTP: no).
   */
  allows(origin: string | undefined, requireOrigin: boolean): boolean;
}

/** Builds the policy from the parsed `ALLOWED_ORIGINS` (undefined: unrestricted). */
export function createOriginPolicy(allowedOrigins?: readonly string[]): OriginPolicy {
  if (allowedOrigins === undefined) {
    return { restricted: false, allows: () => true };
  }
  const allowed = new Set(allowedOrigins);
  return {
    restricted: true,
    allowedOrigins: [...allowed],
    allows: (origin, requireOrigin) => (origin === undefined ? !requireOrigin : allowed.has(origin)),
  };
}

/**
 * The single `Origin` value of a Node request's headers, or undefined when absent. A repeated
 * header (an array) or an empty one counts as a value no list contains.
 */
export function originHeader(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers.origin;
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}
