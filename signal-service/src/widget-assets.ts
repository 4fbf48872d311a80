/**
 * The widget bundle as the service serves it: compressed once, kept in memory, validated by
 * ETag, and also at a versioned URL that can be cached for a year.
 *
 * Files: the entry `video-call.js`, the chunks beside it (`video-call-<name>-<hash>.js`: rollup
 * names them by content hash) and their source maps, all in one folder (dist/). Each file is read
 * on its first request, hashed (SHA-256) and compressed with Brotli (quality 11) and gzip (level
 * 9) off the event loop (node:zlib's thread pool); the result stays in memory until the file
 * changes on disk (size or modification time, checked with one `stat` per request), so a rebuild
 * is picked up without a restart.
 *
 * Answers (see app.ts for the routes):
 * - the encoding is chosen by `Accept-Encoding` with its q-values (`br` before `gzip` at equal q;
 *   `*` counts for both; q=0 refuses one); an encoding is offered only when it is smaller than
 *   the file; `Vary: Accept-Encoding` always;
 * - a strong ETag per representation: `"<hash>"`, `"<hash>-br"`, `"<hash>-gz"` (hash: 16 hex
 *   digits of the file's SHA-256); `If-None-Match` with it (or `*`) answers `304` without a body;
 * - the version of a build is the hash of its entry: `/v/<version>/video-call.js` and the chunks
 *   under the same folder (the entry and its chunks import each other by relative URL, so the
 *   whole build must live under one folder: a chunk imports `./video-call.js`).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** `Cache-Control` of a URL whose content never changes (a versioned or content-hashed name). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** `Cache-Control` of a URL whose content changes with each deploy: reuse only after a 304. */
export const REVALIDATE = 'no-cache';

/** The entry's file name. */
export const ENTRY = 'video-call.js';

/** One file, ready to send in each encoding. */
export interface Asset {
  contentType: string;
  /** 16 hex digits of the SHA-256 of the file. */
  hash: string;
  /** Subresource Integrity value of the file: `sha384-<base64>`. */
  integrity: string;
  identity: Buffer;
  /** Present when smaller than `identity`. */
  br?: Buffer;
  gzip?: Buffer;
}

/** What a host page needs to load the current build from its versioned URL. */
export interface WidgetManifest {
  /** The build's version: its entry's hash. */
  version: string;
  /** Path of the versioned entry, relative to the service's origin (resolve it against the manifest's URL). */
  module: string;
  /** Subresource Integrity of the entry, for `<script type="module" integrity="…">`. */
  integrity: string;
}

/** Reads, hashes and compresses the files of one folder, on demand, with the cache above. */
export interface WidgetAssets {
  /** The file `name` of the folder (a name the routes allow), or undefined when it does not exist. */
  load(name: string): Promise<Asset | undefined>;
  /** The current build's manifest, or undefined when the entry has not been built. */
  manifest(): Promise<WidgetManifest | undefined>;
}

/** Serves the files of `dir` (absolute). */
export function createWidgetAssets(dir: string): WidgetAssets {
  const cache = new Map<string, { key: string; asset: Promise<Asset> }>();
  const load = async (name: string): Promise<Asset | undefined> => {
    if (name !== path.basename(name)) return undefined;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      // Gone (a rebuild renamed its chunks): forget it.
      cache.delete(name);
      return undefined;
    }
    const key = `${info.size}:${info.mtimeMs}`;
    const cached = cache.get(name);
    if (cached?.key === key) return cached.asset;
    const asset = prepare(file);
    cache.set(name, { key, asset });
    // A failed read is not cached: the next request tries again.
    asset.catch(() => cache.get(name)?.asset === asset && cache.delete(name));
    return asset;
  };
  return {
    load: (name) => load(name).catch(() => undefined),
    async manifest() {
      const entry = await load(ENTRY).catch(() => undefined);
      if (!entry) return undefined;
      return { version: entry.hash, module: `/v/${entry.hash}/${ENTRY}`, integrity: entry.integrity };
    },
  };
}

async function prepare(file: string): Promise<Asset> {
  const identity = await readFile(file);
  const [br, gz] = await Promise.all([
    brotli(identity, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
    gzipAsync(identity, { level: 9 }),
  ]);
  return {
    contentType: file.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8',
    hash: createHash('sha256').update(identity).digest('hex').slice(0, 16),
    integrity: `sha384-${createHash('sha384').update(identity).digest('base64')}`,
    identity,
    ...(br.length < identity.length && { br }),
    ...(gz.length < identity.length && { gzip: gz }),
  };
}

type Encoding = 'br' | 'gzip' | 'identity';

/** The encoding of `asset` to send for this request's `Accept-Encoding` (RFC 9110 §12.5.3). */
export function chooseEncoding(c: Context, asset: Asset): Encoding {
  return accepts(c, {
    header: 'Accept-Encoding',
    supports: ['br', 'gzip'],
    default: 'identity',
    match: (list) => {
      const q = (name: string) => list.find((a) => a.type.toLowerCase() === name)?.q ?? list.find((a) => a.type === '*')?.q ?? 0;
      const br = asset.br ? q('br') : 0;
      const gz = asset.gzip ? q('gzip') : 0;
      if (br <= 0 && gz <= 0) return 'identity';
      return br >= gz ? 'br' : 'gzip';
    },
  }) as Encoding;
}

/** Whether an `If-None-Match` value matches `etag` (weak comparison, as RFC 9110 §13.1.2 asks). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * The answer for `asset`: 200 with the chosen encoding, or 304 when `If-None-Match` matches its
 * ETag. `cacheControl` is {@link IMMUTABLE} or {@link REVALIDATE}.
 */
export function sendAsset(c: Context, asset: Asset, cacheControl: string): Response {
  const encoding = chooseEncoding(c, asset);
  const body = encoding === 'identity' ? asset.identity : asset[encoding]!;
  const etag = `"${asset.hash}${encoding === 'br' ? '-br' : encoding === 'gzip' ? '-gz' : ''}"`;
  c.header('ETag', etag);
  c.header('Cache-Control', cacheControl);
  c.header('Vary', 'Accept-Encoding', { append: true });
  if (noneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  c.header('Content-Type', asset.contentType);
  c.header('Content-Length', String(body.length));
  if (encoding !== 'identity') c.header('Content-Encoding', encoding);
  // Buffers of readFile and zlib sit on plain ArrayBuffers.
  return c.body(body as Uint8Array<ArrayBuffer>, 200);
}
