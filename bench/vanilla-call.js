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
 * Attributes: `room`, `name`, `signaling-url`. Every signal carries a call id; the caller rings
 * first, then sends its offer (the service's relay contract).
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
    const pc = this.#createPeerConnection();
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.#send({ kind: 'description', description: { type: offer.type, sdp: offer.sdp } });
  }

  #createPeerConnection() {
    this.state = 'calling';
    const pc = new RTCPeerConnection({ iceServers: this.#iceServers });
    this.#pc = pc;
    for (const track of this.#stream.getTracks()) pc.addTrack(track, this.#stream);
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.#send({ kind: 'candidate', candidate: candidate.toJSON() });
    };
    pc.ontrack = ({ streams: [stream] }) => {
      if (stream && this.#remote.srcObject !== stream) this.#remote.srcObject = stream;
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
    } else if (signal.kind === 'description' && signal.description.type === 'offer') {
      this.#callId = signal.call;
      const pc = this.#createPeerConnection(); // the callee answers at once, with its tracks
      const applied = pc.setRemoteDescription(signal.description);
      for (const candidate of this.#early.splice(0)) pc.addIceCandidate(candidate).catch(() => {});
      await applied;
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
