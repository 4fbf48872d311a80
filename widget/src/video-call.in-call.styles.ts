/**
 * Styles of what `<video-call>` shows during a call: the labels over the video (name, muted mark,
 * quality, timer), the avatar when the other camera is off, the shared-screen layout and the
 * chat panel. The stage, status and buttons are in video-call.styles.ts.
 */
import { css } from 'lit';

export const inCallStyles = css`
  /* Small labels over the video: the name, the quality, the timer. */
  .remote-name,
  .quality,
  .timer {
    position: absolute;
    padding: 3px 10px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.6);
    color: #fff;
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
    background: var(--video-call-background, #0f172a);
    text-align: center;
    padding: 16px;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: 72px;
    height: 72px;
    border-radius: 50%;
    background: var(--video-call-accent, #2563eb);
    color: #fff;
    font-size: 2rem;
    font-weight: 600;
  }
  .local-off {
    display: grid;
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
    background: var(--video-call-danger, #dc2626);
    color: #fff;
    font-size: 0.8rem;
  }
  .chat {
    margin: 8px 4px 4px;
    border-top: 1px solid rgb(255 255 255 / 0.2);
    padding-top: 8px;
  }
  .messages {
    list-style: none;
    margin: 0 0 8px;
    padding: 0;
    max-height: 220px;
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
    opacity: 0.7;
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
    border: 1px solid rgb(255 255 255 / 0.3);
    background: rgb(0 0 0 / 0.25);
    color: inherit;
  }

  .screen {
    width: 100%;
    height: 100%;
    object-fit: contain;
    display: block;
    background: #000;
  }
  /* While the other person shares a screen, it fills the stage and their camera sits small. */
  .sharing .remote {
    position: absolute;
    left: 10px;
    top: 10px;
    width: var(--video-call-local-width, 28%);
    height: auto;
    aspect-ratio: 4 / 3;
    object-fit: cover;
    border-radius: 8px;
  }
  .sharing .remote-name {
    top: 10px;
    bottom: auto;
    left: calc(var(--video-call-local-width, 28%) + 20px);
  }

  .quality {
    right: 10px;
    top: 10px;
  }
  .quality[data-level='poor'],
  .quality[data-level='lost'] {
    background: var(--video-call-danger, #dc2626);
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
    top: auto;
    bottom: 10px;
  }
  .stage:fullscreen {
    border-radius: 0;
  }

  .muted-mark {
    margin-inline-start: 0.4em;
  }
`;
