/**
 * Init script of every bench page (page.addInitScript), identical for `<video-call>` and
 * `<vanilla-call>`; it runs before any script of the page.
 *
 * - `window.RTCPeerConnection` becomes a subclass that only records the time each connection's
 *   `connectionState` first becomes `connected` (`__bench.connected`).
 * - `__bench.watchFrame(label)` arms `requestVideoFrameCallback` on the element's remote
 *   `<video>` (`[part~="remote-video"]` in its open shadow root; also on a new one, should a
 *   re-render replace it) and records when the first frame after arming that shows something
 *   (not black: a frame of the camera, for both elements alike) was presented for composition
 *   (`__bench.frames[label]`).
 * - `__bench.invoke('call' | 'accept')` records the time and calls the element's method, the
 *   same way for both elements.
 * - `vc-state-change` events are recorded with their time (`__bench.states`: the widget's
 *   `incoming`).
 * Times are `performance.timeOrigin + performance.now()`: milliseconds on one clock for every
 * page of the machine, so a time taken in one page compares with a time taken in another.
 */
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const record = {
    connected: [],
    frames: {},
    states: [],
    marks: {},
    errors: [],
    now,
    element: () => document.querySelector('video-call, vanilla-call'),
    watchFrame(label) {
      const root = record.element()?.shadowRoot;
      if (!root) throw new Error('no element with an open shadow root');
      // Arm every remote <video> the element shows from now on (a re-render may replace it).
      const armed = new WeakSet();
      const arm = () => {
        const video = root.querySelector('[part~="remote-video"]');
        if (!video || armed.has(video) || record.frames[label] !== undefined) return;
        armed.add(video);
        const onFrame = () => {
          if (record.frames[label] !== undefined) return;
          const presented = now();
          if (!showsSomething(video)) return void video.requestVideoFrameCallback(onFrame);
          record.frames[label] = presented;
          observer.disconnect();
        };
        video.requestVideoFrameCallback(onFrame);
      };
      const observer = new MutationObserver(arm);
      observer.observe(root, { childList: true, subtree: true });
      arm();
    },
    /** Marks the time, then calls the element's `call()` (or `accept()`), not waiting for it. */
    invoke(method) {
      const element = record.element();
      record.marks[method] = now();
      Promise.resolve(element[method]()).catch((error) => record.errors.push(`${method}(): ${error}`));
    },
    /** What the bench reads back (JSON-safe). */
    summary() {
      const element = record.element();
      const { connected, frames, states, marks, errors } = record;
      return { connected, frames, states, marks, errors, state: element?.state, hasAccept: typeof element?.accept === 'function' };
    },
  };
  window.__bench = record;

  /** Whether the video's current frame has any pixel brighter than near-black (on a 16×16 copy). */
  const sample = document.createElement('canvas');
  sample.width = sample.height = 16;
  const sampler = sample.getContext('2d', { willReadFrequently: true });
  function showsSomething(video) {
    sampler.drawImage(video, 0, 0, 16, 16);
    const { data } = sampler.getImageData(0, 0, 16, 16);
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] > 48) return true;
    return false;
  }

  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class RTCPeerConnection extends Native {
    constructor(...args) {
      super(...args);
      let seen = false;
      this.addEventListener('connectionstatechange', () => {
        if (!seen && this.connectionState === 'connected') {
          seen = true;
          record.connected.push(now());
        }
      });
    }
  };

  document.addEventListener('vc-state-change', (event) => record.states.push([event.detail.state, now()]));
  window.addEventListener('unhandledrejection', (event) => record.errors.push(String(event.reason)));
  window.addEventListener('error', (event) => record.errors.push(String(event.message)));
})();
