/**
 * The bench's pages, the same for `<video-call>`, `<vanilla-call>`, `<peerjs-call>` (with
 * PeerJS's browser bundle), `<connect-floor>` and (bench:group) `<vanilla-mesh>`.
 *
 * Pages are served by a small HTTP server in the bench process (127.0.0.1, its own port): both
 * elements are therefore cross-origin to the signal service in the same way (the widget's module
 * comes from the service with CORS, both open a WebSocket to it). Playwright request routing is
 * not used, so no request of either page goes through the DevTools protocol.
 *
 * Every page also gets bench/instrument.js before its own scripts (page.addInitScript): see there
 * what it records. It is plain JavaScript read from disk, not a serialised TypeScript function
 * (tsx would add helpers to it that do not exist in the page).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The init script every page gets. */
export const INSTRUMENT_FILE = fileURLToPath(new URL('./instrument.js', import.meta.url));
/** The init script of bench:group's pages. */
export const GROUP_INSTRUMENT_FILE = fileURLToPath(new URL('./group-instrument.js', import.meta.url));
const VANILLA_FILE = fileURLToPath(new URL('./vanilla-call.js', import.meta.url));
const MESH_FILE = fileURLToPath(new URL('./vanilla-mesh.js', import.meta.url));
const PEERJS_CALL_FILE = fileURLToPath(new URL('./peerjs-call.js', import.meta.url));
const FLOORS_FILE = fileURLToPath(new URL('./floors.js', import.meta.url));
/** PeerJS's browser bundle (a classic script that sets `window.peerjs`), as its package ships it. */
const PEERJS_BUNDLE = fileURLToPath(new URL('../node_modules/peerjs/dist/peerjs.min.js', import.meta.url));
const SOCKET_IO_ESM = fileURLToPath(new URL('../node_modules/socket.io-client/dist/socket.io.esm.min.js', import.meta.url));

/** What bench/instrument.js keeps in `window.__bench`. */
export interface PageRecord {
  /** Times at which each RTCPeerConnection first reached `connected`, in order. */
  connected: number[];
  /** First frame presented after `watchFrame(label)`, per label. */
  frames: Record<string, number>;
  /** `vc-state-change` events: [state, time]. */
  states: [string, number][];
  /** Times taken by the bench's own steps (`call`, `accept`). */
  marks: Record<string, number>;
  errors: string[];
  /** Set-up steps of the page's RTCPeerConnections: [label, time] (see instrument.js). */
  steps: [string, number][];
  /** Lit updates of the page (widget only): [start time, duration in ms]. */
  updates: [number, number][];
  /** While `tracing`: Lit `requestUpdate` calls, [time, stack]. */
  requests: [number, string][];
}

/** `__bench.summary()`: the record plus the element's state and whether it has `accept()`. */
export interface PageSummary extends PageRecord {
  state: string | undefined;
  hasAccept: boolean;
}

/** `window.__bench`, for page.evaluate callbacks. */
export interface BenchApi extends PageRecord {
  /** Set by the trace recorder: record `requestUpdate` calls. */
  tracing: boolean;
  now(): number;
  element(): (HTMLElement & { state: string; start(): Promise<void> }) | null;
  /** `part`: the video's part name, `remote-video` by default. */
  watchFrame(label: string, part?: string): void;
  invoke(method: 'call' | 'accept'): void;
  summary(): PageSummary;
}

declare global {
  interface Window {
    __bench: BenchApi;
  }
}

export interface PageOptions {
  /**
   * `vanilla`: bench/vanilla-call.js; `mesh`: bench/vanilla-mesh.js; `peerjs`:
   * bench/peerjs-call.js; `floor`: bench/floors.js's `<connect-floor>` (one page, no service).
   */
  element: 'widget' | 'vanilla' | 'mesh' | 'peerjs' | 'floor';
  room: string;
  name: string;
  /** Widget only: the `auto-answer` attribute. */
  autoAnswer?: boolean;
  /** Vanilla only: the `hold-media` attribute (the accept floor). */
  holdMedia?: boolean;
  /** PeerJS only: whom `call()` calls (a name in the same room). */
  peer?: string;
  /** Widget only: load the other build (`PageExtras.widgetBDir`, served at `/b/`) instead of the service's. */
  buildB?: boolean;
}

