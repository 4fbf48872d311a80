/**
 * A real nginx for the deployment tests, running the production config deploy/nginx/video-call.conf
 * with only its listen ports, certificate paths and upstream address replaced
 * ({@link renderTestConfig}; each replaced line must be found exactly once, so a change to the
 * production file that the test no longer covers fails loudly), a fresh self-signed certificate
 * for `localhost` and 127.0.0.1 (openssl), everything in a temporary folder.
 *
 * nginx: NGINX_PATH, else /usr/sbin/nginx, else `nginx` on PATH (`apt-get install nginx`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The production config. */
export const PRODUCTION_CONFIG = fileURLToPath(new URL('../nginx/video-call.conf', import.meta.url));

/** The nginx binary to run. */
export function nginxPath(): string {
  return process.env.NGINX_PATH ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
}

/** Where the test nginx listens and what it proxies to. */
export interface TestConfigOptions {
  /** HTTPS port (the production file's 443). */
  tlsPort: number;
  /** Plain HTTP port (the production file's 80: the redirect). */
  httpPort: number;
  /** The service node's port on 127.0.0.1 (the production file's 127.0.0.1:3000). */
  upstreamPort: number;
  certFile: string;
  keyFile: string;
}

/**
 * The production config with the test's ports, certificate and upstream: each pair replaces a
 * text found exactly once in the file (the IPv6 listen lines are dropped: one loopback address
 * is enough). Throws naming a pattern that is missing or repeated.
 */
export function renderTestConfig(production: string, options: TestConfigOptions): string {
  const replacements: [string, string][] = [
    ['    server 127.0.0.1:3000;\n', `    server 127.0.0.1:${options.upstreamPort};\n`],
    ['    listen 80;\n', `    listen 127.0.0.1:${options.httpPort};\n`],
    ['    listen [::]:80;\n', ''],
    ['    listen 443 ssl http2;\n', `    listen 127.0.0.1:${options.tlsPort} ssl http2;\n`],
    ['    listen [::]:443 ssl http2;\n', ''],
    ['/etc/letsencrypt/live/calls.example.com/fullchain.pem;', `${options.certFile};`],
    ['/etc/letsencrypt/live/calls.example.com/privkey.pem;', `${options.keyFile};`],
  ];
  let text = production;
  for (const [from, to] of replacements) {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`deploy/nginx/video-call.conf: expected ${JSON.stringify(from)} once, found it ${count} times`);
    text = text.replace(from, to);
  }
  return text;
}

/** A self-signed certificate for `localhost` and 127.0.0.1, valid for two days. */
export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** The certificate, PEM (a CA for Node's https requests). */
  pem: string;
  /** base64 SHA-256 of its public key (SPKI), for Chromium's --ignore-certificate-errors-spki-list. */
  spki: string;
}

/** Makes a key pair and a self-signed certificate in `dir` with openssl. */
export async function makeCertificate(dir: string): Promise<TestCertificate> {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  const pem = await readFile(certFile, 'utf8');
  const der = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return { certFile, keyFile, pem, spki: createHash('sha256').update(der).digest('base64') };
}

/** A free TCP port on loopback (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An answer read whole. */
export interface HttpsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A GET (or `method`) over HTTPS that trusts `ca` only; the body is not decoded. */
export function httpsRequest(
  url: string,
  options: { ca: string; headers?: Record<string, string>; localAddress?: string; method?: string },
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca: options.ca, headers: options.headers, localAddress: options.localAddress, method: options.method ?? 'GET', agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** A running test nginx. */
export interface NginxProcess {
  /** `https://localhost:<tlsPort>` */
  url: string;
  tlsPort: number;
  httpPort: number;
  certificate: TestCertificate;
  /** The folder with the config, logs and certificate. */
  dir: string;
  child: ChildProcess;
  /** nginx's access log so far. */
  accessLog(): Promise<string>;
  /** nginx's error log so far. */
  errorLog(): Promise<string>;
  /** Stops nginx and removes its folder. */
  stop(): Promise<void>;
}

export interface StartNginxOptions {
  /** The service node's port on 127.0.0.1. */
  upstreamPort: number;
  /** The address nginx connects to the service from (`proxy_bind`), e.g. 127.0.0.2; default: any. */
  proxyBind?: string;
}

/** A test nginx's files, written but not started. */
export interface PreparedNginx {
  dir: string;
  /** The main config (nginx.conf) that includes the rendered production file. */
  confFile: string;
  tlsPort: number;
  httpPort: number;
  certificate: TestCertificate;
}

/**
 * Writes the test config in a new temporary folder: the rendered production file inside a
 * minimal http {} block whose files (pid, logs, temp paths) all stay in that folder.
 */
export async function prepareNginx(options: StartNginxOptions): Promise<PreparedNginx> {
  const dir = await mkdtemp(join(tmpdir(), 'video-call-nginx-'));
  const certificate = await makeCertificate(dir);
  const [tlsPort, httpPort] = [await freePort(), await freePort()];
  const site = renderTestConfig(await readFile(PRODUCTION_CONFIG, 'utf8'), {
    tlsPort,
    httpPort,
    upstreamPort: options.upstreamPort,
    ...certificate,
  });
  await writeFile(join(dir, 'video-call.conf'), site);
  const main = [
    // Workers run as the user who started nginx (as root, nginx would switch to an unprivileged
    // user that cannot enter this private folder).
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} info;`,
    'events { worker_connections 512; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, kind)};`),
    ...(options.proxyBind ? [`  proxy_bind ${options.proxyBind};`] : []),
    `  include ${join(dir, 'video-call.conf')};`,
    '}',
  ].join('\n');
  const confFile = join(dir, 'nginx.conf');
  await writeFile(confFile, `${main}\n`);
  return { dir, confFile, tlsPort, httpPort, certificate };
}

/** Runs `nginx -t` on a prepared config; resolves with its output, rejects with it when invalid. */
export async function checkNginxConfig(prepared: PreparedNginx): Promise<string> {
  const { stderr } = await promisify(execFile)(nginxPath(), [
    '-t',
    '-p',
    prepared.dir,
    '-c',
    prepared.confFile,
    '-e',
    join(prepared.dir, 'error.log'),
  ]);
  return stderr;
}

/**
 * Prepares the test config ({@link prepareNginx}), starts nginx in the foreground, and resolves
 * once it answers HTTPS (any status: the upstream may be a stub).
 * @throws Error with nginx's error log when it does not start within 10 s.
 */
export async function startNginx(options: StartNginxOptions): Promise<NginxProcess> {
  const { dir, confFile, tlsPort, httpPort, certificate } = await prepareNginx(options);
  const child = spawn(nginxPath(), ['-p', dir, '-c', confFile, '-e', join(dir, 'error.log'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const errorLog = () => readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
  const url = `https://localhost:${tlsPort}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = await errorLog();
      await stop();
      throw new Error(`nginx exited with ${child.exitCode}:\n${output}\n${log}`);
    }
    const answer = await httpsRequest(`${url}/healthz`, { ca: certificate.pem }).catch(() => undefined);
    if (answer) break;
    if (Date.now() > deadline) {
      const log = await errorLog();
      await stop();
      throw new Error(`nginx did not answer within 10 s:\n${output}\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    tlsPort,
    httpPort,
    certificate,
    dir,
    child,
    accessLog: () => readFile(join(dir, 'access.log'), 'utf8').catch(() => ''),
    errorLog,
    stop,
  };
}
