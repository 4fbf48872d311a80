/**
 * The stage of `<video-call>` (`part="stage"`): a grid of tiles, one per participant of our call
 * (`part="tile"`, plus `speaking` while they speak, `data-participant-id` their id), each with
 * their video, name, mute mark, quality and, while their camera is off, their initial; the
 * shared screen large over the grid while someone shares; the placeholder while no video shows;
 * the call timer and our own preview. A pure function of the view it is given: member-supplied
 * names go through Lit text bindings only, and streams through `live()` so that a re-render
 * never reloads a playing video.
 */
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Quality } from './call/quality.js';
import type { Translate } from './i18n/translator.js';
import type { CallView, TileView } from './video-call.view-model.js';

/** The stage of `view`, worded by `t`. */
export function renderStage(view: CallView, t: Translate) {
  const { tiles, stageTiles, sharing, local } = view;
  const shown = tiles.some((tile) => tile.live);
  // Tiles laid out ahead (pending) keep the grid in the DOM, invisible, until a tile is live.
  const laidOut = shown || stageTiles.some((tile) => tile.pending);
  const count = shown ? tiles.length : stageTiles.length;
  const classes = ['stage', sharing ? 'sharing' : '', `tiles-${Math.min(count, 5)}`].join(' ');
  return html`<section part="stage" class=${classes} data-state=${view.state} aria-label=${t('stageLabel')}>
    ${
      sharing
        ? html`<video
          part="remote-screen"
          class="screen"
          autoplay
          playsinline
          .srcObject=${live(sharing.screen)}
          aria-label=${t('remoteScreenLabel', { name: sharing.name || t('theOtherPersonLower') })}
        ></video>`
        : nothing
    }
    <div part="tiles" class=${shown ? 'tiles' : 'tiles pending'} role="list" aria-label=${t('participantsLabel')} ?hidden=${!laidOut}>
      ${stageTiles.map((tile) => renderTile(tile, t))}
    </div>
    <div part="placeholder" class="placeholder" ?hidden=${shown}>
      ${view.placeholder}${view.runningCallNames ? html`<span class="in-call-list">${t('inCallList', { names: view.runningCallNames })}</span>` : nothing}
    </div>
    ${view.timer ? html`<span part="timer" class="timer" role="timer" aria-label=${t('callDuration')}>${view.timer}</span>` : nothing}
    <video part="local-video" class="local" autoplay playsinline muted .muted=${true} .srcObject=${live(local?.stream ?? null)} aria-label=${t('localVideoLabel')} ?hidden=${!local}></video>
    ${local?.videoMuted ? html`<div part="local-off" class="local local-off">${t('localCameraOff')}</div>` : nothing}
  </section>`;
}

/** One participant's tile. */
function renderTile(tile: TileView, t: Translate) {
  const who = tile.name || t('theOtherPerson');
  const parts = tile.speaking ? 'tile speaking' : 'tile';
  return html`<div
    part=${tile.pending ? nothing : parts}
    class=${tile.pending ? 'tile pending' : 'tile'}
    role="listitem"
    data-participant-id=${tile.id}
    data-status=${tile.status}
    aria-label=${who}
  >
    <video
      part="remote-video"
      class="remote"
      autoplay
      playsinline
      .srcObject=${live(tile.stream)}
      aria-label=${t('remoteVideoLabel', { name: tile.name || t('theOtherPersonLower') })}
      ?hidden=${!tile.live && !tile.pending}
    ></video>
    ${
      tile.live && !tile.cameraEnabled
        ? html`<div part="remote-placeholder" class="avatar-box">
          <span class="avatar" aria-hidden="true">${initial(tile.name)}</span>
          <span>${t('remoteCameraOff', { name: who })}</span>
        </div>`
        : nothing
    }
    ${
      tile.live
        ? nothing
        : html`<div class="tile-waiting">${tile.status === 'connecting' ? t('placeholderConnecting') : t('placeholderReconnecting')}</div>`
    }
    ${tile.quality ? renderQuality(tile.quality, t) : nothing}
    <div part="remote-name" class="remote-name">
      ${who}${tile.microphoneEnabled ? nothing : html` <span part="remote-muted" class="muted-mark" title=${t('remoteMutedTitle')}>${t('remoteMuted')}</span>`}
    </div>
  </div>`;
}

/** The first letter of a name, for the avatar (a person icon's stand-in when unnamed). */
function initial(name: string): string {
  return [...name.trim()][0]?.toUpperCase() ?? '?';
}

/** A tile's connection-quality indicator: the level in words, the figures on hover and focus. */
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
