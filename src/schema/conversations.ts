import { builder } from './builder.js';
import { badUserInput } from '../errors/graphql-errors.js';
import type { Conversation } from '../domain/model.js';
import type { MergedEdge } from '../pagination/merge.js';
import { listConversations, MAX_PAGE_SIZE, type ConversationPage, type UnifiedFilter } from '../conversations/planner.js';
import { AdminRef } from './admin.js';
import { ChannelRef } from './channel.js';
import { conversationKey, ConversationRef } from './conversation.js';
import { ConversationStatusEnum } from './enums.js';
import { Edge } from '../pagination/edge.js';
import { primeIncluded } from '../loaders/prime.js';
import { DateTime } from './scalars.js';
import { SourceReportRef } from './source.js';

const MAX_LIST = 50;
const MAX_TEXT = 200;
/** Providers take unix times: a range end outside these is a mistake, not a query. */
const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);

const TimeRangeInput = builder.inputType('TimeRange', {
  fields: (t) => ({
    from: t.field({ type: DateTime, required: false, description: 'Inclusive.' }),
    to: t.field({ type: DateTime, required: false, description: 'Exclusive.' }),
  }),
});

const AssigneeFilter = builder.inputType('AssigneeFilter', {
  description: 'Assigned to any of `ids`, or (with `unassigned: true`) to nobody.',
  fields: (t) => ({
    ids: t.globalIDList({ required: false, for: [AdminRef] }),
    unassigned: t.boolean({ required: false }),
  }),
});

const TagFilter = builder.inputType('TagFilter', {
  description: '`anyOf`: at least one of these tags (or none at all, with `untagged: true`). `allOf`: every one. `untagged` alone: no tags (true) or some tag (false).',
  fields: (t) => ({
    anyOf: t.stringList({ required: false }),
    allOf: t.stringList({ required: false }),
    untagged: t.boolean({ required: false }),
  }),
});

const ChannelFilter = builder.inputType('ChannelFilter', {
  description: 'In any of `ids`, or (with `none: true`) in no channel.',
  fields: (t) => ({
    ids: t.globalIDList({ required: false, for: [ChannelRef] }),
    none: t.boolean({ required: false }),
  }),
});

export const ConversationFilterInput = builder.inputType('ConversationFilter', {
  description: 'Absent parts do not filter; present parts must all hold. With no filter every status is listed.',
  fields: (t) => ({
    sources: t.stringList({ required: false, description: 'Only these source ids.' }),
    status: t.field({ type: [ConversationStatusEnum], required: false, description: 'Any of these statuses.' }),
    closed: t.boolean({ required: false }),
    answered: t.boolean({ required: false, description: 'The last reply came from the team (true) or the customer (false).' }),
    delayed: t.boolean({ required: false, description: 'Snoozed now.' }),
    assignee: t.field({ type: AssigneeFilter, required: false }),
    tags: t.field({ type: TagFilter, required: false }),
    channels: t.field({ type: ChannelFilter, required: false }),
    botManaged: t.boolean({ required: false }),
    search: t.string({ required: false, description: 'Text in the messages (case-insensitive).' }),
    updated: t.field({ type: TimeRangeInput, required: false, description: 'Last activity within this range.' }),
    created: t.field({ type: TimeRangeInput, required: false }),
  }),
});

type FilterArg = typeof ConversationFilterInput.$inferInput;

const ConversationConnection = builder.connectionObject(
  { type: ConversationRef, name: 'ConversationConnection' },
  { name: 'ConversationEdge' },
);

builder.objectFields(ConversationConnection, (t) => ({
  totalCount: t.int({
    nullable: true,
    description: 'Conversations matching the filter across the sources, when every source counts exactly (`sources[].exact`); else null.',
    resolve: (connection) => (connection as unknown as ConversationPage).totalCount,
  }),
  sources: t.field({
    type: [SourceReportRef],
    description: 'One entry per source asked.',
    resolve: (connection) => (connection as unknown as ConversationPage).sources,
  }),
}));

