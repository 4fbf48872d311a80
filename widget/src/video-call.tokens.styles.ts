/**
 * The colour tokens of `<video-call>` (every colour a documented `--video-call-*` property) and
 * the visually-hidden fragment its styles share.
 */
import { css, unsafeCSS } from 'lit';

/**
 * Every colour comes from a `--video-call-*` property; the defaults follow the `color-scheme`
 * the element inherits from the page (`light-dark()`), so a dark page gets the dark widget.
 * The `--_*` properties are private shorthands.
 */
export const tokens = css`
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

/**
 * Hides a text from the eye but not from screen readers (a button's name next to its icon).
 * A fragment of declarations, for `${visuallyHidden}` inside a rule: a plain string rather than
 * a css`` template, because the build's template minifier parses css`` templates as whole
 * style sheets and a bare declaration list is not one.
 */
export const visuallyHidden = unsafeCSS(
  'position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap;border:0',
);
