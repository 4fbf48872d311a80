/**
 * The transitions the call machine is made of (call-machine.ts picks them by event): each reads
 * and replaces the context and collects effects. Pure: no DOM, socket, timer or RTCPeerConnection.
 */
import type { Signal } from 'video-call-protocol';
import { CONNECT_TIMEOUT_MS, initialContext, type CallContext, type CallEffect, type CodedError, type Notice, type Peer } from './call-context.js';
import type { CallEndReason } from './call-state.js';
import { DEFAULT_MEDIA } from 'video-call-protocol';
import { ICE_RESTART_TIMEOUT_MS, iceRestartDelayMs, MAX_ICE_RESTARTS } from './ice-recovery.js';

/** One transition being built: the context so far and the effects collected. */
export class Step {
  effects: CallEffect[] = [];
  constructor(public ctx: CallContext) {}

  set(patch: Partial<CallContext>): void {
    this.ctx = { ...this.ctx, ...patch };
  }

  do(...effects: CallEffect[]): void {
    this.effects.push(...effects);
  }

  notify(notice: Notice): void {
    this.do({ type: 'notify', notice });
  }

  /** The peer's call-steering signals, and media signals of the current call. */
  signal(signal: Signal): void {
    if (signal.kind === 'chat') {
      // Chat through the service, while no call's data channel connects the two.
      const { id, text, sentAt } = signal;
      return this.notify({ type: 'message', from: this.ctx.peer!, message: { id, text, sentAt } });
    }
    const { call, autoAnswer } = this.ctx;
    const ours = call !== null && signal.call === call.id;
    switch (signal.kind) {
      case 'ring':
        if (call === null) {
          this.set({
            ended: null,
            call: { id: signal.call, direction: 'incoming', accepted: false, connected: false, everConnected: false, iceRestarts: 0, loss: null },
          });
          this.do({ type: 'open-peer', offer: false });
          this.notify({ type: 'incoming-call', peer: this.ctx.peer! });
          if (autoAnswer) return this.accept(true);
          return this.do({ type: 'start-timer', timer: 'ring', ms: this.ctx.ringTimeoutMs });
        }
        if (call.direction === 'outgoing' && !call.accepted && this.ctx.polite) {
          // Glare: both called at once, so both asked for the call; nobody presses Accept. The
          // impolite side's call wins and it waits for our accept; we give up our own call
          // aloud (so it cannot linger there if it crossed a hang-up of theirs), take theirs,
          // and start over with a fresh connection that answers (no rollback of a gathering
          // offer). The impolite side ignores our ring: if we had cancelled it meanwhile, its
          // own call simply rings here.
          this.send({ kind: 'hang-up', call: call.id });
          this.set({ call: { ...call, id: signal.call, direction: 'incoming' } });
          this.do({ type: 'open-peer', offer: false });
          this.accept(true);
        }
        return;
      case 'accept':
        if (ours && call.direction === 'outgoing' && !call.accepted) this.accept(false);
        return;
      case 'decline':
        if (ours) this.endCall('declined');
        return;
      case 'hang-up':
        if (!ours) return;
        if (signal.reason) return this.endCall(signal.reason);
        if (call.accepted || call.direction === 'outgoing') return this.endCall('remote-hang-up');
        return this.endCall('cancelled');
      case 'description':
      case 'candidate':
        if (ours) this.do({ type: 'peer-signal', signal });
        return;
    }
  }

  /** Both agreed: attach the tracks (capturing first if the camera is off). */
  accept(tellPeer: boolean): void {
    const call = this.ctx.call!;
    this.set({ call: { ...call, accepted: true } });
    if (tellPeer) this.send({ kind: 'accept', call: call.id });
    this.do({ type: 'cancel-timer', timer: 'ring' });
    if (this.ctx.media === 'on') this.do({ type: 'attach-media' });
    else this.wantMedia();
    if (!call.everConnected) this.do({ type: 'start-timer', timer: 'connect', ms: CONNECT_TIMEOUT_MS });
  }

  /** Hanging up a call that rings for us declines it. */
  hangUpOrDecline(): void {
    const call = this.ctx.call;
    if (call?.direction === 'incoming' && !call.accepted) this.decline();
    else this.hangUp();
  }

  decline(): void {
    const call = this.ctx.call;
    if (call?.direction !== 'incoming' || call.accepted) return;
    this.send({ kind: 'decline', call: call.id });
    this.endCall('declined');
  }

  hangUp(): void {
    const { call, peer, away } = this.ctx;
    if (!call) return;
    if (peer) this.send({ kind: 'hang-up', call: call.id });
    else if (away) this.set({ owedHangUp: { peerId: away.peerId, call: call.id } });
    this.endCall('hang-up');
    // The partner was away: it is gone for this side; it hears of the hang-up if it comes back.
    if (away) this.peerGone();
  }

  pcState(state: RTCPeerConnectionState): void {
    const call = this.ctx.call;
    if (!call) return;
    if (state === 'connected') {
      this.set({ call: { ...call, connected: true, everConnected: true, iceRestarts: 0, loss: null } });
      return this.do({ type: 'cancel-timer', timer: 'connect' }, { type: 'cancel-timer', timer: 'ice-restart' });
    }
    this.set({ call: { ...call, connected: false } });
    if (state !== 'disconnected' && state !== 'failed') return;
    // The partner's signaling was already gone; now its media is too.
    if (this.ctx.away) return this.peerGone();
    if (!call.everConnected) {
      if (state === 'failed') this.callFailed({ code: 'call-failed' });
      return;
    }
    if (call.loss !== null) return; // a recovery is already under way
    this.set({ call: { ...call, connected: false, loss: state } });
    this.do({ type: 'start-timer', timer: 'ice-restart', ms: iceRestartDelayMs(0, { cause: state, polite: this.ctx.polite })! });
  }

