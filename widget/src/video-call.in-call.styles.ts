/**
 * Styles of what `<video-call>` shows during a call: the labels over the video (name, muted mark,
 * quality, timer), the avatar when the other camera is off, the shared-screen layout and the
 * chat panel. The stage, status and buttons are in video-call.styles.ts.
 */
import { css } from 'lit';
import { visuallyHidden } from './video-call.tokens.styles.js';

export const inCallStyles = css`
  /* Small labels over the video: the name, the quality, the timer. */
  .remote-name,
  .quality,
  .timer {
    position: absolute;
    padding: 3px 10px;
    border-radius: 999px;
    background: var(--_overlay-bg);
    color: var(--_overlay-fg);
    font-size: 0.8rem;
  }
  .remote-name {
    left: 10px;
    bottom: 10px;
    max-width: 60%;
    font-size: 0.9rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .avatar-box {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 10px;
    background: var(--_stage-bg);
    border-radius: var(--_tile-radius);
    color: var(--_stage-fg);
    text-align: center;
    padding: 16px;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: 72px;
    height: 72px;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-fg);
    font-size: 2rem;
    font-weight: 600;
  }
  .local-off {
    display: grid;
    color: #fff;
    place-items: center;
    transform: none;
    font-size: 0.8rem;
    text-align: center;
    padding: 4px;
  }
  .badge {
    display: inline-block;
    min-width: 1.4em;
    padding: 0 6px;
    border-radius: 999px;
    background: var(--_danger);
    color: var(--_danger-fg);
    font-size: 0.8rem;
    line-height: 1.4;
  }
  .chat {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  .messages {
    list-style: none;
    margin: 0 0 8px;
    padding: 0;
    max-height: 260px;
    overflow-y: auto;
    display: grid;
    gap: 6px;
  }
  .messages li {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0 8px;
    overflow-wrap: anywhere;
  }
  .messages .who {
    font-weight: 600;
  }
  .messages .when {
    color: var(--_muted-fg);
    font-size: 0.8rem;
    justify-self: end;
  }
  .messages .text {
    grid-column: 1 / -1;
    white-space: pre-wrap;
  }
  .compose {
    display: flex;
    gap: 8px;
  }
  .compose input {
    flex: 1;
    min-width: 0;
    font: inherit;
    padding: 8px 12px;
    border-radius: 999px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_fg);
  }
  .compose input::placeholder {
    color: var(--_muted-fg);
    opacity: 1;
  }
  .compose input:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 1px;
  }

  .screen {
    width: 100%;
    height: 100%;
    object-fit: contain;
    display: block;
    background: var(--_stage-bg);
    border-radius: calc(var(--_radius) - 4px);
  }
  /*
   * While someone shares a screen, it fills the stage and the cameras sit small in a column at
   * its side: as wide as the self-view, or narrower so that all of them (4:3 each) fit its height.
   */
  .sharing .tiles {
    --n: 1;
    inset: 10px auto auto 10px;
    width: min(var(--video-call-local-width, 28%), calc((100cqh - 20px - (var(--n) - 1) * 4px) / var(--n) * 4 / 3));
    height: auto;
    grid-template-columns: minmax(0, 1fr);
    grid-auto-rows: auto;
  }
  .sharing.tiles-2 .tiles {
    --n: 2;
  }
  .sharing.tiles-3 .tiles {
    --n: 3;
  }
  .sharing.tiles-4 .tiles {
    --n: 4;
  }
  .sharing.tiles-5 .tiles {
    --n: 5;
  }
  .sharing .tile {
    aspect-ratio: 4 / 3;
    grid-column: auto;
    --_tile-radius: 8px;
  }
  .sharing .remote {
    object-fit: cover;
  }
  .sharing .remote-name {
    left: 4px;
    bottom: 4px;
    max-width: calc(100% - 8px);
    font-size: 0.75rem;
  }
  .sharing .quality {
    display: none;
  }
  .in-call-list {
    font-size: 0.9rem;
    opacity: 0.9;
  }

  .quality {
    right: 10px;
    top: 10px;
  }
  .quality[data-level='poor'],
  .quality[data-level='lost'] {
    background: var(--_danger);
    color: var(--_danger-fg);
  }
  .quality:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .quality .figures {
    display: none;
  }
  .quality:hover .figures,
  .quality:focus .figures {
    display: block;
  }

  .timer {
    left: 10px;
    top: 10px;
    font-variant-numeric: tabular-nums;
  }
  .sharing .timer {
    left: auto;
    right: 10px;
  }
  .stage:fullscreen,
  .stage:fullscreen .screen {
    border-radius: 0;
    --_tile-radius: 0;
  }

  .muted-mark {
    margin-inline-start: 0.4em;
  }

  /* A small tile (a call of four in a small box, the cameras beside a shared screen): the initial only, smaller labels. */
  @container tile (max-height: 160px) {
    .avatar-box {
      gap: 0;
      padding: 4px;
    }
    .avatar-box span:not(.avatar) {
      ${visuallyHidden}
    }
    .avatar {
      width: 40px;
      height: 40px;
      font-size: 1.2rem;
    }
    .remote-name,
    .quality,
    .tile-waiting {
      font-size: 0.7rem;
    }
    .remote-name {
      left: 4px;
      bottom: 4px;
      padding: 2px 6px;
    }
    .quality {
      top: 4px;
      right: 4px;
      padding: 2px 6px;
    }
    .quality .figures {
      display: none !important;
    }
  }

  /* Small stages (a phone held sideways, a 320 × 240 box): smaller labels, a smaller self-view. */
  @container stage (max-height: 220px) {
    .remote-name,
    .quality,
    .timer {
      font-size: 0.7rem;
      padding: 2px 6px;
    }
    .quality .figures {
      display: none !important;
    }
    .local {
      max-height: 40%;
      min-width: 56px;
    }
    .avatar {
      width: 44px;
      height: 44px;
      font-size: 1.3rem;
    }
    .placeholder {
      font-size: 0.95rem;
      padding: 8px;
    }
  }
  /* A tall stage (portrait phone): the timer and quality at the top, the self-view clear of them. */
  @container stage (orientation: portrait) {
    .local {
      top: 44px;
    }
  }
`;
