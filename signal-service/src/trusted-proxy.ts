/**
 * Who the client is when the service runs behind a reverse proxy (nginx, a load balancer): the
 * `TRUST_PROXY` setting, in the spirit of Express's `trust proxy`.
 *
 * Behind a proxy every TCP connection comes from the proxy, and the proxy says who its client was
 * in `X-Forwarded-For` (and how it was reached in `X-Forwarded-Proto` / `X-Forwarded-Host`). Any
 * client can send those headers too, so they are believed only from peers that are trusted:
 *
 * - unset (or `false`): the headers are ignored; the client is the TCP peer.
 * - a list of addresses and CIDR ranges (`127.0.0.1`, `10.0.0.0/8`, `fd00::/8`) and the
 *   keywords `loopback` (127.0.0.0/8, ::1), `linklocal` (169.254.0.0/16, fe80::/10) and
 *   `uniquelocal` (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7): starting from the TCP
 *   peer, each address that is trusted hands over to the one before it in `X-Forwarded-For`
 *   (read right to left); the client is the first address that is not trusted (or the leftmost).
 * - a whole number N (1–10): the N hops nearest the service are proxies, whoever they are; the
 *   client is the N-th address from the right of [...X-Forwarded-For, peer]. Safe only when the
 *   service cannot be reached except through those proxies.
 *
 * `X-Forwarded-Proto` and `X-Forwarded-Host` (their first value) are believed when the TCP peer
 * is trusted. A request whose forwarding headers were not believed (or not read to their end) is
 * marked `unsure`: it probably came through a proxy that TRUST_PROXY does not list, so its address
 * is the proxy's (metrics.ts refuses such requests its private-address access). An `X-Forwarded-For` entry that is not an IP address ends the walk: the client is
 * then the last trusted hop (never a made-up string); a port after an entry (`203.0.113.7:51234`,
 * `[2001:db8::7]:51234`, as some proxies write them) is dropped. IPv4-mapped IPv6 addresses
 * (`::ffff:192.0.2.1`) are written as IPv4, so one client has one key in the per-address limits.
 * Matching uses node:net's BlockList.
 */
import { BlockList, isIP } from 'node:net';

/** The parsed `TRUST_PROXY`. */
export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'list'; entries: string[] };

/** What the service believes about one request's client. */
export interface ClientInfo {
  /** The client's IP address (IPv4 written as such, even on an IPv6 socket); `''` when unknown. */
  address: string;
  /** `https` when a trusted proxy says the client came over TLS (`X-Forwarded-Proto`), else `http`. */
  proto: 'http' | 'https';
  /**
   * The `Host` the client used (X-Forwarded-Host from a trusted proxy, else `Host`), when it is a
   * well-formed `host[:port]`; undefined otherwise.
   */
  host?: string;
  /**
   * True when the request carries forwarding headers (`X-Forwarded-For`, `Forwarded`,
   * `X-Real-IP`) that were not believed (an untrusted peer: a proxy missing from `TRUST_PROXY`, or
   * a client making them up) or could not be read to their end (a malformed `X-Forwarded-For`
   * entry, or a trusted peer that names its client only in a header other than
   * `X-Forwarded-For`): `address` is then probably a proxy's, not the client's. Absent otherwise.
   */
  unsure?: true;
}

/** The minimum of a Node request that {@link ClientResolver} reads. */
export interface RequestLike {
  socket?: { remoteAddress?: string } | null;
  headers: Record<string, string | string[] | undefined>;
}

/** Turns a request into its {@link ClientInfo} under one `TRUST_PROXY` policy. */
export type ClientResolver = (req: RequestLike) => ClientInfo;

const KEYWORDS: Record<string, [string, number][]> = {
  loopback: [
    ['127.0.0.0', 8],
    ['::1', 128],
  ],
  linklocal: [
    ['169.254.0.0', 16],
    ['fe80::', 10],
  ],
  uniquelocal: [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['fc00::', 7],
  ],
};

/** Headers by which proxies name the client they forward (Node lower-cases header names). */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;
const UNSURE = { unsure: true } as const;

/** Most hops a number may trust. */
const MAX_HOPS = 10;

