// Builds dist/video-call.js: one self-contained, minified ES module (Lit and socket.io-client
// inside) for <script type="module" src="…/video-call.js"> on any page.
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

export default {
  input: 'widget/src/index.ts',
  output: {
    file: 'dist/video-call.js',
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
