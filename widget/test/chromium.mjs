// Where the tests find Chromium, and the flags for real WebRTC with a fake camera.
// Used by web-test-runner.config.mjs and the end-to-end tests.
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** CHROME_PATH, or the first Chromium/Chrome found at the usual paths. Throws with a hint if none. */
export function chromePath() {
  const found = [process.env.CHROME_PATH, ...CANDIDATES].find((path) => path && existsSync(path));
  if (!found) {
    throw new Error('No Chromium or Chrome found: install one (apt-get install chromium) or set CHROME_PATH.');
  }
  return found;
}

/** Flags without which headless Chromium on a closed network is slow or has no camera. */
export const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--autoplay-policy=no-user-gesture-required',
  // Headless Chromium 156 preloads its omnibox popup (a WebUI renderer, chrome://omnibox-popup.top-chrome)
  // for every new browser context: 0.8–2.2 s of CPU within 3 s of it, against 0.5–0.7 s without, on a
  // 2-core machine, while the test or benchmark is setting up its call. Nothing here uses the omnibox.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

/** A fake camera and microphone (moving test pattern and a beep) … */
// device-count=3: fake_device_0 and fake_device_2 are cameras WebRTC can send; fake_device_1 is a
// fake depth camera (Y16) that plays locally but is never encoded.
export const FAKE_MEDIA_FLAGS = ['--use-fake-device-for-media-stream=device-count=3'];
/** … and the permission prompt answered "allow" without a person. */
export const ALLOW_MEDIA_FLAGS = ['--use-fake-ui-for-media-stream'];
