/**
 * Styles of `<video-call>`. Host pages theme it with the `--video-call-*` custom properties and
 * reach inside with `::part(...)` (both listed in video-call.ts).
 */
import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    max-width: 100%;
    font-family: var(--video-call-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--video-call-color, #f8fafc);
    background: var(--video-call-background, #0f172a);
    border-radius: var(--video-call-radius, 12px);
    padding: 8px;
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

  .stage {
    position: relative;
    width: 100%;
    aspect-ratio: var(--video-call-aspect-ratio, 16 / 9);
    overflow: hidden;
    border-radius: calc(var(--video-call-radius, 12px) - 4px);
    background: #000;
  }
  .remote {
    width: 100%;
    height: 100%;
    /* The whole picture, letterboxed; hosts may prefer ::part(remote-video) { object-fit: cover }. */
    object-fit: contain;
    display: block;
    background: #000;
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
    opacity: 0.75;
    overflow-wrap: anywhere;
  }
  .local {
    position: absolute;
    right: 10px;
    bottom: 10px;
    width: var(--video-call-local-width, 28%);
    min-width: 96px;
    aspect-ratio: 4 / 3;
    object-fit: cover;
    border-radius: 8px;
    border: 2px solid rgb(255 255 255 / 0.7);
    background: #111;
    /* A mirror image is what people expect of their own preview. */
    transform: scaleX(-1);
  }

  .status {
    margin: 10px 4px 6px;
    min-height: 1.4em;
    font-size: 0.95rem;
    line-height: 1.4;
    overflow-wrap: anywhere;
  }
  .status[data-state='error'],
  .status[data-state='full'] {
    color: color-mix(in srgb, var(--video-call-danger, #dc2626) 35%, var(--video-call-color, #f8fafc));
  }

  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    padding: 0 4px 4px;
  }
  button {
    font: inherit;
    font-size: 0.95rem;
    min-height: 40px;
    padding: 0 16px;
    border-radius: 999px;
    border: 1px solid rgb(255 255 255 / 0.25);
    background: rgb(255 255 255 / 0.08);
    color: inherit;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: rgb(255 255 255 / 0.16);
  }
  button:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--video-call-accent, #2563eb) 70%, white);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }
  button.primary {
    background: var(--video-call-accent, #2563eb);
    border-color: transparent;
    color: #fff;
  }
  button.primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--video-call-accent, #2563eb) 85%, white);
  }
  button.danger {
    background: var(--video-call-danger, #dc2626);
    border-color: transparent;
    color: #fff;
  }
  button.danger:hover {
    background: color-mix(in srgb, var(--video-call-danger, #dc2626) 85%, white);
  }
  button[aria-pressed='true'] {
    background: rgb(255 255 255 / 0.85);
    color: #0f172a;
  }
`;
