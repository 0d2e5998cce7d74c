import { builder } from '../builder.js';
import type { StatusTarget } from '../../providers/write-contract.js';
import type { WriteAction } from '../../providers/write-actions.js';
import { checkStatus } from '../../writes/input-limits.js';
import { setStylePlan, statusMatches } from '../../writes/plans.js';
import { runWrite, type WritePayload } from '../../writes/run-write.js';
import { ConversationRef } from '../conversation.js';
import { ConversationStatusEnum } from '../enums.js';
import { DateTime } from '../scalars.js';
import { writePayloadFields } from './payload.js';
import { writeSpec } from './write-spec.js';

const ACTION_OF: Record<StatusTarget['status'], WriteAction> = { OPEN: 'OPEN', PENDING: 'PENDING', SNOOZED: 'SNOOZE', CLOSED: 'CLOSE' };

builder.relayMutationField(
  'setConversationStatus',
  {
    description: 'Opens, closes, sets pending or snoozes a conversation.',
    inputFields: (t) => ({
      conversationId: t.globalID({ required: true, for: [ConversationRef] }),
      status: t.field({ type: ConversationStatusEnum, required: true }),
      until: t.field({ type: DateTime, required: false, description: 'With SNOOZED: until when. Absent: until the customer writes again, where the source allows it.' }),
      idempotencyKey: t.string({ required: true, description: 'Names this write: the same key again never applies it twice (1-200 printable characters).' }),
    }),
  },
  {
    description: 'Sets the status of a conversation.',
    resolve: (_root, { input }, context): Promise<WritePayload> => {
      const target: StatusTarget = input.status === 'SNOOZED' ? { status: 'SNOOZED', until: input.until == null ? null : new Date(input.until) } : { status: input.status };
      return runWrite(
        context,
        writeSpec(context, {
          mutation: 'setConversationStatus',
          conversationKey: input.conversationId.id,
          idempotencyKey: input.idempotencyKey,
          input: { status: input.status, until: input.until ?? null },
          actions: [ACTION_OF[input.status]],
          event: ACTION_OF[input.status],
          inputErrors: checkStatus({ status: input.status, until: input.until }, Date.now()),
          build: (to, base) => setStylePlan(base, () => to.writer.setStatus(to.conversationId, target, to.actor, base.scope), statusMatches(target)),
        }),
      );
    },
  },
  { name: 'SetConversationStatusPayload', outputFields: (t) => writePayloadFields(t) },
);
