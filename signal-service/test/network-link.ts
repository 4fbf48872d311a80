/**
 * A TCP relay on 127.0.0.1 (port 0) between test clients and the service, which a test can cut or
 * freeze to act out network failures that a well-behaved client library never produces:
 *
 * - {@link NetworkLink.cut}: ends every relayed TCP connection at once (FIN towards the service,
 *   no WebSocket close frame, no socket.io disconnect packet), as when the client's process or
 *   machine dies. The service sees `transport close`.
 * - {@link NetworkLink.freeze}: keeps every connection open but drops all bytes both ways, as when
 *   a laptop sleeps or a mobile network drops out. The service hears no pong and ends the
 *   connection after its ping timeout (`ping timeout`). The client's own reaction (its ping
 *   timeout, its close frame) is dropped too, so it cannot tell the service anything.
 *
 * Connect with `ctx.client(link.url)`; the `Origin` and other headers pass through unchanged.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export class NetworkLink {
  readonly #targetPort: number;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #frozen = false;

  /** Relays to the service listening on 127.0.0.1:`targetPort`. Call {@link start} next. */
  constructor(targetPort: number) {
    this.#targetPort = targetPort;
    this.#server = createServer((client) => this.#relay(client));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** `http://127.0.0.1:<relay port>`, to connect clients through the relay. */
  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** From now on, drops every byte both ways and every close, keeping the connections open. */
  freeze(): void {
    this.#frozen = true;
  }

  /** Ends every relayed connection now, on both sides, without any goodbye from the client. */
  cut(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  /** Stops listening and ends every relayed connection. */
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #relay(client: Socket): void {
    const upstream = connect(this.#targetPort, '127.0.0.1');
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.#sockets.add(from);
      from.on('data', (chunk) => {
        if (!this.#frozen) to.write(chunk);
      });
      // A close on one side reaches the other only while the link works.
      from.on('close', () => {
        this.#sockets.delete(from);
        if (!this.#frozen) to.destroy();
      });
      from.on('error', () => {});
    }
  }
}
