/**
 * `<connect-floor>`: bench:call's connect floor, the least a call's set-up can cost on this
 * machine: two RTCPeerConnections in one page, connected over loopback, with no signalling
 * between them but direct calls (each description and candidate is handed to the other
 * connection at once), no second page, no server.
 *
 * - `start()`: getUserMedia (camera + microphone), the same request as the other elements.
 * - `call()`: the caller's and the callee's connections (the ICE servers of the `stun-urls`
 *   attribute, the list the other elements get), each with the camera's and microphone's tracks
 *   (`addTrack`), so that, like two pages, two encoders and two decoders start; caller offers,
 *   callee answers, candidates trickle both ways.
 * - `[part~="remote-video"]` shows what the callee receives, `[part~="caller-remote-video"]` what
 *   the caller receives, in an open shadow root where bench/instrument.js looks for them.
 *
 * Attributes: `stun-urls` (comma-separated). `state`: idle → joining → ready → calling → connected.
 */
class ConnectFloor extends HTMLElement {
  state = 'idle';
  #stream = null;
  /** The two connections, held here so that they live as long as the element. */
  connections = [];
  #calleeView = document.createElement('video');
  #callerView = document.createElement('video');

  constructor() {
    super();
    this.#calleeView.setAttribute('part', 'remote-video');
    this.#callerView.setAttribute('part', 'caller-remote-video');
    for (const video of [this.#calleeView, this.#callerView]) {
      video.autoplay = true;
      video.playsInline = true;
      video.muted = true; // one page plays nothing twice; autoplay needs no gesture either way
      video.style.width = '320px';
    }
    this.attachShadow({ mode: 'open' }).append(this.#calleeView, this.#callerView);
  }

  async start() {
    this.state = 'joining';
    this.#stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    this.state = 'ready';
  }

  async call() {
    this.state = 'calling';
    const urls = (this.getAttribute('stun-urls') ?? '').split(',').filter(Boolean);
    const config = { iceServers: urls.length ? [{ urls }] : [] };
    const caller = new RTCPeerConnection(config);
    const callee = new RTCPeerConnection(config);
    this.connections = [caller, callee];
    // Candidates for a connection that has no remote description yet wait for it.
    const early = new Map([
      [caller, []],
      [callee, []],
    ]);
    const deliver = (pc, candidate) => {
      if (pc.remoteDescription) pc.addIceCandidate(candidate).catch(() => {});
      else early.get(pc).push(candidate);
    };
    const described = async (pc, description) => {
      await pc.setRemoteDescription(description);
      for (const candidate of early.get(pc).splice(0)) pc.addIceCandidate(candidate).catch(() => {});
    };
    for (const [pc, other, view] of [
      [caller, callee, this.#callerView],
      [callee, caller, this.#calleeView],
    ]) {
      for (const track of this.#stream.getTracks()) pc.addTrack(track, this.#stream);
      pc.onicecandidate = ({ candidate }) => {
        if (candidate) deliver(other, candidate);
      };
      pc.ontrack = ({ streams: [stream] }) => {
        if (stream && view.srcObject !== stream) view.srcObject = stream;
      };
    }
    caller.onconnectionstatechange = () => {
      if (caller.connectionState === 'connected') this.state = 'connected';
    };
    const offer = await caller.createOffer();
    await caller.setLocalDescription(offer);
    await described(callee, offer);
    const answer = await callee.createAnswer();
    await callee.setLocalDescription(answer);
    await described(caller, answer);
  }
}

customElements.define('connect-floor', ConnectFloor);
