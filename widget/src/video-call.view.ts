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
import { icon, type IconName } from './icons.js';
import type { AnnouncedView } from './a11y/announcements.js';
import type { MessageKey, MessageParams } from './i18n/messages.js';

/** True when the device pickers (and the microphone meter) show: with the preview before a call, on demand during one. */
export const showsDevicePickers = (ctx: CallContext, call: CallController | null): boolean => {
  if (!call?.media.stream) return false;
  const state = callState(ctx);
  return state === 'waiting' || state === 'ready' || (ctx.call?.accepted === true && call.devices.open);
};

/** True when the other person's video is shown: a call both accepted whose media path came up. */
export const showsRemoteVideo = (ctx: CallContext, call: CallController | null) =>
  ctx.call?.accepted === true && ctx.call.everConnected && !!call?.peer.remoteStream;

/** Translates `key` with `params` in the element's language (see i18n/). */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A control: its action, its `part` names, its words and look. */
interface ButtonSpec {
  action: CallAction;
  part: string;
  label: string;
  icon: IconName;
  /** `primary` / `danger` colours; `toggle` makes a round icon button (the label stays its name). */
  kind?: string;
  disabled?: boolean;
  pressed?: boolean;
  expanded?: boolean;
  /** The shortcut key (`aria-keyshortcuts`), also shown in the tooltip. */
  key?: string;
}

/** What the live regions compare between renders (a11y/announcements.ts). */
export function announcedView(ctx: CallContext, call: CallController | null): AnnouncedView {
  const chat = call?.inCall.chat;
  const last = chat?.messages.filter((m) => !m.mine).at(-1);
  return {
    state: callState(ctx),
    peerName: ctx.peer ? ctx.peer.name : null,
    inCall: ctx.call?.accepted === true && ctx.call.everConnected,
    ...ctx.peerMedia,
    unread: chat?.unread ?? 0,
    lastReceived: last ? { name: last.from.name, text: last.text } : null,
  };
}

/**
 * Renders the element `el` for `ctx`; `call` is null until the call engine is loaded (`start()`).
 * Buttons call the element's public API (video-call.actions.ts). `t` gives the words.
 */
