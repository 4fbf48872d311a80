/**
 * `<peerjs-call>`: the PeerJS column of `npm run bench:call`: the same call made with PeerJS 1.5
 * (npm `peerjs`, its browser bundle `peerjs.min.js`, loaded by the page before this module as
 * `window.peerjs`) over a local peerjs-server (npm `peer`, started by the bench).
 *
 * - `start()`: getUserMedia (camera + microphone, the same request as the other elements), then
 *   `new Peer('<room>-<name>')` on the `peer-server` origin, resolved at the Peer's `open` (its
 *   WebSocket to the server is up and the id is registered): `ready`. PeerJS has no rooms or
 *   presence: the bench starts both people before anyone calls.
 * - `call()`: `peer.call('<room>-<peer>', stream)`: PeerJS creates the RTCPeerConnection, adds the
 *   tracks, offers and trickles candidates through the server. The callee answers at once
 *   (`call.answer(stream)`), with its own tracks.
 * - The remote stream (`stream` event) goes into `[part~="remote-video"]` in an open shadow root.
 *
 * Attributes: `room`, `name`, `peer` (whom `call()` calls), `peer-server` (`http://host:port`),
 * `stun-urls` (comma-separated: the ICE servers the other elements get from the signal service;
 * PeerJS's own default list points at servers on the internet).
 * `state`: idle → joining → ready → calling → connected (or `error`).
 */
const { Peer } = window.peerjs;

class PeerJsCall extends HTMLElement {
  state = 'idle';
  #peer = null;
  #stream = null;
  #remote = document.createElement('video');
  #local = document.createElement('video');

  constructor() {
    super();
    this.#remote.setAttribute('part', 'remote-video');
    this.#local.setAttribute('part', 'local-video');
    for (const video of [this.#remote, this.#local]) {
      video.autoplay = true;
      video.playsInline = true;
      video.style.width = '320px';
    }
    this.#local.muted = true;
    this.attachShadow({ mode: 'open' }).append(this.#remote, this.#local);
  }

  #id(name) {
    return `${this.getAttribute('room')}-${name}`;
  }

  async start() {
    this.state = 'joining';
    this.#stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    this.#local.srcObject = this.#stream;
    const server = new URL(this.getAttribute('peer-server'));
    const urls = (this.getAttribute('stun-urls') ?? '').split(',').filter(Boolean);
    const peer = new Peer(this.#id(this.getAttribute('name')), {
      host: server.hostname,
      port: Number(server.port),
      path: '/',
      secure: false,
      debug: 0,
      config: { iceServers: urls.length ? [{ urls }] : [] },
    });
    this.#peer = peer;
    await new Promise((resolve, reject) => {
      peer.once('open', resolve);
      peer.once('error', reject);
    });
    peer.on('call', (call) => {
      this.#follow(call);
      call.answer(this.#stream); // the callee answers at once, with its tracks
    });
    this.state = 'ready';
  }

  call() {
    this.#follow(this.#peer.call(this.#id(this.getAttribute('peer')), this.#stream));
  }

  /** Shows the call's remote stream and follows its state. */
  #follow(call) {
    this.state = 'calling';
    call.on('stream', (stream) => {
      if (this.#remote.srcObject !== stream) this.#remote.srcObject = stream;
      this.state = 'connected';
    });
    call.on('error', () => (this.state = 'error'));
  }
}

customElements.define('peerjs-call', PeerJsCall);
