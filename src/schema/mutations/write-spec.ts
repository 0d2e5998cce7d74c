import type { RequestContext } from '../../gateway/context.js';
import { fingerprintOf } from '../../writes/records.js';
import type { WriteTarget } from '../../writes/access.js';
import { checkIdempotencyKey, type UserError } from '../../writes/input-limits.js';
import type { MutationPlan } from '../../writes/plans.js';
import type { WriteAction } from '../../providers/write-actions.js';
import type { WriteSpec } from '../../writes/run-write.js';
import { ConversationRef } from '../conversation.js';

/** What each mutation file hands the write runner: the parts of a `WriteSpec` that differ per mutation. */
export interface MutationSpec {
  readonly mutation: string;
  readonly conversationKey: string;
  readonly idempotencyKey: string;
  /** The input as it defines the write (no idempotency key): its fingerprint. */
  readonly input: unknown;
  readonly actions: readonly WriteAction[];
  readonly event: WriteAction;
  readonly inputErrors: readonly UserError[];
  build(target: WriteTarget, base: PlanBase): MutationPlan | UserError;
}

export interface PlanBase {
  readonly caller: string;
  readonly idempotencyKey: string;
  readonly fingerprint: string;
  readonly target: WriteTarget;
  readonly scope: RequestContext['scope'];
}

export function writeSpec(context: RequestContext, spec: MutationSpec): WriteSpec {
  const fingerprint = fingerprintOf({ mutation: spec.mutation, conversation: spec.conversationKey, input: spec.input });
  return {
    conversationKey: spec.conversationKey,
    actions: spec.actions,
    event: spec.event,
    inputErrors: [...checkIdempotencyKey(spec.idempotencyKey), ...spec.inputErrors],
    build: (target) =>
      spec.build(target, { caller: context.writeAccess.caller, idempotencyKey: spec.idempotencyKey, fingerprint, target, scope: context.scope }),
    forget: (key) => ConversationRef.getDataloader(context).clear(key),
  };
}
