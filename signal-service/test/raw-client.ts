/**
 * A raw socket.io client over a hand-made WebSocket on a plain TCP socket: no socket.io-client,
 * no `ws`. Tests and the load benchmark use it to do what a well-behaved client library never
 * does: stop reading its socket while it keeps sending, answer pings it never read, send unknown
 * events, flood, or hold thousands of connections cheaply.
 *
 * Speaks engine.io protocol 4 over WebSocket (RFC 6455 text frames; client frames masked with a
 * zero key, which servers accept) and socket.io protocol 5 in the default namespace:
 * `0{open}` → `40` → `40{"sid"}`; events `42[...]`, with an ack id `42<id>[...]`, answered `43<id>[...]`.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** The engine.io open packet's data. */
export interface OpenInfo {
  sid: string;
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

/** A refused handshake: the HTTP status and headers the service answered instead of `101`. */
export class HandshakeRefused extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string,
  ) {
    super(`handshake refused: HTTP ${status}`);
  }

  /** The `error.code` of the service's JSON answer (`{ error: { code, message } }`); throws when the body is not one. */
  get errorCode(): string {
    const parsed = JSON.parse(this.body) as { error?: { code?: unknown } } | null;
    const code = parsed?.error?.code;
    if (typeof code !== 'string') throw new Error(`not an error answer: ${this.body}`);
    return code;
  }
}

export interface RawClientOptions {
  host?: string;
  /** Sent as the `Origin` header when given. */
  origin?: string;
  /** Local address to connect from (e.g. `127.0.0.2`). */
  localAddress?: string;
  /** Answer each engine.io ping with a pong at once (default true). */
  autoPong?: boolean;
  /** Close the connection when no ping arrives within pingInterval + pingTimeout, like socket.io-client (default true). */
  pingWatch?: boolean;
  timeoutMs?: number;
}

const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

