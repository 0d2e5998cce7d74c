import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import './sync-global-id.js';
import type { RequestContext } from '../gateway/context.js';
import { badUserInput } from '../errors/graphql-errors.js';

/** `nodes(ids)` answers at most this many ids, like `first` at most this many edges. */
const MAX_NODES = 100;
/** Parley's own ids are far shorter; a longer one is not worth decoding. */
const MAX_GLOBAL_ID = 512;

/** Every global id argument passes here: a malformed one is the client's input error, never echoed whole. */
function decodeClientGlobalId(globalID: string) {
  if (globalID.length > MAX_GLOBAL_ID) throw badUserInput(`a global id is at most ${MAX_GLOBAL_ID} characters`);
  let decoded: ReturnType<typeof decodeGlobalID> | undefined;
  try {
    decoded = decodeGlobalID(globalID);
  } catch {
    // reported below
  }
  // An id naming a type Parley cannot load by id was not issued by Parley.
  if (!decoded || !isLoadableType(decoded.typename)) throw badUserInput(`invalid global id ${JSON.stringify(globalID.slice(0, 64))}`);
  return decoded;
}

const LOADERS = ['loadMany', 'loadOne', 'loadManyWithoutCache', 'loadWithoutCache'];

function isLoadableType(typename: string): boolean {
  try {
    const options = builder.configStore.getTypeConfig(typename, 'Object').pothosOptions as Record<string, unknown>;
    return LOADERS.some((name) => typeof options[name] === 'function');
  } catch {
    return false;
  }
}

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
    decodeGlobalID: decodeClientGlobalId,
    nodesQueryOptions: {
      description: 'Fetches up to 100 objects by their global ids; unknown or unreadable ids give null.',
      resolve: (_root, args, _context, _info, resolveNodes) => {
        if (args.ids.length > MAX_NODES) throw badUserInput(`\`ids\` holds at most ${MAX_NODES} ids; got ${args.ids.length}`, { argument: 'ids' });
        return resolveNodes(args.ids);
      },
    },
    nodeQueryOptions: { description: 'Fetches any object by its global id; null when it does not exist or is not readable.' },
  },
});

builder.queryType({});
builder.mutationType({ description: 'Writes to conversations: each applied at most once per `idempotencyKey`.' });
