/**
 * The accessibility check of one state of `<video-call>` elements, shared by the accessibility
 * tests: axe-core (WCAG 2.2 A/AA) in a dark and a light host page, as is, with a button hovered,
 * with a pressed toggle hovered and focused, and with focus entering by Tab. It fails listing
 * every violation found, and prints how many runs and rules it made.
 */
import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { AxeResults, RunOptions } from 'axe-core';
import type { VideoCall } from '../src/video-call.js';
import { axe } from './axe.js';
import * as s from './states.js';

const AXE_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations'],
};

const THEMES = {
  dark: { colorScheme: 'dark', background: '#111', color: '#eee' },
  light: { colorScheme: 'light', background: '#fff', color: '#111' },
} as const;

/** Sets the host page's theme: its colour scheme (also the emulated preference), background and text. */
async function theme(name: keyof typeof THEMES) {
  const t = THEMES[name];
  await emulateMedia({ colorScheme: t.colorScheme });
  document.documentElement.style.colorScheme = t.colorScheme;
  Object.assign(document.body.style, { background: t.background, color: t.color });
}

/** Resolves when the element's transitions (a hover fading in) have finished, at most 1 s. */
async function transitionsDone(el: VideoCall) {
  await s.settle(el);
  const running = el.shadowRoot!.getAnimations().filter((a) => a instanceof CSSTransition);
  await Promise.race([Promise.all(running.map((a) => a.finished.catch(() => {}))), new Promise((r) => setTimeout(r, 1000))]);
}

/** One violation on one element, in the variants (theme, hover, focus) where it was found. */
interface Finding {
  rule: string;
  target: string;
  summary: string;
  variants: string[];
}

/** Runs axe on `targets` and adds what it finds to `findings` (keyed by rule, element and summary). */
async function axeOn(targets: VideoCall[], variant: string, findings: Map<string, Finding>): Promise<void> {
  const results: AxeResults = await axe.run({ include: targets }, AXE_OPTIONS);
  runs.count++;
  runs.rulesPassed = Math.max(runs.rulesPassed, results.passes.length);
  for (const v of results.violations) {
    for (const node of v.nodes) {
      const target = JSON.stringify(node.target);
      const summary = (node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ').replace(/^Fix (any|all) of the following: /, '');
      const key = `${v.id} ${target} ${summary}`;
      const finding = findings.get(key) ?? { rule: `${v.id} (${v.impact})`, target, summary, variants: [] };
      finding.variants.push(variant);
      findings.set(key, finding);
    }
  }
}

/** axe runs in the current state and the most rules passed in one (printed for the closing note). */
const runs = { count: 0, rulesPassed: 0 };

/** One line per violation: rule and impact, element, failure summary, and where it showed. */
const report = (findings: Map<string, Finding>) =>
  [...findings.values()].map((f) => `${f.rule} ${f.target}: ${f.summary} [${f.variants.join('; ')}]`);

/** The first enabled button of the controls row, else of the element. */
const firstButton = (el: VideoCall) =>
  s.part(el, 'controls')?.querySelector<HTMLButtonElement>('button:not([disabled])') ??
  el.shadowRoot!.querySelector<HTMLButtonElement>('button:not([disabled])');

async function hover(target: HTMLElement, el: VideoCall) {
  target.scrollIntoView({ block: 'center' });
  const r = target.getBoundingClientRect();
  await sendMouse({ type: 'move', position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)] });
  await transitionsDone(el);
}

async function mouseAway() {
  window.scrollTo(0, 0);
  await sendMouse({ type: 'move', position: [1, 1] });
}

/**
 * axe on `targets` in both themes: as is, with the subject's first button hovered, with the
 * `pressed` toggle hovered and focused, and with focus entering the subject by Tab (:focus-visible).
 * Fails listing every violation found, labelled `label`.
 */
export async function checkState(
  label: string,
  targets: VideoCall[],
  subject: VideoCall,
  before: HTMLButtonElement,
  pressed?: HTMLElement | null,
) {
  const findings = new Map<string, Finding>();
  Object.assign(runs, { count: 0, rulesPassed: 0 });
  for (const name of ['dark', 'light'] as const) {
    await theme(name);
    await mouseAway();
    await Promise.all(targets.map(transitionsDone));
    await axeOn(targets, name, findings);
    const first = firstButton(subject);
    if (first) {
      await hover(first, subject);
      await axeOn(targets, `${name} hover ${partName(first)}`, findings);
    }
    if (pressed) {
      await hover(pressed, subject);
      await axeOn(targets, `${name} hover pressed ${partName(pressed)}`, findings);
    }
    await mouseAway();
    before.focus();
    await sendKeys({ press: 'Tab' });
    await transitionsDone(subject);
    const focused = subject.shadowRoot!.activeElement;
    await axeOn(targets, `${name} Tab-focus ${focused ? partName(focused) : 'nothing inside'}`, findings);
    if (pressed) {
      pressed.focus();
      await transitionsDone(subject);
      await axeOn(targets, `${name} focus pressed ${partName(pressed)}`, findings);
    }
    (subject.shadowRoot!.activeElement as HTMLElement | null)?.blur();
  }
  const lines = report(findings);
  console.log(
    `axe ${label}: ${runs.count} runs (dark and light host, hover, focus), ${lines.length} violations, up to ${runs.rulesPassed} rules passed per run`,
  );
  if (lines.length) expect.fail(`${lines.length} axe violation(s) in ${label} (state ${subject.state}):\n${lines.join('\n')}`);
}

/** An element's most specific part name (`mic-button` for `part="button mic-button"`). */
const partName = (el: Element) => el.getAttribute('part')?.split(/\s+/).at(-1) ?? el.localName;
