import { readRows } from '../../http/payload-rows.js';
import type { CallScope } from '../../http/upstream-client.js';
import type { User } from '../../domain/model.js';
import { intercomNativeIds } from './native-ids.js';
import { mapContact } from './mapper.js';
import type { IntercomCalls } from './request.js';
import { contactSchema, idOf } from './schemas.js';
import { z } from 'zod';

/** Ids one contacts search asks for: the search's page maximum. */
const BATCH = 150;

const contactListSchema = z.looseObject({ data: z.array(z.unknown()) });

/**
 * Contacts by id in one `POST /contacts/search` (`id IN [...]`) per 150, not one call each:
 * a page's users cost one call however many conversations it lists (section 8).
 */
export async function getIntercomUsers(calls: IntercomCalls, sourceId: string, ids: readonly string[], scope: CallScope): Promise<Array<User | null>> {
  const wanted = [...new Set(ids.filter((id) => intercomNativeIds.User.test(id)))];
  const found = new Map<string, User>();
  for (let start = 0; start < wanted.length; start += BATCH) {
    const batch = wanted.slice(start, start + BATCH);
    const body = await calls.readCollection(
      {
        endpoint: 'contacts.search',
        path: '/contacts/search',
        method: 'POST',
        body: { json: { query: { field: 'id', operator: 'IN', value: batch }, pagination: { per_page: batch.length } } },
        rows: { path: 'data', max: batch.length },
      },
      contactListSchema,
      scope,
    );
    for (const contact of readRows(body.data, contactSchema, 'data').rows) {
      const id = idOf(contact.id);
      if (id !== null && batch.includes(id)) found.set(id, mapContact(contact, sourceId));
    }
  }
  return ids.map((id) => found.get(id) ?? null);
}
