/**
 * The three npm packages as a user gets them: `npm pack` of each holds exactly what it should
 * (allow-lists, every `exports` target, sizes), a fresh install of the service tarball pulls no
 * Twilio and few dependencies, `npx video-call-server` starts from it with the same environment
 * variables as `npm start` and stops on SIGTERM, a Twilio setting without `twilio` installed is a
 * clear start-up error, and createSignalService from the installed package mounts on a server.
 *
 * Needs `npm run build` first (as `npm test` does) and the npm registry (the tarballs'
 * dependencies; `--prefer-offline`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type * as ServiceIndex from '../../signal-service/src/index.js';
import { NPM_INSTALL, installedPackages, npm, packWorkspaces, start, tempDir, waitFor, within, type PackResult } from './packages-pack.js';

/** Files the widget tarball may hold. */
const WIDGET_FILES = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^dist\/video-call\.js(\.map)?$/, // the script-tag build …
  /^dist\/video-call-[A-Za-z0-9_-]+\.js(\.map)?$/, // … and its chunks (the service serves the maps when asked)
  /^dist\/lib\/(video-call|react|jsx)\.js$/, // the bundler build's entries …
  /^dist\/lib\/chunks\/[A-Za-z0-9_-]+\.js$/, // … and chunks (no maps: the sources are not shipped)
  /^dist\/types\/[A-Za-z0-9/._-]+\.d\.ts$/,
  /^dist\/(custom-elements|vscode\.html-custom-data|vscode\.css-custom-data|web-types)\.json$/,
];
/** Files the service tarball may hold. */
const SERVICE_FILES = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/[A-Za-z0-9/._-]+\.(js|d\.ts)$/, /^dist\/demo\/index\.html$/];
/** Files the protocol tarball may hold. */
const PROTOCOL_FILES = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^PROTOCOL\.md$/, /^dist\/[a-z-]+\.(js|d\.ts)$/];
/** What neither may ever hold. */
const NEVER = /^src\/|(^|\/)(test|tests|bench|\.tmp|node_modules|coverage)\/|\.test\.|(?<!\.d)\.ts$|\.tsbuildinfo$/;

/** Upper bounds, with room to grow (measured: widget 265 KB packed / 924 KB, service 104 KB / 319 KB). */
const LIMITS = {
  widget: { packed: 400_000, unpacked: 1_500_000 },
  service: { packed: 200_000, unpacked: 600_000 },
  protocol: { packed: 40_000 },
  /**
   * A fresh install of the service (which brings the widget): 64 packages, 31.5 MB at 0.1.0
   * (node-redis alone 15 MB); Twilio would add 21 MB and about 30 packages.
   */
  install: { packages: 80, bytes: 40_000_000 },
};

/** The fields of an installed package.json these tests read. */
interface Manifest {
  exports: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  license?: string;
  sideEffects?: boolean | string[];
  [field: string]: unknown;
}

/** The package.json of `name` as installed in `appDir`'s node_modules. */
const installedManifest = (appDir: string, name: string) =>
  JSON.parse(readFileSync(path.join(appDir, 'node_modules', name, 'package.json'), 'utf8')) as Manifest;

/**
 * Every file path an `exports` map points to (strings, and condition objects one level deep),
 * except the repository-only `video-call-source` condition (the sources, for the repository's
 * own tests and type check; never packed).
 */
