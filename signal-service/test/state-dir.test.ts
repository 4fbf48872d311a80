/**
 * The rejoin secret kept in the state directory (state-dir.ts), on the real file system: modes
 * 0700/0600, one atomic creation, the same secret at every later start, one secret for concurrent
 * first starts (in one process, and in several processes started at the same instant), and a clear
 * refusal of a file or directory that must not be used.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { readOrCreateSecret, REJOIN_SECRET_FILE, StateFileError } from '../src/state-dir.js';

const root = mkdtempSync(join(tmpdir(), 'video-call-state-dir-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
/** A path under the test's temporary folder that does not exist yet. */
const freshDir = () => join(root, `case-${++count}`, 'video-call-server');
const mode = (path: string) => statSync(path).mode & 0o777;
const stateDirModule = fileURLToPath(new URL('../src/state-dir.ts', import.meta.url));

describe('the rejoin secret in the state directory', () => {
  it('is made at the first start: directories 0700, file 0600, 32 random bytes as 64 hex digits, no temporary file left', async () => {
    const dir = freshDir();
    const secret = await readOrCreateSecret(dir);
    assert.equal(secret.length, 32);
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(join(dir, '..')), 0o700, 'missing parents are made 0700 too');
    const file = join(dir, REJOIN_SECRET_FILE);
    assert.equal(mode(file), 0o600);
    assert.equal(readFileSync(file, 'utf8'), `${secret.toString('hex')}\n`);
    assert.deepEqual(readdirSync(dir), [REJOIN_SECRET_FILE]);
    assert.notDeepEqual(await readOrCreateSecret(freshDir()), secret, 'another directory, another secret');
  });

  it('is the same at every later start', async () => {
    const dir = freshDir();
    const first = await readOrCreateSecret(dir);
    assert.deepEqual(await readOrCreateSecret(dir), first);
    assert.deepEqual(await readOrCreateSecret(dir), first);
  });

  it('is one secret for 20 first starts at once in one process', async () => {
    const dir = freshDir();
    const secrets = await Promise.all(Array.from({ length: 20 }, () => readOrCreateSecret(dir)));
    assert.equal(new Set(secrets.map((s) => s.toString('hex'))).size, 1);
    assert.deepEqual(readdirSync(dir), [REJOIN_SECRET_FILE]);
  });

  it('is one secret for 6 processes starting at the same instant', async () => {
    const dir = freshDir();
    // Each process loads the module, then waits for the same wall-clock instant to read or create.
    const at = Date.now() + 4000;
    const script = `
      const { readOrCreateSecret } = await import(${JSON.stringify(stateDirModule)});
      await new Promise((resolve) => setTimeout(resolve, ${at} - Date.now()));
      process.stdout.write((await readOrCreateSecret(${JSON.stringify(dir)})).toString('hex'));`;
    const outputs = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            let out = '';
            let err = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
            child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
          }),
      ),
    );
    assert.equal(outputs.length, 6);
    assert.match(outputs[0]!, /^[0-9a-f]{64}$/);
    assert.deepEqual(new Set(outputs), new Set([outputs[0]]), 'every process read the same secret');
    assert.equal(readFileSync(join(dir, REJOIN_SECRET_FILE), 'utf8'), `${outputs[0]}\n`);
    assert.deepEqual(readdirSync(dir), [REJOIN_SECRET_FILE]);
  });

  describe('refuses, naming the path and the fix, and never replaces', () => {
    /** A directory holding a rejoin-secret file with `content` and `fileMode`. */
    const withFile = (content: string, fileMode = 0o600) => {
      const dir = freshDir();
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, REJOIN_SECRET_FILE);
      writeFileSync(file, content);
      chmodSync(file, fileMode);
      return { dir, file };
    };
    const refused = async (dir: string, pattern: RegExp) => {
      await assert.rejects(readOrCreateSecret(dir), (error: unknown) => {
        assert.ok(error instanceof StateFileError, String(error));
        assert.match(error.message, pattern);
        return true;
      });
    };
    const valid = `${'0123456789abcdef'.repeat(4)}\n`;

    it('a file others may read (0644) or write (0620): the secret may have leaked', async () => {
      for (const fileMode of [0o644, 0o620, 0o604]) {
        const { dir, file } = withFile(valid, fileMode);
        await refused(dir, new RegExp(`${file} may be read or written by other users \\(mode 0${fileMode.toString(8)}\\).*Delete it`));
        assert.equal(readFileSync(file, 'utf8'), valid, 'left as it was');
      }
    });

    it('a file that holds something else (empty, short, not hex)', async () => {
      for (const content of ['', 'abc\n', `${'z'.repeat(64)}\n`, `${'ab'.repeat(32)}\n\n`]) {
        const { dir, file } = withFile(content);
        await refused(dir, /does not hold a rejoin secret \(64 hex digits\)/);
        assert.equal(readFileSync(file, 'utf8'), content);
      }
    });

    it('a symbolic link or a directory in place of the file', async () => {
      const target = withFile(valid);
      const dir = freshDir();
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      symlinkSync(target.file, join(dir, REJOIN_SECRET_FILE));
      await refused(dir, /is not a regular file/);
      const other = freshDir();
      mkdirSync(join(other, REJOIN_SECRET_FILE), { recursive: true, mode: 0o700 });
      await refused(other, /is not a regular file/);
    });

    it('a directory others may write to (they could replace the secret)', async () => {
      const dir = freshDir();
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o777);
      await refused(dir, /may be written by other users \(mode 0777\).*chmod 700/);
      assert.deepEqual(readdirSync(dir), [], 'nothing written');
    });
  });

  it('a directory that cannot be made is a system error with its code (the caller falls back)', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    await assert.rejects(readOrCreateSecret(join(file, 'state')), (error: NodeJS.ErrnoException) => {
      assert.ok(!(error instanceof StateFileError));
      assert.equal(error.code, 'ENOTDIR');
      return true;
    });
  });
});
