import { builder } from './builder.js';
import type { SourceReport } from '../conversations/planner.js';
import type { ProviderName } from '../domain/model.js';
import { displayNameList, PROVIDER_DECLARATIONS } from '../providers/catalogue.js';
import { nounPhrase } from '../providers/declaration.js';
import { ConversationActionEnum, FilterPartEnum, ProviderEnum, SourceStatusEnum } from './enums.js';
import { isWritable, sourceActions } from '../writes/capabilities.js';

export interface SourceShape {
  id: string;
  provider: ProviderName;
}

const sourceKinds = PROVIDER_DECLARATIONS.map((provider) => nounPhrase(provider, provider.nouns.source)).join(', ');
const uncounted = displayNameList(PROVIDER_DECLARATIONS.filter((provider) => !provider.capabilities.countsMatches).map((provider) => provider.displayName));

const SourceCapabilitiesRef = builder.objectRef<SourceShape>('SourceCapabilities').implement({
  description: 'What can be done to conversations of a source.',
  fields: (t) => ({
    actions: t.field({
      type: [ConversationActionEnum],
      description: 'The actions the source can do; any other is `UNSUPPORTED_BY_SOURCE`.',
      resolve: (s, _args, context) => sourceActions(context.gateway.sources.get(s.id)),
    }),
    writable: t.boolean({
      description: 'This API key may write here: it has `write` and an `actAs` identity for the source.',
      resolve: (s, _args, context) => isWritable(context.writeAccess, context.gateway.sources.get(s.id)),
    }),
  }),
});

export const SourceRef = builder.objectRef<SourceShape>('Source').implement({
  description: `One connected provider account (${sourceKinds}).`,
  fields: (t) => ({
    id: t.exposeString('id'),
    provider: t.field({ type: ProviderEnum, resolve: (s) => s.provider }),
    capabilities: t.field({ type: SourceCapabilitiesRef, resolve: (s) => s }),
  }),
});

export const SourceReportRef = builder.objectRef<SourceReport>('SourcePageReport').implement({
  description: 'What one source did for this page: its status, which filter parts it answered, and its upstream cost.',
  fields: (t) => ({
    source: t.string({ resolve: (r) => r.sourceId }),
    status: t.field({ type: SourceStatusEnum, resolve: (r) => r.status }),
    reason: t.exposeString('reason', { nullable: true }),
    errorCode: t.exposeString('errorCode', {
      nullable: true,
      description: 'The `extensions.code` of this source\'s entry in `errors` (`FILTER_UNSUPPORTED` when SKIPPED), else null.',
    }),
    totalCount: t.exposeInt('totalCount', {
      nullable: true,
      description:
        'Conversations of this source matching the whole filter, when its provider counts them exactly: every filter part pushed down and no row re-checked away. Null otherwise, and for a source that made no list call on this page.',
    }),
    exact: t.exposeBoolean('exact', { description: 'True when `totalCount` is the exact number of matches.' }),
    atMost: t.exposeInt('atMost', {
      nullable: true,
      description:
        `An upper bound on the matches: the provider's count for the part of the filter it applied (equal to \`totalCount\` when exact). Null when the provider gives no count${uncounted ? ` (${uncounted})` : ''} or the source was skipped or failed.`,
    }),
    pushedDown: t.field({ type: [FilterPartEnum], description: 'Filter parts the provider applied.', resolve: (r) => r.pushedDown }),
    appliedLocally: t.field({ type: [FilterPartEnum], description: 'Filter parts Parley checked itself.', resolve: (r) => r.appliedLocally }),
    unsupported: t.field({ type: [FilterPartEnum], resolve: (r) => r.unsupported }),
    upstreamCalls: t.exposeInt('upstreamCalls'),
    upstreamMs: t.float({ resolve: (r) => Math.round(r.upstreamMs * 10) / 10 }),
  }),
});

builder.queryField('sources', (t) =>
  t.field({
    type: [SourceRef],
    description: 'The sources this caller may read.',
    resolve: (_root, _args, context) =>
      [...context.gateway.config.sources]
        .filter((s) => context.allowedSources.has(s.id))
        .map((s) => ({ id: s.id, provider: s.provider })),
  }),
);