function exportTargets(manifest: Manifest): string[] {
  const targets = Object.values(manifest.exports).flatMap((target) =>
    typeof target === 'string'
      ? [target]
      : Object.entries(target)
          .filter(([condition]) => condition !== 'video-call-source')
          .map(([, file]) => file),
  );
  return [...targets, ...Object.values(manifest.bin ?? {})].map((target) => target.replace(/^\.\//, ''));
}

function checkFiles(pack: PackResult, allowed: RegExp[]): string[] {
  const paths = pack.files.map((f) => f.path);
  for (const file of paths) {
    assert.ok(
      allowed.some((pattern) => pattern.test(file)),
      `${pack.name}: ${file} is not on the allow-list`,
    );
    assert.doesNotMatch(file, NEVER, `${pack.name}: ${file} must not be packed`);
  }
  return paths;
}

describe('npm packages', { timeout: 600_000 }, () => {
  let packs: { protocol: PackResult; widget: PackResult; service: PackResult };
  let tgz: Awaited<ReturnType<typeof tempDir>>;
  /** A fresh folder with both tarballs installed (as `npm install video-call-server` would). */
  let app: Awaited<ReturnType<typeof tempDir>>;

  before(async () => {
    tgz = await tempDir('vc-pack-');
    packs = await packWorkspaces(tgz.dir);
    app = await tempDir('vc-service-app-');
    await npm(['init', '-y'], app.dir);
    // The widget and protocol tarballs stand in for the registry's `video-call` and
    // `video-call-protocol` the service depends on.
    await npm([...NPM_INSTALL, packs.protocol.file, packs.widget.file, packs.service.file], app.dir);
  });
  after(async () => {
    await app?.remove();
    await tgz?.remove();
  });

  it('the widget tarball holds its builds, types, manifest and editor data, and nothing else', () => {
    const { widget } = packs;
    const paths = checkFiles(widget, WIDGET_FILES);
    const manifest = installedManifest(app.dir, 'video-call');
    for (const target of exportTargets(manifest)) assert.ok(paths.includes(target), `exports target ${target} is packed`);
    for (const field of ['customElements', 'web-types', 'types', 'main', 'module']) {
      const target = manifest[field];
      assert.ok(typeof target === 'string' && paths.includes(target.replace(/^\.\//, '')), `${field} points to a packed file`);
    }
    for (const required of [
      'README.md',
      'LICENSE',
      'dist/custom-elements.json',
      'dist/web-types.json',
      'dist/vscode.html-custom-data.json',
    ]) {
      assert.ok(paths.includes(required), `${required} is packed`);
    }
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}).sort(), ['lit', 'socket.io-client', 'video-call-protocol']);
    assert.equal(manifest.license, 'MIT');
    assert.ok(
      Array.isArray(manifest.sideEffects) && manifest.sideEffects.includes('./dist/lib/video-call.js'),
      'the define module is listed in sideEffects',
    );
    assert.ok(widget.size <= LIMITS.widget.packed, `widget tarball ${widget.size} bytes`);
    assert.ok(widget.unpackedSize <= LIMITS.widget.unpacked, `widget unpacked ${widget.unpackedSize} bytes`);
  });

  it('the protocol tarball holds its build, its types and PROTOCOL.md, and has no dependencies', () => {
    const { protocol } = packs;
    const paths = checkFiles(protocol, PROTOCOL_FILES);
    const manifest = installedManifest(app.dir, 'video-call-protocol');
    for (const target of exportTargets(manifest)) assert.ok(paths.includes(target), `exports target ${target} is packed`);
    for (const required of ['PROTOCOL.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/data-channel.js'])
      assert.ok(paths.includes(required), `${required} is packed`);
    assert.equal(manifest.dependencies, undefined);
    assert.ok(protocol.size <= LIMITS.protocol.packed, `protocol tarball ${protocol.size} bytes`);
  });

  it('the service tarball holds its build, the demo page and its docs, and nothing else', () => {
    const { service } = packs;
    const paths = checkFiles(service, SERVICE_FILES);
    const manifest = installedManifest(app.dir, 'video-call-server');
    for (const target of exportTargets(manifest)) assert.ok(paths.includes(target), `exports target ${target} is packed`);
    assert.deepEqual(manifest.bin, { 'video-call-server': 'dist/bin.js' });
    assert.match(readFileSync(path.join(app.dir, 'node_modules/video-call-server/dist/bin.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
    for (const required of ['README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/demo/index.html'])
      assert.ok(paths.includes(required), `${required} is packed`);
    assert.ok(!paths.some((file) => file.endsWith('.map')), 'no source maps (the sources are not packed)');
    assert.deepEqual(manifest.peerDependenciesMeta, { twilio: { optional: true } });
    assert.ok(manifest.dependencies && !('twilio' in manifest.dependencies), 'twilio is not a dependency');
    assert.ok(service.size <= LIMITS.service.packed, `service tarball ${service.size} bytes`);
    assert.ok(service.unpackedSize <= LIMITS.service.unpacked, `service unpacked ${service.unpackedSize} bytes`);
  });

  it('a fresh install of the service brings the widget and no Twilio, in few packages', async (t) => {
    const installed = await installedPackages(app.dir);
    t.diagnostic(`fresh install of video-call-server + video-call: ${installed.count} packages, ${(installed.bytes / 1e6).toFixed(1)} MB`);
    t.diagnostic(
      `tarballs: video-call ${packs.widget.size} B (${packs.widget.files.length} files, ${packs.widget.unpackedSize} B unpacked), video-call-server ${packs.service.size} B (${packs.service.files.length} files, ${packs.service.unpackedSize} B unpacked)`,
    );
    assert.ok(installed.names.includes('video-call') && installed.names.includes('video-call-server'));
    assert.ok(!installed.names.includes('twilio'), 'twilio is not installed');
    assert.ok(!installed.names.includes('react') && !installed.names.includes('@lit/react'), 'no React for the service');
    assert.ok(installed.count <= LIMITS.install.packages, `${installed.count} packages`);
    assert.ok(installed.bytes <= LIMITS.install.bytes, `${installed.bytes} bytes`);
  });

  it('npx video-call-server starts from the installed tarball, serves the widget, the demo and /healthz, and stops on SIGTERM', async () => {
    // npx runs the bin under `sh -c`, and a SIGTERM to npx alone would leave the service running:
    // like a terminal or systemd, the test signals the process group.
    const child = start('npx', ['--no-install', 'video-call-server'], app.dir, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    try {
      let port = 0;
      await waitFor(
        () => {
          port = Number(/"port":(\d+)/.exec(child.output())?.[1] ?? 0);
          return port > 0;
        },
        30_000,
        () => `no "listening" line: ${child.output()}`,
      );
      const base = `http://127.0.0.1:${port}`;
      const health = await fetch(`${base}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok', rooms: 0 });
      const widget = await fetch(`${base}/video-call.js`);
      assert.equal(widget.status, 200);
      const served = Buffer.from(await widget.arrayBuffer());
      const packed = readFileSync(path.join(app.dir, 'node_modules/video-call/dist/video-call.js'));
      assert.equal(served.length, packed.length, 'the widget package’s script-tag build is served');
      const demo = await fetch(`${base}/`);
      assert.equal(demo.status, 200);
      assert.match(await demo.text(), /<video-call\b/);
      child.signal('SIGTERM');
      assert.notEqual(await within(child.closed, 10_000), 'timed out', `still running after SIGTERM: ${child.output()}`);
      const lines = child
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; signal?: string });
      assert.ok(
        lines.some((line) => line.msg === 'shutting down' && line.signal === 'SIGTERM'),
        'the service itself got the SIGTERM',
      );
      assert.doesNotMatch(child.output(), /forcing exit|"level":[56]0/, 'a clean shutdown');
      await assert.rejects(fetch(`${base}/healthz`), 'nothing listens any more');
    } finally {
      await child.stop();
    }
  });

  it('Twilio configured without the optional twilio package: exit status 1 with a message saying to install it', async () => {
    const child = start('npx', ['--no-install', 'video-call-server'], app.dir, {
      PORT: '0',
      HOST: '127.0.0.1',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'x'.repeat(32),
    });
    const code = await within(child.exited, 30_000);
    await child.stop();
    assert.equal(code, 1, child.output());
    assert.match(child.output(), /optional package "twilio" is not installed/);
    assert.match(child.output(), /npm install twilio/);
    assert.doesNotMatch(child.output(), /x{32}/, 'no secret in the message');
  });

  it('createSignalService from the installed package mounts on an existing server: its paths, socket.io, the rest to the host', async () => {
    const entry = pathToFileURL(path.join(app.dir, 'node_modules/video-call-server/dist/index.js')).href;
    const { createSignalService } = (await import(entry)) as typeof ServiceIndex;
    let service: Awaited<ReturnType<typeof createSignalService>> | undefined;
    const server = http.createServer((req, res) => (service ? service.handler(req, res, () => res.end('host app')) : res.end('host app')));
    service = await createSignalService({ server, env: { LOG_LEVEL: 'silent' } });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      assert.equal((await fetch(`${base}/video-call.js`)).status, 200);
      assert.equal(await (await fetch(`${base}/`)).text(), 'host app', 'no demo page when mounted');
      assert.equal(await (await fetch(`${base}/orders/42`)).text(), 'host app');
      const handshake = await fetch(`${base}/socket.io/?EIO=4&transport=polling`);
      assert.equal(handshake.status, 200);
      assert.match(await handshake.text(), /"sid":"/, 'engine.io handshake on the host’s server');
      await service.close();
      service = undefined;
      assert.equal(await (await fetch(`${base}/orders/42`)).text(), 'host app', 'the host server stays open after close()');
    } finally {
      await service?.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
