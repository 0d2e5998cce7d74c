import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import type { RequestContext } from './context.js';

/** The one SchemaBuilder; the types live in `schema/`, one file each. */
export const builder = new SchemaBuilder<{
  Context: RequestContext;
  DefaultFieldNullability: false;
  Scalars: {
    /** Epoch milliseconds inside, ISO 8601 UTC outside. */
    DateTime: { Input: number; Output: number };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: { description: 'Fetches up to 100 objects by their global ids; unknown or unreadable ids give null.' },
    nodeQueryOptions: { description: 'Fetches any object by its global id; null when it does not exist or is not readable.' },
  },
});

builder.queryType({});
