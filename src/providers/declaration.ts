import type { z } from 'zod';
import type { WriteAction } from './write-actions.js';

/**
 * What a provider says about itself, without loading its adapter: config validation, the
 * GraphQL `Provider` enum, the secrets list and the CLI read only this. The adapter
 * (`providers/<name>/index.ts`) adds the runtime part.
 */
export interface ProviderDeclaration<Name extends string = string, Schema extends z.ZodObject = z.ZodObject> {
  /** The `provider` value of a source's config, and of `Source.provider`. */
  readonly name: Name;
  /** The product's name as people write it (`Carrot quest`). */
  readonly displayName: string;
  /** The value's name in the GraphQL `Provider` enum. */
  readonly graphqlName: string;
  /** The provider-specific part of a source's config; fields wrapped in `secret()` are credentials. */
  readonly configSchema: Schema;
  /** What one source of this provider is, and what its channels are called (`app`, `inbox`). */
  readonly nouns: { readonly source: string; readonly channel: string };
  /** The indefinite article prose puts before `displayName` ("an Intercom workspace"). @default 'a' */
  readonly article?: 'a' | 'an';
  readonly capabilities: {
    /** Whether a list call reports how many conversations match: feeds `SourcePageReport.atMost`. */
    readonly countsMatches: boolean;
  };
  /**
   * What an agent can do through this provider (`Source.capabilities`), and the identity a
   * write acts as: `apiKeys[].actAs.<sourceId>` is checked against `actAsSchema` at start
   * (fields wrapped in `secret()` are credentials). @default read-only
   */
  readonly writes?: {
    readonly actions: readonly WriteAction[];
    readonly actAsSchema: z.ZodObject;
    /** Forms in which an identity's secrets go upstream other than as written (an HTTP Basic pair): redacted too. @default none */
    readonly encodedSecrets?: (actAs: Readonly<Record<string, unknown>>) => string[];
  };
  /** The provider's published request limit, the default of `sources[].quota`. @default none */
  readonly documentedQuota?: { readonly requests: number; readonly perSeconds: number };
  /**
   * Forms in which Parley sends the secrets upstream other than as written (an HTTP Basic
   * pair): they are redacted like the secrets themselves. @default none
   */
  readonly encodedSecrets?: (config: z.output<Schema>) => string[];
}

/** One source or channel of a provider in prose: `nounPhrase(declaration, declaration.nouns.source)` is "a Carrot quest app". */
export function nounPhrase(declaration: Pick<ProviderDeclaration, 'article' | 'displayName'>, noun: string): string {
  return `${declaration.article ?? 'a'} ${declaration.displayName} ${noun}`;
}

/** Keeps the literal name of a declaration, so the registry can derive the provider names. */
export function defineProvider<const Name extends string, Schema extends z.ZodObject>(
  declaration: ProviderDeclaration<Name, Schema>,
): ProviderDeclaration<Name, Schema> {
  return declaration;
}

interface SecretMeta {
  secret?: boolean;
}

/** Marks a config field as a credential: it is redacted wherever Parley writes text. */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ secret: true }) as T;
}

/** The names of the fields `secret()` marks in a provider's config schema, also under `.optional()` or `.default()`. */
export function secretFields(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isSecret(field as z.ZodType))
    .map(([name]) => name);
}

function isSecret(field: z.ZodType): boolean {
  for (let current: z.ZodType | undefined = field; current; ) {
    if ((current.meta() as SecretMeta | undefined)?.secret === true) return true;
    const def = current.def as { type: string; innerType?: z.ZodType };
    current = ['optional', 'default', 'nullable', 'prefault'].includes(def.type) ? def.innerType : undefined;
  }
  return false;
}
