/**
 * The service's state directory (`STATE_DIR`) and the secret it keeps there: the key of the
 * rejoin tokens when neither `REJOIN_SECRET` nor `REDIS_URL` is set (rejoin-key.ts), so that a
 * restarted service still accepts the tokens it gave out before and calls go on.
 *
 * Default directory: `$XDG_STATE_HOME/video-call-server`, else `~/.local/state/video-call-server`
 * (the XDG Base Directory specification's place for state that should survive restarts but is
 * not worth backing up). The same for `npm start` in the repository and `npx video-call-server`.
 *
 * The file `rejoin-secret` holds 32 random bytes as 64 hex digits and a newline. It is created at
 * the first start, atomically: written in full to a temporary file (mode 0600, fsync), then
 * linked to its name with `link(2)`, which never replaces an existing file. Two services starting
 * at once in the same directory therefore both end up reading the one file that won; nobody ever
 * reads a half-written secret. The directory is created with mode 0700.
 *
 * Refused at start-up ({@link StateFileError}, naming the path and the fix), never silently
 * replaced: a secret file that is not a regular file of this user, is readable or writable by
 * group or others, or does not hold 64 hex digits; a directory that group or others may write to
 * (they could swap the secret). A directory that cannot be created or written at all (read-only
 * file system, no permission) is an `Error` with the system's `code` (EACCES, EROFS, …): the
 * caller decides (rejoin-key.ts falls back to a random secret and warns).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Bytes of the generated secret (256 bits, the HMAC-SHA-256 block's worth of key). */
export const SECRET_BYTES = 32;
/** The secret file's name inside the state directory. */
export const REJOIN_SECRET_FILE = 'rejoin-secret';

/** A secret file or state directory that must not be used as it is; `message` says why and what to do. */
export class StateFileError extends Error {
  override name = 'StateFileError';
}

/**
 * The default state directory for `env`: `$XDG_STATE_HOME/video-call-server` when that is an
 * absolute path (the specification ignores relative ones), else
 * `$HOME/.local/state/video-call-server` (`os.homedir()` when HOME is unset).
 */
export function defaultStateDir(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_STATE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'video-call-server');
  return join(env.HOME || homedir(), '.local', 'state', 'video-call-server');
}

/** The owner checks of POSIX; Windows has no uid and reports no meaningful mode bits. */
const posix = process.platform !== 'win32' && typeof process.getuid === 'function';
const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Throws StateFileError when group or others may write to `dir` (see the file comment). */
async function checkDirectory(dir: string): Promise<void> {
  const info = await stat(dir);
  if (!info.isDirectory()) throw new StateFileError(`STATE_DIR ${dir} is not a directory.`);
  if (posix && (info.mode & 0o022) !== 0) {
    throw new StateFileError(
      `STATE_DIR ${dir} may be written by other users (mode ${octal(info.mode)}): they could replace the rejoin secret. ` +
        `Run chmod 700 ${dir}, or set STATE_DIR to a directory of this user only.`,
    );
  }
}

/** The secret of the file at `path`, checked (see the file comment); undefined when there is no file. */
async function readSecretFile(path: string): Promise<Buffer | undefined> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const remedy = `Delete it to have a new secret made at the next start (members in calls then join afresh), or set REJOIN_SECRET.`;
  if (!info.isFile()) throw new StateFileError(`${path} is not a regular file. ${remedy}`);
  if (posix && info.uid !== process.getuid!()) {
    throw new StateFileError(`${path} belongs to another user (uid ${info.uid}). ${remedy}`);
  }
  if (posix && (info.mode & 0o077) !== 0) {
    throw new StateFileError(
      `${path} may be read or written by other users (mode ${octal(info.mode)}): the rejoin secret may have leaked. ${remedy}`,
    );
  }
  const text = await readFile(path, 'utf8');
  if (!/^[0-9a-f]{64}\n?$/.test(text)) {
    throw new StateFileError(`${path} does not hold a rejoin secret (64 hex digits). ${remedy}`);
  }
  return Buffer.from(text.trim(), 'hex');
}

/** Flushes a directory's entries to disk (a new link survives a power cut); best effort. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY).catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

/** Writes a fresh secret to a temporary file and links it to `path` unless a file is there already. */
async function createSecretFile(dir: string, path: string): Promise<void> {
  const temp = join(dir, `.${REJOIN_SECRET_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${randomBytes(SECRET_BYTES).toString('hex')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, path);
  } catch (error) {
    // Another start made it first: its file is the one every start uses.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await syncDirectory(dir);
}

/**
 * The rejoin secret kept in `dir` (32 bytes), made at the first call (see the file comment).
 * @throws StateFileError for a secret file or directory that must not be used.
 * @throws Error with `code` (EACCES, EROFS, ENOTDIR, …) when `dir` cannot be created or written.
 */
export async function readOrCreateSecret(dir: string): Promise<Buffer> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await checkDirectory(dir);
  const path = join(dir, REJOIN_SECRET_FILE);
  const existing = await readSecretFile(path);
  if (existing) return existing;
  await createSecretFile(dir, path);
  const created = await readSecretFile(path);
  if (!created) throw new StateFileError(`${path} disappeared while it was being created.`);
  return created;
}