  timer(timer: 'ring' | 'connect' | 'ice-restart'): void {
    const call = this.ctx.call;
    if (!call) return;
    if (timer === 'ring' && !call.accepted) {
      // Either side's timer ends it for both.
      this.send({ kind: 'hang-up', call: call.id, reason: 'no-answer' });
      return this.endCall('no-answer');
    }
    if (timer === 'connect' && call.accepted && !call.everConnected) return this.callFailed({ code: 'call-failed' });
    if (timer === 'ice-restart' && !call.connected && call.loss) {
      if (call.iceRestarts >= MAX_ICE_RESTARTS) return this.callFailed({ code: 'call-failed' });
      const restarts = call.iceRestarts + 1;
      this.set({ call: { ...call, iceRestarts: restarts } });
      // After the last restart the timer runs once more, to give up if it did not help.
      const next = iceRestartDelayMs(restarts, { cause: call.loss, polite: this.ctx.polite }) ?? ICE_RESTART_TIMEOUT_MS;
      this.do({ type: 'restart-ice' }, { type: 'start-timer', timer: 'ice-restart', ms: next });
    }
  }

  peerJoined(peer: Peer): void {
    const { owedHangUp, away, call } = this.ctx;
    if (owedHangUp && peer.peerId === owedHangUp.peerId) {
      // We hung up while this partner was away: tell it now, so its call ends too.
      this.do({ type: 'send', to: peer.id, signal: { kind: 'hang-up', call: owedHangUp.call } });
    }
    this.set({ owedHangUp: null });
    const partner = away ?? this.ctx.peer;
    if (partner && call && peer.peerId === partner.peerId) {
      // The same person, back on a new connection: the call goes on.
      this.set({ peer, away: null });
      return this.do({ type: 'watch-peer-media', on: false }, { type: 'resend-offer' });
    }
    if (partner) this.peerGone();
    this.set({ peer, ended: null, lastLeft: null });
    this.notify({ type: 'peer-joined', peer });
  }

  rejoined(polite: boolean, peers: Peer[]): void {
    this.set({ signalingDown: false, polite });
    this.do({ type: 'set-role', polite }, { type: 'fetch-ice-servers' });
    const partner = this.ctx.peer ?? this.ctx.away;
    const present = peers[0];
    if (present && partner && present.peerId === partner.peerId) {
      // The partner is there (it kept its place, or rejoined first): only its id may be new.
      this.set({ peer: present, away: null });
      this.do({ type: 'watch-peer-media', on: false });
      if (this.ctx.call) this.do({ type: 'resend-offer' });
      return;
    }
    // Old ids are void. A call partner is away until it is back (or its media stops).
    if (partner && this.ctx.call?.accepted && this.ctx.call.connected) {
      this.set({ away: partner, peer: null });
      this.do({ type: 'watch-peer-media', on: true });
    } else if (partner) {
      this.peerGone();
    }
    if (present) this.peerJoined(present);
  }

  /** The other person is gone: ends any call, tells the host page, waits for someone new. */
  peerGone(): void {
    const gone = this.ctx.peer ?? this.ctx.away;
    if (this.ctx.call) this.endCall('peer-left');
    this.set({ peer: null, away: null, ended: null, lastLeft: gone ? gone.name : this.ctx.lastLeft });
    this.do({ type: 'watch-peer-media', on: false });
    if (gone) this.notify({ type: 'peer-left', peer: gone });
  }

  /** Ends the call: closes the connection, stops the timers, releases camera and microphone. */
  endCall(reason: CallEndReason): void {
    const call = this.ctx.call;
    if (!call) return;
    const peerName = (this.ctx.peer ?? this.ctx.away)?.name ?? '';
    this.set({ call: null, ended: { reason, direction: call.direction, peerName }, peerMedia: DEFAULT_MEDIA });
    this.do(
      { type: 'close-peer' },
      { type: 'cancel-timer', timer: 'ring' },
      { type: 'cancel-timer', timer: 'connect' },
      { type: 'cancel-timer', timer: 'ice-restart' },
    );
    this.releaseMedia();
    this.notify({ type: 'call-ended', reason });
  }

  callFailed(error: CodedError): void {
    const call = this.ctx.call;
    if (call) this.send({ kind: 'hang-up', call: call.id, reason: 'failed' });
    this.endCall('failed');
    this.set({ ended: { ...this.ctx.ended!, error } });
    this.notify({ type: 'error', error });
    if (this.ctx.away) this.peerGone();
  }

  /** Everything off, out of the room, and `error` (or `full`) with a notice. */
  fail(error: CodedError): void {
    this.endCall('failed');
    if (this.ctx.stage === 'in-room' || this.ctx.stage === 'joining') this.do({ type: 'close-signaling' });
    this.releaseMedia();
    const { autoAnswer, ringTimeoutMs, relayOnly, room } = this.ctx;
    this.ctx = initialContext({ autoAnswer, ringTimeoutMs, relayOnly, room, error, stage: error.code === 'room-full' ? 'full' : 'error' });
    this.do({ type: 'watch-peer-media', on: false });
    this.notify({ type: 'error', error });
  }

  wantMedia(): void {
    if (this.ctx.media !== 'off') return;
    this.set({ media: 'acquiring' });
    this.do({ type: 'acquire-media' });
  }

  releaseMedia(): void {
    if (this.ctx.media === 'off') return;
    this.set({ media: 'off' });
    this.do({ type: 'release-media' });
  }

  /** Sends `signal` to the peer, when it is reachable. */
  send(signal: Signal): void {
    if (this.ctx.peer) this.do({ type: 'send', to: this.ctx.peer.id, signal });
  }
}
