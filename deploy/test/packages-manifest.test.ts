/**
 * The widget package's custom-elements.json and the editor data made from it, against the
 * source: only the public API (no private, protected, static or @internal members), every
 * attribute, event and part exactly once and named, the same events as events.ts declares and the
 * same parts as the templates use, module paths of files the package ships, the JSX types listing
 * every attribute, and VS Code / JetBrains data that agree with the manifest.
 *
 * Reads widget/dist (run `npm run build` first) and widget/src; no network.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, requireBuild } from './packages-pack.js';

const WIDGET = path.join(ROOT, 'widget');
const read = (file: string) => readFileSync(path.join(WIDGET, file), 'utf8');
/** A JSON file of the widget package, parsed; the caller states the shape it reads. */
const json = (file: string): unknown => JSON.parse(read(file));

/** The fields of widget/package.json these tests read. */
interface WidgetManifest {
  version: string;
  exports: Record<string, { default?: string }>;
  'web-types': string;
}

interface Named {
  name?: string;
  privacy?: string;
  static?: boolean;
  kind?: string;
  type?: { text: string };
}
interface Declaration extends Named {
  tagName?: string;
  members?: Named[];
  attributes?: Named[];
  events?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
interface Module {
  path: string;
  declarations: Declaration[];
  exports: { kind: string; name: string; declaration: { name: string; module?: string } }[];
}

/** Every `.ts` source of the widget, as text. */
function widgetSources(): string[] {
  return readdirSync(path.join(WIDGET, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => read(path.join('src', file)));
}

/**
 * Part names the templates give: `part="a b"`, `part: 'a b'`, and the quoted strings of a
 * `const parts = …;` that a template then binds (`part=${parts}`); placeholders left out.
 */
function partsInTemplates(): Set<string> {
  const parts = new Set<string>();
  const add = (text: string) => {
    for (const token of text.split(/\s+/)) if (/^[a-z][a-z0-9-]*$/.test(token)) parts.add(token);
  };
  for (const source of widgetSources()) {
    for (const match of source.matchAll(/\bpart(?:="([^"]*)"|: '([^']*)')/g)) add(match[1] ?? match[2] ?? '');
    for (const [, expression] of source.matchAll(/\bconst parts = ([^;]*);/g)) {
      for (const [, literal] of expression!.matchAll(/'([^']*)'/g)) add(literal!);
    }
  }
  return parts;
}

/** The `vc-*` events events.ts declares in GlobalEventHandlersEventMap. */
function declaredEvents(): Set<string> {
  const map = /interface GlobalEventHandlersEventMap \{([^}]*)\}/.exec(read('src/events.ts'))?.[1] ?? '';
  return new Set([...map.matchAll(/'(vc-[a-z-]+)'\s*:/g)].map((m) => m[1]!));
}

/** Names in `list`, asserting each is present and appears once. */
function uniqueNames(list: Named[] | undefined, what: string): Set<string> {
  const names = (list ?? []).map((entry) => entry.name);
  assert.ok(
    names.every((name) => typeof name === 'string' && name.length > 0),
    `${what}: every entry has a name`,
  );
  assert.equal(new Set(names).size, names.length, `${what}: no duplicates in ${names.join(', ')}`);
  return new Set(names as string[]);
}

describe('custom-elements.json and the editor data', () => {
  requireBuild();
  const manifest = json('dist/custom-elements.json') as { modules: Module[] };
  const pkg = json('package.json') as WidgetManifest;
  const elements = manifest.modules.flatMap((m) => m.declarations.filter((d) => d.tagName).map((d) => ({ module: m, element: d })));

  it('describes one element, <video-call>, exported and defined by a module the package ships', () => {
    assert.equal(elements.length, 1);
    const [{ module, element }] = elements as [{ module: Module; element: Declaration }];
    assert.equal(element.tagName, 'video-call');
    assert.equal(module.path, 'dist/lib/video-call.js');
    assert.ok(existsSync(path.join(WIDGET, module.path)), 'the module path is a built file');
    assert.equal(pkg.exports['.']?.default, `./${module.path}`, 'and the package’s main export');
    for (const m of manifest.modules) {
      assert.ok(existsSync(path.join(WIDGET, m.path)), `${m.path} exists`);
      for (const e of m.exports)
        if (e.declaration.module) assert.ok(existsSync(path.join(WIDGET, e.declaration.module)), `${e.declaration.module} exists`);
    }
    assert.deepEqual(module.exports.map((e) => `${e.kind}:${e.name}`).sort(), ['custom-element-definition:video-call', 'js:VideoCall']);
    assert.doesNotMatch(
      JSON.stringify(manifest),
      /VideoCallAttributes|VideoCallInCall|src\/[\w./-]+\.ts/,
      'no internal base class, no source paths',
    );
  });

  it('lists the public API only: no private, protected, static or internal members', () => {
    const { element } = elements[0]!;
    const members = element.members ?? [];
    uniqueNames(members, 'members');
    for (const member of members) {
      assert.ok(!member.name!.startsWith('#'), `${member.name} is private`);
      assert.ok(member.privacy !== 'private' && member.privacy !== 'protected', `${member.name} is ${member.privacy}`);
      assert.ok(!member.static, `${member.name} is static`);
    }
    const names = members.map((m) => m.name);
    for (const api of [
      'start',
      'call',
      'accept',
      'decline',
      'hangUp',
      'leave',
      'state',
      'peer',
      'participants',
      'sendMessage',
      'getStats',
      'room',
      'signalingUrl',
    ])
      assert.ok(names.includes(api), `${api} is listed`);
    for (const internal of [
      'i18n',
      'render',
      'updated',
      'connectedCallback',
      'styles',
      'properties',
      'callEngine',
      'loadEngine',
      'remoteMedia',
    ])
      assert.ok(!names.includes(internal), `${internal} is not listed`);
  });

  it('lists each event once, with a name and a type: the vc-* events of events.ts', () => {
    const { element } = elements[0]!;
    const events = uniqueNames(element.events, 'events');
    assert.deepEqual([...events].sort(), [...declaredEvents()].sort());
    for (const event of element.events!) assert.match(event.type?.text ?? '', /^VideoCall\w+Event$/, `${event.name} has its class as type`);
  });

  it('lists each part once: exactly the parts the templates use', () => {
    const { element } = elements[0]!;
    const parts = uniqueNames(element.cssParts, 'parts');
    const used = partsInTemplates();
    assert.deepEqual(
      [...used].filter((p) => !parts.has(p)).sort(),
      [],
      'parts used in templates but not documented (@csspart in video-call.ts)',
    );
    assert.deepEqual([...parts].filter((p) => !used.has(p)).sort(), [], 'parts documented but used by no template');
  });

  it('lists each attribute once, and the JSX types take every one of them', () => {
    const { element } = elements[0]!;
    const attributes = uniqueNames(element.attributes, 'attributes');
    const jsxAttributes = /interface VideoCallAttributeProps \{([^}]*)\}/.exec(read('src/jsx.ts'))?.[1] ?? '';
    const typed = new Set([...jsxAttributes.matchAll(/^\s*'?([a-z-]+)'?\?:/gm)].map((m) => m[1]!));
    assert.deepEqual([...typed].sort(), [...attributes].sort(), 'VideoCallAttributeProps in jsx.ts lists the attributes of the manifest');
    assert.equal(element.attributes!.find((a) => a.name === 'ice-transport-policy')?.type?.text, "'all' | 'relay'");
  });

  it('VS Code and JetBrains data describe the same element, attributes, events and parts', () => {
    const { element } = elements[0]!;
    const attributes = [...uniqueNames(element.attributes, 'attributes')].sort();
    const html = json('dist/vscode.html-custom-data.json') as { tags: { name: string; attributes: { name: string }[] }[] };
    assert.deepEqual(
      html.tags.map((t) => t.name),
      ['video-call'],
    );
    assert.deepEqual(html.tags[0]!.attributes.map((a) => a.name).sort(), attributes);
    const css = json('dist/vscode.css-custom-data.json') as { properties: { name: string }[]; pseudoElements: { name: string }[] };
    assert.deepEqual(css.properties.map((p) => p.name).sort(), [...uniqueNames(element.cssProperties, 'css properties')].sort());
    assert.deepEqual(
      css.pseudoElements.map((p) => p.name).sort(),
      [...uniqueNames(element.cssParts, 'parts')].map((p) => `::part(${p})`).sort(),
    );
    const webTypes = json('dist/web-types.json') as {
      name: string;
      version: string;
      contributions: { html: { elements: { name: string; attributes: { name: string }[]; js: { events: { name: string }[] } }[] } };
    };
    assert.equal(webTypes.name, 'video-call');
    assert.equal(webTypes.version, pkg.version);
    assert.equal(pkg['web-types'], './dist/web-types.json');
    const [tag, ...others] = webTypes.contributions.html.elements;
    assert.equal(others.length, 0);
    assert.equal(tag!.name, 'video-call');
    assert.deepEqual(tag!.attributes.map((a) => a.name).sort(), attributes);
    assert.deepEqual(tag!.js.events.map((e) => e.name).sort(), [...declaredEvents()].sort());
  });
});
