/**
 * Init script of every bench:call page (page.addInitScript), identical for `<video-call>`,
 * `<vanilla-call>`, `<peerjs-call>` and `<connect-floor>`; it runs before any script of the page.
 *
 * - `window.RTCPeerConnection` becomes a subclass that only records the time each connection's
 *   `connectionState` first becomes `connected` (`__bench.connected`), and the steps of its
 *   set-up (`__bench.steps`, [label, time]): `pc` (created), `local-offer` / `local-answer` /
 *   `remote-offer` / `remote-answer` (set{Local,Remote}Description resolved, by the
 *   description's type), `ice-connected` (iceConnectionState first `connected` or `completed`),
 *   `connected`.
 * - `__bench.watchFrame(label, part = 'remote-video')` arms `requestVideoFrameCallback` on the
 *   element's remote `<video>` (`[part~="remote-video"]` in its open shadow root; also on a new
 *   one, should a re-render replace it) and records when the first frame after arming that shows
 *   something (not black: a frame of the camera, for every element alike) on a visible `<video>`
 *   (`checkVisibility`: a frame presented while the element is hidden does not count) was presented for
 *   composition (`__bench.frames[label]`, and a `performance.mark` `bench:frame:<label>` for
 *   traces).
 * - `__bench.invoke('call' | 'accept')` records the time (and a `performance.mark`
 *   `bench:<method>`) and calls the element's method, the same way for every element.
 * - Lit: the first element class defined whose prototype chain has an `update` method (the
 *   widget's LitElement) gets that method wrapped, once: every call's start time and duration in
 *   ms go to `__bench.updates` (render + commit of one Lit update, nested element updates
 *   included). While `__bench.tracing` is true (the traced flows), every `requestUpdate` call
 *   is recorded with its time and stack (`__bench.requests`): who asked for each update.
 *   Nothing in the widget's source changes; other pages have no Lit and record none.
 * - `vc-state-change` events are recorded with their time (`__bench.states`: the widget's
 *   `incoming`).
 * Times are `performance.timeOrigin + performance.now()`: milliseconds on one clock for every
 * page of the machine, so a time taken in one page compares with a time taken in another.
 */
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const record = {
    connected: [],
    steps: [],
    frames: {},
    states: [],
    marks: {},
    errors: [],
    updates: [],
    requests: [],
    tracing: false,
    now,
    element: () => document.querySelector('video-call, vanilla-call, peerjs-call, connect-floor'),
    watchFrame(label, part = 'remote-video') {
      const root = record.element()?.shadowRoot;
      if (!root) throw new Error('no element with an open shadow root');
      // Arm every remote <video> the element shows from now on (a re-render may replace it).
      const armed = new WeakSet();
      const arm = () => {
        const video = root.querySelector(`[part~="${part}"]`);
        if (!video || armed.has(video) || record.frames[label] !== undefined) return;
        armed.add(video);
        const onFrame = () => {
          if (record.frames[label] !== undefined) return;
          const presented = now();
          if (!showsSomething(video)) return void video.requestVideoFrameCallback(onFrame);
          record.frames[label] = presented;
          performance.mark(`bench:frame:${label}`);
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
      performance.mark(`bench:${method}`);
      Promise.resolve(element[method]()).catch((error) => record.errors.push(`${method}(): ${error}`));
    },
    /** What the bench reads back (JSON-safe). */
    summary() {
      const element = record.element();
      const { connected, frames, states, marks, errors } = record;
      return {
        connected,
        frames,
        states,
        marks,
        errors,
        updates: record.updates,
        requests: record.requests,
        steps: record.steps,
        state: element?.state,
        hasAccept: typeof element?.accept === 'function',
      };
    },
  };
  window.__bench = record;

  /**
   * Whether the video is visible (laid out, no `visibility: hidden`, no `opacity: 0`, here or in
   * an ancestor: a frame presented while hidden does not count) and its current frame has any
   * pixel brighter than near-black (on a 16×16 copy).
   */
  const sample = document.createElement('canvas');
  sample.width = sample.height = 16;
  const sampler = sample.getContext('2d', { willReadFrequently: true });
  function showsSomething(video) {
    if (!video.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    sampler.drawImage(video, 0, 0, 16, 16);
    const { data } = sampler.getImageData(0, 0, 16, 16);
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] > 48) return true;
    return false;
  }

  const Native = window.RTCPeerConnection;
  const step = (label) => {
    record.steps.push([label, now()]);
    if (record.tracing) performance.mark(`bench:step:${label}`);
  };
  window.RTCPeerConnection = class RTCPeerConnection extends Native {
    constructor(...args) {
      super(...args);
      step('pc');
      let seen = false;
      let iceSeen = false;
      let checking = false;
      let gathered = false;
      this.addEventListener('icecandidate', (event) => {
        if (!gathered && event.candidate) {
          gathered = true;
          step('local-candidate');
        }
      });
      this.addEventListener('connectionstatechange', () => {
        if (!seen && this.connectionState === 'connected') {
          seen = true;
          record.connected.push(now());
          step('connected');
        }
      });
      this.addEventListener('iceconnectionstatechange', () => {
        if (!checking && this.iceConnectionState === 'checking') {
          checking = true;
          step('ice-checking');
        }
        if (!iceSeen && (this.iceConnectionState === 'connected' || this.iceConnectionState === 'completed')) {
          iceSeen = true;
          step('ice-connected');
        }
      });
    }

    async setLocalDescription(...args) {
      const result = await super.setLocalDescription(...args);
      step(`local-${this.localDescription?.type}`);
      return result;
    }

    async addIceCandidate(...args) {
      if (args[0]?.candidate && !this.__benchAdded) {
        this.__benchAdded = true;
        step('add-candidate');
      }
      return super.addIceCandidate(...args);
    }

    async setRemoteDescription(...args) {
      const result = await super.setRemoteDescription(...args);
      step(`remote-${this.remoteDescription?.type}`);
      return result;
    }
  };

  // Count Lit updates: wrap the `update` of the first defined class that has one (LitElement's,
  // shared by every Lit element of the bundle), before the element upgrades. While
  // `__bench.tracing` is set, `requestUpdate` calls are recorded too, with their stack.
  const define = customElements.define;
  const wrapped = { update: false, requestUpdate: false };
  const wrap = (proto, name, around) => {
    const original = Object.getOwnPropertyDescriptor(proto, name)?.value;
    if (wrapped[name] || typeof original !== 'function') return;
    wrapped[name] = true;
    proto[name] = around(original);
  };
  customElements.define = function (name, constructor, options) {
    for (let proto = constructor.prototype; proto && proto !== HTMLElement.prototype; proto = Object.getPrototypeOf(proto)) {
      wrap(
        proto,
        'update',
        (update) =>
          function litUpdate(...args) {
            const start = performance.now();
            try {
              return update.apply(this, args);
            } finally {
              record.updates.push([performance.timeOrigin + start, performance.now() - start]);
            }
          },
      );
      wrap(
        proto,
        'requestUpdate',
        (requestUpdate) =>
          function litRequestUpdate(...args) {
            if (record.tracing) record.requests.push([now(), new Error().stack ?? '']);
            return requestUpdate.apply(this, args);
          },
      );
    }
    return define.call(this, name, constructor, options);
  };

  document.addEventListener('vc-state-change', (event) => record.states.push([event.detail.state, now()]));
  window.addEventListener('unhandledrejection', (event) => record.errors.push(String(event.reason)));
  window.addEventListener('error', (event) => record.errors.push(String(event.message)));
})();
