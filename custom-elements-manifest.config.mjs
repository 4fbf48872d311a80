// custom-elements.json of the widget package, and from it the editor data: vscode.html-custom-data.json
// and vscode.css-custom-data.json for VS Code, web-types.json for JetBrains IDEs. Run from widget/
// (`cd widget && cem analyze --config ../custom-elements-manifest.config.mjs`): paths are relative
// to the package, and the editor data takes the package's name from widget/package.json.
// Everything goes to widget/dist/.
//
// The manifest describes the public element only, as the package ships it:
// - no private members (`#x`, `private`), no protected ones (Lit's lifecycle: render, updated…),
//   nothing marked `@internal`;
// - every attribute, event and part once, each with a name (the analyzer also reports every
//   `dispatchEvent(new X(…))` as a nameless event, and a JSDoc line can only name one part);
// - module paths of the built files: the element lives in dist/lib/video-call.js (the bundler
//   build; its internal base classes VideoCallInCall and VideoCallAttributes, bundled into it, are
//   folded in).
import { customElementJetBrainsPlugin } from 'custom-element-jet-brains-integration';
import { customElementVsCodePlugin } from 'custom-element-vs-code-integration';

const OUTDIR = 'dist';
/** Source module → the built module that exports it (package-relative). */
const BUILT_MODULE = {
  'src/video-call.ts': 'dist/lib/video-call.js',
  'src/video-call.attributes.ts': 'dist/lib/video-call.js',
  'src/video-call.in-call-api.ts': 'dist/lib/video-call.js',
};
/** Internal classes folded into the element that extends them. */
const INTERNAL_CLASSES = new Set(['VideoCallAttributes', 'VideoCallInCall']);

/** DOM type names the editors do not know, as the values they stand for. */
const TYPE_TEXT = { RTCIceTransportPolicy: "'all' | 'relay'" };

/** Keeps the first entry of each name; drops nameless ones. */
function uniqueByName(entries = []) {
  const seen = new Set();
  return entries.filter((entry) => {
    if (!entry.name || seen.has(entry.name)) return false;
    seen.add(entry.name);
    return true;
  });
}

/** A reference `{ name, module }` pointed at the built module; internal bases become Lit's. */
function builtReference(ref) {
  if (!ref) return ref;
  if (INTERNAL_CLASSES.has(ref.name)) return undefined;
  if (ref.module && BUILT_MODULE[ref.module]) return { ...ref, module: BUILT_MODULE[ref.module] };
  return ref;
}

function publicManifestPlugin() {
  return {
    name: 'video-call-public-manifest',
    packageLinkPhase({ customElementsManifest: manifest }) {
      manifest.modules = manifest.modules.filter((mod) => {
        const declarations = (mod.declarations ?? []).filter((d) => !INTERNAL_CLASSES.has(d.name));
        return declarations.length > 0;
      });
      for (const mod of manifest.modules) {
        mod.path = BUILT_MODULE[mod.path] ?? mod.path;
        mod.declarations = mod.declarations.filter((d) => !INTERNAL_CLASSES.has(d.name));
        for (const declaration of mod.declarations) {
          if (declaration.kind !== 'class') continue;
          declaration.members = uniqueByName(
            (declaration.members ?? []).filter(
              (m) => !m.name?.startsWith('#') && m.privacy !== 'private' && m.privacy !== 'protected' && !m.static,
            ),
          );
          declaration.attributes = uniqueByName(declaration.attributes);
          declaration.events = uniqueByName(declaration.events);
          declaration.cssParts = uniqueByName(declaration.cssParts);
          declaration.cssProperties = uniqueByName(declaration.cssProperties);
          declaration.slots = uniqueByName(declaration.slots);
          for (const entry of [
            ...declaration.members,
            ...declaration.attributes,
            ...declaration.events,
            ...declaration.cssParts,
            ...declaration.cssProperties,
          ]) {
            if (entry.type && TYPE_TEXT[entry.type.text]) entry.type = { text: TYPE_TEXT[entry.type.text] };
            const inherited = builtReference(entry.inheritedFrom);
            if (inherited) entry.inheritedFrom = inherited;
            else delete entry.inheritedFrom;
          }
          if (declaration.superclass && INTERNAL_CLASSES.has(declaration.superclass.name)) {
            declaration.superclass = { name: 'LitElement', package: 'lit' };
          }
        }
        mod.exports = (mod.exports ?? [])
          .filter((e) => !INTERNAL_CLASSES.has(e.declaration?.name))
          .map((e) => ({ ...e, declaration: builtReference(e.declaration) }));
      }
    },
  };
}

const editorData = { outdir: OUTDIR, hideLogs: true };

export default {
  globs: ['src/video-call.ts', 'src/video-call.in-call-api.ts', 'src/video-call.attributes.ts'],
  outdir: OUTDIR,
  litelement: true,
  // widget/package.json names the manifest itself (`customElements`); the analyzer must not rewrite it.
  packagejson: false,
  plugins: [
    publicManifestPlugin(),
    customElementVsCodePlugin({
      ...editorData,
      htmlFileName: 'vscode.html-custom-data.json',
      cssFileName: 'vscode.css-custom-data.json',
    }),
    customElementJetBrainsPlugin({ ...editorData, webTypesFileName: 'web-types.json', packageJson: false }),
  ],
};
