/**
 * `<vanilla-call>`: the floor that `npm run bench:call` measures `<video-call>` against.
 *
 * The same flow as the widget with nothing else: no Lit, no state machine, no recovery, no
 * consent step. Plain DOM, plain socket.io-client (its ESM browser build), plain RTCPeerConnection:
 *
 * - `start()`: getUserMedia (camera + microphone), connect (WebSocket), `room:join` with ack,
 *   `ice:servers` with ack (the widget also fetches them at join, so both use the same list).
 * - `call()`: new RTCPeerConnection, addTrack of camera and microphone, createOffer,
 *   setLocalDescription, relay `ring` (when the service speaks call ids) then the offer.
 * - The callee answers at once with its own tracks. Both sides trickle candidates.
 * - The remote stream goes into `[part~="remote-video"]` in an open shadow root, the same place
 *   the bench looks for the widget's remote video.
 *
 * With the `hold-media` attribute it is the accept floor instead (bench:call's `accept-floor`
 * flow): the same call, but both connections are set up with an audio and a video transceiver
 * (`sendrecv`) whose senders carry no track, as the widget does before consent: ICE and DTLS
 * complete, no RTP flows. `accept()` (the callee's) then puts the camera and microphone on its
 * senders (`replaceTrack`, no renegotiation) and tells the caller (an `accept` signal), who does
 * the same: the least any consent step can cost after the connection is up.
 *
 * Attributes: `room`, `name`, `signaling-url`, `hold-media`. Every signal carries a call id; the
 * caller rings first, then sends its offer (the service's relay contract).
 * `state`: idle → joining → waiting | ready → calling → connected (or `error`).
 */
import { io } from '/socket.io.esm.min.js';

/** A call id: 8–64 of A–Z a–z 0–9 _ - (a UUID; the page is a secure context). */
const randomCallId = () => crypto.randomUUID();

class VanillaCall extends HTMLElement {
  state = 'idle';
  #socket = null;
  #stream = null;
  #iceServers = [];
  #peer = null;
  #pc = null;
  #callId = '';
  /** Remote candidates that came before the peer connection existed. */
  #early = [];
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

  async start() {
    this.state = 'joining';
    this.#stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    this.#local.srcObject = this.#stream;
    const socket = io(this.getAttribute('signaling-url') || location.origin, { transports: ['websocket'] });
    this.#socket = socket;
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.on('room:peer-joined', (peer) => {
      this.#peer = peer.id;
      this.state = 'ready';
    });
    socket.on('signal:relay', (message) => this.#onSignal(message));
    const joined = await socket.emitWithAck('room:join', { room: this.getAttribute('room'), name: this.getAttribute('name') ?? '' });
    if (!joined.ok) throw new Error(`room:join: ${joined.error.code}`);
    const ice = await socket.emitWithAck('ice:servers');
    this.#iceServers = ice.ok ? ice.iceServers : [];
    this.#peer = joined.peers[0]?.id ?? this.#peer;
    this.state = this.#peer ? 'ready' : 'waiting';
  }

  async call() {
    this.#callId = randomCallId();
    this.#send({ kind: 'ring' });
    const pc = this.#createPeerConnection(true);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.#send({ kind: 'description', description: { type: offer.type, sdp: offer.sdp } });
  }

  /** Accept floor (`hold-media`), the callee: camera and microphone go on the senders now; the caller is told. */
  async accept() {
    this.#send({ kind: 'accept' });
    await this.#sendTracks();
  }

  get #holdMedia() {
    return this.hasAttribute('hold-media');
  }

  /** Puts the camera's and microphone's tracks on the senders of the same kind (`replaceTrack`). */
  async #sendTracks() {
    const tracks = this.#stream.getTracks();
    await Promise.all(
      this.#pc
        .getTransceivers()
        .map(({ sender, receiver }) => sender.replaceTrack(tracks.find((track) => track.kind === receiver.track.kind) ?? null)),
    );
  }

  /** `offering`: the caller's connection (with `hold-media`, it creates the transceivers). */
  #createPeerConnection(offering) {
    this.state = 'calling';
    const pc = new RTCPeerConnection({ iceServers: this.#iceServers });
    this.#pc = pc;
    if (!this.#holdMedia) {
      for (const track of this.#stream.getTracks()) pc.addTrack(track, this.#stream);
    } else if (offering) {
      for (const kind of ['audio', 'video']) pc.addTransceiver(kind, { direction: 'sendrecv' });
    }
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.#send({ kind: 'candidate', candidate: candidate.toJSON() });
    };
    // Without `hold-media` the tracks come in the caller's stream; with it in none: one stream of both.
    const held = new MediaStream();
    pc.ontrack = ({ streams: [stream], track }) => {
      if (!stream) held.addTrack(track);
      const show = stream ?? held;
      if (this.#remote.srcObject !== show) this.#remote.srcObject = show;
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') this.state = 'connected';
    };
    return pc;
  }

  async #onSignal({ from, signal }) {
    if (from !== this.#peer) return;
    if (signal.kind === 'ring') {
      this.#callId = signal.call;
    } else if (signal.kind === 'accept' && this.#pc) {
      await this.#sendTracks();
    } else if (signal.kind === 'description' && signal.description.type === 'offer') {
      this.#callId = signal.call;
      const pc = this.#createPeerConnection(false); // the callee answers at once, with its tracks (or none yet)
      const applied = pc.setRemoteDescription(signal.description);
      for (const candidate of this.#early.splice(0)) pc.addIceCandidate(candidate).catch(() => {});
      await applied;
      if (this.#holdMedia) for (const transceiver of pc.getTransceivers()) transceiver.direction = 'sendrecv';
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      this.#send({ kind: 'description', description: { type: answer.type, sdp: answer.sdp } });
    } else if (signal.kind === 'description') {
      await this.#pc?.setRemoteDescription(signal.description);
    } else if (signal.kind === 'candidate' && signal.candidate) {
      // addIceCandidate queues behind a pending setRemoteDescription on the same connection.
      if (this.#pc) await this.#pc.addIceCandidate(signal.candidate);
      else this.#early.push(signal.candidate);
    }
  }

  #send(signal) {
    this.#socket.emit('signal:relay', { to: this.#peer, signal: { ...signal, call: this.#callId } });
  }
}

customElements.define('vanilla-call', VanillaCall);
