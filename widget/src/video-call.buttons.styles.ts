/**
 * The buttons of `<video-call>`: ordinary, primary, danger and pressed toggles, the round icon
 * toggles whose label is hidden, focus, hover, the ringing pulse, and the reduced-motion and
 * forced-colors modes.
 */
import { css } from 'lit';
import { visuallyHidden } from './video-call.tokens.styles.js';

export const buttons = css`
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
    ${visuallyHidden}
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
