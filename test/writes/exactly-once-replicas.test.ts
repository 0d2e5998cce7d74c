import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing } from '../shared-state/redis-server.js';
import { PROVIDERS, providersThat, testsOf, type Provider } from './provider-state/index.js';
import { clearAllFaults, SETTLE_MS, startWriteReplicas, type CallResult, type WriteReplicas } from './replica-writes.js';

/**
 * Two gateway processes share one Redis: whatever the order, the repeats, the concurrent
 * duplicates and the answers lost before or after the provider stored a reply, each
 * idempotency key leaves exactly one message at the provider once its caller has settled
 * it, and concurrent tag changes from both processes lose no tag.
 */

const missing = redisMissing();
const SEED = Number(process.env.PARLEY_EXACTLY_ONCE_SEED ?? 1515);
const RUNS = 50;
/** Keys per run: few, so repeats are common. */
const KEY_POOL = 5;
const CONVERSATIONS_PER_PROVIDER = 2;
const SETTLE_ROUNDS = 8;
/** The providers that reply, each through its own reply request (a fault aims at it and spares reads of the same path). */
const REPLYING = providersThat('REPLY');
/** The providers whose tag writes replace the whole set: concurrent changes must not lose one. */
const SET_REPLACING = providersThat('TAG').filter((provider) => testsOf(provider).tagsReplaceTheSet);

const REPLY = /* GraphQL */ `
  mutation Reply($input: ReplyToConversationInput!) {
    replyToConversation(input: $input) { outcome userErrors { code field } }
  }
`;
const TAGS = /* GraphQL */ `
  mutation Tags($input: UpdateConversationTagsInput!) {
    updateConversationTags(input: $input) { outcome userErrors { code field } }
  }
`;

let w: WriteReplicas;
const targets = {} as Record<Provider, Array<{ id: string; nativeId: string }>>;

describe.skipIf(missing !== null)('writes over two gateway processes and one Redis', () => {
  beforeAll(async () => {
    w = await startWriteReplicas();
    // The provider's own duplicate guard off: only Parley stands between a repeat and a second message.
    for (const provider of PROVIDERS) testsOf(provider).withoutDuplicateGuard?.(w.set.sandbox[provider]);
    for (const provider of new Set([...REPLYING, ...SET_REPLACING])) targets[provider] = await w.conversations(provider, CONVERSATIONS_PER_PROVIDER);
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it('each idempotency key leaves exactly one message, whatever the repeats, duplicates and lost answers', async () => {
    let run = 0;
    // What the runs met, so a change that stops faults from biting shows up as a failure too.
    const seen = new Map<string, number>();
    const bitten = new Set<string>();
    const property = fc.asyncProperty(
      fc.array(fc.record({ provider: fc.constantFrom(...REPLYING), conversation: fc.nat({ max: CONVERSATIONS_PER_PROVIDER - 1 }) }), {
        minLength: KEY_POOL,
        maxLength: KEY_POOL,
      }),
      fc.array(
        fc.record({
          key: fc.nat({ max: KEY_POOL - 1 }),
          replica: fc.nat({ max: 1 }),
          withNext: fc.boolean(),
          fault: fc.option(
            fc.record({ kind: fc.constantFrom('error' as const, 'reset' as const, 'hang' as const), afterCommit: fc.boolean(), readBackFails: fc.boolean() }),
            { freq: 2 },
          ),
        }),
        { minLength: 2, maxLength: 10 },
      ),
      async (keys, commands) => {
        run += 1;
        const tag = `${process.pid}-${Date.now()}-${run}`;
        const inputOf = (key: number) => {
          const { provider, conversation } = keys[key]!;
          const idempotencyKey = `eo-${tag}-${key}`;
          return { provider, nativeId: targets[provider][conversation]!.nativeId, input: { conversationId: targets[provider][conversation]!.id, body: `Exactly once ${idempotencyKey}.`, idempotencyKey } };
        };
        for (const provider of PROVIDERS) w.set.sandbox[provider].resetRequests();
        const history = new Map<number, string[]>();
        const last = new Map<number, Result>();
        const send = async (key: number, replica: number, note: string) => {
          const result = resultOf(await w.call(replica, REPLY, { input: inputOf(key).input }));
          history.set(key, [...(history.get(key) ?? []), `${note} on replica ${replica}: ${result.text}`]);
          last.set(key, result);
          seen.set(result.text, (seen.get(result.text) ?? 0) + 1);
        };

        // Commands chained by `withNext` go out together; a fault waits for the next reply to the key's provider.
        for (let i = 0; i < commands.length; ) {
          const batch = [commands[i]!];
          while (batch.at(-1)!.withNext && i + batch.length < commands.length) batch.push(commands[i + batch.length]!);
          i += batch.length;
          for (const command of batch) {
            if (!command.fault) continue;
            const { provider } = inputOf(command.key);
            const { kind, afterCommit, readBackFails } = command.fault;
            const sim = w.set.sandbox[provider];
            const { aims } = testsOf(provider);
            sim.addFault({ kind, afterCommit, ...(kind === 'error' ? { status: 502 } : {}), ...aims.reply, count: 1 });
            // The read-back that follows fails too: the outcome stays UNCERTAIN until a later call.
            if (readBackFails) sim.addFault({ kind: 'error', status: 503, ...aims.readBack, count: 1 });
          }
          await Promise.all(batch.map((command) => send(command.key, command.replica, command.fault ? faultName(command.fault) : 'call')));
        }

        // A client settles what it does not know: the same key again, past the settle window, until it is known.
        clearAllFaults(w);
        for (let round = 0; round < SETTLE_ROUNDS; round += 1) {
          const open = [...last].filter(([, result]) => !result.settled).map(([key]) => key);
          if (open.length === 0) break;
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 50));
          await Promise.all(open.map((key) => send(key, (round + key) % 2, 'settle')));
        }

        for (const provider of REPLYING) {
          for (const request of w.set.sandbox[provider].requests()) {
            const bit = faultBitten(request, testsOf(provider).aims.readBack.method!);
            if (bit) seen.set(bit, (seen.get(bit) ?? 0) + 1);
            if (bit) bitten.add(`${bit} at ${provider}`);
          }
        }
        const problems: string[] = [];
        for (const [key, result] of last) {
          const { provider, nativeId, input } = inputOf(key);
          const messages = w.messagesWith(provider, nativeId, input.body);
          const applied = history.get(key)!.filter((line) => line.endsWith(': APPLIED')).length;
          if (!result.settled || messages !== 1 || applied > 1) {
            problems.push(`key ${key} (${provider} ${nativeId}): ${messages} message(s), ${applied} APPLIED, last ${result.text}\n    ${history.get(key)!.join('\n    ')}`);
          }
        }
        if (problems.length > 0) throw new Error(`after settling, each key should hold exactly one message:\n  ${problems.join('\n  ')}`);
      },
    );
    await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
    // The runs met every path: lost answers before and after commit, read-backs that failed, repeats.
    expect([...seen.keys()]).toEqual(expect.arrayContaining(['POST failed after commit', 'POST failed before commit', 'read-back failed', 'UNCERTAIN OUTCOME_UNKNOWN', 'ALREADY_APPLIED']));
    // ...at every provider that replies: a reply lost after the provider stored it, and one lost before.
    const everyProvider = REPLYING.flatMap((provider) => [`POST failed after commit at ${provider}`, `POST failed before commit at ${provider}`]);
    expect([...bitten].sort()).toEqual(expect.arrayContaining(everyProvider));
  }, 120_000);

  it.each(SET_REPLACING)('tags added on %s from both processes at the same moment are all kept', async (provider) => {
    const conversation = targets[provider][0]!;
    const sim = w.set.sandbox[provider];
    // A little latency widens the gap between reading the set and writing it back.
    sim.setLatency({ fixedMs: 10, jitterMs: 20 });
    const added: string[] = [];
    const failures: string[] = [];
    try {
      for (let round = 0; round < 8; round += 1) {
        const tags = [0, 1].map((replica) => `lock-${provider}-${process.pid}-${round}-${replica}`);
        added.push(...tags);
        const answers = await Promise.all(
          tags.map((tag, replica) => w.call(replica, TAGS, { input: { conversationId: conversation.id, add: [tag], idempotencyKey: `tags-${tag}` } })),
        );
        for (const answer of answers) {
          const outcome = 'transportError' in answer ? answer.transportError : answer.body.data?.updateConversationTags?.outcome;
          if (outcome !== 'APPLIED') failures.push(JSON.stringify(answer));
        }
      }
    } finally {
      sim.setLatency({ fixedMs: 0, jitterMs: 0 });
    }
    expect(failures).toEqual([]);
    const held = w.tagsAt(provider, conversation.nativeId);
    expect(added.filter((tag) => !held.includes(tag))).toEqual([]);
  }, 60_000);
});

