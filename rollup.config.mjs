// Builds dist/video-call.js: a minified ES module with no outside dependencies (Lit inside) for
// <script type="module" src="…/video-call.js"> on any page, and beside it the chunk of the call
// engine (socket.io-client, the call machine, WebRTC) that start() loads.
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

export default {
  input: 'widget/src/index.ts',
  // The engine chunk imports what it shares with the entry from the entry itself (one request
  // for the script tag, no facade chunk).
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: 'dist',
    // The entry is what a page's script tag loads; the call engine is a chunk beside it that
    // start() imports (relative to the entry's own URL).
    entryFileNames: 'video-call.js',
    chunkFileNames: 'video-call-[name]-[hash].js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    typescript({
      tsconfig: 'widget/tsconfig.json',
      compilerOptions: { noEmit: false, declaration: false, sourceMap: true },
      noEmitOnError: true,
    }),
    // Whitespace inside html`` and css`` templates is not minified by terser.
    minifyHTML(),
    // `browser: true` picks socket.io-client's browser build (no Node built-ins).
    nodeResolve({ browser: true }),
    terser({ format: { comments: false }, ecma: 2020, module: true }),
  ],
};
