import { builder } from '../builder.js';
import type { WriteAction } from '../../providers/write-actions.js';
import { withConversationLock } from '../../writes/conversation-lock.js';
import { checkTags } from '../../writes/input-limits.js';
import { setStylePlan, tagsMatch } from '../../writes/plans.js';
import { runWrite, type WritePayload } from '../../writes/run-write.js';
import { ConversationRef } from '../conversation.js';
import { writePayloadFields } from './payload.js';
import { writeSpec } from './write-spec.js';

builder.relayMutationField(
  'updateConversationTags',
  {
    description: 'Adds and removes tags; the other tags stay as they are.',
    inputFields: (t) => ({
      conversationId: t.globalID({ required: true, for: [ConversationRef] }),
      add: t.stringList({ required: false, description: 'Tags to add (at most 50, each 1-255 characters).' }),
      remove: t.stringList({ required: false, description: 'Tags to remove (at most 50, each 1-255 characters).' }),
      idempotencyKey: t.string({ required: true, description: 'Names this write: the same key again never applies it twice (1-200 printable characters).' }),
    }),
  },
  {
    description: 'Adds and removes tags of a conversation.',
    resolve: (_root, { input }, context): Promise<WritePayload> => {
      const change = { add: [...new Set(input.add ?? [])], remove: [...new Set(input.remove ?? [])] };
      const actions: WriteAction[] = [...(change.add.length > 0 ? ['TAG' as const] : []), ...(change.remove.length > 0 ? ['UNTAG' as const] : [])];
      const { lock } = context.gateway.writes;
      return runWrite(
        context,
        writeSpec(context, {
          mutation: 'updateConversationTags',
          conversationKey: input.conversationId.id,
          idempotencyKey: input.idempotencyKey,
          input: { add: [...change.add].sort(), remove: [...change.remove].sort() },
          actions,
          event: actions[0] ?? 'TAG',
          inputErrors: checkTags(input),
          // Whole-set providers read, change and write the set: no other replica may do so meanwhile.
          build: (to, base) =>
            setStylePlan(
              base,
              () => withConversationLock(lock, to.source.sourceId, to.conversationId, () => to.writer.updateTags(to.conversationId, change, to.actor, base.scope)),
              tagsMatch(change),
            ),
        }),
      );
    },
  },
  { name: 'UpdateConversationTagsPayload', outputFields: (t) => writePayloadFields(t) },
);
