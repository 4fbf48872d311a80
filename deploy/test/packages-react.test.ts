/**
 * The widget package in a fresh Vite + React 19 + TypeScript app, as an adopter sets one up: the
 * packed tarball installed with react, react-dom, @lit/react, their types, typescript and vite
 * from the registry. It must
 * - type-check (`tsc --noEmit`, strict, library checks on) `<video-call …>` in JSX and the
 *   `video-call/react` wrapper with typed event props, and refuse wrong types;
 * - type-check `<video-call>` with only `video-call/jsx` (no wrapper) in a program of its own;
 * - build with `vite build`, with one copy of Lit in the bundle and the call engine split out;
 * - import in Node (server-side rendering) without throwing.
 *
 * Needs `npm run build` first and the npm registry (`--prefer-offline`). About a minute.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NPM_INSTALL, npm, packWorkspaces, tempDir } from './packages-pack.js';

/** What the app installs besides the tarball (a React 19 app of today; typescript as this repository's). */
const APP_DEPENDENCIES = ['react@^19', 'react-dom@^19', '@lit/react@^1'];
const APP_DEV_DEPENDENCIES = ['@types/react@^19', '@types/react-dom@^19', 'typescript@~5.9'];
/** Vite 8 (Rolldown); Vite 7 when 8 cannot be installed here. */
const VITES = ['vite@^8', 'vite@^7'];

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    module: 'ESNext',
    moduleResolution: 'bundler',
    jsx: 'react-jsx',
    strict: true,
    noEmit: true,
    // Library checks on: the package's own .d.ts must be clean too.
    skipLibCheck: false,
    types: [],
  },
};

/** The app: the element in JSX, the wrapper, typed events, and what must not type-check. */
const APP_TSX = `import { useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { VideoCall } from 'video-call/react';
import type { CallState, VideoCall as VideoCallElement, VideoCallStateChangeEvent } from 'video-call';

function App() {
  const [state, setState] = useState<CallState>('idle');
  const element = useRef<VideoCallElement>(null);
  const onState = (event: VideoCallStateChangeEvent) => setState(event.detail.state);
  return (
    <main>
      <video-call room="r1" signaling-url="http://localhost:3000" />
      <video-call
        ref={element}
        room="r2"
        signaling-url="http://localhost:3000"
        ice-transport-policy="relay"
        auto-answer
        ring-timeout={20}
        onvc-state-change={(event) => setState(event.detail.state)}
        onvc-error={(event) => console.log(event.detail.code)}
      />
      <VideoCall
        room="r3"
        signalingUrl="http://localhost:3000"
        autoAnswer
        onVcStateChange={onState}
        onVcCallEnded={(event) => console.log(event.detail.reason)}
        onVcError={(event) => console.log(event.detail.code, event.detail.message)}
        ref={element}
      />
      <button onClick={() => void element.current?.start()}>{state}</button>
      {/* @ts-expect-error room is a string */}
      <video-call room={42} />
      {/* @ts-expect-error ice-transport-policy is all or relay */}
      <video-call room="r" ice-transport-policy="direct" />
      {/* @ts-expect-error an error event is not a state change */}
      <VideoCall room="r" onVcError={(event: VideoCallStateChangeEvent) => event.detail.state} />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
`;

/** `<video-call>` with the JSX types entry only (no wrapper), in a program of its own. */
const PLAIN_TSX = `import 'video-call';
import type {} from 'video-call/jsx';

export const call = <video-call room="r1" signaling-url="http://localhost:3000" name="Ada" />;
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>video-call in React</title></head>
  <body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body>
</html>
`;

/** Copies of Lit's three packages in `code`: each registers its version once per copy. */
function litCopies(code: string) {
  const count = (marker: string) => code.split(marker).length - 1;
  return { litHtml: count('litHtmlVersions'), reactiveElement: count('reactiveElementVersions'), litElement: count('litElementVersions') };
}

describe('the widget package in a fresh Vite + React 19 app', { timeout: 600_000 }, () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let app: string;
  let vite = '';

  before(async () => {
    work = await tempDir('vc-react-app-');
    const { protocol, widget } = await packWorkspaces(work.dir);
    app = path.join(work.dir, 'app');
    await mkdir(path.join(app, 'src'), { recursive: true });
    await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'react-app', private: true, type: 'module' }, null, 2));
    // The protocol tarball stands in for the registry's `video-call-protocol` the widget depends on.
    await npm([...NPM_INSTALL, protocol.file, widget.file, ...APP_DEPENDENCIES], app);
    let failure = '';
    for (const candidate of VITES) {
      try {
        await npm([...NPM_INSTALL, '--save-dev', candidate, ...APP_DEV_DEPENDENCIES], app);
        vite = candidate;
        break;
      } catch (error) {
        failure += `${candidate}: ${(error as Error).message}\n`;
      }
    }
    if (!vite) throw new Error(`no Vite could be installed:\n${failure}`);
    await writeFile(path.join(app, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, include: ['src'] }, null, 2));
    await writeFile(path.join(app, 'tsconfig.plain.json'), JSON.stringify({ ...TSCONFIG, files: ['src/plain.tsx'] }, null, 2));
    await writeFile(path.join(app, 'index.html'), INDEX_HTML);
    await writeFile(path.join(app, 'src/main.tsx'), APP_TSX);
    await writeFile(path.join(app, 'src/plain.tsx'), PLAIN_TSX);
  });
  after(async () => {
    await work?.remove();
  });

  it('type-checks <video-call> in JSX and the video-call/react wrapper with typed events, and refuses wrong types', async () => {
    await npm(['exec', '--', 'tsc', '-p', 'tsconfig.json'], app);
  });

  it('type-checks <video-call> with the video-call/jsx types alone', async () => {
    await npm(['exec', '--', 'tsc', '-p', 'tsconfig.plain.json'], app);
  });

  it('builds with vite: one copy of Lit, the call engine in a chunk of its own', async (t) => {
    await npm(['exec', '--', 'vite', 'build', '--logLevel', 'warn'], app);
    const assets = path.join(app, 'dist/assets');
    const chunks = readdirSync(assets).filter((file) => file.endsWith('.js'));
    const code = chunks.map((file) => readFileSync(path.join(assets, file), 'utf8'));
    t.diagnostic(`${vite}: ${chunks.length} JavaScript files, ${code.reduce((n, c) => n + c.length, 0)} bytes`);
    assert.deepEqual(litCopies(code.join('\n')), { litHtml: 1, reactiveElement: 1, litElement: 1 });
    assert.ok(
      code.some((c) => c.includes('customElements.define') || c.includes('"video-call"')),
      'the element is in the bundle',
    );
    const engine = code.findIndex((c) => /RTCPeerConnection/.test(c));
    assert.ok(engine >= 0, 'the call engine is bundled');
    assert.ok(!/createRoot/.test(code[engine]!), 'the call engine is a chunk apart from the app');
  });

  it('imports in Node without a DOM (server-side rendering) without throwing', async () => {
    const script = `
      const element = await import('video-call');
      const react = await import('video-call/react');
      if (typeof element.VideoCall !== 'function' || !react.VideoCall) throw new Error('missing exports');
      console.log(typeof document, typeof window);
    `;
    const out = await npm(['exec', '--', 'node', '--input-type=module', '-e', script], app);
    assert.match(out, /undefined undefined/, 'no DOM in this Node');
  });
});
