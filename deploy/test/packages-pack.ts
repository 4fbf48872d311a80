/**
 * Helpers of the package tests (packages*.test.ts): `npm pack` of the three workspaces, a fresh
 * install of the tarballs in a temporary folder, and child processes that are always stopped.
 *
 * The tests pack what `npm run build` left in protocol/dist, widget/dist and signal-service/dist (`npm test`
 * builds before `test:deploy`); `requireBuild()` fails with that advice when a build is missing.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Options of every npm install the tests make: the registry, quietly, from the cache when it can. */
export const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** One tarball as `npm pack --json` describes it. */
export interface PackResult {
  name: string;
  version: string;
  filename: string;
  /** Absolute path of the .tgz. */
  file: string;
  /** Bytes of the .tgz. */
  size: number;
  /** Bytes of its files. */
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** Throws, saying to build first, when the widget or the service has not been built. */
export function requireBuild(): void {
  for (const file of [
    'protocol/dist/index.js',
    'widget/dist/video-call.js',
    'widget/dist/lib/video-call.js',
    'widget/dist/custom-elements.json',
    'signal-service/dist/bin.js',
  ]) {
    if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` before the package tests`);
  }
}

/** A fresh temporary folder; removed by the returned `remove`. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs npm with `args` in `cwd`; rejects with its output when it fails. */
export async function npm(args: string[], cwd: string, timeoutMs = 300_000): Promise<string> {
  try {
    const { stdout } = await run('npm', args, {
      cwd,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stderr ?? ''}\n${stdout ?? ''}`.slice(0, 8000), { cause: error });
  }
}

/**
 * `npm pack` of the three workspaces into `dest`: the protocol (`video-call-protocol`), the widget
 * (`video-call`) and the service (`video-call-server`).
 */
export async function packWorkspaces(dest: string): Promise<{ protocol: PackResult; widget: PackResult; service: PackResult }> {
  requireBuild();
  const out = await npm(
    ['pack', '--json', '--pack-destination', dest, '-w', 'protocol', '-w', 'widget', '-w', 'signal-service'],
    ROOT,
    120_000,
  );
  const packs = (JSON.parse(out) as Omit<PackResult, 'file'>[]).map((p) => ({ ...p, file: path.join(dest, p.filename) }));
  const protocol = packs.find((p) => p.name === 'video-call-protocol');
  const widget = packs.find((p) => p.name === 'video-call');
  const service = packs.find((p) => p.name === 'video-call-server');
  if (!protocol || !widget || !service) throw new Error(`npm pack gave ${packs.map((p) => p.name).join(', ')}`);
  return { protocol, widget, service };
}

/** Packages installed under `dir`/node_modules (scoped ones counted one by one) and their bytes on disk. */
export async function installedPackages(dir: string): Promise<{ count: number; bytes: number; names: string[] }> {
  const names: string[] = [];
  const walk = async (modules: string, prefix = ''): Promise<void> => {
    if (!existsSync(modules)) return;
    for (const entry of await readdir(modules, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(modules, entry.name);
      if (entry.name.startsWith('@') && !prefix) {
        await walk(full, `${entry.name}/`);
      } else if (entry.isDirectory() || entry.isSymbolicLink()) {
        names.push(prefix + entry.name);
        await walk(path.join(full, 'node_modules'));
      }
    }
  };
  await walk(path.join(dir, 'node_modules'));
  return { count: names.length, bytes: await du(path.join(dir, 'node_modules')), names };
}

/** Bytes of the files under `dir`. */
async function du(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/**
 * A child process in a process group of its own (as a terminal or systemd runs a command: `npx`
 * runs the bin under a shell, and a signal meant for the service must reach the whole group).
 */
export interface Child {
  process: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal) of the direct child once it has exited. */
  exited: Promise<number | string>;
  /** Resolves once every process holding its stdout/stderr (the whole tree) is gone. */
  closed: Promise<void>;
  /** Sends `signal` to the process group. */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL to the group unless it has closed; resolves when closed. */
  stop(): Promise<void>;
}

/** Starts `command` in `cwd`, in its own process group, with `env` added to a minimal environment. */
export function start(command: string, args: string[], cwd: string, env: Record<string, string>): Child {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', npm_config_update_notifier: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let isClosed = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const closed = new Promise<void>((resolve) => child.on('close', () => ((isClosed = true), resolve())));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // The group is gone already.
    }
  };
  return {
    process: child,
    output: () => out,
    exited,
    closed,
    signal,
    async stop() {
      if (!isClosed) signal('SIGKILL');
      await closed;
    },
  };
}

/** Resolves with `promise`'s value, or with `'timed out'` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** Waits until `test()` is true, checking every 50 ms; rejects after `timeoutMs` with `what`. */
export async function waitFor(test: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
