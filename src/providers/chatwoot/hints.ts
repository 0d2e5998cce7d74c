import type { ResumeHint } from '../adapter.js';
import { isNumberedHint, type NumberedHint } from '../kit/numbered-pages.js';

/** Where a cursor resumes a Chatwoot source: a list page and the key of the last row consumed (numbered-pages.ts). */
export type ChatwootHint = NumberedHint;

/** Chatwoot's native conversation id: the display id, a decimal number. */
export function isDisplayId(id: string): boolean {
  return /^\d+$/.test(id);
}

export function isChatwootHint(hint: unknown): hint is ChatwootHint & ResumeHint {
  return isNumberedHint(hint, isDisplayId);
}
