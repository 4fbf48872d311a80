/**
 * The entry point as an operator runs it (src/main.ts in a child process): the start-up warning
 * when ALLOWED_ORIGINS is unset, none when it is set, exit status 1 naming a bad variable (a
 * ROOM_CAPACITY outside 2-6 among them) or an unusable rejoin secret file, and exit status 1 when a shutdown had to be forced.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { testStateDir } from './helpers.js';
import { RawClient } from './raw-client.js';

const mainFile = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface Run {
  /** pino JSON lines written up to the "listening" line (or the end). */
  lines: { level: number; msg: string }[];
  stderr: string;
  code: number | null;
}

/**
 * Runs main.ts with `env` until it logs that it listens, then runs `whenListening` (with the
 * port) and sends SIGTERM; resolves when it exits.
 */
function runMain(env: Record<string, string>, whenListening: (port: number) => Promise<void> = async () => {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', mainFile], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', STATE_DIR: testStateDir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { lines: [], stderr: '', code: null };
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.ts did not start or stop in time: ${JSON.stringify(run)}`));
    }, 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffered.slice(0, newline)) as { level: number; msg: string; port?: number };
        buffered = buffered.slice(newline + 1);
        run.lines.push(line);
        if (/listening/.test(line.msg)) {
          void whenListening(line.port ?? 0).then(() => setTimeout(() => child.kill('SIGTERM'), 100));
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      run.code = code;
      resolve(run);
    });
  });
}

const WARN = 40;

describe('main.ts', () => {
  it('warns at start-up that any site may embed and connect when ALLOWED_ORIGINS is unset', async () => {
    const run = await runMain({});
    assert.equal(run.code, 0, run.stderr);
    const warnings = run.lines.filter((line) => line.level === WARN);
    assert.equal(warnings.length, 1, JSON.stringify(run.lines));
    assert.match(warnings[0]!.msg, /ALLOWED_ORIGINS is not set: any web site may embed the widget and connect/);
  });

  it('does not warn when ALLOWED_ORIGINS is set', async () => {
    const run = await runMain({ ALLOWED_ORIGINS: 'https://shop.example.com', ROOM_TICKET_SECRET: 'x'.repeat(32) });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.lines.some((line) => /listening/.test(line.msg)));
    assert.deepEqual(
      run.lines.filter((line) => line.level >= WARN),
      [],
    );
  });

  it('exits with status 1 and names the variable when ALLOWED_ORIGINS or ROOM_TICKET_SECRET is bad', async () => {
    const run = await runMain({ ALLOWED_ORIGINS: 'https://shop.example.com/path', ROOM_TICKET_SECRET: 'short' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /ALLOWED_ORIGINS: "https:\/\/shop\.example\.com\/path" is not an origin/);
    assert.match(run.stderr, /ROOM_TICKET_SECRET: must be at least 32 characters/);
    assert.doesNotMatch(run.stderr, /short/);
  });

  it('exits with status 1 and names ROOM_CAPACITY when it is outside 2-6 or not a whole number', async () => {
    for (const value of ['7', '2.5']) {
      const run = await runMain({ ROOM_CAPACITY: value });
      assert.equal(run.code, 1, `ROOM_CAPACITY=${value}: ${JSON.stringify(run.lines)}`);
      assert.match(run.stderr, /ROOM_CAPACITY: must be a whole number from 2 to 6/);
      assert.ok(!run.lines.some((line) => /listening/.test(line.msg)), 'nothing listened');
    }
  });

  it('exits with status 1 when the shutdown has to be forced (a connection that does not close)', async () => {
    let raw: RawClient | undefined;
    const run = await runMain({ DRAIN_TIMEOUT_MS: '300' }, async (port) => {
      raw = await RawClient.connect(port);
      // It never reads again: the WebSocket close handshake of the shutdown cannot finish.
      raw.pause();
    });
    raw?.destroy();
    assert.equal(run.code, 1, JSON.stringify(run.lines));
    assert.ok(run.lines.some((line) => line.level === 50 && /shutdown did not finish in time/.test(line.msg)));
  });

  it('exits with status 1 and says why when the rejoin secret file in STATE_DIR may be read by others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'video-call-main-state-'));
    try {
      const file = join(dir, 'rejoin-secret');
      writeFileSync(file, `${'ab'.repeat(32)}\n`);
      chmodSync(file, 0o644);
      const run = await runMain({ STATE_DIR: dir });
      assert.equal(run.code, 1, JSON.stringify(run.lines));
      assert.match(run.stderr, /rejoin-secret may be read or written by other users \(mode 0644\)/);
      assert.match(run.stderr, /Delete it to have a new secret made at the next start/);
      assert.doesNotMatch(run.stderr, /abab/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs its caps and budgets at start-up', async () => {
    const run = await runMain({ MAX_CONNECTIONS_PER_IP: '7' });
    const listening = run.lines.find((line) => /listening/.test(line.msg)) as unknown as { limits: Record<string, number> };
    assert.equal(listening.limits.maxConnectionsPerIp, 7);
    assert.ok(listening.limits.maxConnections! > 0);
  });
});