interface Result {
  readonly settled: boolean;
  readonly text: string;
}

const SETTLED = new Set(['APPLIED', 'ALREADY_APPLIED']);
/** What a client may meet and settle by calling again; any other user error is a defect. */
const CALL_AGAIN = new Set(['OUTCOME_UNKNOWN', 'IN_PROGRESS', 'CONVERSATION_BUSY']);

function resultOf(answer: CallResult): Result {
  if ('transportError' in answer) return { settled: false, text: `transport error ${answer.transportError}` };
  const payload = answer.body?.data?.replyToConversation;
  if (!payload) {
    const codes = (answer.body?.errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code);
    return { settled: false, text: `HTTP ${answer.status} errors ${JSON.stringify(codes)}` };
  }
  if (payload.outcome && SETTLED.has(payload.outcome)) return { settled: true, text: payload.outcome };
  const codes: string[] = payload.userErrors.map((error: { code: string }) => error.code);
  if (codes.some((code) => !CALL_AGAIN.has(code))) throw new Error(`a reply met a user error no repeat can settle: ${JSON.stringify(payload)}`);
  return { settled: false, text: `${payload.outcome ?? 'no outcome'} ${codes.join(',')}` };
}

/** Which injected fault a request the simulator recorded met, if any. */
function faultBitten(request: { method: string; status: number | string; committed?: number }, readBackMethod: string): string | null {
  if (request.committed !== undefined) return 'POST failed after commit';
  if (request.method === 'POST' && (request.status === 502 || request.status === 'hang' || request.status === 'reset')) return 'POST failed before commit';
  if (request.method === readBackMethod && request.status === 503) return 'read-back failed';
  return null;
}

const faultName = (fault: { kind: string; afterCommit: boolean; readBackFails: boolean }) =>
  `with ${fault.kind}${fault.afterCommit ? ' after commit' : ' before commit'}${fault.readBackFails ? ' and read-back failing' : ''}`;
