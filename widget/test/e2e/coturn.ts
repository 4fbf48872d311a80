/**
 * coturn for the end-to-end tests: started on loopback with TURN REST credentials on a free UDP
 * port, ready once it answers a STUN Binding Request, stopped (and its files removed) at the end.
 */
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

export interface TurnServerProcess {
  /** `turn:127.0.0.1:<port>?transport=udp` */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A free UDP port on loopback (bound, read, released). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Resolves once something answers a STUN Binding Request (RFC 8489 §6) on 127.0.0.1:port. */
async function waitForStun(port: number, timeoutMs: number): Promise<void> {
  const socket = createSocket('udp4');
  const request = Buffer.alloc(20);
  request.writeUInt16BE(0x0001, 0); // Binding Request, no attributes
  request.writeUInt32BE(0x2112a442, 4); // magic cookie
  randomFillSync(request, 8, 12); // transaction id
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no STUN answer on port ${port}`)), timeoutMs);
      const ask = setInterval(() => socket.send(request, port, '127.0.0.1'), 100);
      socket.once('message', () => {
        clearTimeout(deadline);
        clearInterval(ask);
        resolve();
      });
      socket.send(request, port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

/**
 * Starts coturn on loopback with TURN REST credentials (`use-auth-secret`). Test-only settings:
 * loopback peers allowed (both browsers are on this machine), no TLS. Never use them in production.
 */
export async function startCoturn(secret: string, port?: number): Promise<TurnServerProcess> {
  port ??= await freeUdpPort();
  const dir = mkdtempSync(`${tmpdir()}/coturn-`);
  const child = spawn(
    'turnserver',
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--fingerprint',
      '--realm=video-call.test',
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--allow-loopback-peers',
      '--no-software-attribute',
      `--pidfile=${dir}/turnserver.pid`,
      `--userdb=${dir}/turndb`,
      '--log-file=stdout',
      '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`turnserver exited with ${code}:\n${output}`);
  });
  await Promise.race([waitForStun(port, 10_000), exited]);
  exited.catch(() => {}); // from now on an exit is stop()'s business
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
