import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';

/** Type descriptions list every provider's sources and channels in English the reader can trust. */
describe('descriptions derived from the provider declarations', () => {
  const description = (name: string) => schema.getType(name)?.description ?? '';

  it('put "an" before a provider whose name sounds a vowel', () => {
    expect(description('Source')).toContain('an Intercom workspace');
    expect(description('Channel')).toContain('an Intercom team inbox');
    expect(description('Channel')).toContain('a Chatwoot inbox');
  });

  it('never write "a" before a vowel-initial provider name', () => {
    for (const name of ['Source', 'Channel']) expect(description(name)).not.toMatch(/\ba [AEIO]/);
  });
});
