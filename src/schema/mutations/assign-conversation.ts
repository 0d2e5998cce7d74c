import { builder } from '../builder.js';
import { adminOf, isUserError } from '../../writes/access.js';
import { assigneeMatches, setStylePlan } from '../../writes/plans.js';
import { runWrite, type WritePayload } from '../../writes/run-write.js';
import { AdminRef } from '../admin.js';
import { ConversationRef } from '../conversation.js';
import { writePayloadFields } from './payload.js';
import { writeSpec } from './write-spec.js';

builder.relayMutationField(
  'assignConversation',
  {
    description: 'Assigns a conversation to an admin of its own source, or unassigns it.',
    inputFields: (t) => ({
      conversationId: t.globalID({ required: true, for: [ConversationRef] }),
      adminId: t.globalID({ required: false, for: [AdminRef], description: 'An admin of the conversation\'s source; null unassigns.' }),
      idempotencyKey: t.string({ required: true, description: 'Names this write: the same key again never applies it twice (1-200 printable characters).' }),
    }),
  },
  {
    description: 'Assigns or unassigns a conversation.',
    resolve: (_root, { input }, context): Promise<WritePayload> => {
      const adminKey = input.adminId?.id ?? null;
      const action = adminKey === null ? 'UNASSIGN' : 'ASSIGN';
      return runWrite(
        context,
        writeSpec(context, {
          mutation: 'assignConversation',
          conversationKey: input.conversationId.id,
          idempotencyKey: input.idempotencyKey,
          input: { adminId: adminKey },
          actions: [action],
          event: action,
          inputErrors: [],
          build: (to, base) => {
            const adminId = adminKey === null ? null : adminOf(to, adminKey);
            if (isUserError(adminId)) return adminId;
            return setStylePlan(base, () => to.writer.assign(to.conversationId, adminId, to.actor, base.scope), assigneeMatches(adminId));
          },
        }),
      );
    },
  },
  { name: 'AssignConversationPayload', outputFields: (t) => writePayloadFields(t) },
);
