/**
 * Styles of `<video-call>`: the layout that fits the box the host page gives (container
 * queries). The colour tokens are in video-call.tokens.styles.ts, the buttons in
 * video-call.buttons.styles.ts. Host pages theme it with the `--video-call-*` custom
 * properties and reach inside with `::part(...)` (both listed in video-call.attributes.ts and
 * the README). The tiles' grid is in video-call.tiles.styles.ts, the labels over the video and
 * the chat in video-call.in-call.styles.ts.
 */
import { css } from 'lit';
import { buttons } from './video-call.buttons.styles.js';
import { tokens, visuallyHidden } from './video-call.tokens.styles.js';

const layout = css`
  :host {
    display: block;
    box-sizing: border-box;
    max-width: 100%;
    /* Width queries for the layouts below; the height follows the host's box when it has one. */
    container: video-call / inline-size;
    font-family: var(--video-call-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', sans-serif);
    color: var(--_fg);
    background: var(--_bg);
    border-radius: var(--_radius);
    padding: 8px;
    /*
     * No overflow clip here, on the stage or on a tile: a clip with rounded corners over a playing
     * video makes the compositor draw every frame through a mask (in Chromium's software
     * compositing, 0.3 of a CPU core per rounded clip during a call; bench/README.md). The
     * videos round their own corners instead (--_tile-radius).
     */
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  .visually-hidden {
    ${visuallyHidden}
  }

  /*
   * The stage takes what is left after the status line and the controls. Without a height from
   * the host, the stage keeps its aspect ratio and the element grows to fit it.
   */
  .frame {
    display: grid;
    grid-template:
      'stage side' minmax(0, 1fr)
      'status status' auto
      'controls controls' auto
      / minmax(0, 1fr) auto;
    height: 100%;
    min-height: 0;
  }
  .stage {
    grid-area: stage;
    position: relative;
    min-width: 0;
    min-height: 0;
    /* Both sizes from the grid when the host has a height; else the height from the ratio. */
    width: 100%;
    height: 100%;
    aspect-ratio: var(--video-call-aspect-ratio, 16 / 9);
    border-radius: calc(var(--_radius) - 4px);
    /* The corners of what fills a tile (its video, avatar, speaking ring): one tile fills the stage. */
    --_tile-radius: calc(var(--_radius) - 4px);
    background: var(--_stage-bg);
    color: var(--_stage-fg);
    /* Labels over the video size themselves from the stage. */
    container: stage / size;
  }
  .remote {
    width: 100%;
    height: 100%;
    /* The whole picture, letterboxed; hosts may prefer ::part(remote-video) { object-fit: cover }. */
    object-fit: contain;
    display: block;
    background: var(--_stage-bg);
    border-radius: var(--_tile-radius);
  }
  /* Several people: each tile filled (cropped a little), as video meetings do. */
  .tiles-2 .remote,
  .tiles-3 .remote,
  .tiles-4 .remote,
  .tiles-5 .remote {
    object-fit: cover;
  }
  .placeholder {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    gap: 6px;
    align-items: center;
    justify-content: center;
    padding: 16px;
    text-align: center;
    font-size: 1.1rem;
    overflow-wrap: anywhere;
  }
  .local {
    position: absolute;
    right: 10px;
    bottom: 10px;
    z-index: 1;
    width: var(--video-call-local-width, 28%);
    min-width: 72px;
    max-height: 45%;
    aspect-ratio: 4 / 3;
    object-fit: cover;
    border-radius: 8px;
    border: 2px solid rgb(255 255 255 / 0.75);
    background: #111;
    /* A mirror image is what people expect of their own preview. */
    transform: scaleX(-1);
  }

  .status {
    grid-area: status;
    margin: 8px 4px 6px;
    min-height: 1.4em;
    font-size: 0.95rem;
    line-height: 1.4;
    overflow-wrap: anywhere;
  }
  .status[data-state='error'],
  .status[data-state='full'] {
    color: var(--_error-fg);
  }

  .controls {
    grid-area: controls;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    padding: 0 4px 4px;
  }

  /* Side panels (chat, devices): beside the stage when there is room, over it when not. */
  .side {
    grid-area: side;
    display: flex;
    flex-direction: column;
    gap: 8px;
    width: clamp(220px, 32cqi, 340px);
    margin-inline-start: 8px;
    min-height: 0;
    overflow-y: auto;
  }
  .side:empty {
    display: none;
  }
  /* Before a call the pickers show beside the preview by themselves; the button is for narrow layouts. */
  button.pre-call {
    display: none;
  }

  /* Phones and narrow columns: the video as large as possible, one row of round icon buttons. */
  @container video-call (max-width: 560px) {
    :host {
      padding: 4px;
    }
    .side {
      grid-area: stage;
      z-index: 2;
      align-self: end;
      width: auto;
      max-height: 100%;
      margin: 0;
      padding: 8px;
      border-radius: calc(var(--_radius) - 4px);
      background: color-mix(in srgb, var(--_bg) 94%, transparent);
    }
    .side .devices.auto,
    .side:has(> .devices.auto:only-child) {
      display: none;
    }
    button.pre-call {
      display: inline-flex;
    }
    .remote {
      object-fit: cover;
    }
    .local {
      top: 8px;
      right: 8px;
      bottom: auto;
      width: 26%;
    }
    .status {
      margin: 6px 4px 4px;
      font-size: 0.85rem;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      line-clamp: 2;
      overflow: hidden;
    }
    /* An error or a full room: no video to keep large, and the words say what to do. */
    .status[data-state='error'],
    .status[data-state='full'] {
      display: block;
      -webkit-line-clamp: none;
      line-clamp: none;
      overflow: visible;
    }
    .controls {
      flex-wrap: nowrap;
      /* 'safe': when the row overflows it scrolls from its start; plain centring would cut off the first buttons for good. */
      justify-content: safe center;
      gap: 6px;
      padding: 0 0 2px;
      overflow-x: auto;
    }
    button.labelled {
      width: 40px;
      padding: 0;
    }
    button.labelled .label {
      ${visuallyHidden}
    }
  }
  @container video-call (max-width: 360px) {
    .controls {
      gap: 3px;
    }
    button {
      min-height: 34px;
      height: 34px;
      padding: 0 12px;
    }
    button.toggle,
    button.labelled,
    button.answer {
      width: 34px;
      padding: 0;
    }
    button.answer .label {
      ${visuallyHidden}
    }
    .icon {
      width: 18px;
      height: 18px;
    }
    .status {
      font-size: 0.8rem;
      margin: 4px 2px 3px;
    }
  }
`;

export const styles = [tokens, buttons, layout];
