import { builder } from '../builder.js';
import { closeAfterReply, type ReplyPayload } from '../../writes/close-after-reply.js';
import { checkReply } from '../../writes/input-limits.js';
import { replyPlan } from '../../writes/plans.js';
import { runWrite } from '../../writes/run-write.js';
import { ConversationRef } from '../conversation.js';
import { ConversationPartRef } from '../conversation-part.js';
import { MessageFormatEnum, WriteOutcomeEnum, writePayloadFields } from './payload.js';
import { writeSpec } from './write-spec.js';

builder.relayMutationField(
  'replyToConversation',
  {
    description: 'A reply to the customer, or an internal note (`internal: true`).',
    inputFields: (t) => ({
      conversationId: t.globalID({ required: true, for: [ConversationRef] }),
      body: t.string({ required: true, description: 'At most `limits.replyChars` characters (20,000 by default).' }),
      format: t.field({ type: MessageFormatEnum, required: false, defaultValue: 'TEXT' }),
      internal: t.boolean({ required: false, defaultValue: false, description: 'A note only the team sees.' }),
      attachmentUrls: t.stringList({ required: false, description: 'Public https URLs (at most 10), where the source takes attachments by URL.' }),
      close: t.boolean({ required: false, defaultValue: false, description: 'Close the conversation with this reply.' }),
      idempotencyKey: t.string({ required: true, description: 'Names this reply: the same key again never posts it twice (1-200 printable characters).' }),
    }),
  },
  {
    description: 'Replies to a conversation, or adds an internal note, exactly once per `idempotencyKey`.',
    resolve: async (_root, { input }, context): Promise<ReplyPayload> => {
      const internal = input.internal ?? false;
      const closes = input.close ?? false;
      const action = internal ? 'NOTE' : 'REPLY';
      const reply = { body: input.body, format: input.format ?? 'TEXT', internal, attachmentUrls: input.attachmentUrls ?? [], closes };
      const payload = await runWrite(
        context,
        writeSpec(context, {
          mutation: 'replyToConversation',
          conversationKey: input.conversationId.id,
          idempotencyKey: input.idempotencyKey,
          input: reply,
          actions: closes ? [action, 'CLOSE'] : [action],
          event: action,
          inputErrors: checkReply(reply, context.gateway.config.limits.replyChars),
          build: (_to, base) => replyPlan(base, reply),
        }),
      );
      return closes ? closeAfterReply(context, payload) : { ...payload, closeOutcome: null };
    },
  },
  {
    name: 'ReplyToConversationPayload',
    outputFields: (t) => ({
      ...writePayloadFields(t),
      part: t.field({ type: ConversationPartRef, nullable: true, description: 'The message or note the reply created, when the source says which.', resolve: (p) => p.part as never }),
      closeOutcome: t.field({ type: WriteOutcomeEnum, nullable: true, description: 'With `close: true`: how closing the conversation went.', resolve: (p) => p.closeOutcome }),
    }),
  },
);
