// @web/test-runner: the widget's tests in real headless Chromium with a fake camera.
// The real signal service (built by `npm run build`) runs beside the tests on a free port; the
// tests ask for its URL at /__signal-service-url.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import pino from 'pino';
import { loadConfig } from './signal-service/dist/config.js';
import { startSignalService } from './signal-service/dist/server.js';
import { ALLOW_MEDIA_FLAGS, BASE_FLAGS, chromePath, FAKE_MEDIA_FLAGS } from './widget/test/chromium.mjs';

let service;

/** Starts the service with the dev server and stops it with it; serves its URL to the tests. */
const signalServicePlugin = {
  name: 'signal-service',
  async serverStart() {
    service = await startSignalService(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), {
      logger: pino({ level: 'silent' }),
    });
  },
  async serverStop() {
    await service?.close();
  },
  serve(context) {
    if (context.path === '/__signal-service-url') return { body: `http://127.0.0.1:${service.port}`, type: 'text/plain' };
  },
};

export default {
  files: ['widget/test/**/*.test.ts', '!widget/test/e2e/**', '!widget/test/node/**'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'video-call-source'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'widget/tsconfig.json' }), signalServicePlugin],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromePath(),
        headless: true,
        args: [...BASE_FLAGS, ...FAKE_MEDIA_FLAGS, ...ALLOW_MEDIA_FLAGS],
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
};