builder.queryField('conversations', (t) =>
  t.field({
    type: ConversationConnection,
    description: 'Conversations of every readable source, merged: last activity first, then source id, then native id.',
    args: {
      filter: t.arg({ type: ConversationFilterInput, required: false }),
      first: t.arg.int({ defaultValue: 20, description: `At most ${MAX_PAGE_SIZE}.` }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, context) => {
      const filter = toUnifiedFilter(args.filter ?? {});
      const page = await listConversations(context, { filter, first: args.first ?? 20, after: args.after ?? null }, (sourceId, included) =>
        primeIncluded(context, sourceId, included),
      );
      const cursorOf = (state: MergedEdge<Conversation>['state']) => context.gateway.cursors.encode(state, page.fingerprint);
      const { conversations } = context.known;
      for (const edge of page.edges) conversations.set(conversationKey(edge.item), edge.item);
      const edges = page.edges.map((edge) => new Edge(edge.item, edge.state, cursorOf));
      return {
        ...page,
        edges,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: page.hasPreviousPage,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: cursorOf(page.endState),
        },
      };
    },
  }),
);

export function toUnifiedFilter(input: FilterArg): UnifiedFilter {
  checkList('sources', input.sources);
  checkList('status', input.status);
  checkList('assignee.ids', input.assignee?.ids);
  checkList('tags.anyOf', input.tags?.anyOf);
  checkList('tags.allOf', input.tags?.allOf);
  checkList('channels.ids', input.channels?.ids);
  for (const tag of [...(input.tags?.anyOf ?? []), ...(input.tags?.allOf ?? [])]) checkText('tags', tag);
  for (const source of input.sources ?? []) checkText('sources', source);
  if (input.search != null) {
    checkText('search', input.search);
    if (input.search.trim() === '') throw badUserInput('`filter.search` must not be blank', { argument: 'filter.search' });
  }
  const range = (name: string, value: FilterArg['updated']) => {
    if (!value) return undefined;
    for (const end of ['from', 'to'] as const) {
      const at = value[end];
      if (at != null && (at < MIN_TIME || at > MAX_TIME)) {
        throw badUserInput(`\`filter.${name}.${end}\` must be between 1970-01-01 and 2100-01-01`, { argument: `filter.${name}.${end}` });
      }
    }
    if (value.from != null && value.to != null && value.from >= value.to) {
      throw badUserInput(`\`filter.${name}.from\` must be before \`filter.${name}.to\``, { argument: `filter.${name}` });
    }
    return { ...(value.from != null ? { from: value.from } : {}), ...(value.to != null ? { to: value.to } : {}) };
  };
  const keys = (ids: Array<{ id: string }> | null | undefined) =>
    ids?.map((g) => {
      const [sourceId, ...rest] = g.id.split(':');
      return { sourceId: sourceId!, nativeId: decodeURIComponent(rest.join(':')) };
    });

  const filter: UnifiedFilter = {};
  if (input.sources != null) filter.sources = [...new Set(input.sources)];
  if (input.status != null) filter.status = [...new Set(input.status)];
  if (input.closed != null) filter.closed = input.closed;
  if (input.answered != null) filter.answered = input.answered;
  if (input.delayed != null) filter.delayed = input.delayed;
  if (input.assignee != null) {
    const adminKeys = keys(input.assignee.ids);
    filter.assignee = { ...(adminKeys ? { adminKeys } : {}), ...(input.assignee.unassigned != null ? { unassigned: input.assignee.unassigned } : {}) };
  }
  if (input.tags != null) {
    filter.tags = {
      ...(input.tags.anyOf != null ? { anyOf: input.tags.anyOf } : {}),
      ...(input.tags.allOf != null ? { allOf: input.tags.allOf } : {}),
      ...(input.tags.untagged != null ? { untagged: input.tags.untagged } : {}),
    };
  }
  if (input.channels != null) {
    const channelKeys = keys(input.channels.ids);
    filter.channels = { ...(channelKeys ? { channelKeys } : {}), ...(input.channels.none != null ? { none: input.channels.none } : {}) };
  }
  if (input.botManaged != null) filter.botManaged = input.botManaged;
  if (input.search != null) filter.search = input.search;
  const updated = range('updated', input.updated);
  if (updated) filter.updated = updated;
  const created = range('created', input.created);
  if (created) filter.created = created;
  return filter;
}

function checkList(name: string, list: readonly unknown[] | null | undefined): void {
  if (list && list.length > MAX_LIST) throw badUserInput(`\`filter.${name}\` holds at most ${MAX_LIST} items`, { argument: `filter.${name}` });
}

function checkText(name: string, text: string): void {
  if (text.length > MAX_TEXT) throw badUserInput(`\`filter.${name}\` values are at most ${MAX_TEXT} characters`, { argument: `filter.${name}` });
}