export function renderCall(
  ctx: CallContext,
  call: CallController | null,
  el: VideoCall,
  t: Translate,
  announcer: { polite: string; assertive: string },
) {
  const act = (action: CallAction) => actOn(el, call, action);
  const state = callState(ctx);
  const media = call?.media;
  const live = showsRemoteVideo(ctx, call);
  // Every button keeps one name; a toggle says its state with aria-pressed only.
  const button = (b: ButtonSpec) =>
    html`<button
      part="button ${b.part}"
      class=${b.kind ?? 'labelled'}
      ?disabled=${b.disabled ?? false}
      aria-pressed=${b.pressed === undefined ? nothing : String(b.pressed)}
      aria-expanded=${b.expanded === undefined ? nothing : String(b.expanded)}
      aria-keyshortcuts=${b.key ?? nothing}
      title=${b.key ? t('shortcutHint', { label: b.label, key: b.key }) : b.kind?.includes('toggle') ? b.label : nothing}
      @click=${() => act(b.action)}
    >
      ${icon(b.icon)}<span class="label">${b.label}</span>
    </button>`;
  const inRoom = state === 'waiting' || state === 'ready' || state === 'ended';
  const partner = ctx.peer ?? ctx.away;
  const peerName = partner?.name ?? '';
  const who = peerName || t('theOtherPerson');
  const { microphoneEnabled, cameraEnabled, screenSharing } = ctx.peerMedia;
  const sharing = live && screenSharing;
  const chat = call?.inCall.chat;
  const inCall = ctx.call?.accepted === true;
  const incoming = state === 'incoming';
  const calling = state === 'calling';
  const preCall = state === 'waiting' || state === 'ready';
  const devicesShown = !!call && !!media && showsDevicePickers(ctx, call);
  const screen = call?.inCall.screen;
  // English is also the fallback for languages without words here: their times follow the browser.
  const timeLang = el.i18n.lang === 'en' ? undefined : el.i18n.lang;
  return html`
    <div class="frame" lang=${el.i18n.lang}>
      <section part="stage" class=${sharing ? 'stage sharing' : 'stage'} data-state=${state} aria-label=${t('stageLabel')}>
        <video part="remote-screen" class="screen" autoplay playsinline aria-label=${t('remoteScreenLabel', { name: peerName || t('theOtherPersonLower') })} ?hidden=${!sharing}></video>
        <video
          part="remote-video"
          class="remote"
          autoplay
          playsinline
          aria-label=${t('remoteVideoLabel', { name: peerName || t('theOtherPersonLower') })}
          ?hidden=${!live}
        ></video>
        <div part="placeholder" class="placeholder" ?hidden=${live}>${placeholderText(ctx, t)}</div>
        ${live && !cameraEnabled && !sharing
          ? html`<div part="remote-placeholder" class="avatar-box">
              <span class="avatar" aria-hidden="true">${initial(peerName)}</span>
              <span>${t('remoteCameraOff', { name: who })}</span>
            </div>`
          : nothing}
        ${live && call?.quality.value ? renderQuality(call.quality.value, t) : nothing}
        ${call?.timer.startedAt ? html`<span part="timer" class="timer" role="timer" aria-label=${t('callDuration')}>${call.timer.text}</span>` : nothing}
        ${live
          ? html`<div part="remote-name" class="remote-name">
              ${who}${microphoneEnabled
                ? nothing
                : html` <span part="remote-muted" class="muted-mark" title=${t('remoteMutedTitle')}>${t('remoteMuted')}</span>`}
            </div>`
          : nothing}
        <video part="local-video" class="local" autoplay playsinline muted .muted=${true} aria-label=${t('localVideoLabel')} ?hidden=${!media?.stream}></video>
        ${media?.stream && media.videoMuted ? html`<div part="local-off" class="local local-off">${t('localCameraOff')}</div>` : nothing}
      </section>
      <p part="status" class="status" role="status" aria-live=${saidAloud(state) ? 'off' : 'polite'} data-state=${state}>${statusText(ctx, t)}</p>
      <div part="controls" class="controls" role="group" aria-label=${t('controlsLabel')}>
        ${canStart(ctx)
          ? button({ action: 'start', part: 'start-button', label: state === 'idle' ? t('start') : t('tryAgain'), icon: 'camera', kind: 'primary keep-label' })
          : nothing}
        ${inRoom ? button({ action: 'call', part: 'call-button', label: t('call'), icon: 'call', kind: 'labelled primary', disabled: !canCall(ctx) }) : nothing}
        ${incoming ? button({ action: 'accept', part: 'accept-button', label: t('accept'), icon: 'accept', kind: 'primary ringing answer' }) : nothing}
        ${incoming ? button({ action: 'decline', part: 'decline-button', label: t('decline'), icon: 'hangUp', kind: 'danger answer' }) : nothing}
        ${calling ? button({ action: 'hangUp', part: 'cancel-button', label: t('cancel'), icon: 'hangUp', kind: 'labelled danger', key: t('keyHangUp') }) : nothing}
        ${ctx.call?.accepted
          ? button({ action: 'hangUp', part: 'hang-up-button', label: t('hangUp'), icon: 'hangUp', kind: 'labelled danger', key: t('keyHangUp') })
          : nothing}
        ${media?.stream
          ? html`${button({ action: 'toggleMicrophone', part: 'mic-button', label: t('mute'), icon: media.audioMuted ? 'micOff' : 'mic', kind: 'toggle', pressed: media.audioMuted, key: t('keyMute') })}
            ${button({ action: 'toggleCamera', part: 'camera-button', label: t('cameraOff'), icon: media.videoMuted ? 'cameraOff' : 'camera', kind: 'toggle', pressed: media.videoMuted, key: t('keyCamera') })}`
          : nothing}
        ${inCall && screen?.supported
          ? button({ action: 'toggleScreen', part: 'share-button', label: t('shareScreen'), icon: screen.stream ? 'shareOff' : 'share', kind: 'toggle', pressed: !!screen.stream })
          : nothing}
        ${live && document.pictureInPictureEnabled ? button({ action: 'pictureInPicture', part: 'pip-button', label: t('pictureInPicture'), icon: 'pip', kind: 'toggle' }) : nothing}
        ${live && document.fullscreenEnabled ? button({ action: 'fullscreen', part: 'fullscreen-button', label: t('fullScreen'), icon: 'fullscreen', kind: 'toggle' }) : nothing}
        ${media?.stream && (inCall || preCall)
          ? button({ action: 'toggleDevices', part: 'devices-button', label: t('devices'), icon: 'devices', kind: inCall ? 'toggle' : 'toggle pre-call', expanded: call!.devices.open })
          : nothing}
        ${chat && (ctx.peer || chat.messages.length > 0)
          ? html`<button
              part="button chat-button"
              class="toggle"
              title=${t('chat')}
              aria-expanded=${chat.open ? 'true' : 'false'}
              @click=${() => act('toggleChat')}
            >
              ${icon('chat')}<span class="label">${t('chat')}</span>${chat.unread > 0
                ? html`<span part="chat-unread" class="badge" aria-hidden="true">${chat.unread}</span
                    ><span class="visually-hidden">${t('listSeparator')}${t('unread', { count: chat.unread })}</span>`
                : nothing}
            </button>`
          : nothing}
        ${inRoom ? button({ action: 'leave', part: 'leave-button', label: t('leave'), icon: 'leave' }) : nothing}
      </div>
      <div class="side">${devicesShown
          ? renderDevicePickers(
              {
                devices: call!.devices.devices,
                selected: { videoinput: media!.currentDeviceId('videoinput'), audioinput: media!.currentDeviceId('audioinput'), audiooutput: call!.devices.speakerId },
                level: call!.devices.level,
                auto: !inCall && !call!.devices.open,
              },
              { pick: (kind, deviceId) => pickDevice(el, kind, deviceId) },
              t,
            )
          : nothing}${chat ? renderChatPanel(chat, peerName, ctx.peer !== null && !ctx.signalingDown, (text) => sendFromPanel(el, text), t, timeLang) : nothing}</div>
      <div part="announcer" class="visually-hidden" aria-live="polite">${announcer.polite}</div>
      <div class="visually-hidden" role="alert">${announcer.assertive}</div>
    </div>
  `;
}

