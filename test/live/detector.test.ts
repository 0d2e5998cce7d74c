import { describe, expect, it } from 'vitest';
import type { Conversation, ConversationPart } from '../../src/domain/model.js';
import type { SourceClient } from '../../src/providers/adapter.js';
import { createDetector } from '../../src/live/detector.js';
import { createEventLog } from '../../src/live/event-log.js';
import { createWatermarks } from '../../src/live/watermarks.js';
import { createMemoryEventStreams } from '../../src/shared-state/event-stream.js';
import { createMemoryKeyValueStore } from '../../src/shared-state/kv-store.js';
import { createMemoryLeaseLocks } from '../../src/shared-state/lease-lock.js';
import { createLogger } from '../../src/ops/log.js';

/** A source of one conversation that the test edits; every read is recorded. */
function fakeSource() {
  const conversation: Conversation = {
    sourceId: 's1', provider: 'chatwoot', nativeId: 'c1', raw: null, subject: null, status: 'OPEN', nativeStatus: 'open', closed: false,
    createdAt: 1_000, lastUpdateMicros: 1_000_000, lastUserReplyAt: null, delayedUntil: null, tags: ['a'], important: null, answered: null,
    lastReplyFrom: null, channelKind: null, priority: null, partsCount: null, unreadCount: 2, botManaged: false, assigneeId: null,
    lastAdminId: null, userId: null, channelId: null, lastPart: null, lastReply: null, url: null,
  };
  const parts: ConversationPart[] = [];
  const reads: string[] = [];
  const source = {
    sourceId: 's1',
    provider: 'chatwoot',
    pageSizes: { conversations: 25, parts: 2 },
    async getConversations(ids: readonly string[]) {
      reads.push(`get ${ids.join(',')}`);
      return ids.map(() => ({ conversation: structuredClone(conversation), included: { users: [], admins: [], channels: [], parts: [] } }));
    },
    async listParts(request: { afterPartId: string | null; first: number }) {
      reads.push(`parts after ${request.afterPartId}`);
      const start = request.afterPartId === null ? 0 : parts.findIndex((p) => p.nativeId === request.afterPartId) + 1;
      const page = parts.slice(start, start + request.first);
      return { parts: page, hasNextPage: start + request.first < parts.length, totalCount: parts.length, included: { users: [], admins: [], channels: [], parts: [] } };
    },
  } as unknown as SourceClient;
  let clock = 5_000;
  const touch = () => (conversation.lastUpdateMicros = (clock += 1000) * 1000);
  const addPart = (body: string) => {
    parts.push({ sourceId: 's1', provider: 'chatwoot', nativeId: `p${parts.length + 1}`, raw: null, conversationId: 'c1', createdAt: clock + 1, kind: 'USER_REPLY', nativeType: 'incoming', body, internal: false, author: null, attachments: [] });
    touch();
  };
  return { source, conversation, parts, reads, touch, addPart };
}

function setup() {
  const fake = fakeSource();
  const log = createEventLog(createMemoryEventStreams(), 1000);
  const keyValues = createMemoryKeyValueStore();
  // Detection began at 2 s: the conversation (created at 1 s) is older.
  const watermarks = createWatermarks(keyValues, () => 2_000);
  const detector = createDetector({
    sources: new Map([['s1', fake.source]]), keyValues, locks: createMemoryLeaseLocks(), log, watermarks, holder: 'r1', logger: createLogger({ level: 'silent' }),
  });
  const detect = (origin: 'webhook' | 'sweep' = 'webhook', version?: number) =>
    detector.detect({ sourceId: 's1', hint: { conversationId: 'c1', ...(version !== undefined ? { version } : {}) }, origin });
  const kinds = async () => (await log.read(null, 100)).map((e) => (e.part ? `${e.kind} ${e.part.body}` : e.kind));
  return { ...fake, log, detect, kinds };
}

