import type { SourceClient } from '../providers/adapter.js';
import { WRITE_ACTIONS, type WriteAction } from '../providers/write-actions.js';
import type { WriteAccess } from './access.js';

/** What a source can do (its writer's actions, in the catalogue's order), whoever asks. */
export function sourceActions(source: SourceClient | undefined): WriteAction[] {
  const actions = source?.writer?.actions;
  return actions ? WRITE_ACTIONS.filter((action) => actions.has(action)) : [];
}

/** Whether this caller may write in the source: `write` on its key and an identity there. */
export function isWritable(access: WriteAccess, source: SourceClient | undefined): boolean {
  return access.allowed && source?.writer !== undefined && access.actAs.has(source.sourceId);
}