/**
 * States whose news the assertive region says (an incoming call, the vc-error message): the
 * status line is then not live, so a screen reader hears it once.
 */
const saidAloud = (state: string) => state === 'incoming' || state === 'error' || state === 'full';

/** The first letter of a name, for the avatar (a person icon's stand-in when unnamed). */
function initial(name: string): string {
  return [...name.trim()][0]?.toUpperCase() ?? '?';
}

/** The connection-quality indicator: the level in words, the figures on hover and focus. */
function renderQuality(q: Quality, t: Translate) {
  const figures = [
    q.roundTripTimeMs === null ? null : t('qualityRoundTrip', { ms: q.roundTripTimeMs }),
    t('qualityLoss', { percent: q.packetLossPercent }),
    q.availableOutgoingKbps === null ? null : t('qualityUpload', { kbps: q.availableOutgoingKbps }),
    t('qualityFps', { fps: q.framesPerSecond }),
  ]
    .filter(Boolean)
    .join(t('listSeparator'));
  const levelKey = ({ good: 'qualityGood', fair: 'qualityFair', poor: 'qualityPoor', lost: 'qualityLost' } as const)[q.level];
  const words = t(levelKey);
  return html`<span part="quality" class="quality" data-level=${q.level} tabindex="0" title=${figures} aria-label=${t('qualitySummary', { level: words, figures })}
    >${words}<span class="figures" aria-hidden="true">${figures}</span></span
  >`;
}
