import { dataloaderGetter } from '@pothos/plugin-dataloader';
import { describe, expect, it } from 'vitest';
import { createRequestContext } from '../../src/gateway/context.js';
import type { Gateway } from '../../src/gateway/gateway.js';
import { useRequestRelease } from '../../src/plugins/use-request-release.js';

const gateway = { config: { deadlineMs: 60_000, limits: { upstreamCalls: 40 } }, sources: new Map(), metrics: null } as unknown as Gateway;

function endExecution(context: object) {
  const hooks = useRequestRelease().onExecute!({ args: { contextValue: context } } as never) as { onExecuteDone(): void };
  hooks.onExecuteDone();
}

describe('a request lets go of what it loaded once execution is done', () => {
  it('empties the nodes its payloads carried', () => {
    const context = createRequestContext(gateway, {});
    context.known.users.set('u', { nativeId: 'u' } as never);
    context.known.conversations.set('c', { nativeId: 'c' } as never);
    endExecution(context);
    expect(Object.values(context.known).map((nodes) => nodes.size)).toEqual([0, 0, 0, 0, 0]);
  });

  it("empties its DataLoaders' caches: the same key is loaded again afterwards", async () => {
    const context = createRequestContext(gateway, {});
    const batches: string[][] = [];
    // How the dataloader plugin makes each request's loader (one per context).
    const loaderFor = dataloaderGetter<string, string, string>(
      {},
      async (keys) => {
        batches.push([...keys]);
        return keys.map((key) => key.toUpperCase());
      },
      undefined,
      false,
    );
    expect(await loaderFor(context).load('a')).toBe('A');
    expect(await loaderFor(context).load('a')).toBe('A');
    expect(batches).toEqual([['a']]);
    endExecution(context);
    expect(await loaderFor(context).load('a')).toBe('A');
    expect(batches).toEqual([['a'], ['a']]);
  });

  it('clears the deadline timer, so the signal never fires', async () => {
    const context = createRequestContext({ ...gateway, config: { ...gateway.config, deadlineMs: 20 } } as unknown as Gateway, {});
    endExecution(context);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(context.scope.signal!.aborted).toBe(false);
  });
});