/**
 * Parses a `TRUST_PROXY` value. Returns the policy, or a message saying what is wrong with it
 * (the value itself is not repeated beyond the offending entry).
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | { error: string } {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return { kind: 'none' };
  // "00" and the like are not "0": a number of proxies is 1 to MAX_HOPS, written plainly.
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (text.startsWith('0') || hops > MAX_HOPS) return { error: `a number of proxies must be from 1 to ${MAX_HOPS}` };
    return { kind: 'hops', hops };
  }
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!Object.hasOwn(KEYWORDS, entry) && !parseRange(entry)) {
      return { error: `"${entry.slice(0, 64)}" is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal` };
    }
  }
  return { kind: 'list', entries };
}

/** `addr` or `addr/prefix` → [normalized address, prefix, family], or undefined when malformed. */
function parseRange(entry: string): [string, number, 'ipv4' | 'ipv6'] | undefined {
  const [rawAddress, rawPrefix, extra] = entry.split('/');
  if (extra !== undefined || rawAddress === undefined) return undefined;
  const address = normalizeAddress(rawAddress);
  const family = isIP(address);
  if (family === 0) return undefined;
  const max = family === 4 ? 32 : 128;
  if (rawPrefix === undefined) return [address, max, family === 4 ? 'ipv4' : 'ipv6'];
  if (!/^\d{1,3}$/.test(rawPrefix) || Number(rawPrefix) > max) return undefined;
  return [address, Number(rawPrefix), family === 4 ? 'ipv4' : 'ipv6'];
}

/** `::ffff:192.0.2.1` → `192.0.2.1`; other values unchanged (trimmed). */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/**
 * An `X-Forwarded-For` entry as an address: some proxies (Azure Application Gateway, some CDNs)
 * add the client's port, `203.0.113.7:51234` or `[2001:db8::7]:51234`, which is dropped.
 */
function forwardedAddress(entry: string): string {
  const trimmed = entry.trim();
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(trimmed) ?? /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/.exec(trimmed);
  return normalizeAddress(withPort ? withPort[1]! : trimmed);
}

/** `host[:port]` as a Host header may carry it (a name, IPv4, or [IPv6]); anything else is not used. */
const HOST_PATTERN = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** A header's host value when well-formed, else undefined. */
function hostValue(header: string | string[] | undefined): string | undefined {
  const value = firstValue(header);
  return value !== undefined && HOST_PATTERN.test(value) ? value : undefined;
}

/** The first comma-separated value of a header, trimmed; undefined when absent or empty. */
function firstValue(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  const first = text?.split(',')[0]?.trim();
  return first ? first : undefined;
}

/**
 * A test of addresses against `entries` (addresses, CIDR ranges and the keywords above, as
 * {@link parseTrustProxy} accepts them; others are ignored). Not an IP address: false.
 */
export function createAddressMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const ranges = Object.hasOwn(KEYWORDS, entry) ? KEYWORDS[entry]! : [parseRange(entry)].filter((range) => range !== undefined);
    for (const [address, prefix] of ranges) list.addSubnet(address, prefix, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  }
  return (address) => {
    const normalized = normalizeAddress(address);
    const family = isIP(normalized);
    return family !== 0 && list.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * Builds the resolver for `policy` (default: trust nobody). Pure and cheap: one BlockList check
 * per hop, no allocation beyond splitting `X-Forwarded-For`.
 */
export function createClientResolver(policy: TrustProxy = { kind: 'none' }): ClientResolver {
  let trusted: (address: string, index: number) => boolean;
  if (policy.kind === 'none') {
    trusted = () => false;
  } else if (policy.kind === 'hops') {
    trusted = (_address, index) => index < policy.hops;
  } else {
    trusted = createAddressMatcher(policy.entries);
  }

  return (req) => {
    const peer = normalizeAddress(req.socket?.remoteAddress ?? '');
    const peerTrusted = trusted(peer, 0);
    const hostHeader = hostValue(req.headers.host);
    const claims = FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined);
    if (!peerTrusted) return { address: peer, proto: 'http', host: hostHeader, ...(claims && UNSURE) };

    // Right to left: the peer, then what each trusted hop says about the one before it.
    const forwarded = (
      Array.isArray(req.headers['x-forwarded-for']) ? req.headers['x-forwarded-for'].join(',') : (req.headers['x-forwarded-for'] ?? '')
    )
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    // Unsure unless X-Forwarded-For names someone: a trusted peer that said who its client was
    // only in another header (X-Real-IP, Forwarded) leaves the proxy's own address here.
    let unsure = claims && forwarded.length === 0;
    let address = peer;
    for (let index = 0; trusted(address, index) && forwarded.length > 0; index++) {
      const next = forwardedAddress(forwarded.pop()!);
      if (isIP(next) === 0) {
        unsure = true;
        break;
      }
      address = next;
    }
    const proto = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase();
    return {
      address,
      proto: proto === 'https' ? 'https' : 'http',
      host: hostValue(req.headers['x-forwarded-host']) ?? hostHeader,
      ...(unsure && UNSURE),
    };
  };
}