/** Encodes one masked (zero key) client frame. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(6) : length < 65536 ? Buffer.alloc(8) : Buffer.alloc(14);
  header[0] = 0x80 | opcode;
  if (length < 126) {
    header[1] = 0x80 | length;
  } else if (length < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  // The last 4 header bytes are the mask key: zeros, so the payload goes unchanged.
  return Buffer.concat([header, payload]);
}

export class RawClient {
  /** The engine.io open packet. */
  open!: OpenInfo;
  /** socket.io socket id (what the service uses as the member id). */
  id = '';
  /** Answer pings (set false to send pongs by hand, or never). */
  autoPong: boolean;
  /** Engine.io pings received. */
  pings = 0;
  /** Resolves when the TCP connection has closed, with why (`server`, `ping timeout`, `local`). */
  readonly closed: Promise<string>;
  closeReason: string | undefined;
  /** Every socket.io event received: [event, payload]. */
  onEvent: (event: string, payload: unknown) => void = () => {};
  /** Every raw engine.io text packet received (before handling). */
  onPacket: (packet: string) => void = () => {};
  /** Parse socket.io packets into {@link onEvent} calls and ack answers (the benchmark turns it off and reads {@link onPacket}). */
  parseEvents = true;

  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #nextAck = 0;
  readonly #acks = new Map<number, (value: unknown) => void>();
  #resolveClosed!: (why: string) => void;
  #pingTimer: NodeJS.Timeout | undefined;
  readonly #pingWatch: boolean;

  private constructor(socket: Socket, options: RawClientOptions) {
    this.#socket = socket;
    this.autoPong = options.autoPong ?? true;
    this.#pingWatch = options.pingWatch ?? true;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    socket.on('close', () => this.#finish(this.closeReason ?? 'server'));
    socket.on('error', () => {});
  }

  /**
   * Opens a WebSocket to the service on 127.0.0.1:`port` and connects to the default namespace.
   * @throws HandshakeRefused when the service answers the upgrade with an HTTP status instead of 101.
   */
  static connect(port: number, options: RawClientOptions = {}): Promise<RawClient> {
    const host = options.host ?? '127.0.0.1';
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, ...(options.localAddress && { localAddress: options.localAddress }) });
      const client = new RawClient(socket, options);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('raw client: no handshake within timeout'));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        const lines = [
          'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
          `Host: ${host}:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          ...(options.origin ? [`Origin: ${options.origin}`] : []),
        ];
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      });
      let head = Buffer.alloc(0);
      const onHead = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine = '', ...headerLines] = head.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(statusLine.split(' ')[1]);
        const headers: Record<string, string> = {};
        for (const line of headerLines) {
          const colon = line.indexOf(':');
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        if (status !== 101) {
          // Wait for the body (the service closes after it), then report.
          socket.off('data', onHead);
          let body = head.subarray(end + 4).toString('utf8');
          socket.on('data', (more: Buffer) => (body += more.toString('utf8')));
          socket.once('close', () => fail(new HandshakeRefused(status, headers, body)));
          setTimeout(() => fail(new HandshakeRefused(status, headers, body)), 200);
          return;
        }
        socket.off('data', onHead);
        socket.off('error', fail);
        socket.on('data', (data: Buffer) => client.#onData(data));
        client.onPacket = (packet) => {
          if (packet.startsWith('0')) {
            client.open = JSON.parse(packet.slice(1)) as OpenInfo;
            client.#armPingWatch();
            client.sendPacket('40');
          } else if (packet.startsWith('40')) {
            client.id = (JSON.parse(packet.slice(2)) as { sid: string }).sid;
            client.onPacket = () => {};
            clearTimeout(timer);
            resolve(client);
          } else if (packet.startsWith('44')) {
            fail(new Error(`connect_error ${packet.slice(2)}`));
          }
        };
        const rest = head.subarray(end + 4);
        if (rest.length > 0) client.#onData(rest);
      };
      socket.on('data', onHead);
    });
  }

  /** Sends one engine.io packet as a text frame (e.g. `'3'`: a pong, asked for or not). */
  sendPacket(packet: string): void {
    if (!this.#socket.destroyed) this.#socket.write(frame(OPCODE_TEXT, Buffer.from(packet, 'utf8')));
  }

  /** Sends a socket.io event without an acknowledgement. */
  emit(event: string, ...args: unknown[]): void {
    this.sendPacket(`42${JSON.stringify([event, ...args])}`);
  }

  /** Sends a socket.io event with an acknowledgement; resolves with the first argument of the answer. */
  request(event: string, ...args: unknown[]): Promise<unknown> {
    const id = this.#nextAck++;
    this.sendPacket(`42${id}${JSON.stringify([event, ...args])}`);
    return new Promise((resolve) => this.#acks.set(id, resolve));
  }

  /** Stops reading from the TCP socket: what the service sends piles up in its buffers. */
  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  /** Whether the TCP connection is still open. */
  get connected(): boolean {
    return !this.#socket.destroyed && this.closeReason === undefined;
  }

  /** Closes the TCP connection at once, without a goodbye. */
  destroy(why = 'local'): void {
    this.closeReason ??= why;
    this.#socket.destroy();
  }

  #finish(why: string): void {
    this.closeReason ??= why;
    clearTimeout(this.#pingTimer);
    this.#resolveClosed(this.closeReason);
  }

  #armPingWatch(): void {
    if (!this.#pingWatch) return;
    const limit = this.open.pingInterval + this.open.pingTimeout;
    if (this.#pingTimer) this.#pingTimer.refresh();
    else this.#pingTimer = setTimeout(() => this.destroy('ping timeout'), limit);
  }

  #onData(data: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
    for (;;) {
      const buffer = this.#buffer;
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      const payload = buffer.subarray(offset, offset + length);
      this.#buffer = buffer.subarray(offset + length);
      if (opcode === OPCODE_TEXT) this.#onText(payload.toString('utf8'));
      else if (opcode === OPCODE_PING) this.#socket.write(frame(OPCODE_PONG, Buffer.from(payload)));
      else if (opcode === OPCODE_CLOSE) this.destroy('server close frame');
    }
  }

  #onText(packet: string): void {
    this.onPacket(packet);
    const type = packet.charCodeAt(0);
    if (type === 0x32 /* '2' ping */) {
      this.pings++;
      this.#armPingWatch();
      if (this.autoPong) this.sendPacket('3');
    } else if (type === 0x34 /* '4' message */ && this.parseEvents) {
      this.#onSocketIo(packet.slice(1));
    } else if (type === 0x31 /* '1' close */) {
      this.destroy('server close');
    }
  }

  #onSocketIo(packet: string): void {
    const type = packet[0];
    if (type === '2' || type === '3') {
      let i = 1;
      while (i < packet.length && packet.charCodeAt(i) >= 0x30 && packet.charCodeAt(i) <= 0x39) i++;
      const id = i > 1 ? Number(packet.slice(1, i)) : undefined;
      const args = JSON.parse(packet.slice(i)) as unknown[];
      if (type === '3' && id !== undefined) {
        this.#acks.get(id)?.(args[0]);
        this.#acks.delete(id);
      } else if (type === '2') {
        this.onEvent(String(args[0]), args[1]);
      }
    } else if (type === '1') {
      this.destroy('server namespace disconnect');
    }
  }
}
