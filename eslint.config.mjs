// The house rules, checked by `npm run lint` (part of `npm test`, after the type check and before
// the build): ESLint's recommended rules and typescript-eslint's type-checked ones over every
// TypeScript and JavaScript file of the repository that is ours (generated dist/, docs/ and
// node_modules/ aside).
//
// Where the type information comes from: every TypeScript file belongs to a tsconfig that the
// project service finds by walking up from the file: widget/src to widget/tsconfig.json, bench/*.ts
// to bench/tsconfig.json, everything else (protocol, signal-service src/test/bench,
// widget/test, deploy, demo, the root configs) to the root tsconfig.json that `npm run typecheck`
// checks. A new folder of TypeScript goes into one of them, or its files fail to parse here.
//
// Plain JavaScript (the root configs, widget/test/chromium.mjs, the bench's in-page scripts and its
// service hook, signal-service/examples) gets the recommended rules without type information: the
// type-checked rules would flag every untyped parameter as `any`. Globals follow where the file
// runs: the bench's page scripts in a browser, the rest in Node.
//
// Formatting is Prettier's, so no stylistic rule is enabled here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The bench's page scripts: init scripts and custom elements loaded into Chromium pages. */
const PAGE_SCRIPTS = ['bench/*.js'];
/** The element and its tests that run in Chromium (web-test-runner, mocha); not e2e/ nor node/. */
const WIDGET_BROWSER = ['widget/src/**/*.ts', 'widget/test/*.ts'];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'docs/**', '**/*.tmp.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's test() and describe() return promises that the runner itself awaits.
      // Chai's `equal` family: @open-wc/semantic-dom-diff's typings (pulled in by @open-wc/testing)
      // merge a Promise-returning signature into Chai.Equal for its `.dom.equal` diff, which
      // types every `expect(x).to.equal(y)` as a promise; the assertion itself is synchronous
      // (and no test uses the DOM diff). Every other promise in the tests is still checked.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
            { from: 'package', package: 'chai', name: 'Equal' },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Unused bindings are errors, except the leading-underscore ones that destructuring leaves out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Plain JavaScript: no type information to check against (see the top of this file).
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // A .cjs file is CommonJS by its name: require() is how it imports.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Globals by where a file runs. For TypeScript the tsconfig's lib and types decide what exists
  // (no-undef is off there); these matter to the JavaScript files and to rules that read scopes.
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    ignores: [...PAGE_SCRIPTS, ...WIDGET_BROWSER],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: PAGE_SCRIPTS,
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // widget/src runs in browsers (and is imported during server-side rendering, where it checks
    // for `customElements` first); widget/test's top-level tests run in Chromium with mocha.
    files: WIDGET_BROWSER,
    languageOptions: { globals: { ...globals.browser, ...globals.mocha } },
  },
);
