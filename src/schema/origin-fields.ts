import { redactorFor } from '../auth/secrets.js';
import { builder } from './builder.js';
import type { NodeOrigin } from '../domain/model.js';
import { ProviderEnum } from './enums.js';
import { JSONScalar } from './scalars.js';

/** Fields every node shares: where it lives and the provider's own payload. */
export function originFields<T extends NodeOrigin>(t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never, T>) {
  return {
    source: t.string({ description: 'The id of the source (connected account) this object comes from.', resolve: (o) => o.sourceId }),
    provider: t.field({ type: ProviderEnum, resolve: (o) => o.provider }),
    nativeId: t.string({ description: "The provider's own id, always as a string.", resolve: (o) => o.nativeId }),
    raw: t.field({
      type: JSONScalar,
      nullable: true,
      description: "The provider's payload for this object, for debugging. Resolved only when selected.",
      // Providers may echo credentials (access tokens, pubsub tokens): those never leave Parley.
      resolve: (o, _args, context) => redactorFor(context.gateway.config).raw(o.raw),
    }),
  };
}
