import { z } from 'zod';

/** How mutations settle an uncertain outcome (src/writes/coordinator.ts). */
export const writesSchema = z
  .object({
    /**
     * After an uncertain write, how long the provider may still be holding it: a call
     * again with the same `idempotencyKey` sends once more only when the read-back has
     * not found it and the last attempt is older than this. @default 30000
     */
    settleMs: z.number().int().min(1).max(3_600_000).default(30_000),
  })
  .prefault({});
