/**
 * Sharing the screen (`getDisplayMedia`, W3C Screen Capture): a window, a tab (with its audio
 * where the browser offers it) or a whole screen. Stopping from the browser's own "Stop sharing"
 * bar ends the capture's video track; that is reported like a stop here.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Reactive controller holding the shared screen's stream, if any; stopped on host disconnect. */
export class ScreenShareController implements ReactiveController {
  /** The capture while sharing, else null. */
  stream: MediaStream | null = null;

  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** True where the browser can share a screen. */
  get supported(): boolean {
    return typeof navigator.mediaDevices?.getDisplayMedia === 'function';
  }

  /**
   * Asks the person what to share and starts the capture; `onEnded` runs when it ends by the
   * browser's own controls.
   * @throws DOMException `NotAllowedError` when the person cancels or the page may not share,
   *   `NotSupportedError` where the browser cannot share a screen.
   */
  async start(onEnded: () => void): Promise<MediaStream> {
    if (!this.supported) throw new DOMException('This browser cannot share a screen.', 'NotSupportedError');
    this.stop();
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
    // Text must stay readable: under a tight bitrate the encoder lowers the frame rate, not the
    // resolution (W3C MediaStreamTrack Content Hints).
    stream.getVideoTracks().forEach((track) => (track.contentHint = 'detail'));
    this.stream = stream;
    stream.getVideoTracks()[0]?.addEventListener('ended', () => {
      if (this.stream === stream) onEnded();
    });
    this.#host.requestUpdate();
    return stream;
  }

  /** Stops sharing (every track of the capture). Safe to call at any time. */
  stop(): void {
    const stream = this.stream;
    this.stream = null;
    stream?.getTracks().forEach((track) => track.stop());
    if (stream) this.#host.requestUpdate();
  }
}
