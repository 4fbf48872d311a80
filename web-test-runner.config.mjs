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
let groupService;

/**
 * Starts the services with the dev server and stops them with it; serves their URLs to the tests:
 * one with rooms of two (the default), one with rooms of four for group calls (ROOM_CAPACITY).
 */
const signalServicePlugin = {
  name: 'signal-service',
  async serverStart() {
    const logger = pino({ level: 'silent' });
    service = await startSignalService(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), { logger });
    groupService = await startSignalService(loadConfig({ PORT: '0', HOST: '127.0.0.1', ROOM_CAPACITY: '4' }), { logger });
  },
  async serverStop() {
    await service?.close();
    await groupService?.close();
  },
  serve(context) {
    if (context.path === '/__signal-service-url') return { body: `http://127.0.0.1:${service.port}`, type: 'text/plain' };
    if (context.path === '/__group-signal-service-url') return { body: `http://127.0.0.1:${groupService.port}`, type: 'text/plain' };
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
