/**
 * A real `redis-server` for tests: started on a free loopback port with no persistence
 * (`--save '' --appendonly no`), ready once it answers PING, stopped (SIGTERM, then SIGKILL) by
 * `stop()`. `restart()` starts it again on the same port, empty (a Redis that came back after an
 * outage). Install it with `apt-get install redis-server` (Redis 7 or later: sharded pub/sub).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RedisServerProcess {
  port: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** Stops it (the port stays reserved for {@link restart}). */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  restart(): Promise<void>;
}

/** A free TCP port on loopback (bound, read, released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves true once `PING` on `port` answers `+PONG`, false after `timeoutMs`. */
export async function answersPing(port: number, timeoutMs = 200): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function spawnRedis(port: number): { child: ChildProcess; output: () => string } {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function launch(port: number): Promise<ChildProcess> {
  const { child, output } = spawnRedis(port);
  for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${output()}`);
    if (await answersPing(port)) return child;
    await sleep(20);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer PING on port ${port}:\n${output()}`);
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

/** Starts redis-server on a free port (retried if another process takes the port meanwhile). */
export async function startRedisServer(): Promise<RedisServerProcess> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    try {
      let child = await launch(port);
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        stop: () => terminate(child),
        async restart() {
          await terminate(child);
          child = await launch(port);
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
