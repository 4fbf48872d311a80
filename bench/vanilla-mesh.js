/**
 * `<vanilla-mesh>`: the floor that `npm run bench:group` measures a `<video-call>` group call
 * against, as bench/vanilla-call.js is the floor of `npm run bench:call`.
 *
 * A full mesh with nothing else: no Lit, no state machine, no recovery, no consent, no video cap.
 * Plain DOM, plain socket.io-client (its ESM browser build), one plain RTCPeerConnection per
 * other member carrying the camera and microphone:
 *
 * - `start()`: getUserMedia (camera + microphone), connect (WebSocket), `room:join` with ack,
 *   `ice:servers` with ack (the same list the widget uses). Members come from the join answer's
 *   `peers` and from `room:peer-joined`.
 * - `call()`: a call id; to every member, `ring` and at once an offer on a new connection.
 * - A member rung answers every offer at once with its own tracks, and offers in turn to every
 *   other member whose connection id is smaller than its own (string order), so that each pair
 *   of callees gets exactly one offer and never glares. Candidates trickle both ways; those that
 *   come before their connection has its remote description wait for it (the order in which
 *   messages from different members arrive is not the order in which they were sent).
 * - Each remote stream plays in `<div part="tile" data-participant-id="…"><video
 *   part="remote-video"></div>` in an open shadow root, where the bench finds the widget's tiles,
 *   at about the size of a widget tile.
 *
 * For the bench's readings it has the widget's `participants` (`{ id, name, inCall }`) and
 * `getStats(participantId)` (the connection to that member). Attributes: `room`, `name`,
 * `signaling-url`. `state`: idle → joining → waiting | ready → calling → connected (every
 * connection `connected`).
 */
import { io } from '/socket.io.esm.min.js';

class VanillaMesh extends HTMLElement {
  state = 'idle';
  #socket = null;
  #stream = null;
  #iceServers = [];
  #callId = '';
  /** Members of the room: connection id → name. */
  #members = new Map();
  #self = '';
  /** Connection id → RTCPeerConnection. */
  #legs = new Map();
  /** Remote candidates that came before their connection's remote description, by sender. */
  #early = new Map();
  #tiles = document.createElement('div');

  constructor() {
    super();
    const local = document.createElement('video');
    local.setAttribute('part', 'local-video');
    local.autoplay = local.playsInline = local.muted = true;
    local.style.width = '160px';
    this.#tiles.style.cssText = 'display:flex;flex-wrap:wrap;gap:4px';
    this.attachShadow({ mode: 'open' }).append(this.#tiles, local);
    this.local = local;
  }

  /** The other members, as the widget's `participants` (inCall: a connection to them exists). */
  get participants() {
    return [...this.#members].map(([id, name]) => ({ id, name, inCall: this.#legs.has(id) }));
  }

  /** The stats of the connection to `id`, or null without one. */
  getStats(id) {
    return this.#legs.get(id)?.getStats() ?? Promise.resolve(null);
  }

  async start() {
    this.state = 'joining';
    this.#stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    this.local.srcObject = this.#stream;
    const socket = io(this.getAttribute('signaling-url') || location.origin, { transports: ['websocket'] });
    this.#socket = socket;
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.on('room:peer-joined', (member) => {
      this.#members.set(member.id, member.name);
      if (this.state === 'waiting') this.state = 'ready';
    });
    socket.on('room:peer-left', (member) => this.#members.delete(member.id));
    socket.on('signal:relay', (message) => this.#onSignal(message));
    const joined = await socket.emitWithAck('room:join', { room: this.getAttribute('room'), name: this.getAttribute('name') ?? '' });
    if (!joined.ok) throw new Error(`room:join: ${joined.error.code}`);
    this.#self = joined.self.id;
    for (const member of joined.peers) this.#members.set(member.id, member.name);
    const ice = await socket.emitWithAck('ice:servers');
    this.#iceServers = ice.ok ? ice.iceServers : [];
    this.state = this.#members.size > 0 ? 'ready' : 'waiting';
  }

  /** Rings every member and offers to each. */
  async call() {
    this.#callId = crypto.randomUUID();
    this.state = 'calling';
    await Promise.all(
      [...this.#members.keys()].map((id) => {
        this.#send(id, { kind: 'ring' });
        return this.#offer(id);
      }),
    );
  }

  async #offer(id) {
    const pc = this.#connect(id);
    await pc.setLocalDescription(await pc.createOffer());
    this.#send(id, { kind: 'description', description: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
  }

  #connect(id) {
    const pc = new RTCPeerConnection({ iceServers: this.#iceServers });
    this.#legs.set(id, pc);
    for (const track of this.#stream.getTracks()) pc.addTrack(track, this.#stream);
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.#send(id, { kind: 'candidate', candidate: candidate.toJSON() });
    };
    const tile = document.createElement('div');
    tile.setAttribute('part', 'tile');
    tile.dataset.participantId = id;
    const video = document.createElement('video');
    video.setAttribute('part', 'remote-video');
    video.autoplay = video.playsInline = true;
    // About the box of a widget tile in the bench's 800×600 page (382×432 with 3 people), so
    // that both pages composite about as many pixels.
    video.style.cssText = 'width:380px;height:430px;object-fit:cover';
    tile.append(video);
    this.#tiles.append(tile);
    pc.ontrack = ({ streams: [stream] }) => {
      if (stream && video.srcObject !== stream) video.srcObject = stream;
    };
    pc.onconnectionstatechange = () => {
      if ([...this.#legs.values()].every((leg) => leg.connectionState === 'connected')) this.state = 'connected';
    };
    return pc;
  }

  async #onSignal({ from, signal }) {
    if (!this.#members.has(from)) return;
    if (signal.kind === 'ring') {
      // Rung: offer to every other member with a smaller id (the ringer offers to us).
      this.#callId = signal.call;
      this.state = 'calling';
      for (const id of this.#members.keys()) {
        if (id !== from && id < this.#self && !this.#legs.has(id)) void this.#offer(id);
      }
    } else if (signal.kind === 'description' && signal.description.type === 'offer') {
      const pc = this.#legs.get(from) ?? this.#connect(from); // answer at once, with our tracks
      await this.#setRemote(from, pc, signal.description);
      await pc.setLocalDescription(await pc.createAnswer());
      this.#send(from, { kind: 'description', description: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
    } else if (signal.kind === 'description') {
      const pc = this.#legs.get(from);
      if (pc) await this.#setRemote(from, pc, signal.description);
    } else if (signal.kind === 'candidate' && signal.candidate) {
      const pc = this.#legs.get(from);
      if (pc?.remoteDescription) await pc.addIceCandidate(signal.candidate);
      else this.#early.set(from, [...(this.#early.get(from) ?? []), signal.candidate]);
    }
  }

  /** Applies the remote description, then the candidates from `id` that waited for it. */
  async #setRemote(id, pc, description) {
    await pc.setRemoteDescription(description);
    for (const candidate of this.#early.get(id)?.splice(0) ?? []) await pc.addIceCandidate(candidate);
  }

  #send(to, signal) {
    this.#socket.emit('signal:relay', { to, signal: { ...signal, call: this.#callId } });
  }
}

customElements.define('vanilla-mesh', VanillaMesh);
