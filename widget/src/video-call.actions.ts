/**
 * What the built-in buttons of `<video-call>` do: each is one call of the element's public API
 * (or of the browser's picture-in-picture and fullscreen), so the buttons and the host page
 * always act the same way.
 */
import type { CallController } from './controllers/call-controller.js';
import { errorText, VideoCallError } from './errors.js';
import { VideoCallErrorEvent } from './events.js';
import type { VideoCall } from './video-call.js';
import type { Shortcut } from './a11y/keyboard-shortcuts.js';

/** A button's action. */
export type CallAction =
  | 'start'
  | 'call'
  | 'accept'
  | 'decline'
  | 'hangUp'
  | 'leave'
  | 'toggleMicrophone'
  | 'toggleCamera'
  | 'toggleChat'
  | 'toggleScreen'
  | 'pictureInPicture'
  | 'fullscreen'
  | 'toggleDevices';

/** Carries out `action` on `el`; rejections (a refused start, a cancelled share) are dropped. */
export function act(el: VideoCall, call: CallController | null, action: CallAction): void {
  const run = (): unknown => {
    switch (action) {
      case 'toggleMicrophone':
        return el.setMicrophoneEnabled(!el.microphoneEnabled);
      case 'toggleCamera':
        return el.setCameraEnabled(!el.cameraEnabled);
      case 'toggleChat':
        return call?.inCall.chat.setOpen(!call.inCall.chat.open);
      case 'toggleDevices':
        return call?.devices.setOpen(!call.devices.open);
      case 'toggleScreen':
        return el.screenSharing ? el.stopScreenShare() : el.shareScreen();
      case 'pictureInPicture': {
        // The video shown large: a shared screen, else the first participant's camera that plays.
        const videos = el.renderRoot.querySelectorAll<HTMLVideoElement>('[part~="remote-screen"], [part~="remote-video"]:not([hidden])');
        return videos[0]?.requestPictureInPicture();
      }
      case 'fullscreen':
        return document.fullscreenElement ? document.exitFullscreen() : el.renderRoot.querySelector('[part~="stage"]')?.requestFullscreen();
      default:
        return el[action]();
    }
  };
  void Promise.resolve()
    .then(run)
    .catch(() => {});
}

/** Sends the chat panel's text; false (the text stays) when it could not be sent. */
export function sendFromPanel(el: VideoCall, text: string): boolean {
  try {
    el.sendMessage(text);
    return true;
  } catch {
    return false;
  }
}

/** A picker's choice: the device switches; a failure is told to the host page (`vc-error`). */
export function pickDevice(el: VideoCall, kind: 'videoinput' | 'audioinput' | 'audiooutput', deviceId: string): void {
  el.switchDevice(kind, deviceId).catch((error: unknown) => {
    if (error instanceof VideoCallError)
      el.dispatchEvent(new VideoCallErrorEvent({ code: error.code, message: errorText(error, el.i18n.t) }));
  });
}

/**
 * The keyboard shortcuts (a11y/keyboard-shortcuts.ts) of `el`: the same actions as the buttons,
 * by key (`t` gives the keys: M, V, H by default). Each applies only when its button shows.
 */
export function callShortcuts(
  el: VideoCall,
  call: CallController | null,
  t: (key: 'keyMute' | 'keyCamera' | 'keyHangUp') => string,
): Shortcut[] {
  const when = (ok: boolean, action: CallAction) => () => ok && (act(el, call, action), true);
  const media = !!call?.media.stream;
  const inCall = el.state === 'calling' || call?.context.call?.joined === true;
  return [
    { key: t('keyMute'), run: when(media, 'toggleMicrophone') },
    { key: t('keyCamera'), run: when(media, 'toggleCamera') },
    { key: t('keyHangUp'), run: when(inCall, 'hangUp') },
  ];
}
