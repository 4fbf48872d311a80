/**
 * The template of `<video-call>`: the stage (remote video, placeholder, local preview), the
 * status line and the controls for the current state. A pure function of the call's context;
 * peer-supplied strings go through Lit text bindings only.
 */
import { html, nothing } from 'lit';
import { callState, canCall, canStart, type CallContext } from './call/call-context.js';
import { placeholderText, statusText } from './call/status-text.js';
import type { CallController } from './controllers/call-controller.js';
import type { VideoCall } from './video-call.js';
import { act as actOn, pickDevice, sendFromPanel, type CallAction } from './video-call.actions.js';
import { renderChatPanel } from './chat-panel.js';
import { renderDevicePickers } from './devices-panel.js';
import type { Quality } from './call/quality.js';

/** True when the device pickers (and the microphone meter) show: with the preview before a call, on demand during one. */
export const showsDevicePickers = (ctx: CallContext, call: CallController | null): boolean => {
  if (!call?.media.stream) return false;
  const state = callState(ctx);
  return state === 'waiting' || state === 'ready' || (ctx.call?.accepted === true && call.devices.open);
};

/** True when the other person's video is shown: a call both accepted whose media path came up. */
export const showsRemoteVideo = (ctx: CallContext, call: CallController | null) =>
  ctx.call?.accepted === true && ctx.call.everConnected && !!call?.peer.remoteStream;

/**
 * Renders the element `el` for `ctx`; `call` is null until the call engine is loaded (`start()`).
 * Buttons call the element's public API (video-call.actions.ts).
 */
