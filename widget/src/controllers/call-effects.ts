/**
 * How each effect of the room machine is carried out, with the call's controllers: capture,
 * the signal service (join, rejoin, relay, ICE servers), the legs, the timers and the host
 * page's events. Every async continuation checks that what it was for is still current (a
 * capture or a join superseded meanwhile is dropped).
 */
import type { Quality } from '../call/quality.js';
import type { RoomEffect, TimerName } from '../call/room-context.js';
import type { LegTimers } from '../call/timers.js';
import { notify } from './call-notices.js';
import type { CallController, CallHost, CallSettings } from './call-controller.js';
import { codedError as coded } from '../errors.js';
import type { IceServersController } from './ice-servers-controller.js';

/** What the effects are carried out with. */
export interface CallParts {
  call: CallController;
  host: CallHost;
  settings: () => CallSettings;
  ice: IceServersController;
  timers: LegTimers<TimerName>;
  /** Bumped whenever capture or the service connection is stopped: late results are dropped. */
  runs: { media: number; signaling: number };
  /** The quality last announced by `vc-quality-change` (the worst leg's). */
  quality: Quality | null;
}

/** The ICE transport policy the legs use: `relay` only when the element asks for it, else `all`. */
export const transportPolicy = (settings: CallSettings): RTCIceTransportPolicy =>
  settings.iceTransportPolicy === 'relay' ? 'relay' : 'all';

/** Carries out one effect. */
export function carryOut(p: CallParts, effect: RoomEffect): void {
  const { call } = p;
  switch (effect.type) {
    case 'acquire-media':
      return void acquireMedia(p, ++p.runs.media);
    case 'release-media':
      p.runs.media++;
      return call.media.stop();
    case 'join':
    case 'rejoin':
      return void join(p, ++p.runs.signaling, effect.type === 'rejoin');
    case 'close-signaling':
      p.runs.signaling++;
      p.ice.stop();
      call.legs.discardSpare();
      return call.signaling.close();
    case 'fetch-ice-servers':
      return p.ice.fetch();
    case 'send':
      return void call.signaling.send(effect.to, effect.signal);
    case 'open-leg':
      return call.legs.open(effect.peerId, {
        polite: effect.polite,
        iceServers: p.ice.current,
        iceTransportPolicy: transportPolicy(p.settings()),
        offer: effect.offer,
      });
    case 'attach-media':
      return call.legs.get(effect.peerId)?.attach(call.media.stream);
    case 'leg-signal':
      return call.legs.get(effect.peerId)?.handleSignal(effect.signal);
    case 'close-leg':
      return call.legs.close(effect.peerId);
    case 'restart-ice':
      return call.legs.get(effect.peerId)?.restartIce();
    case 'resend-offer':
      return call.legs.get(effect.peerId)?.resendPendingOffer();
    case 'watch-leg-media':
      return call.legs.watchMedia(effect.peerId, effect.on);
    case 'start-timer':
      return p.timers.start(effect.timer, effect.peerId, effect.ms);
    case 'cancel-timer':
      return p.timers.cancel(effect.timer, effect.peerId);
    case 'notify':
      return notify(p, effect.notice);
  }
}

async function acquireMedia(p: CallParts, run: number): Promise<void> {
  const { call } = p;
  try {
    const stream = await call.media.start();
    if (run !== p.runs.media || !stream) return;
    call.dispatch({ type: 'media-ready' });
    void call.devices.refresh(); // device names are known once capture is allowed
  } catch (error) {
    if (run === p.runs.media) call.dispatch({ type: 'media-failed', error: coded(error) });
  }
}

/** Connects (first join) and joins the room, or rejoins it on the new connection after a drop. */
async function join(p: CallParts, run: number, rejoin: boolean): Promise<void> {
  const { call } = p;
  const { signalingUrl, name, ticket } = p.settings();
  try {
    if (!rejoin) await call.signaling.connect(signalingUrl);
    if (run !== p.runs.signaling) return;
    const joined = await call.signaling.enter(call.context.room, { name, ticket }, rejoin);
    if (run !== p.runs.signaling) return;
    const capacity = (joined as { capacity?: number }).capacity;
    call.dispatch({
      type: rejoin ? 'rejoined' : 'joined',
      self: joined.self.peerId,
      members: joined.peers,
      ...(capacity ? { capacity } : {}),
    });
    // Back after a reconnection: say our media state again, so the sides never disagree long.
    if (rejoin) call.inCall.sendMediaState();
  } catch (error) {
    // A rejoin cut off by another drop runs again on the next reconnection.
    if (run !== p.runs.signaling || (rejoin && !call.signaling.connected)) return;
    call.dispatch({ type: 'join-failed', error: coded(error) });
  }
}
