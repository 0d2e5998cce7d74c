import type { SimResponse } from '../kit/simulator-server.js';
import { ok, type Call } from './access.js';
import { replyTooBig, tagAlreadyAssigned, tagNotAssigned } from './errors.js';
import type { CarrotWriteReadings } from './filters.js';
import { bigId } from './json.js';
import { ParamError, readChoice } from './params.js';
import type { ConversationRecord, PartAuthorRef, PartRecord } from './records.js';
import type { CarrotquestStore } from './store.js';

/**
 * The write endpoints (providers-live-and-write.md B.1, B.3; docs.dashly.io
 * webapi/endpoints/conversations/reply, close, assign, tag/post, tag/delete). Parameters
 * arrive as form fields (or the query); every change writes a ConversationPart, which the
 * parts endpoint and `part_last` then show, and answers `{"data":{"id","part_group"}}`.
 * A call that changes nothing answers 200 with empty `data` (assign's doc says so; close
 * is a reading). Mark-read is not simulated: its parameters are not documented.
 */

export type WriteEndpoint = (store: CarrotquestStore, call: Call, conversation: ConversationRecord, readings: CarrotWriteReadings) => SimResponse;

type NewPart = Omit<PartRecord, 'id' | 'conversation' | 'created' | 'atMicros' | 'read'>;

/** `POST /conversations/{id}/reply`: `body`, `from_admin`, `type`, `external_id`, `random_id`, `auto_assign`. */
export const reply: WriteEndpoint = (store, call, conversation, readings) => {
  const from = readActor(store, call.params, false);
  const type = readChoice(call.params, 'type', ['reply_admin', 'note', 'article'] as const, 'reply_admin');
  const body = call.params.get('body') ?? '';
  // Only an attachment may stand without text (the doc); the simulator takes no files.
  if (body === '') throw new ParamError('body: a reply needs text or an attachment');
  if ([...body].length > readings.replyMaxChars) return replyTooBig();
  const randomId = readRandomId(call.params, 'random_id');
  const autoAssign = readAdmin(store, call.params, 'auto_assign');
  const externalId = call.params.get('external_id') || undefined;
  // "This will create 2 messages instead of one": the assignment, then the reply.
  if (autoAssign && autoAssign !== conversation.assigneeId) {
    conversation.assigneeId = autoAssign;
    store.addPart(conversation, systemPart('assigned', from, { assigneeId: autoAssign, randomId: readRandomId(call.params, 'auto_assign_random_id') }));
  }
  const email = conversation.reply_type === 'email';
  const part = store.addPart(conversation, {
    type,
    body,
    from,
    sent_via: email ? 'email_admin' : 'web_panel',
    attachments: [],
    tag: null,
    assigneeId: null,
    ...(externalId === undefined ? {} : { externalId }),
    randomId,
  });
  return created(call, part);
};

/** `POST /conversations/{id}/close`: `from_admin` (required), `random_id`. */
export const close: WriteEndpoint = (store, call, conversation, readings) => {
  const from = readActor(store, call.params, true);
  const randomId = readRandomId(call.params, 'random_id');
  if (conversation.closed && readings.closeWhenClosed === 'no-op') return ok(call, {});
  conversation.closed = true;
  return created(call, store.addPart(conversation, systemPart('closed', from, { randomId })));
};

/** `POST /conversations/{id}/assign`: `admin` (empty: unassign), `from_admin` (required), `random_id`. */
export const assign: WriteEndpoint = (store, call, conversation) => {
  const from = readActor(store, call.params, true);
  const target = readAdmin(store, call.params, 'admin');
  const randomId = readRandomId(call.params, 'random_id');
  // "In case you're getting empty data field in response, assigned admin was not changed."
  if (target === conversation.assigneeId) return ok(call, {});
  conversation.assigneeId = target;
  return created(call, store.addPart(conversation, systemPart('assigned', from, { assigneeId: target, randomId })));
};

/**
 * `POST /conversations/{id}/tag` adds, `DELETE` removes (`tag` of 1 to 255 characters).
 * v2 refuses a tag already there (or missing) with a named 400; v1 (`action=add|delete`)
 * answers 200 with empty data either way.
 */
export function tag(method: 'POST' | 'DELETE'): WriteEndpoint {
  return (store, call, conversation) => {
    const from = readActor(store, call.params, false);
    const name = call.params.get('tag') ?? '';
    if ([...name].length < 1 || [...name].length > 255) throw new ParamError('tag: must be a string from 1 to 255 characters');
    const action = method === 'DELETE' ? 'delete' : readChoice(call.params, 'action', ['add', 'delete'] as const, 'add');
    const randomId = readRandomId(call.params, 'random_id');
    const has = conversation.tags.includes(name);
    if (action === 'add' ? has : !has) {
      if (call.version === 1) return ok(call, {});
      return action === 'add' ? tagAlreadyAssigned() : tagNotAssigned();
    }
    conversation.tags = action === 'add' ? [...conversation.tags, name] : conversation.tags.filter((t) => t !== name);
    const part = store.addPart(conversation, systemPart(action === 'add' ? 'tag_added' : 'tag_deleted', from, { tag: name, randomId }));
    return call.version === 1 ? ok(call, {}) : created(call, part);
  };
}

function created(call: Call, part: PartRecord): SimResponse {
  // Each write makes one part in its own group here.
  return ok(call, { id: bigId(part.id), part_group: bigId(part.id) });
}

function systemPart(type: 'assigned' | 'closed' | 'tag_added' | 'tag_deleted', from: PartAuthorRef, extra: Partial<NewPart>): NewPart {
  return { type, body: '', from, sent_via: null, attachments: [], tag: null, assigneeId: null, ...extra };
}

/**
 * `from_admin`: an admin id of the app or `default_admin`. Absent means the default admin
 * where the doc marks it optional. An id the app does not have is a 400 (inferred).
 */
function readActor(store: CarrotquestStore, params: URLSearchParams, required: boolean): PartAuthorRef {
  const value = params.get('from_admin');
  if (value === null || value === '') {
    if (required) throw new ParamError('from_admin: required');
    return { kind: 'default_admin' };
  }
  if (value === 'default_admin') return { kind: 'default_admin' };
  const id = readAdmin(store, params, 'from_admin');
  return id === null ? { kind: 'default_admin' } : { kind: 'admin', id };
}

/** An admin id parameter; absent or empty is null. An id the app does not have is a 400 (inferred). */
function readAdmin(store: CarrotquestStore, params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  if (value === null || value === '') return null;
  const admin = /^\d{1,20}$/.test(value) ? store.admin(BigInt(value).toString()) : undefined;
  if (!admin) throw new ParamError(`${name}: no such admin in this app`);
  return admin.id;
}

/** A 32-bit number (default 0) echoed to realtime listeners. */
function readRandomId(params: URLSearchParams, name: string): number {
  const value = params.get(name);
  if (value === null || value === '') return 0;
  const n = /^-?\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= -(2 ** 31) && n < 2 ** 32)) throw new ParamError(`${name}: must be a 32-bit integer`);
  return n;
}