describe('the change detector', () => {
  it('emits one event per difference, each kind, parts oldest first', async () => {
    const t = setup();
    await t.detect(); // first sight: the snapshot, no news (nothing after the watermark... except its lastUpdate)
    const before = (await t.kinds()).length;
    t.conversation.status = 'CLOSED';
    t.conversation.assigneeId = 'admin-7';
    t.conversation.tags = ['b', 'a'];
    t.conversation.unreadCount = 0;
    t.addPart('one');
    t.addPart('two');
    t.addPart('three');
    await t.detect();
    expect((await t.kinds()).slice(before)).toEqual(['STATUS_CHANGED', 'ASSIGNED', 'TAGS_CHANGED', 'PART_ADDED one', 'PART_ADDED two', 'PART_ADDED three', 'READ']);
  });

  it('an update nothing else explains is CONVERSATION_UPDATED', async () => {
    const t = setup();
    await t.detect();
    const before = (await t.kinds()).length;
    t.touch();
    await t.detect();
    expect((await t.kinds()).slice(before)).toEqual(['CONVERSATION_UPDATED']);
  });

  it('a conversation created after detection began is CONVERSATION_CREATED, with its parts', async () => {
    const t = setup();
    t.conversation.createdAt = 3_000;
    t.addPart('hi');
    await t.detect();
    expect(await t.kinds()).toEqual(['CONVERSATION_CREATED', 'PART_ADDED hi']);
  });

  it('the same change hinted by a webhook and then by the sweep makes one event', async () => {
    const t = setup();
    await t.detect();
    const before = (await t.kinds()).length;
    t.addPart('once');
    await t.detect('webhook');
    await t.detect('sweep');
    await t.detect('webhook');
    expect((await t.kinds()).slice(before)).toEqual(['PART_ADDED once']);
  });

  it('a hint older than the snapshot is dropped without reading the source', async () => {
    const t = setup();
    t.addPart('x');
    await t.detect();
    t.reads.length = 0;
    await t.detect('webhook', 1_000);
    expect(t.reads).toEqual([]);
  });

  it('two parts added between two reads are two events; a status flipped and back is none', async () => {
    const t = setup();
    await t.detect();
    const before = (await t.kinds()).length;
    t.conversation.status = 'CLOSED';
    t.addPart('first');
    t.conversation.status = 'OPEN';
    t.addPart('second');
    await t.detect();
    expect((await t.kinds()).slice(before)).toEqual(['PART_ADDED first', 'PART_ADDED second']);
  });
});

describe('a provider that keeps whole seconds', () => {
  function sameSecondSetup() {
    const fake = fakeSource();
    const log = createEventLog(createMemoryEventStreams(), 1000);
    const keyValues = createMemoryKeyValueStore();
    let now = 0;
    const detector = createDetector({
      sources: new Map([['s1', fake.source]]), keyValues, locks: createMemoryLeaseLocks(), log, watermarks: createWatermarks(keyValues, () => 2_000),
      holder: 'r1', logger: createLogger({ level: 'silent' }), now: () => now,
    });
    const detect = (origin: 'webhook' | 'sweep') => detector.detect({ sourceId: 's1', hint: { conversationId: 'c1' }, origin });
    const parts = async () => (await log.read(null, 100)).filter((e) => e.part).map((e) => e.part!.body);
    return { ...fake, detect, parts, at: (ms: number) => (now = ms) };
  }

  it('finds a part added in the same second as the previous read, though lastUpdate did not move', async () => {
    const t = sameSecondSetup();
    t.addPart('first');
    t.at(t.conversation.lastUpdateMicros / 1000 + 200); // read 0.2 s into the second the part was stamped with
    await t.detect('webhook');
    // Another part in the same second: the provider stamps the same whole second.
    const stamp = t.conversation.lastUpdateMicros;
    t.addPart('second');
    t.conversation.lastUpdateMicros = stamp;
    t.at(stamp / 1000 + 1500);
    await t.detect('sweep');
    expect(await t.parts()).toEqual(['first', 'second']);
  });

  it('stops re-reading parts once a read came a full second after the last update', async () => {
    const t = sameSecondSetup();
    t.addPart('only');
    t.at(t.conversation.lastUpdateMicros / 1000 + 2000);
    await t.detect('webhook');
    t.reads.length = 0;
    await t.detect('sweep');
    expect(t.reads).toEqual(['get c1']);
  });
});
