import { builder } from '../builder.js';
import { readMatches, setStylePlan } from '../../writes/plans.js';
import { runWrite, type WritePayload } from '../../writes/run-write.js';
import { ConversationRef } from '../conversation.js';
import { writePayloadFields } from './payload.js';
import { writeSpec } from './write-spec.js';

builder.relayMutationField(
  'markConversationRead',
  {
    description: 'Marks what the customer wrote as read by the team.',
    inputFields: (t) => ({
      conversationId: t.globalID({ required: true, for: [ConversationRef] }),
      idempotencyKey: t.string({ required: true, description: 'Names this write: the same key again never applies it twice (1-200 printable characters).' }),
    }),
  },
  {
    description: 'Marks a conversation read.',
    resolve: (_root, { input }, context): Promise<WritePayload> =>
      runWrite(
        context,
        writeSpec(context, {
          mutation: 'markConversationRead',
          conversationKey: input.conversationId.id,
          idempotencyKey: input.idempotencyKey,
          input: {},
          actions: ['MARK_READ'],
          event: 'MARK_READ',
          inputErrors: [],
          build: (to, base) => setStylePlan(base, () => to.writer.markRead(to.conversationId, to.actor, base.scope), readMatches()),
        }),
      ),
  },
  { name: 'MarkConversationReadPayload', outputFields: (t) => writePayloadFields(t) },
);
