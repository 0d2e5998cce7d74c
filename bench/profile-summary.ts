import { readFileSync } from 'node:fs';

/**
 * `tsx bench/profile-summary.ts <file.cpuprofile>`: where a V8 CPU profile (the gateway
 * run with `npm run bench -- --profile`) spent its time, by self time per function and
 * per package or source folder.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = [...self.values()].reduce((a, b) => a + b, 0);

/** `node_modules/<pkg>` or `src/<folder>`, else the node internal or the special frame. */
function placeOf(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src|bench)\/(.+?)(\/[^/]+)?$/.exec(url);
  if (src) return `${src[1]}/${src[3] ? src[2] : src[2]}`;
  return url === '' ? '(native / V8)' : url.replace(/^node:/, 'node:');
}

const functions = new Map<string, number>();
const places = new Map<string, number>();
for (const [id, us] of self) {
  const { callFrame } = byId.get(id)!;
  const name = `${callFrame.functionName || '(anonymous)'} ${placeOf(callFrame.url)}:${callFrame.lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + us);
  const place = callFrame.url === '' ? callFrame.functionName || '(native)' : placeOf(callFrame.url);
  places.set(place, (places.get(place) ?? 0) + us);
}

// Inclusive: a sample counts once for every package or folder on its stack.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
const inclusiveFunctions = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  const seenFunctions = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const { url, functionName } = byId.get(at)!.callFrame;
    if (url !== '') seen.add(placeOf(url));
    if (url !== '' && !url.startsWith('node:')) seenFunctions.add(`${functionName || '(anonymous)'} ${placeOf(url)}`);
  }
  for (const place of seen) inclusive.set(place, (inclusive.get(place) ?? 0) + us);
  for (const fn of seenFunctions) inclusiveFunctions.set(fn, (inclusiveFunctions.get(fn) ?? 0) + us);
}

const top = (map: Map<string, number>, n: number) =>
  [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${k}`);
console.log(`total ${(totalUs / 1e6).toFixed(1)} s sampled\n\nself time by package or folder:\n${top(places, 25).join('\n')}\n\ninclusive time by package or folder:\n${top(inclusive, 25).join('\n')}\n\nself time by function:\n${top(functions, 40).join('\n')}\n\ninclusive time by function (outside node:):\n${top(inclusiveFunctions, 60).join('\n')}`);
