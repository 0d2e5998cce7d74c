import type { ContactRecord } from './records.js';
import { QueryError } from './search.js';

/**
 * `POST /contacts/search` for what Parley asks of it: contacts by `id`, `email` or
 * `external_id` with `=` or `IN` (docs/providers/intercom.md section 8), one page of up to 150.
 */
const FIELDS: Record<string, (contact: ContactRecord) => string | null> = {
  id: (contact) => contact.id,
  email: (contact) => contact.email,
  external_id: (contact) => contact.external_id,
};

export function searchContacts(contacts: readonly ContactRecord[], body: unknown): { data: ContactRecord[]; total: number } {
  if (body === null || typeof body !== 'object' || !('query' in body)) throw new QueryError('query is required');
  const { query, pagination } = body as { query: unknown; pagination?: { per_page?: unknown } };
  if (query === null || typeof query !== 'object') throw new QueryError('query must be an object');
  const { field, operator, value } = query as Record<string, unknown>;
  const read = typeof field === 'string' ? FIELDS[field] : undefined;
  if (!read) throw new QueryError(`${JSON.stringify(field)} is not a searchable contact field here`);
  const values = operator === 'IN' && Array.isArray(value) ? value.map(String) : operator === '=' && typeof value === 'string' ? [value] : null;
  if (values === null) throw new QueryError('contacts are found here with = (a string) or IN (an array)');
  const perPage = pagination?.per_page === undefined ? 50 : Number(pagination.per_page);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 150) throw new QueryError('per_page must be 1..150');
  const matches = contacts.filter((contact) => values.includes(read(contact) ?? ''));
  return { data: matches.slice(0, perPage), total: matches.length };
}
