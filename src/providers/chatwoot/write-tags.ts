import type { CallScope } from '../../http/upstream-client.js';
import { WriteRefused, type TagChange, type WriteResult } from '../write-contract.js';
import { labelsAnswerSchema } from './schemas.js';
import type { WriterDeps } from './writer-deps.js';

/** acts-as-taggable-on's name column limit. */
const MAX_LABEL_LENGTH = 255;

/**
 * Labels: `POST …/labels` REPLACES the whole set, so the current set is read
 * (`GET …/labels`) and the new one written, while the caller holds the conversation's
 * lock. Chatwoot drops a label repeated in another letter case, so labels compare
 * ignoring case here; an unchanged set sends no write at all.
 */
export async function updateTags(deps: WriterDeps, conversationId: string, change: TagChange, actor: unknown, scope: CallScope): Promise<WriteResult> {
  const who = deps.writes.actorOf(actor);
  for (const tag of change.add) checkLabel(tag);
  const path = `${deps.writes.conversationPath(conversationId)}/labels`;
  const current = (await deps.reads.calls.get({ endpoint: 'conversations.labels', path }, labelsAnswerSchema, scope)).payload;
  const next = nextLabels(current, change);
  if (sameSet(current, next)) return { changed: false, detail: await deps.detailAfter(conversationId, scope) };
  const response = await deps.writes.send(conversationId, { endpoint: 'conversations.set_labels', action: 'labels', json: { labels: next } }, who, scope);
  deps.writes.read('conversations.set_labels', response, labelsAnswerSchema);
  return { changed: true, detail: await deps.detailAfter(conversationId, scope) };
}

/** The set after `change`: removals first, then additions not already there. */
export function nextLabels(current: readonly string[], change: TagChange): string[] {
  const removed = new Set(change.remove.map((tag) => tag.toLowerCase()));
  const next = current.filter((label) => !removed.has(label.toLowerCase()));
  for (const tag of change.add) if (!next.some((label) => label.toLowerCase() === tag.toLowerCase())) next.push(tag);
  return next;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const lower = (labels: readonly string[]) => new Set(labels.map((label) => label.toLowerCase()));
  const left = lower(a);
  const right = lower(b);
  return left.size === right.size && [...left].every((label) => right.has(label));
}

/** Chatwoot splits a label list on commas and strips blanks: such a label would not arrive as written. */
function checkLabel(tag: string): void {
  if (tag.trim() === '' || tag !== tag.trim()) throw new WriteRefused('INVALID_TAG', 'a Chatwoot label cannot be blank or start or end with spaces', 'add');
  if (tag.includes(',')) throw new WriteRefused('INVALID_TAG', 'a Chatwoot label cannot contain a comma', 'add');
  if (tag.length > MAX_LABEL_LENGTH) throw new WriteRefused('INVALID_TAG', `a Chatwoot label has at most ${MAX_LABEL_LENGTH} characters`, 'add');
}
