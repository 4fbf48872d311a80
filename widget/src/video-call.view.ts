/**
 * The template of `<video-call>`: the stage (remote video, placeholder, local preview), the
 * status line and the controls for the current state. A pure function of the call's context;
 * peer-supplied strings go through Lit text bindings only.
 */
import { html, nothing } from 'lit';
import { callState, canCall, type CallContext } from './call/call-context.js';
import { STARTABLE_STATES } from './call/call-state.js';
import { placeholderText, statusText } from './call/status-text.js';
import type { CallController } from './controllers/call-controller.js';

/** The element's public methods the buttons use. */
export type CallAction = 'start' | 'call' | 'accept' | 'decline' | 'hangUp' | 'leave';

/** True when the other person's video is shown: a call both accepted whose media path came up. */
export const showsRemoteVideo = (ctx: CallContext, call: CallController | null) =>
  ctx.call?.accepted === true && ctx.call.everConnected && !!call?.peer.remoteStream;

/**
 * Renders the element for `ctx`; `call` is null until the call engine is loaded (`start()`).
 * Buttons call `act`.
 */
export function renderCall(ctx: CallContext, call: CallController | null, act: (action: CallAction) => unknown) {
  const state = callState(ctx);
  const media = call?.media;
  const live = showsRemoteVideo(ctx, call);
  const button = (action: CallAction, part: string, label: string, kind = '', disabled = false) =>
    html`<button
      part="button ${part}"
      class=${kind}
      ?disabled=${disabled}
      @click=${() => void Promise.resolve(act(action)).catch(() => {})}
    >
      ${label}
    </button>`;
  const inRoom = state === 'waiting' || state === 'ready' || state === 'ended';
  const incoming = state === 'incoming';
  const calling = state === 'calling';
  return html`
    <div part="stage" class="stage" data-state=${state}>
      <video part="remote-video" class="remote" autoplay playsinline ?hidden=${!live}></video>
      <div part="placeholder" class="placeholder" ?hidden=${live}>${placeholderText(ctx)}</div>
      <video part="local-video" class="local" autoplay playsinline muted .muted=${true} ?hidden=${!media?.stream}></video>
    </div>
    <p part="status" class="status" role="status" aria-live="polite" data-state=${state}>${statusText(ctx)}</p>
    <div part="controls" class="controls">
      ${STARTABLE_STATES.includes(state) ? button('start', 'start-button', state === 'idle' ? 'Start' : 'Try again', 'primary') : nothing}
      ${inRoom ? button('call', 'call-button', 'Call', 'primary', !canCall(ctx)) : nothing}
      ${incoming ? button('accept', 'accept-button', 'Accept', 'primary') : nothing}
      ${incoming ? button('decline', 'decline-button', 'Decline', 'danger') : nothing}
      ${calling ? button('hangUp', 'cancel-button', 'Cancel', 'danger') : nothing}
      ${ctx.call?.accepted ? button('hangUp', 'hang-up-button', 'Hang up', 'danger') : nothing}
      ${media?.stream
        ? html`
            <button part="button mic-button" aria-pressed=${media.audioMuted ? 'true' : 'false'} @click=${() => media.setAudioMuted(!media.audioMuted)}>
              ${media.audioMuted ? 'Unmute' : 'Mute'}
            </button>
            <button part="button camera-button" aria-pressed=${media.videoMuted ? 'true' : 'false'} @click=${() => media.setVideoMuted(!media.videoMuted)}>
              ${media.videoMuted ? 'Camera on' : 'Camera off'}
            </button>
          `
        : nothing}
      ${inRoom ? button('leave', 'leave-button', 'Leave') : nothing}
    </div>
  `;
}
