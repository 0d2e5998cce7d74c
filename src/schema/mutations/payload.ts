import { builder } from '../builder.js';
import { USER_ERROR_CODES } from '../../errors/codes.js';
import type { UserError } from '../../writes/input-limits.js';
import type { WritePayload } from '../../writes/run-write.js';
import { ConversationRef } from '../conversation.js';

/** What every write payload holds: the conversation after the write, the outcome, the user errors. */

export const WriteOutcomeEnum = builder.enumType('WriteOutcome', {
  values: {
    APPLIED: { description: 'This call made the change.' },
    ALREADY_APPLIED: { description: 'The change was already in effect: a repeated `idempotencyKey`, a tag already there, a reply found from an earlier attempt. Nothing was sent twice.' },
    UNCERTAIN: {
      description: 'The source may or may not have applied it (its answer was lost). Call again with the same `idempotencyKey`: Parley reads back first and never sends it twice.',
    },
  } as const,
});

const userErrorValues = Object.fromEntries(Object.keys(USER_ERROR_CODES).map((code) => [code, {}])) as Record<keyof typeof USER_ERROR_CODES, object>;

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', { values: userErrorValues });

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description: 'Something about a mutation the caller can fix or act on (nothing else failed).',
  fields: (t) => ({
    code: t.field({ type: UserErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
    field: t.stringList({ nullable: true, description: 'The path of the input field it is about, e.g. `["add", "0"]`.', resolve: (e) => (e.field ? [...e.field] : null) }),
  }),
});

export const MessageFormatEnum = builder.enumType('MessageFormat', { values: { TEXT: {}, MARKDOWN: {} } as const });

/** The fields every write payload has. */
export function writePayloadFields(t: PothosSchemaTypes.ObjectFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never>, WritePayload>) {
  return {
    conversation: t.field({
      type: ConversationRef,
      nullable: true,
      description: 'The conversation after the write (null when the write was refused before reaching it).',
      resolve: (p) => p.conversation as never,
    }),
    outcome: t.field({ type: WriteOutcomeEnum, nullable: true, description: 'Null when a user error stopped the write.', resolve: (p) => p.outcome }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => [...p.userErrors] }),
  };
}
