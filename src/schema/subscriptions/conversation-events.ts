import { builder } from '../builder.js';
import { badUserInput } from '../../errors/graphql-errors.js';
import { filterForSource, type UnifiedFilter } from '../../conversations/planner.js';
import { matchesParts } from '../../domain/filter-match.js';
import { presentParts, type SourceFilter } from '../../domain/filter.js';
import type { RequestContext } from '../../gateway/context.js';
import { isCursor } from '../../live/event-log.js';
import type { StreamItem } from '../../live/event-stream.js';
import { EVENT_KINDS, type LoggedEvent } from '../../live/events.js';
import { liveOf } from '../../live/live-service.js';
import { ConversationRef } from '../conversation.js';
import { ConversationPartRef } from '../conversation-part.js';
import { ConversationFilterInput, toUnifiedFilter } from '../conversations.js';
import { DateTime } from '../scalars.js';
import { renewForEvent } from './event-context.js';

export const ConversationEventKindEnum = builder.enumType('ConversationEventKind', {
  description: 'What changed. `RESYNC_REQUIRED`: events were missed (a `since` older than the log keeps); refetch `conversations` and go on from this event.',
  values: [...EVENT_KINDS, 'RESYNC_REQUIRED'] as const,
});

export const ConversationEventRef = builder.objectRef<StreamItem>('ConversationEvent').implement({
  description: 'One change of one conversation, in order per conversation; `cursor` resumes the subscription after it (`since`).',
  fields: (t) => ({
    id: t.id({ resolve: (item) => `ConversationEvent:${item.cursor}` }),
    cursor: t.exposeString('cursor', { description: 'Pass as `since` to receive what came after this event.' }),
    kind: t.field({ type: ConversationEventKindEnum, resolve: (item) => item.kind }),
    occurredAt: t.field({ type: DateTime, resolve: (item) => item.occurredAt }),
    conversation: t.field({
      type: ConversationRef,
      nullable: true,
      description: 'The conversation as it was read when the change was found; null for `RESYNC_REQUIRED`.',
      resolve: (item) => (item.kind === 'RESYNC_REQUIRED' ? null : item.conversation),
    }),
    part: t.field({
      type: ConversationPartRef,
      nullable: true,
      description: 'The new part, for `PART_ADDED`.',
      resolve: (item) => (item.kind === 'RESYNC_REQUIRED' ? null : item.part),
    }),
  }),
});

builder.subscriptionType({});

builder.subscriptionField('conversationEvents', (t) =>
  t.field({
    type: ConversationEventRef,
    description:
      'Changes of the conversations this key may read that match `filter` (evaluated on the changed conversation, as the connection does). `since`: an event cursor to resume after.',
    args: {
      filter: t.arg({ type: ConversationFilterInput, required: false }),
      since: t.arg.string({ required: false }),
    },
    subscribe: (_root, args, context) => {
      const filter = toUnifiedFilter(args.filter ?? {});
      const accept = createAccept(context, filter);
      if (args.since != null && !isCursor(args.since)) throw badUserInput('`since` is not an event cursor', { argument: 'since' });
      return liveOf(context.gateway).subscribe({ caller: context.caller, since: args.since ?? null, accept });
    },
    resolve: (item, _args, context) => {
      renewForEvent(context, item);
      return item;
    },
  }),
);

/** The per-event check: a source this key reads (asked again per event), and the filter. */
function createAccept(context: RequestContext, filter: UnifiedFilter): (event: LoggedEvent) => boolean {
  if (filter.search !== undefined) {
    throw badUserInput('`filter.search` needs message bodies an event does not carry; subscriptions cannot filter by it', { argument: 'filter.search' });
  }
  for (const id of filter.sources ?? []) {
    if (!context.allowedSources.has(id) || !context.gateway.sources.has(id)) throw badUserInput(`unknown source "${id}"`, { argument: 'filter.sources' });
  }
  const perSource = new Map<string, { filter: SourceFilter; parts: ReturnType<typeof presentParts> }>();
  return (event) => {
    if (!context.allowedSources.has(event.sourceId)) return false;
    if (filter.sources && !filter.sources.includes(event.sourceId)) return false;
    let own = perSource.get(event.sourceId);
    if (!own) {
      const sourceFilter = filterForSource(filter, event.sourceId);
      own = { filter: sourceFilter, parts: presentParts(sourceFilter) };
      perSource.set(event.sourceId, own);
    }
    return matchesParts(event.conversation, own.filter, own.parts);
  };
}
