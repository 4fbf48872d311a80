// The widget package's two JavaScript builds (widget/dist/):
//
// 1. The script-tag build, widget/dist/video-call.js: a minified ES module with no outside
//    dependencies (Lit inside) for <script type="module" src="…/video-call.js"> on any page, and
//    beside it the chunk of the call engine (socket.io-client, the call machine, WebRTC) that
//    start() loads. The signal service serves these two (package export `video-call/script`).
// 2. The bundler build, widget/dist/lib/: what `import 'video-call'` (and `video-call/react`)
//    gives an app's bundler. Lit, socket.io-client, React and @lit/react stay imports (the app
//    has one copy of each); not minified (the app's bundler does that), templates trimmed.
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { fileURLToPath } from 'node:url';

/** TypeScript for one build; the declarations come from tsc -p widget/tsconfig.types.json. */
const ts = (sourceMap) =>
  typescript({
    tsconfig: 'widget/tsconfig.json',
    // customConditions: none, so that video-call-protocol comes from its dist/ (as for users).
    compilerOptions: { noEmit: false, declaration: false, sourceMap, customConditions: [] },
    noEmitOnError: true,
  });

/** The bundler build's element entry (absolute, as Rollup resolves it). */
const ELEMENT_ENTRY = fileURLToPath(new URL('widget/src/index.ts', import.meta.url));
/** Where the bundler build goes; no source maps (the sources are not shipped). */
const LIB_OUTPUT = { dir: 'widget/dist/lib', entryFileNames: '[name].js', format: 'es', sourcemap: false };

/** Packages the bundler build imports instead of carrying (dependencies and peer dependencies; the protocol is one). */
const EXTERNAL = /^(lit|@lit|@lit-labs|socket\.io-client|react|video-call-protocol)(\/|$)/;

/** Every warning fails the build (a plugin's too: a template the minifier could not parse ships unminified). */
function failOnWarning(warning) {
  throw new Error(`rollup warning${warning.plugin ? ` from ${warning.plugin}` : ''}: ${warning.message}`);
}

export default [
  {
    // script-tag.ts: index.ts plus "the service is the origin that served this file".
    input: 'widget/src/script-tag.ts',
    onwarn: failOnWarning,
    // The engine chunk imports what it shares with the entry from the entry itself (one request
    // for the script tag, no facade chunk).
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'widget/dist',
      // The entry is what a page's script tag loads; the call engine is a chunk beside it that
      // start() imports (relative to the entry's own URL).
      entryFileNames: 'video-call.js',
      chunkFileNames: 'video-call-[name]-[hash].js',
      format: 'es',
      sourcemap: true,
    },
    plugins: [
      ts(true),
      // Whitespace inside html`` and css`` templates is not minified by terser.
      minifyHTML(),
      // `browser: true` picks socket.io-client's browser build (no Node built-ins).
      nodeResolve({ browser: true }),
      terser({ format: { comments: false }, ecma: 2020, module: true }),
    ],
  },
  {
    input: { 'video-call': 'widget/src/index.ts' },
    external: (id) => EXTERNAL.test(id),
    // The entry exports the public API only; what it shares with the call engine goes to a chunk.
    preserveEntrySignatures: 'strict',
    onwarn: failOnWarning,
    output: { ...LIB_OUTPUT, chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [ts(false), minifyHTML()],
  },
  // A build of its own, so that the wrapper imports the element from video-call.js (above) rather
  // than both sharing a third chunk.
  {
    input: { react: 'widget/src/react.ts', jsx: 'widget/src/jsx.ts' },
    external: (id) => EXTERNAL.test(id) || id === ELEMENT_ENTRY,
    preserveEntrySignatures: 'strict',
    output: { ...LIB_OUTPUT, paths: { [ELEMENT_ENTRY]: './video-call.js' } },
    // jsx.ts holds types only: its module is empty on purpose.
    onwarn(warning) {
      if (warning.code === 'EMPTY_BUNDLE' && warning.names?.includes('jsx')) return;
      failOnWarning(warning);
    },
    plugins: [ts(false)],
  },
];
