/**
 * Camera and microphone capture for `<video-call>`: getUserMedia on the chosen devices, the local
 * stream, mute and camera-off, switching a device (also mid-call), falling back to the default
 * device when one is unplugged, and stopping every track when the element leaves the page.
 *
 * The local stream is one MediaStream object for the whole capture: a device switch swaps the
 * track inside it (removeTrack/addTrack), so the preview keeps playing and whoever holds the
 * stream (the peer connection's senders) finds the new track there; the caller puts it on the
 * sender with `RTCRtpSender.replaceTrack` (no renegotiation).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { VideoCallError } from '../errors.js';

/** Capture devices one can switch between (speakers: DevicesController). */
export type CaptureKind = 'videoinput' | 'audioinput';

/** The tracks of a switch: `previous` (stopped, out of `stream`) and `next` (in `stream`). */
export interface TrackSwitch {
  previous: MediaStreamTrack | null;
  next: MediaStreamTrack;
}

export interface MediaControllerOptions {
  /** Constraints for getUserMedia (W3C Media Capture and Streams §10.2). Default: audio and video. */
  constraints?: MediaStreamConstraints;
  /**
   * A device in use stopped (unplugged, or taken by the system), or a chosen device was gone at
   * `start()`. `label` names the lost device ('' when unknown); `next` is the track of the
   * default device now used instead (already in `stream`), or null when no device of that kind
   * works (tried again on the next `devicechange`). Tell the person.
   */
  onDeviceLost?(kind: CaptureKind, label: string, next: MediaStreamTrack | null): void;
  /**
   * A track of `stream` was replaced, by `switchDevice()` or a fallback: put `next` on the call's
   * sender of its kind (`replaceTrack`). One hook for both, so no switch is missed.
   */
  onTrackSwitched?(next: MediaStreamTrack, previous: MediaStreamTrack | null): void;
}

const TRACK_KIND = { videoinput: 'video', audioinput: 'audio' } as const;

/**
 * Reactive controller owning the local camera and microphone: `start()` captures them into
 * `stream`, `switchDevice()` changes one, `stop()` (also on host disconnect) stops every track.
 */
export class MediaController implements ReactiveController {
  /** The local camera+microphone stream, or null before `start()` / after `stop()`. */
  stream: MediaStream | null = null;
  /** True when the microphone track is disabled (sends silence). */
  audioMuted = false;
  /** True when the camera track is disabled (sends black frames). */
  videoMuted = false;
  /** The chosen camera (`MediaDeviceInfo.deviceId`); '' for the browser's default. */
  videoDeviceId = '';
  /** The chosen microphone; '' for the browser's default. */
  audioDeviceId = '';

  readonly #host: ReactiveControllerHost;
  readonly #constraints: MediaStreamConstraints;
  readonly #options: MediaControllerOptions;
  #generation = 0;
  /** Bumped by each switch or fallback of a kind: only the latest one lands. */
  readonly #switchRuns = { videoinput: 0, audioinput: 0 };
  /** Lost tracks whose fallback is under way, and those the person was already told about. */
  readonly #recovering = new Set<MediaStreamTrack>();
  readonly #reported = new WeakSet<MediaStreamTrack>();

