/**
 * Where a trace's JavaScript ran, in the widget's own sources: positions in the minified
 * widget/dist/*.js (what the pages load) are mapped back through the build's source maps
 * (widget/dist/*.js.map, `@jridgewell/trace-mapping`), and each source file is put under one
 * concern of the set-up profile (Lit, the quality polling, the watch beats, …).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

const DIST = fileURLToPath(new URL('../widget/dist/', import.meta.url));

/** A place in the code: `label` names it (source file:line and function), `concern` groups it. */
export interface Place {
  label: string;
  concern: string;
}

/**
 * Concern of an original source path (as the source maps spell it, `../src/…` or
 * `../../node_modules/…`), first match wins. The names are the profile's rows in bench/README.md.
 */
const CONCERNS: [RegExp, string][] = [
  [/node_modules\/(lit-html|lit-element|@lit\/reactive-element)\//, 'Lit (render, commit)'],
  [/node_modules\/(socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io)\//, 'socket.io'],
  [/controllers\/quality-controller|call\/quality/, 'quality polling (getStats)'],
  [/controllers\/leg-media-watch/, 'watch beats (leg media watch)'],
  [/controllers\/call-timer-controller/, 'call timer'],
  [/speaking/, 'speaking indicator'],
  [/controllers\/devices-controller|devices-panel/, 'devices (pickers, mic meter)'],
  [/src\/icons/, 'icon SVGs'],
  [/src\/i18n\//, 'language controller (i18n)'],
  [/a11y\/focus-keeper/, 'focus keeper'],
  [/src\/a11y\//, 'a11y (announcer, shortcuts)'],
  [/\.view\.ts|view-model|chat-panel|status-text|events\.ts/, 'view (templates, view model, events)'],
  [/\.styles\.ts/, 'styles'],
  [/src\/call\//, 'call machine'],
  [/controllers\/signaling-controller/, 'signaling controller'],
  [/controllers\//, 'controllers (legs, media)'],
  [/protocol\//, 'protocol'],
  [/src\//, 'element'],
];

/** Concerns of the bench's own pages' scripts, by URL file name. */
const OTHER_SCRIPTS: [RegExp, string][] = [
  [/vanilla-call\.js$/, 'vanilla element'],
  [/socket\.io\.esm\.min\.js$/, 'socket.io'],
  [/peerjs/, 'PeerJS'],
  [/instrument\.js$/, 'bench instrument'],
];

/** Maps trace positions to places; reads each source map once. */
export class SourceMapper {
  #maps = new Map<string, TraceMap | null>();

  #map(file: string): TraceMap | null {
    if (!this.#maps.has(file)) {
      const path = `${DIST}${file}.map`;
      this.#maps.set(file, /^video-call[\w-]*\.js$/.test(file) && existsSync(path) ? new TraceMap(readFileSync(path, 'utf8')) : null);
    }
    return this.#maps.get(file)!;
  }

  /**
   * The place of a position of `url`: `line` 1-based, `column` 0-based (a V8 CPU profile's
   * call frame has both 0-based: pass `line + 1`). Unknown URLs keep their file name.
   */
  place(url: string, line: number, column: number, functionName = ''): Place {
    const file = url.slice(url.lastIndexOf('/') + 1);
    // Scripts without a URL are Playwright's (page.evaluate, waitForFunction's polling).
    if (!url) return { label: `(bench: Playwright) ${functionName}`, concern: 'bench (Playwright polling)' };
    const map = this.#map(file);
    if (map) {
      const original = originalPositionFor(map, { line, column });
      if (original.source) {
        const source = original.source.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, '');
        const name = original.name ?? functionName;
        return {
          label: `${source}:${original.line}${name ? ` ${name}` : ''}`,
          concern: CONCERNS.find(([pattern]) => pattern.test(original.source!))?.[1] ?? 'element',
        };
      }
    }
    const concern = OTHER_SCRIPTS.find(([pattern]) => pattern.test(file))?.[1] ?? file;
    return { label: `${file}:${line}${functionName ? ` ${functionName}` : ''}`, concern };
  }
}
