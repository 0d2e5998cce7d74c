import { pathSegment } from '../../http/path-segment.js';
import type { CallScope } from '../../http/upstream-client.js';
import { WriteRefused, type TagChange, type WriteResult } from '../write-contract.js';
import type { IntercomActor, IntercomConversation } from './schemas.js';
import { idOf, tagSchema } from './schemas.js';
import { refused } from './write-calls.js';
import { currentThread, threadAfter, type WriterDeps } from './writer-deps.js';

/** Intercom publishes no limit on a tag's name: this is Parley's own limit on tag input, checked here too. */
const MAX_TAG_LENGTH = 255;

/**
 * Tags are attached and detached one at a time by id (Intercom's API: one call per tag).
 * The conversation is read first: its tags (names and ids) say what to attach and what to
 * detach, so a tag already there or already gone costs no call and `changed` is exact. Names
 * become ids through the workspace's tag list (cached); a name the workspace lacks is
 * created (`POST /tags` answers the existing tag for a name it has). After any change the
 * conversation is read once more for `detail`, since a tag answer is only the tag.
 */
export async function updateTags(deps: WriterDeps, conversationId: string, change: TagChange, actor: unknown, scope: CallScope): Promise<WriteResult> {
  for (const name of change.add) checkName(name);
  const who = await deps.writes.actor(actor, scope);
  const path = deps.writes.conversationPath(conversationId);
  const before = await currentThread(deps, conversationId, scope);
  // Intercom's tag names ignore case: `VIP` is the tag `vip`.
  const attached = new Map<string, string>();
  for (const tag of (before.detail.conversation.raw as IntercomConversation).tags?.tags ?? []) {
    const id = idOf(tag.id);
    if (tag.name && id !== null) attached.set(tag.name.toLowerCase(), id);
  }
  const toAdd = distinct(change.add).filter((name) => !attached.has(name.toLowerCase()));
  const toRemove = distinct(change.remove).filter((name) => attached.has(name.toLowerCase()));
  let changed = false;
  for (const name of toAdd) {
    await attach(deps, path, name, who, scope);
    changed = true;
  }
  for (const name of toRemove) changed = (await detach(deps, path, attached.get(name.toLowerCase())!, who, scope)) || changed;
  if (!changed) return { changed: false, detail: before.detail };
  return { changed: true, detail: (await threadAfter(deps, conversationId, scope))?.detail ?? null };
}

async function attach(deps: WriterDeps, path: string, name: string, who: IntercomActor, scope: CallScope): Promise<void> {
  const known = idByName(await deps.reads.directory.tagIds.get(scope), name);
  const send = (id: string) =>
    deps.writes.send({ endpoint: 'conversations.tag', method: 'POST', path: `${path}/tags`, body: { json: { id, admin_id: who.adminId } }, answerStatuses: [400, 404] }, scope);
  let answer = await send(known ?? (await createTag(deps, name, scope)));
  // The conversation was just read, so a 404 names the tag: deleted since the list was loaded. Its name gets a fresh id, once.
  if (!answer.ok && answer.status === 404 && known !== undefined) {
    const fresh = await createTag(deps, name, scope);
    if (fresh !== known) answer = await send(fresh);
  }
  if (!answer.ok) throw refused('tag', answer, 'add', answer.status === 400 ? 'INVALID_TAG' : 'REJECTED');
}

/** True when the tag came off; a tag already gone (404 or 200, as Intercom may answer either) changes nothing. */
async function detach(deps: WriterDeps, path: string, tagId: string, who: IntercomActor, scope: CallScope): Promise<boolean> {
  const answer = await deps.writes.send(
    { endpoint: 'conversations.untag', method: 'DELETE', path: `${path}/tags/${pathSegment(tagId)}`, body: { json: { admin_id: who.adminId } }, answerStatuses: [400, 404] },
    scope,
  );
  if (answer.ok) return true;
  if (answer.status === 404) return false;
  throw refused('tag removal', answer, 'remove');
}

/** The id of the workspace's tag with this name, creating it if there is none. */
async function createTag(deps: WriterDeps, name: string, scope: CallScope): Promise<string> {
  const answer = await deps.writes.send({ endpoint: 'tags.create', method: 'POST', path: '/tags', body: { json: { name } }, answerStatuses: [400] }, scope);
  if (!answer.ok) throw refused('tag name', answer, 'add', 'INVALID_TAG');
  const id = idOf(deps.writes.read('tags.create', answer.response, tagSchema).id)!;
  deps.reads.directory.tagIds.learn(name, id);
  return id;
}

/** The names once each, ignoring case (the first spelling kept). */
function distinct(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
}

function idByName(tags: ReadonlyMap<string, string>, name: string): string | undefined {
  const exact = tags.get(name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [candidate, id] of tags) if (candidate.toLowerCase() === lower) return id;
  return undefined;
}

function checkName(name: string): void {
  if (name.trim() === '') throw new WriteRefused('INVALID_TAG', 'an Intercom tag needs a name that is not only spaces', 'add');
  if (name.length > MAX_TAG_LENGTH) throw new WriteRefused('INVALID_TAG', `an Intercom tag name has at most ${MAX_TAG_LENGTH} characters`, 'add');
}