  constructor(host: ReactiveControllerHost, options: MediaControllerOptions = {}) {
    this.#host = host;
    this.#options = options;
    this.#constraints = options.constraints ?? { audio: true, video: true };
    host.addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener?.('devicechange', this.#onDeviceChange);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.#onDeviceChange);
    this.stop();
  }

  /**
   * Captures camera and microphone (the chosen devices, else the defaults). Resolves with the
   * stream, or `null` when `stop()` was called meanwhile (the late stream is stopped at once).
   * A chosen device that is gone gives way to the default (reported through `onDeviceLost`).
   * @throws VideoCallError `media-unsupported`, `media-permission-denied`, `media-not-found`,
   *   `media-in-use` or `media-failed`.
   */
  async start(): Promise<MediaStream | null> {
    this.stop();
    const generation = ++this.#generation;
    const { audio, video } = this.#constraints;
    const chosen = { videoinput: video ? this.videoDeviceId : '', audioinput: audio ? this.audioDeviceId : '' };
    let stream: MediaStream;
    let fellBack = false;
    try {
      stream = await capture({ audio: withDevice(audio, chosen.audioinput), video: withDevice(video, chosen.videoinput) });
    } catch (error) {
      // A chosen device that is gone (unplugged since it was picked): the defaults instead.
      if (!(error instanceof VideoCallError && error.code === 'media-not-found') || !(chosen.videoinput || chosen.audioinput)) throw error;
      if (generation !== this.#generation) return null;
      this.videoDeviceId = this.audioDeviceId = '';
      stream = await capture(this.#constraints);
      fellBack = true;
    }
    if (generation !== this.#generation) {
      stream.getTracks().forEach((track) => track.stop());
      return null;
    }
    stream.getTracks().forEach((track) => track.addEventListener('ended', this.#onEnded));
    this.stream = stream;
    this.audioMuted = false;
    this.videoMuted = false;
    for (const kind of fellBack ? (['videoinput', 'audioinput'] as const) : []) {
      const next = stream.getTracks().find((track) => track.kind === TRACK_KIND[kind]);
      if (chosen[kind] && next && next.getSettings().deviceId !== chosen[kind]) this.#options.onDeviceLost?.(kind, '', next);
    }
    this.#host.requestUpdate();
    return stream;
  }

  /** Stops every local track and forgets the stream. Safe to call at any time. */
  stop(): void {
    this.#generation++;
    this.#recovering.clear();
    this.stream?.getTracks().forEach((track) => (track.removeEventListener('ended', this.#onEnded), track.stop()));
    if (this.stream) {
      this.stream = null;
      this.#host.requestUpdate();
    }
  }

  /** Mutes or unmutes the microphone (the track keeps running, so unmuting is instant). */
  setAudioMuted(muted: boolean): void {
    this.stream?.getAudioTracks().forEach((track) => (track.enabled = !muted));
    this.audioMuted = muted;
    this.#host.requestUpdate();
  }

  /** Turns the camera picture off (black frames) or on again. */
  setVideoMuted(muted: boolean): void {
    this.stream?.getVideoTracks().forEach((track) => (track.enabled = !muted));
    this.videoMuted = muted;
    this.#host.requestUpdate();
  }

  /** The id of the device `kind`'s track captures from now ('' before `start()`: the chosen one). */
  currentDeviceId(kind: CaptureKind): string {
    const track = this.stream?.getTracks().find((t) => t.kind === TRACK_KIND[kind] && t.readyState === 'live');
    return track?.getSettings().deviceId ?? (kind === 'videoinput' ? this.videoDeviceId : this.audioDeviceId);
  }

  /**
   * Uses the device `deviceId` ('' = default) for `kind`. Without a stream it is only remembered
   * for the next `start()`. Otherwise only the new track is captured; it keeps the mute or
   * camera-off state, replaces the old one inside `stream` (same MediaStream object), and the old
   * one is stopped. Resolves with both tracks (put `next` on the sender with `replaceTrack`;
   * `onTrackSwitched` also reports it), or null when nothing changed: no stream, the same device,
   * or `stop()` or a later switch of the same kind came meanwhile. On failure the old track stays.
   * @throws VideoCallError `media-not-found` (the device is gone), `media-in-use`,
   *   `media-permission-denied`, `media-unsupported` or `media-failed`.
   */
  async switchDevice(kind: CaptureKind, deviceId: string): Promise<TrackSwitch | null> {
    if (kind === 'videoinput') this.videoDeviceId = deviceId;
    else this.audioDeviceId = deviceId;
    const stream = this.stream;
    if (!stream) return null;
    const previous = stream.getTracks().find((track) => track.kind === TRACK_KIND[kind]) ?? null;
    if (previous?.readyState === 'live' && deviceId && previous.getSettings().deviceId === deviceId) return null;
    const run = ++this.#switchRuns[kind];
    const generation = this.#generation;
    let next: MediaStreamTrack;
    try {
      next = await this.#captureTrack(kind, deviceId);
    } catch (error) {
      // Some devices (phones) cannot open a second camera while one runs: free it and try again.
      if (!(error instanceof VideoCallError && error.code === 'media-in-use') || previous?.readyState !== 'live') throw error;
      previous.stop();
      try {
        next = await this.#captureTrack(kind, deviceId);
      } catch (again) {
        if (generation === this.#generation && run === this.#switchRuns[kind]) void this.#recover(previous);
        throw again;
      }
    }
    if (generation !== this.#generation || run !== this.#switchRuns[kind] || this.stream !== stream) {
      next.stop();
      return null;
    }
    this.#swap(stream, previous, next);
    return { previous, next };
  }

  async #captureTrack(kind: CaptureKind, deviceId: string): Promise<MediaStreamTrack> {
    const base = this.#constraints[TRACK_KIND[kind]] || true;
    const stream = await capture({ [TRACK_KIND[kind]]: withDevice(base, deviceId) });
    return stream.getTracks()[0]!;
  }

  /** Puts `next` in `previous`'s place in `stream` with the same mute state; stops `previous`. */
  #swap(stream: MediaStream, previous: MediaStreamTrack | null, next: MediaStreamTrack): void {
    next.enabled = !(next.kind === 'audio' ? this.audioMuted : this.videoMuted);
    next.addEventListener('ended', this.#onEnded);
    if (previous) {
      previous.removeEventListener('ended', this.#onEnded);
      previous.stop();
      stream.removeTrack(previous);
    }
    stream.addTrack(next);
    this.#options.onTrackSwitched?.(next, previous);
    this.#host.requestUpdate();
  }

  /** A track of ours ended without `stop()` (device unplugged, revoked, or failed). */
  #onEnded = (event: Event) => void this.#recover(event.target as MediaStreamTrack);

  /** Tracks still ended (no device of that kind worked last time) get another chance. */
  #onDeviceChange = () => this.stream?.getTracks().forEach((track) => track.readyState === 'ended' && void this.#recover(track));

  /** Falls back from the lost track to the default device of its kind; tells `onDeviceLost`. */
  async #recover(lost: MediaStreamTrack): Promise<void> {
    const stream = this.stream;
    if (!stream?.getTracks().includes(lost) || this.#recovering.has(lost)) return;
    this.#recovering.add(lost);
    const kind: CaptureKind = lost.kind === 'video' ? 'videoinput' : 'audioinput';
    if (kind === 'videoinput') this.videoDeviceId = '';
    else this.audioDeviceId = '';
    const run = ++this.#switchRuns[kind];
    const generation = this.#generation;
    const next = await this.#captureTrack(kind, '').catch(() => null);
    this.#recovering.delete(lost);
    if (generation !== this.#generation || run !== this.#switchRuns[kind] || this.stream !== stream) {
      next?.stop();
      return;
    }
    if (next) this.#swap(stream, lost, next);
    if (next || !this.#reported.has(lost)) this.#options.onDeviceLost?.(kind, lost.label, next);
    this.#reported.add(lost);
  }
}

/** `base` constraints of one kind, pinned to `deviceId` when one is given; false stays false. */
function withDevice(base: boolean | MediaTrackConstraints | undefined, deviceId: string): boolean | MediaTrackConstraints {
  if (!base) return false;
  if (!deviceId) return base;
  return { ...(base === true ? {} : base), deviceId: { exact: deviceId } };
}

/** getUserMedia with coded errors. */
async function capture(constraints: MediaStreamConstraints): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new VideoCallError('media-unsupported');
  }
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (error) {
    throw toMediaError(error);
  }
}

/** Maps a getUserMedia rejection (a DOMException by name) to a coded error (its words: errors.ts). */
function toMediaError(error: unknown): VideoCallError {
  const name = (error as { name?: string } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new VideoCallError('media-permission-denied');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new VideoCallError('media-not-found');
    case 'NotReadableError':
    case 'AbortError':
      return new VideoCallError('media-in-use');
    default:
      return new VideoCallError('media-failed');
  }
}
