import { z } from 'zod';
import { secret } from '../declaration.js';
import { looseNumber } from '../kit/wire.js';

/**
 * What Parley reads from Carrot quest payloads (providers.md section 1). Objects are loose:
 * fields Parley does not read pass through untouched into `raw`.
 */

const DECIMAL = /^[0-9]+$/;

/** A source's Carrot quest settings, besides the `id` and `provider` the gateway reads. */
export const configSchema = z.strictObject({
  /** `https://api.carrotquest.io`, or `https://api.dashly.app` for Dashly. */
  baseUrl: z
    .url({ protocol: /^https?$/, abort: true })
    // A `/v1` prefix selects the deprecated v1 pagination, which skips rows sharing a timestamp.
    .refine((url) => !/\/v1\/?$/.test(new URL(url).pathname), 'baseUrl must not end in /v1: Parley uses the v2 API'),
  /** The numeric app id, or `$self_app` for the token's own app. */
  appId: z.string().regex(/^([0-9]+|\$self_app)$/, 'appId must be the numeric app id or "$self_app"'),
  token: secret(z.string().min(1, 'token must not be empty')),
  /**
   * The Realtime Services host Parley holds a WebSocket to for live events
   * (developers.carrotquest.io/rts).
   * @default the documented host of `baseUrl`'s service (`wss://realtime-services.carrotquest.io`
   * or `wss://realtime-services.dashly.app`); for any other `baseUrl`, none: the sweep alone
   */
  realtimeUrl: z.url({ protocol: /^wss?$/, abort: true }).optional(),
});
export type CarrotQuestConfig = z.infer<typeof configSchema>;

/**
 * Carrot quest primary keys are 64-bit. Parley always sends `id_as_string=true`, and a bare
 * 64-bit number that still arrives is read as its exact decimal string (src/http/json.ts);
 * a bare number is kept only while it is exact (`int()` accepts safe integers only).
 * Ids stay as sent (payloads are checked, never rebuilt: src/http/payload-schema.ts);
 * the mapper reads them through `carrotId`.
 */
export const idSchema = z.union([z.string().regex(DECIMAL), z.number().int().nonnegative()]);
export type CarrotId = z.infer<typeof idSchema>;

/** The id of a nested object: absent, null or "" when there is no such object (`"user": {}`). */
const nestedId = z.union([idSchema, z.literal('')]).nullish();

/** The decimal string form Parley keeps of a Carrot quest id, whichever form it arrived in. */
export function carrotId(id: CarrotId): string {
  return typeof id === 'string' ? id : String(id);
}

/** Unix seconds (possibly fractional), a numeric string, or an ISO string; 0 means never. */
export const timeSchema = z.union([z.number(), z.string()]).nullish();

export const adminSchema = z.looseObject({
  /** Absent on `default_admin`. */
  id: nestedId,
  name: z.string().nullish(),
  avatar: z.string().nullish(),
  type: z.string().nullish(),
  email: z.string().nullish(),
});

/** developers.carrotquest.io/objects/attachment */
export const attachmentSchema = z.looseObject({
  url: z.string().nullish(),
  filename: z.string().nullish(),
  mime_type: z.string().nullish(),
  size: looseNumber,
});

export const partSchema = z.looseObject({
  id: idSchema,
  created: timeSchema,
  conversation: idSchema.nullish(),
  type: z.string().nullish(),
  body: z.string().nullish(),
  /** A user id for user replies, an Admin object for admin replies. */
  from: z.union([idSchema, adminSchema]).nullish(),
  /** Absent when there are none. */
  attachments: z.array(attachmentSchema).nullish(),
});

export const userSchema = z.looseObject({
  id: idSchema,
  /** The customer's own id for the user (providers.md: "your own string ID"). */
  user_id: z.union([z.string(), z.number()]).nullish(),
  props: z.record(z.string(), z.unknown()).nullish(),
});

export const channelSchema = z.looseObject({
  id: idSchema,
  name: z.string().nullish(),
  type: z.string().nullish(),
  operators: z.array(adminSchema).nullish(),
});

export const conversationSchema = z.looseObject({
  id: idSchema,
  created: timeSchema,
  /** The keyset order key: kept as received so a position built from it round-trips. */
  last_update: z.number().nonnegative(),
  closed: z.boolean().nullish(),
  delayed_until: timeSchema,
  type: z.string().nullish(),
  reply_last_type: z.string().nullish(),
  parts_count: looseNumber,
  admin_unread_count: looseNumber,
  unread_parts_count: looseNumber,
  important: z.boolean().nullish(),
  last_user_reply_time: timeSchema,
  tags: z.array(z.string()).nullish(),
  assistant_type: z.string().nullish(),
  assignee: adminSchema.nullish(),
  last_admin: adminSchema.nullish(),
  user: userSchema.extend({ id: nestedId }).nullish(),
  channel: channelSchema.extend({ id: nestedId }).nullish(),
  part_last: partSchema.extend({ id: nestedId }).nullish(),
  reply_last: partSchema.extend({ id: nestedId }).nullish(),
});

