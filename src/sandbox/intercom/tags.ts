import { WireError } from './errors.js';
import { compareDecimal, type TagRecord } from './records.js';
import type { TagWrite } from './write-params.js';

/**
 * `POST /tags` (docs/providers/intercom.md section 10): a name finds the workspace's tag of
 * that name, ignoring case ("Names are case insensitive"), or creates it; with an `id` it
 * renames that tag. `tags` is the workspace's list, changed in place.
 */
export function saveTag(tags: TagRecord[], write: TagWrite): TagRecord {
  const named = tags.find((tag) => tag.name.toLowerCase() === write.name.toLowerCase());
  if (write.id !== undefined) {
    const tag = tags.find((candidate) => candidate.id === write.id);
    if (!tag) throw new WireError(404, 'not_found', 'Resource Not Found');
    // Inferred: a rename onto another tag's name is refused rather than merging the two.
    if (named && named !== tag) throw new WireError(400, 'parameter_invalid', 'a tag with this name already exists');
    tag.name = write.name;
    return tag;
  }
  if (named) return named;
  const created = { id: nextId(tags), name: write.name };
  tags.push(created);
  return created;
}

function nextId(tags: readonly TagRecord[]): string {
  const highest = tags.map((tag) => tag.id).sort(compareDecimal).at(-1);
  return highest === undefined ? '1' : String(BigInt(highest) + 1n);
}
