// Compiles src/ to dist/ and records a hash of what it compiled. With --if-stale (prestart,
// presandbox) it compiles only when that hash no longer matches, so `npm start` starts at once
// after the first build, and a production install without TypeScript can start a dist/ built
// elsewhere. Plain JavaScript on purpose: it must run where neither tsc nor tsx is installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = 'src';
// Everything that changes what tsc emits; contents, not mtimes, so a checkout, a copy that keeps
// old mtimes or a clock skew can neither skip a needed build nor force a needless one.
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];
const OUT_DIR = 'dist';
const ENTRY = join(OUT_DIR, 'server.js');
const STAMP = join(OUT_DIR, '.source-hash');

function filesUnder(dir) {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of [...CONFIGS, ...filesUnder(SOURCES)]) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function readStamp() {
  try {
    return readFileSync(join(ROOT, STAMP), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function tscPath() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return undefined;
  }
}

function fail(code, message) {
  console.error(`${code}: ${message}`);
  process.exit(1);
}

const ifStale = process.argv.includes('--if-stale');

if (!existsSync(join(ROOT, SOURCES))) {
  // An image or artifact that ships dist/ without src/ has nothing to rebuild from.
  if (existsSync(join(ROOT, ENTRY))) process.exit(0);
  fail('BUILD_NO_SOURCES', `neither ${SOURCES}/ nor ${ENTRY} is here: run from a checkout, or ship ${OUT_DIR}/`);
}

const hash = sourceHash();
if (ifStale && existsSync(join(ROOT, ENTRY)) && readStamp() === hash) process.exit(0);

const tsc = tscPath();
if (!tsc) {
  fail(
    'BUILD_TOOL_MISSING',
    `${OUT_DIR}/ is missing or older than ${SOURCES}/ and TypeScript is not installed (a production install?). ` +
      'Build where dev dependencies are installed (npm ci && npm run build), then npm prune --omit=dev.',
  );
}

if (ifStale) console.error(`${OUT_DIR}/ is missing or older than ${SOURCES}/: compiling (npm run build)`);
// A build that fails or is interrupted leaves no stamp, so the next start compiles again.
rmSync(join(ROOT, STAMP), { force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(join(ROOT, STAMP), `${hash}\n`);
