import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { packageJson, readText } from './paths.js';

/** `npm ci` on every Node line package.json claims installs without an engines warning. */

const lock = JSON.parse(readText('package-lock.json')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
// The oldest release of each line that package.json accepts: 20.19.0, 22.13.0, 24.0.0.
const floors = packageJson.engines.node.split('||').map((range) => semver.minVersion(range)!.version);

describe('supported Node versions', () => {
  it('are Node 20.19+ and Node 24 LTS, at least', () => {
    expect(semver.satisfies('20.19.0', packageJson.engines.node)).toBe(true);
    expect(semver.satisfies('20.18.3', packageJson.engines.node)).toBe(false);
    expect(semver.satisfies('24.0.0', packageJson.engines.node)).toBe(true);
  });

  it.each(floors)('every locked package accepts Node %s', (version) => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .map(([path, entry]) => ({ path, range: Array.isArray(entry.engines) ? undefined : entry.engines?.node }))
      .filter(({ range }) => range !== undefined && !semver.satisfies(version, range))
      .map(({ path, range }) => `${path.replace(/^.*node_modules\//, '')} wants node ${range}`);
    expect(refusing).toEqual([]);
  });
});
