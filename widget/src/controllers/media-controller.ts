/**
 * Camera and microphone capture for `<video-call>`: getUserMedia, the local stream, mute and
 * camera-off, and stopping every track when the element leaves the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { VideoCallError } from '../errors.js';

export interface MediaControllerOptions {
  /** Constraints for getUserMedia (W3C Media Capture and Streams §10.2). Default: audio and video. */
  constraints?: MediaStreamConstraints;
}

/**
 * Reactive controller owning the local camera and microphone: `start()` captures them into
 * `stream`, `stop()` (also on host disconnect) stops every track.
 */
export class MediaController implements ReactiveController {
  /** The local camera+microphone stream, or null before `start()` / after `stop()`. */
  stream: MediaStream | null = null;
  /** True when the microphone track is disabled (sends silence). */
  audioMuted = false;
  /** True when the camera track is disabled (sends black frames). */
  videoMuted = false;

  readonly #host: ReactiveControllerHost;
  readonly #constraints: MediaStreamConstraints;
  #generation = 0;

  constructor(host: ReactiveControllerHost, options: MediaControllerOptions = {}) {
    this.#host = host;
    this.#constraints = options.constraints ?? { audio: true, video: true };
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /**
   * Captures camera and microphone. Resolves with the stream, or `null` when `stop()` was called
   * meanwhile (the late stream is stopped at once).
   * @throws VideoCallError `media-unsupported`, `media-permission-denied`, `media-not-found`,
   *   `media-in-use` or `media-failed`.
   */
  async start(): Promise<MediaStream | null> {
    this.stop();
    const generation = ++this.#generation;
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new VideoCallError(
        'media-unsupported',
        'This browser cannot use a camera on this page (it needs a secure https:// page).',
      );
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(this.#constraints);
    } catch (error) {
      throw toMediaError(error);
    }
    if (generation !== this.#generation) {
      stream.getTracks().forEach((track) => track.stop());
      return null;
    }
    this.stream = stream;
    this.audioMuted = false;
    this.videoMuted = false;
    this.#host.requestUpdate();
    return stream;
  }

  /** Stops every local track and forgets the stream. Safe to call at any time. */
  stop(): void {
    this.#generation++;
    this.stream?.getTracks().forEach((track) => track.stop());
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
}

/** Maps a getUserMedia rejection (a DOMException by name) to a coded error with a clear message. */
function toMediaError(error: unknown): VideoCallError {
  const name = (error as { name?: string } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new VideoCallError(
        'media-permission-denied',
        'Camera and microphone access was denied. Allow it in the browser’s site settings, then press Start again.',
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new VideoCallError('media-not-found', 'No camera or microphone was found on this device.');
    case 'NotReadableError':
    case 'AbortError':
      return new VideoCallError(
        'media-in-use',
        'The camera or microphone could not be started. Another application may be using it.',
      );
    default:
      return new VideoCallError('media-failed', 'The camera or microphone could not be started.');
  }
}
