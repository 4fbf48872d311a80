/**
 * Compares two V8 heap snapshots (.heapsnapshot, e.g. from held-calls.ts --snapshots) by what
 * their objects are: for each node type and constructor (or closure/string name) it prints the
 * count and self size in both, sorted by the growth in count. What a leak accumulates shows at the
 * top. Prints only; asserts nothing.
 *
 * Usage: node --import tsx signal-service/bench/heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--top 40]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

/** The parts of the .heapsnapshot JSON read here (V8's HeapSnapshotJSONSerializer). */
interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Per group (`type name`): how many nodes and their summed self size in bytes. */
type Groups = Map<string, { count: number; bytes: number }>;

/**
 * Reads one snapshot and groups its nodes by type and name. Strings and numbers are grouped by
 * type only (their name is their content). Throws when the file is not a heap snapshot.
 */
async function groupsOf(file: string): Promise<Groups> {
  const json = JSON.parse(await readFile(file, 'utf8')) as HeapSnapshotFile;
  const fields = json.snapshot.meta.node_fields;
  const types = json.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  if (typeAt! < 0 || nameAt! < 0 || sizeAt! < 0) throw new Error(`${file}: not a V8 heap snapshot`);
  const groups: Groups = new Map();
  for (let i = 0; i < json.nodes.length; i += fields.length) {
    const type = types[json.nodes[i + typeAt!]!]!;
    const byContent = type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number';
    const name = byContent ? '' : json.strings[json.nodes[i + nameAt!]!]!.slice(0, 80);
    const key = `${type} ${name}`;
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += json.nodes[i + sizeAt!]!;
    groups.set(key, group);
  }
  return groups;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '40' } } });
if (positionals.length !== 2) {
  process.stderr.write('usage: heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [--top 40]\n');
  process.exit(2);
}
const [before, after] = await Promise.all(positionals.map(groupsOf));
const rows = [...new Set([...before!.keys(), ...after!.keys()])].map((key) => {
  const a = before!.get(key) ?? { count: 0, bytes: 0 };
  const b = after!.get(key) ?? { count: 0, bytes: 0 };
  return { key, a, b, dCount: b.count - a.count, dBytes: b.bytes - a.bytes };
});
const total = (groups: Groups) =>
  [...groups.values()].reduce((sum, g) => ({ count: sum.count + g.count, bytes: sum.bytes + g.bytes }), { count: 0, bytes: 0 });
const [ta, tb] = [total(before!), total(after!)];
process.stdout.write(
  `nodes ${ta.count} → ${tb.count} (${tb.count - ta.count >= 0 ? '+' : ''}${tb.count - ta.count}), self size ${(ta.bytes / 1024).toFixed(0)} → ${(tb.bytes / 1024).toFixed(0)} KB\n`,
);
process.stdout.write(`${'Δcount'.padStart(8)} ${'ΔKB'.padStart(8)} ${'count'.padStart(16)}  type name\n`);
for (const row of rows.sort((x, y) => y.dCount - x.dCount || y.dBytes - x.dBytes).slice(0, Number(values.top))) {
  const counts = `${row.a.count}→${row.b.count}`;
  process.stdout.write(
    `${String(row.dCount).padStart(8)} ${(row.dBytes / 1024).toFixed(1).padStart(8)} ${counts.padStart(16)}  ${row.key}\n`,
  );
}