export function renderCall(ctx: CallContext, call: CallController | null, el: VideoCall) {
  const act = (action: CallAction) => actOn(el, call, action);
  const state = callState(ctx);
  const media = call?.media;
  const live = showsRemoteVideo(ctx, call);
  const button = (action: CallAction, part: string, label: string, kind = '', disabled = false) =>
    html`<button
      part="button ${part}"
      class=${kind}
      ?disabled=${disabled}
      @click=${() => act(action)}
    >
      ${label}
    </button>`;
  const inRoom = state === 'waiting' || state === 'ready' || state === 'ended';
  const partner = ctx.peer ?? ctx.away;
  const peerName = partner?.name ?? '';
  const { microphoneEnabled, cameraEnabled, screenSharing } = ctx.peerMedia;
  const sharing = live && screenSharing;
  const chat = call?.inCall.chat;
  const inCall = ctx.call?.accepted === true;
  const incoming = state === 'incoming';
  const calling = state === 'calling';
  return html`
    <div part="stage" class=${sharing ? 'stage sharing' : 'stage'} data-state=${state}>
      <video part="remote-screen" class="screen" autoplay playsinline aria-label=${`${peerName || 'The other person'}’s screen`} ?hidden=${!sharing}></video>
      <video
        part="remote-video"
        class="remote"
        autoplay
        playsinline
        aria-label=${`${peerName || 'The other person'}’s video`}
        ?hidden=${!live}
      ></video>
      <div part="placeholder" class="placeholder" ?hidden=${live}>${placeholderText(ctx)}</div>
      ${live && !cameraEnabled && !sharing
        ? html`<div part="remote-placeholder" class="avatar-box">
            <span class="avatar" aria-hidden="true">${initial(peerName)}</span>
            <span>${peerName || 'They'} turned the camera off</span>
          </div>`
        : nothing}
      ${live && call?.quality.value ? renderQuality(call.quality.value) : nothing}
      ${call?.timer.startedAt ? html`<span part="timer" class="timer" role="timer" aria-label="Call duration">${call.timer.text}</span>` : nothing}
      ${live
        ? html`<div part="remote-name" class="remote-name">
            ${peerName || 'The other person'}${microphoneEnabled
              ? nothing
              : html` <span part="remote-muted" class="muted-mark" title="Microphone off">(muted)</span>`}
          </div>`
        : nothing}
      <video part="local-video" class="local" autoplay playsinline muted .muted=${true} aria-label="Your camera" ?hidden=${!media?.stream}></video>
      ${media?.stream && media.videoMuted ? html`<div part="local-off" class="local local-off">Your camera is off</div>` : nothing}
    </div>
    <p part="status" class="status" role="status" aria-live="polite" data-state=${state}>${statusText(ctx)}</p>
    <div part="controls" class="controls">
      ${canStart(ctx) ? button('start', 'start-button', state === 'idle' ? 'Start' : 'Try again', 'primary') : nothing}
      ${inRoom ? button('call', 'call-button', 'Call', 'primary', !canCall(ctx)) : nothing}
      ${incoming ? button('accept', 'accept-button', 'Accept', 'primary') : nothing}
      ${incoming ? button('decline', 'decline-button', 'Decline', 'danger') : nothing}
      ${calling ? button('hangUp', 'cancel-button', 'Cancel', 'danger') : nothing}
      ${ctx.call?.accepted ? button('hangUp', 'hang-up-button', 'Hang up', 'danger') : nothing}
      ${media?.stream
        ? html`
            <button part="button mic-button" aria-pressed=${media.audioMuted ? 'true' : 'false'} @click=${() => act('toggleMicrophone')}>
              Mute
            </button>
            <button part="button camera-button" aria-pressed=${media.videoMuted ? 'true' : 'false'} @click=${() => act('toggleCamera')}>
              Camera off
            </button>
          `
        : nothing}
      ${inCall && call?.inCall.screen.supported
        ? html`<button part="button share-button" aria-pressed=${call.inCall.screen.stream ? 'true' : 'false'} @click=${() => act('toggleScreen')}>
            Share screen
          </button>`
        : nothing}
      ${live && document.pictureInPictureEnabled
        ? html`<button part="button pip-button" @click=${() => act('pictureInPicture')}>Picture in picture</button>`
        : nothing}
      ${live && document.fullscreenEnabled
        ? html`<button part="button fullscreen-button" @click=${() => act('fullscreen')}>Full screen</button>`
        : nothing}
      ${inCall && media?.stream
        ? html`<button part="button devices-button" aria-expanded=${call!.devices.open ? 'true' : 'false'} @click=${() => act('toggleDevices')}>
            Devices
          </button>`
        : nothing}
      ${chat && (ctx.peer || chat.messages.length > 0)
        ? html`<button part="button chat-button" aria-expanded=${chat.open ? 'true' : 'false'} @click=${() => act('toggleChat')}>
            Chat${chat.unread > 0 ? html` <span part="chat-unread" class="badge" aria-label=${`${chat.unread} unread`}>${chat.unread}</span>` : nothing}
          </button>`
        : nothing}
      ${inRoom ? button('leave', 'leave-button', 'Leave') : nothing}
    </div>
    ${call && media && showsDevicePickers(ctx, call)
      ? renderDevicePickers(
          {
            devices: call.devices.devices,
            selected: { videoinput: media.currentDeviceId('videoinput'), audioinput: media.currentDeviceId('audioinput'), audiooutput: call.devices.speakerId },
            level: call.devices.level,
          },
          { pick: (kind, deviceId) => pickDevice(el, kind, deviceId) },
        )
      : nothing}
    ${chat ? renderChatPanel(chat, peerName, ctx.peer !== null && !ctx.signalingDown, (text) => sendFromPanel(el, text)) : nothing}
  `;
}

/** The first letter of a name, for the avatar (a person icon's stand-in when unnamed). */
function initial(name: string): string {
  return [...name.trim()][0]?.toUpperCase() ?? '?';
}

/** The connection-quality indicator: the level in words, the figures on hover and focus. */
function renderQuality(q: Quality) {
  const figures = [
    q.roundTripTimeMs === null ? null : `round trip ${q.roundTripTimeMs} ms`,
    `loss ${q.packetLossPercent} %`,
    q.availableOutgoingKbps === null ? null : `upload ${q.availableOutgoingKbps} kbps`,
    `${q.framesPerSecond} frames/s`,
  ]
    .filter(Boolean)
    .join(', ');
  const words = { good: 'Good connection', fair: 'Fair connection', poor: 'Poor connection', lost: 'Connection lost' }[q.level];
  return html`<span part="quality" class="quality" data-level=${q.level} tabindex="0" title=${figures} aria-label=${`${words}: ${figures}`}
    >${words}<span class="figures" aria-hidden="true">${figures}</span></span
  >`;
}
