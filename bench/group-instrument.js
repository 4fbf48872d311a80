/**
 * Init script of every `npm run bench:group` page (page.addInitScript), identical for
 * `<video-call>` and `<vanilla-mesh>`; it runs before any script of the page. The group version
 * of bench/instrument.js: it watches every tile, not one video.
 *
 * - `window.RTCPeerConnection` becomes a subclass that only records the time each connection's
 *   `connectionState` first becomes `connected` (`__group.connected`), and keeps every
 *   connection made (`__group.connections`) for `videoCaps()`.
 * - `__group.videoCaps()`: for each video sender of an open connection that has sent something,
 *   its RTP `ssrc` (from the sender's stats) and its first encoding's `maxBitrate` (bits/s, null
 *   when unset) and `scaleResolutionDownBy` (null when unset): the cap the page's element set,
 *   whatever element it is.
 * - `__group.watchTiles()` arms `requestVideoFrameCallback` on every `[part~="remote-video"]` in
 *   the element's open shadow root, and (through a MutationObserver) on every one added later,
 *   should a tile appear or a re-render replace its video. For each participant (the
 *   `data-participant-id` of the video's `[part~="tile"]`) it records when the first frame that
 *   shows something (not black: a frame of the camera, for both elements alike) was presented
 *   for composition (`__group.frames[id]`); the first such frame of a participant wins.
 * - `__group.invoke('call')` records the time and calls the element's `call()`, not waiting for it.
 * Times are `performance.timeOrigin + performance.now()`: milliseconds on one clock for every
 * page of the machine, so a time taken in one page compares with a time taken in another.
 */
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const record = {
    connected: [],
    connections: [],
    frames: {},
    marks: {},
    errors: [],
    now,
    element: () => document.querySelector('video-call, vanilla-mesh'),
    watchTiles() {
      const root = record.element()?.shadowRoot;
      if (!root) throw new Error('no element with an open shadow root');
      const armed = new WeakSet();
      const arm = () => {
        for (const video of root.querySelectorAll('[part~="remote-video"]')) {
          if (armed.has(video)) continue;
          armed.add(video);
          const onFrame = () => {
            const id = video.closest('[part~="tile"]')?.dataset.participantId ?? '?';
            if (record.frames[id] !== undefined || !video.isConnected) return;
            const presented = now();
            if (!showsSomething(video)) return void video.requestVideoFrameCallback(onFrame);
            record.frames[id] = presented;
          };
          video.requestVideoFrameCallback(onFrame);
        }
      };
      new MutationObserver(arm).observe(root, { childList: true, subtree: true });
      arm();
    },
    /** Marks the time, then calls the element's method, not waiting for it. */
    invoke(method) {
      const element = record.element();
      record.marks[method] = now();
      Promise.resolve(element[method]()).catch((error) => record.errors.push(`${method}(): ${error}`));
    },
    /** The video senders' caps, by ssrc (see above). */
    async videoCaps() {
      const caps = {};
      for (const pc of record.connections) {
        if (pc.connectionState === 'closed') continue;
        for (const sender of pc.getSenders()) {
          if (sender.track?.kind !== 'video') continue;
          const encoding = sender.getParameters().encodings?.[0] ?? {};
          (await sender.getStats()).forEach((s) => {
            if (s.type === 'outbound-rtp')
              caps[s.ssrc] = { maxBitrate: encoding.maxBitrate ?? null, scale: encoding.scaleResolutionDownBy ?? null };
          });
        }
      }
      return caps;
    },
    /** What the bench reads back (JSON-safe). */
    summary() {
      const element = record.element();
      const { connected, frames, marks, errors } = record;
      // Each connection as connectionState/signalingState, to tell which leg hung when a flow breaks.
      const legs = record.connections.map((pc) => `${pc.connectionState}/${pc.signalingState}`);
      return { connected, frames, marks, errors, legs, state: element?.state };
    },
  };
  window.__group = record;

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
  window.RTCPeerConnection = class RTCPeerConnection extends Native {
    constructor(...args) {
      super(...args);
      record.connections.push(this);
      let seen = false;
      this.addEventListener('connectionstatechange', () => {
        if (!seen && this.connectionState === 'connected') {
          seen = true;
          record.connected.push(now());
        }
      });
    }
  };

  window.addEventListener('unhandledrejection', (event) => record.errors.push(String(event.reason)));
  window.addEventListener('error', (event) => record.errors.push(String(event.message)));
})();
