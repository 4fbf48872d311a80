/**
 * The template of `<video-call>`: the stage (stage.view.ts), the status line, the controls for
 * the current state, the side panels (devices, chat) and the two live regions. A pure function
 * of the view it is given (video-call.view-model.ts) and the actions its buttons call;
 * member-supplied strings go through Lit text bindings only.
 */
import { html, nothing } from 'lit';
import type { CallAction } from './video-call.actions.js';
import { renderChatPanel } from './chat-panel.js';
import { renderDevicePickers, type PickerKind } from './devices-panel.js';
import { icon, type IconName } from './icons.js';
import { renderStage } from './stage.view.js';
import type { Translate } from './i18n/translator.js';
import type { CallView } from './video-call.view-model.js';

/** What the controls do: each is one call of the element's public API (video-call.actions.ts). */
export interface CallActions {
  act(action: CallAction): void;
  pickDevice(kind: PickerKind, deviceId: string): void;
  /** Sends the chat panel's text; false (the text stays) when it could not be sent. */
  sendChat(text: string): boolean;
}

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

/** Renders `view`; the buttons call `actions`; `t` gives the words; `announcer` the live regions' texts. */
export function renderCall(view: CallView, actions: CallActions, t: Translate, announcer: { polite: string; assertive: string }) {
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
      @click=${() => actions.act(b.action)}
    >
      ${icon(b.icon)}<span class="label">${b.label}</span>
    </button>`;
  const { state, local, chat } = view;
  const incoming = state === 'incoming';
  const calling = state === 'calling';
  const preCall = state === 'waiting' || state === 'ready';
  // English is also the fallback for languages without words here: their times follow the browser.
  const timeLang = view.lang === 'en' ? undefined : view.lang;
  return html`
    <div class="frame" lang=${view.lang}>
      ${renderStage(view, t)}
      <p part="status" class="status" role="status" aria-live=${saidAloud(state) ? 'off' : 'polite'} data-state=${state}>${view.status}</p>
      <div part="controls" class="controls" role="group" aria-label=${t('controlsLabel')}>
        ${
          view.canStart
            ? button({
                action: 'start',
                part: 'start-button',
                label: state === 'idle' ? t('start') : t('tryAgain'),
                icon: 'camera',
                kind: 'primary keep-label',
              })
            : nothing
        }
        ${
          view.inRoom
            ? button({
                action: 'call',
                part: 'call-button',
                label: view.join ? t('join') : t('call'),
                icon: 'call',
                kind: 'labelled primary',
                disabled: !view.canCall,
              })
            : nothing
        }
        ${incoming ? button({ action: 'accept', part: 'accept-button', label: t('accept'), icon: 'accept', kind: 'primary ringing answer' }) : nothing}
        ${incoming ? button({ action: 'decline', part: 'decline-button', label: t('decline'), icon: 'hangUp', kind: 'danger answer' }) : nothing}
        ${calling ? button({ action: 'hangUp', part: 'cancel-button', label: t('cancel'), icon: 'hangUp', kind: 'labelled danger', key: t('keyHangUp') }) : nothing}
        ${
          view.inCall && !calling
            ? button({
                action: 'hangUp',
                part: 'hang-up-button',
                label: t('hangUp'),
                icon: 'hangUp',
                kind: 'labelled danger',
                key: t('keyHangUp'),
              })
            : nothing
        }
        ${
          local
            ? html`${button({ action: 'toggleMicrophone', part: 'mic-button', label: t('mute'), icon: local.audioMuted ? 'micOff' : 'mic', kind: 'toggle', pressed: local.audioMuted, key: t('keyMute') })}
            ${button({ action: 'toggleCamera', part: 'camera-button', label: t('cameraOff'), icon: local.videoMuted ? 'cameraOff' : 'camera', kind: 'toggle', pressed: local.videoMuted, key: t('keyCamera') })}`
            : nothing
        }
        ${
          view.inCall && view.tiles.length > 0 && view.screenShare.supported
            ? button({
                action: 'toggleScreen',
                part: 'share-button',
                label: t('shareScreen'),
                icon: view.screenShare.active ? 'shareOff' : 'share',
                kind: 'toggle',
                pressed: view.screenShare.active,
              })
            : nothing
        }
        ${view.pictureInPicture ? button({ action: 'pictureInPicture', part: 'pip-button', label: t('pictureInPicture'), icon: 'pip', kind: 'toggle' }) : nothing}
        ${view.fullscreen ? button({ action: 'fullscreen', part: 'fullscreen-button', label: t('fullScreen'), icon: 'fullscreen', kind: 'toggle' }) : nothing}
        ${
          local && (view.inCall || preCall)
            ? button({
                action: 'toggleDevices',
                part: 'devices-button',
                label: t('devices'),
                icon: 'devices',
                kind: view.inCall ? 'toggle' : 'toggle pre-call',
                expanded: view.devices?.open ?? false,
              })
            : nothing
        }
        ${
          chat
            ? html`<button part="button chat-button" class="toggle" title=${t('chat')} aria-expanded=${chat.open ? 'true' : 'false'} @click=${() => actions.act('toggleChat')}>
              ${icon('chat')}<span class="label">${t('chat')}</span>${
                chat.unread > 0
                  ? html`<span part="chat-unread" class="badge" aria-hidden="true">${chat.unread}</span
                    ><span class="visually-hidden">${t('listSeparator')}${t('unread', { count: chat.unread })}</span>`
                  : nothing
              }
            </button>`
            : nothing
        }
        ${view.inRoom ? button({ action: 'leave', part: 'leave-button', label: t('leave'), icon: 'leave' }) : nothing}
      </div>
      <div class="side">${view.devices ? renderDevicePickers(view.devices.pickers, { pick: (kind, id) => actions.pickDevice(kind, id) }, t) : nothing}${
        chat ? renderChatPanel(chat, (text) => actions.sendChat(text), t, timeLang) : nothing
      }</div>
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
