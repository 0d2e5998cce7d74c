import { builder } from './builder.js';
import { FILTER_PARTS, filterPartName, type FilterPart } from '../domain/filter.js';
import { CONVERSATION_STATUSES, PART_KINDS, PARTICIPANT_KINDS, type ProviderName } from '../domain/model.js';
import { PROVIDER_DECLARATIONS } from '../providers/catalogue.js';
import { WRITE_ACTIONS } from '../providers/write-actions.js';

const providerValues = Object.fromEntries(PROVIDER_DECLARATIONS.map((provider) => [provider.graphqlName, { value: provider.name }])) as Record<string, { value: ProviderName }>;

export const ProviderEnum = builder.enumType('Provider', { values: providerValues });

export const ConversationStatusEnum = builder.enumType('ConversationStatus', {
  description: "Parley's neutral status; `nativeStatus` keeps the provider's own value.",
  values: CONVERSATION_STATUSES,
});

export const PartKindEnum = builder.enumType('PartKind', { values: PART_KINDS });

export const ParticipantKindEnum = builder.enumType('ParticipantKind', { values: PARTICIPANT_KINDS });

export const SourceStatusEnum = builder.enumType('SourceStatus', {
  values: {
    OK: { description: 'The source answered this page completely.' },
    PARTIAL: { description: 'The source answered, but the page stopped early (upstream page budget); the cursor resumes it.' },
    FAILED: { description: 'The source failed; see `errors` for the code. Re-requesting the same `after` asks it again.' },
    SKIPPED: { description: 'The source cannot answer part of the filter and was not asked.' },
  } as const,
});

const filterPartValues = Object.fromEntries(FILTER_PARTS.map((part) => [filterPartName(part), { value: part }])) as Record<string, { value: FilterPart }>;

export const FilterPartEnum = builder.enumType('FilterPart', { values: filterPartValues });

export const ConversationActionEnum = builder.enumType('ConversationAction', {
  description: 'Something an agent does to a conversation through a mutation.',
  values: WRITE_ACTIONS,
});
