import type { UserErrorCode } from '../errors/codes.js';

/**
 * The limits a mutation's input must keep, like a query's: a break is a user error naming
 * the field, and nothing is sent upstream.
 */

export interface UserError {
  readonly code: UserErrorCode;
  readonly message: string;
  /** The path of the field in the mutation's `input`, when the error is about one. */
  readonly field: readonly string[] | null;
}

export const LIMITS = {
  tagChars: 255,
  tagsPerList: 50,
  attachments: 10,
  attachmentUrlChars: 2048,
  idempotencyKeyChars: 200,
} as const;

const PRINTABLE = /^[\x20-\x7e]+$/;

export function invalid(field: string | readonly string[], message: string): UserError {
  return { code: 'INVALID_INPUT', message, field: typeof field === 'string' ? [field] : [...field] };
}

export function checkIdempotencyKey(key: string): UserError[] {
  if (key.length < 1 || key.length > LIMITS.idempotencyKeyChars || !PRINTABLE.test(key) || key.trim() === '') {
    return [invalid('idempotencyKey', `\`idempotencyKey\` is 1-${LIMITS.idempotencyKeyChars} printable ASCII characters, not only spaces`)];
  }
  return [];
}

export function checkReply(input: { body: string; attachmentUrls?: readonly string[] | null | undefined }, maxChars: number): UserError[] {
  const errors: UserError[] = [];
  if (input.body.trim() === '') errors.push(invalid('body', '`body` must not be blank'));
  if (input.body.length > maxChars) errors.push(invalid('body', `\`body\` is at most ${maxChars} characters; got ${input.body.length}`));
  const urls = input.attachmentUrls ?? [];
  if (urls.length > LIMITS.attachments) errors.push(invalid('attachmentUrls', `\`attachmentUrls\` holds at most ${LIMITS.attachments} URLs; got ${urls.length}`));
  urls.forEach((url, index) => {
    if (url.length > LIMITS.attachmentUrlChars || !URL.canParse(url) || new URL(url).protocol !== 'https:') {
      errors.push(invalid(['attachmentUrls', String(index)], `each attachment URL is an https URL of at most ${LIMITS.attachmentUrlChars} characters`));
    }
  });
  return errors;
}

export function checkTags(input: { add?: readonly string[] | null | undefined; remove?: readonly string[] | null | undefined }): UserError[] {
  const errors: UserError[] = [];
  const add = input.add ?? [];
  const remove = input.remove ?? [];
  for (const [name, list] of [['add', add], ['remove', remove]] as const) {
    if (list.length > LIMITS.tagsPerList) errors.push(invalid(name, `\`${name}\` holds at most ${LIMITS.tagsPerList} tags; got ${list.length}`));
    list.forEach((tag, index) => {
      if (tag.length < 1 || tag.length > LIMITS.tagChars || tag.trim() === '') {
        errors.push(invalid([name, String(index)], `a tag is 1-${LIMITS.tagChars} characters, not only spaces`));
      }
    });
  }
  if (add.length === 0 && remove.length === 0) errors.push(invalid('add', 'name at least one tag to `add` or `remove`'));
  const both = add.filter((tag) => remove.includes(tag));
  if (both.length > 0) errors.push(invalid('remove', `a tag cannot be added and removed at once: ${JSON.stringify(both[0]!.slice(0, 60))}`));
  return errors;
}

export function checkStatus(input: { status: string; until?: number | null | undefined }, now: number): UserError[] {
  if (input.until == null) return [];
  if (input.status !== 'SNOOZED') return [invalid('until', '`until` goes with `status: SNOOZED` only')];
  if (input.until <= now) return [invalid('until', '`until` must be in the future')];
  return [];
}
