/**
 * Styles of `<video-call>`: the colour tokens, the layout that fits the box the host page gives
 * (container queries) and the buttons. Host pages theme it with the `--video-call-*` custom
 * properties and reach inside with `::part(...)` (both listed in video-call.ts and the README).
 * The labels over the video and the chat are in video-call.in-call.styles.ts.
 */
import { css } from 'lit';

/**
 * Every colour comes from a `--video-call-*` property; the defaults follow the `color-scheme`
 * the element inherits from the page (`light-dark()`), so a dark page gets the dark widget.
 * The `--_*` properties are private shorthands.
 */
const tokens = css`
  :host {
    --_bg: var(--video-call-background, light-dark(#f8fafc, #0f172a));
    --_fg: var(--video-call-color, light-dark(#0f172a, #f8fafc));
    --_muted-fg: var(--video-call-muted-color, light-dark(#475569, #cbd5e1));
    --_border: var(--video-call-border-color, light-dark(#94a3b8, #64748b));
    --_stage-bg: var(--video-call-stage-background, #000);
    --_stage-fg: var(--video-call-stage-color, #f1f5f9);
    --_button-bg: var(--video-call-button-background, light-dark(#e2e8f0, #1e293b));
    --_button-fg: var(--video-call-button-color, var(--_fg));
    --_button-hover-bg: var(--video-call-button-hover-background, light-dark(#cbd5e1, #334155));
    --_pressed-bg: var(--video-call-pressed-background, light-dark(#0f172a, #f8fafc));
    --_pressed-fg: var(--video-call-pressed-color, light-dark(#f8fafc, #0f172a));
    --_pressed-hover-bg: var(--video-call-pressed-hover-background, light-dark(#334155, #cbd5e1));
    --_accent: var(--video-call-accent, #2563eb);
    --_accent-fg: var(--video-call-accent-color, #fff);
    --_accent-hover: var(--video-call-accent-hover, #1d4ed8);
    --_danger: var(--video-call-danger, #dc2626);
    --_danger-fg: var(--video-call-danger-color, #fff);
    --_danger-hover: var(--video-call-danger-hover, #b91c1c);
    --_error-fg: var(--video-call-error-color, light-dark(#b91c1c, #fca5a5));
    --_focus: var(--video-call-focus-ring, light-dark(#1d4ed8, #93c5fd));
    --_overlay-bg: var(--video-call-overlay-background, rgb(0 0 0 / 0.7));
    --_overlay-fg: var(--video-call-overlay-color, #fff);
    --_radius: var(--video-call-radius, 12px);
  }
`;

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
    overflow: hidden;
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
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
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
    overflow: hidden;
    border-radius: calc(var(--_radius) - 4px);
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
  }
  .placeholder {
    position: absolute;
    inset: 0;
    display: flex;
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
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
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
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
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

const buttons = css`
  button {
    position: relative;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    flex: 0 0 auto;
    font: inherit;
    font-size: 0.95rem;
    min-height: 40px;
    padding: 0 16px;
    border-radius: 999px;
    border: 1px solid transparent;
    background: var(--_button-bg);
    color: var(--_button-fg);
    cursor: pointer;
  }
  /* Toggles are round icon buttons; their name is the visually hidden label. */
  button.toggle {
    width: 40px;
    padding: 0;
  }
  button.toggle .label {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .icon {
    flex: none;
  }
  button:hover:not(:disabled) {
    background: var(--_button-hover-bg);
  }
  button:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_accent-fg);
  }
  button.primary:hover:not(:disabled) {
    background: var(--_accent-hover);
  }
  button.danger {
    background: var(--_danger);
    color: var(--_danger-fg);
  }
  button.danger:hover:not(:disabled) {
    background: var(--_danger-hover);
  }
  /* A pressed toggle, and a panel button whose panel is open. */
  button[aria-pressed='true'],
  button[aria-expanded='true'] {
    background: var(--_pressed-bg);
    color: var(--_pressed-fg);
  }
  button[aria-pressed='true']:hover:not(:disabled),
  button[aria-expanded='true']:hover:not(:disabled) {
    background: var(--_pressed-hover-bg);
  }
  .ringing {
    animation: ring 1.2s ease-in-out infinite;
  }
  @keyframes ring {
    50% {
      box-shadow: 0 0 0 6px color-mix(in srgb, var(--_accent) 35%, transparent);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
    }
  }
  /* Windows high contrast and other forced colours: system colours, visible edges. */
  @media (forced-colors: active) {
    button {
      border-color: ButtonText;
    }
    button[aria-pressed='true'],
    button[aria-expanded='true'] {
      forced-color-adjust: none;
      background: SelectedItem;
      color: SelectedItemText;
      border-color: SelectedItem;
    }
    button:disabled {
      color: GrayText;
      border-color: GrayText;
    }
    .stage,
    .local {
      border: 1px solid CanvasText;
    }
  }
`;

/* The layout's container queries come after the buttons' base rules, so the narrow and compact sizes win. */
export const styles = [tokens, buttons, layout];
