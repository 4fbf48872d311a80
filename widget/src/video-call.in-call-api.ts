/**
 * The in-call API of `<video-call>`: who is there, our microphone and camera, chat, quality,
 * screen sharing, devices, ICE restart and statistics. A base class of its own so that
 * video-call.ts holds the call's life (start, call, accept, hang up, leave) and rendering; the
 * manifest (custom-elements.json) folds it into VideoCall, like VideoCallAttributes.
 */
import type { QualityLevel } from './call/quality.js';
import type { CallController } from './controllers/call-controller.js';
import type { DeviceLists } from './controllers/devices-controller.js';
import type { Participant, PeerIdentity } from './events.js';
import { VideoCallAttributes } from './video-call.attributes.js';

/**
 * `<video-call>`'s in-call methods and read-only properties (documented on each). The element
 * (VideoCall) gives them its call engine.
 */
export abstract class VideoCallInCall extends VideoCallAttributes {
  /** The call engine once `start()` (or `getDevices()`…) has loaded it, else null. */
  protected abstract get callEngine(): CallController | null;

  /** Loads the call engine (a chunk beside the element's module) once, and wires it to the element. */
  protected abstract loadEngine(): Promise<CallController>;

  /**
   * The other person, for one-to-one pages: the first other participant of the call (else the
   * first other member of the room), or null: `{ id, name, microphoneEnabled, cameraEnabled,
   * screenSharing }`; `vc-peer-change` fires when any of it changes. `name` is member-supplied:
   * render it as text.
   */
  get peer(): PeerIdentity | null {
    return this.callEngine?.peerDetail ?? null;
  }

  /**
   * Every other member of the room, in the order they joined (read-only): `{ id, name, inCall,
   * microphoneEnabled, cameraEnabled, screenSharing, speaking }`, where `id` is their connection
   * id (as in `vc-peer-joined`, and `data-participant-id` of their tile) and `inCall` says they are
   * in the call running in the room. `vc-participants-change` fires when any of it changes.
   * `name` is member-supplied: render it as text.
   */
  get participants(): readonly Participant[] {
    return this.callEngine?.participants ?? [];
  }

  /** Our microphone is on (read-only; `setMicrophoneEnabled()` changes it). */
  get microphoneEnabled(): boolean {
    return !this.callEngine?.media.audioMuted;
  }

  /** Our camera is on (read-only; `setCameraEnabled()` changes it). */
  get cameraEnabled(): boolean {
    return !this.callEngine?.media.videoMuted;
  }

  /**
   * Turns our microphone on or off (off sends silence; the track keeps running, so on is
   * instant). The other person's widget shows it. Kept across device switches.
   */
  setMicrophoneEnabled(enabled: boolean): void {
    this.callEngine?.inCall.setEnabled('audio', enabled);
  }

  /** Turns our camera picture on or off (off sends black frames); the other person sees an avatar instead. */
  setCameraEnabled(enabled: boolean): void {
    this.callEngine?.inCall.setEnabled('video', enabled);
  }

  /**
   * Sends a chat message (1–2000 characters) to everyone in the room. To the participants of our
   * call it goes over each leg's data channel, end to end: the signal service never sees it; to
   * the others through the service's room relay (rate-limited). `vc-message` fires for it too.
   * @throws DOMException `InvalidStateError` when nobody is in the room, `SyntaxError` for an empty or too long text.
   */
  sendMessage(text: string): void {
    if (!this.callEngine) throw new DOMException('Nobody is in the room to read the message.', 'InvalidStateError');
    this.callEngine.inCall.sendChat(text, newId());
  }

  /**
   * The call's connection quality, judged every 2 s from each leg's `getStats()`: `good`,
   * `fair`, `poor` or `lost` (nothing arrives), the worst of its participants' (each tile shows
   * its own), or null outside a connected call. `vc-quality-change` gives the figures; the
   * thresholds and their sources are in the README.
   */
  get quality(): QualityLevel | null {
    return this.callEngine?.quality?.level ?? null;
  }

  /** We share our screen (read-only; `shareScreen()` / `stopScreenShare()` change it). */
  get screenSharing(): boolean {
    return this.callEngine?.inCall.screen.stream != null;
  }

  /**
   * Shares a screen, window or tab (with its audio where the browser offers it) in the current
   * call: every participant shows it large, with the cameras small. Stopping from the browser's
   * own "Stop sharing" bar is handled. A leg's first share adds the screen's transceivers (one
   * renegotiation); later shares reuse them.
   * @throws DOMException `InvalidStateError` (as a rejection) without an accepted call;
   *   `NotAllowedError` when the person cancels; `NotSupportedError` where sharing is impossible.
   */
  async shareScreen(): Promise<void> {
    if (!this.callEngine) throw new DOMException('A screen can be shared during a call.', 'InvalidStateError');
    await this.callEngine.inCall.shareScreen();
  }

  /** Stops sharing the screen. Does nothing when not sharing. */
  stopScreenShare(): void {
    this.callEngine?.inCall.stopScreenShare();
  }

  /**
   * The cameras, microphones and speakers (speakers only where `setSinkId` exists), as
   * `MediaDeviceInfo` lists. Names are known once camera access is allowed (after `start()`).
   */
  async getDevices(): Promise<DeviceLists> {
    return (await this.loadEngine()).devices.refresh();
  }

  /**
   * Uses another camera (`videoinput`), microphone (`audioinput`) or speaker (`audiooutput`).
   * During a call the new track replaces the old one on the connection (`replaceTrack`, no
   * renegotiation) and keeps its mute or camera-off state. Before `start()` the choice is kept
   * for it. A device unplugged later falls back to the default (`vc-error` `device-lost`).
   * @throws VideoCallError (as a rejection) `media-not-found`, `media-in-use`,
   *   `media-permission-denied`, `media-unsupported` (speakers where `setSinkId` is missing), `media-failed`.
   */
  async switchDevice(kind: 'videoinput' | 'audioinput' | 'audiooutput', deviceId: string): Promise<void> {
    const call = await this.loadEngine();
    if (kind !== 'audiooutput') {
      await call.media.switchDevice(kind, deviceId);
      return;
    }
    await call.devices.setSpeaker(deviceId, ...this.remoteMedia());
  }

  /** Restarts ICE on every leg of the call (fresh candidates, same call), e.g. after the page learns the network changed. */
  restartIce(): void {
    for (const peerId of this.callEngine?.legs.peerIds ?? []) this.callEngine!.legs.get(peerId)?.restartIce();
  }

  /**
   * Statistics (W3C webrtc-stats) of our RTCPeerConnection to the participant whose id is
   * `participantId` (see `participants`), by default to the first one (`peer`); null without one.
   */
  getStats(participantId?: string): Promise<RTCStatsReport | null> {
    const call = this.callEngine;
    const id = participantId ?? this.peer?.id;
    const member = call && Object.values(call.context.members).find((m) => m.id === id);
    return (member && call.legs.get(member.peerId)?.getStats()) ?? Promise.resolve(null);
  }

  /** The `<video>` elements that play the participants' sound. */
  protected remoteMedia(): HTMLVideoElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLVideoElement>('[part~="remote-video"], [part~="remote-screen"]')];
  }
}

/** A random id (RFC 4122 UUID), or 16 random bytes as hex where `crypto.randomUUID` is missing (not a secure context). */
export function newId(): string {
  return crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