/** A v2 keyset position for conversations: `[last_update, id]`. */
export const conversationPositionSchema = z.tuple([z.number().nonnegative(), idSchema]);
/**
 * Where the list resumes after `rows` (`paginate_direction=before`): the last row's own
 * `[last_update, id]`, read from the row even when the rest of it was unreadable, so the
 * walk neither re-reads nor skips it. Not `meta.next_before_position`, whose id Carrot quest
 * sends bare in its own example although `id_as_string` quotes only primary keys.
 */
export function rowPosition(rows: readonly unknown[]): readonly [number, string] | null {
  for (let index = rows.length - 1; index >= 0; index -= 1) {
    const row = rows[index];
    if (typeof row !== 'object' || row === null) continue;
    const { last_update: lastUpdate, id } = row as Record<string, unknown>;
    const position = conversationPositionSchema.safeParse([lastUpdate, id]);
    if (position.success) return [position.data[0], carrotId(position.data[1])];
  }
  return null;
}

/** A v2 keyset position for parts: `[part id]`. */
export const partPositionSchema = z.tuple([idSchema]);

/**
 * Carrot quest answers every call as `{meta, data}` and names errors in `meta` (the docs:
 * "always check meta.status"), so an error reported with HTTP 200 still fails the call.
 */
const metaShape = {
  status: z.number().optional(),
  error: z.string().nullish(),
  error_message: z.string().nullish(),
};

function isSuccessMeta(meta: { status?: number | undefined; error?: string | null | undefined }): boolean {
  if (meta.error) return false;
  return meta.status === undefined || (meta.status >= 200 && meta.status < 300);
}

const REPORTED_ERROR = 'the provider reported an error in meta';

// Loose at the top too: a strict object would make zod rebuild the whole payload to drop unknown keys.
export const listResponseSchema = z.looseObject({
  meta: z
    // Only whether there is a next position is read (see `rowPosition`).
    .looseObject({ ...metaShape, next_before_position: z.array(z.union([z.number(), z.string()])).nullish() })
    .refine(isSuccessMeta, REPORTED_ERROR),
  /** Rows are read one by one (`readRows`): one odd conversation must not fail the page. */
  data: z.array(z.unknown()),
});

export const conversationResponseSchema = z.looseObject({ meta: z.looseObject(metaShape).refine(isSuccessMeta, REPORTED_ERROR), data: conversationSchema });

export const partsResponseSchema = z.looseObject({
  meta: z.looseObject({ ...metaShape, next_after_position: partPositionSchema.nullish() }).refine(isSuccessMeta, REPORTED_ERROR),
  data: z.array(partSchema),
});

export const userResponseSchema = z.looseObject({ meta: z.looseObject(metaShape).refine(isSuccessMeta, REPORTED_ERROR), data: userSchema });

export const channelsResponseSchema = z.looseObject({ meta: z.looseObject(metaShape).refine(isSuccessMeta, REPORTED_ERROR), data: z.array(channelSchema) });

export type CarrotAdmin = z.infer<typeof adminSchema>;
export type CarrotAttachment = z.infer<typeof attachmentSchema>;
export type CarrotPart = z.infer<typeof partSchema>;
export type CarrotUser = z.infer<typeof userSchema>;
export type CarrotChannel = z.infer<typeof channelSchema>;
export type CarrotConversation = z.infer<typeof conversationSchema>;
export type ConversationPosition = z.infer<typeof conversationPositionSchema>;

/**
 * The Carrot quest identity a write acts as (`apiKeys[].actAs.<sourceId>`): the admin sent
 * as `from_admin`, an admin id of the app or `default_admin` (the app's default admin).
 */
export const actAsSchema = z.strictObject({
  adminId: z.string().regex(/^([0-9]{1,20}|default_admin)$/, 'adminId must be an admin id of the app or "default_admin"'),
});
export type CarrotActor = z.infer<typeof actAsSchema>;

/**
 * A write's answer: `data` holds the new part (`id`, `part_group`), or is empty when
 * nothing changed (assign's doc: "assigned admin was not changed").
 */
export const writeResponseSchema = z.looseObject({
  meta: z.looseObject(metaShape).refine(isSuccessMeta, REPORTED_ERROR),
  data: z.union([z.looseObject({ id: idSchema, part_group: idSchema.nullish() }), z.looseObject({}), z.array(z.never()), z.null()]),
});

/** A part with the write markers it may carry (whether the parts endpoint returns them is a reading). */
export const markedPartSchema = partSchema.extend({
  external_id: z.string().nullish(),
  random_id: z.union([z.number(), z.string()]).nullish(),
});
export type CarrotMarkedPart = z.infer<typeof markedPartSchema>;

export const markedPartsResponseSchema = z.looseObject({
  meta: z.looseObject({ ...metaShape, next_before_position: partPositionSchema.nullish() }).refine(isSuccessMeta, REPORTED_ERROR),
  data: z.array(markedPartSchema),
});