/** What some elements need besides the signal service. */
export interface PageExtras {
  /** peerjs-server's origin, for `<peerjs-call>`. */
  peerServerUrl?: string;
  /** STUN URLs for the elements that do not ask the signal service for ICE servers (PeerJS, the connect floor). */
  stunUrls?: string[];
  /** Another widget build (a dist directory like widget/dist), served at `/b/` for A/B runs. */
  widgetBDir?: string;
}

/** The HTML of one person's page. Every value is from the bench (no escaping needed beyond this check). */
function pageHtml(serviceUrl: string, extras: PageExtras, options: PageOptions): string {
  for (const value of [options.room, options.name, options.peer ?? '']) {
    if (!/^[A-Za-z0-9_.-]*$/.test(value)) throw new Error(`unsafe value ${value}`);
  }
  const head = '<!doctype html><meta charset="utf-8"><title>call bench</title>';
  const stunUrls = (extras.stunUrls ?? []).join(',');
  if (!/^[A-Za-z0-9:._,-]*$/.test(stunUrls)) throw new Error(`unsafe STUN URLs ${stunUrls}`);
  if (options.element === 'widget') {
    const src = options.buildB ? '/b/video-call.js' : `${serviceUrl}/video-call.js`;
    return `${head}<script type="module" src="${src}"></script>
<video-call room="${options.room}" name="${options.name}" signaling-url="${serviceUrl}"${options.autoAnswer ? ' auto-answer' : ''}></video-call>`;
  }
  if (options.element === 'peerjs') {
    if (!extras.peerServerUrl) throw new Error('no peerjs-server for a <peerjs-call> page');
    return `${head}<script src="/peerjs.min.js"></script><script type="module" src="/peerjs-call.js"></script>
<peerjs-call room="${options.room}" name="${options.name}" peer="${options.peer ?? ''}" peer-server="${extras.peerServerUrl}" stun-urls="${stunUrls}"></peerjs-call>`;
  }
  if (options.element === 'floor') {
    return `${head}<script type="module" src="/floors.js"></script>
<connect-floor stun-urls="${stunUrls}"></connect-floor>`;
  }
  const tag = options.element === 'mesh' ? 'vanilla-mesh' : 'vanilla-call';
  return `${head}<script type="module" src="/${tag}.js"></script>
<${tag} room="${options.room}" name="${options.name}" signaling-url="${serviceUrl}"${options.holdMedia ? ' hold-media' : ''}></${tag}>`;
}

export interface PageServer {
  /** URL of the page for `options`. */
  url(options: PageOptions): string;
  close(): Promise<void>;
}

/**
 * Serves the pages, `/vanilla-call.js`, `/vanilla-mesh.js`, `/socket.io.esm.min.js`,
 * `/peerjs-call.js`, `/peerjs.min.js`, `/floors.js` and (with `widgetBDir`) `/b/video-call*.js`
 * on 127.0.0.1.
 */
export async function startPageServer(serviceUrl: string, extras: PageExtras = {}): Promise<PageServer> {
  const files: Record<string, string> = {
    '/vanilla-call.js': await readFile(VANILLA_FILE, 'utf8'),
    '/vanilla-mesh.js': await readFile(MESH_FILE, 'utf8'),
    '/socket.io.esm.min.js': await readFile(SOCKET_IO_ESM, 'utf8'),
    '/peerjs-call.js': await readFile(PEERJS_CALL_FILE, 'utf8'),
    '/peerjs.min.js': await readFile(PEERJS_BUNDLE, 'utf8'),
    '/floors.js': await readFile(FLOORS_FILE, 'utf8'),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    const file = files[url.pathname];
    const buildB =
      extras.widgetBDir && /^\/b\/video-call[\w-]*\.js$/.test(url.pathname) ? join(extras.widgetBDir, url.pathname.slice(3)) : null;
    if (buildB) {
      readFile(buildB).then(
        (body) => res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }).end(body),
        () => res.writeHead(404).end(),
      );
    } else if (file !== undefined) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(file);
    } else if (url.pathname === '/page') {
      const options = JSON.parse(url.searchParams.get('o') ?? '{}') as PageOptions;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pageHtml(serviceUrl, extras, options));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (options) => `http://127.0.0.1:${port}/page?o=${encodeURIComponent(JSON.stringify(options))}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
