/**
 * How the simulator reads what Intercom's documentation leaves open (docs/providers/intercom.md
 * section 11). Each default is the reading the notes settle on; tests switch them to prove
 * Parley holds up under the others.
 */
export interface IntercomReadings {
  /**
   * Search comparisons on dates: `inclusive` (`>`/`<` match equal values, as the operator
   * table's "Greater (or equal) than" says), `strict`, or `day` (values cut to the UTC day,
   * as the contacts search documents for itself).
   */
  timestampMatch: 'inclusive' | 'strict' | 'day';
  /** What `admin_assignee_id` holds when no admin is assigned: null (the model's words) or 0 (the list example). */
  unassignedAdminId: null | 0;
  /** `starting_after` names a position (`keyset`: stable under change) or an offset into the result (`offset`). */
  cursor: 'keyset' | 'offset';
  /** Whether a 429 also carries `Retry-After` next to the documented `X-RateLimit-Reset`. */
  retryAfterHeader: boolean;
  /** Whether a new part marks the conversation unread (`read: false`) when a contact writes. */
  contactReplyMarksUnread: boolean;
  /**
   * An `admin_id` or `assignee_id` the workspace does not know: 404 `not_found`, 400
   * `parameter_invalid`, or 404 `admin_not_found` (the code the away-mode endpoint shows).
   */
  unknownAdmin: 'not_found' | 'parameter_invalid' | 'admin_not_found';
  /** How a reply's `body` is stored: plain text as HTML paragraphs (escaped), or exactly as sent. */
  replyBody: 'paragraphs' | 'as-sent';
  /** Whether an admin's comment reopens a closed or snoozed conversation (a note never does). */
  adminReplyReopens: boolean;
  /** Setting the state or assignee a conversation already has: another part (`adds-part`) or nothing at all (`unchanged`). */
  repeatState: 'adds-part' | 'unchanged';
  /** Detaching a tag the conversation does not carry: 404 `tag_not_found`, or 200 with the tag. */
  untagAbsent: 'tag_not_found' | 'ok';
  /** Whether attaching or detaching a tag moves `updated_at`. */
  tagsBumpUpdatedAt: boolean;
  /** Whether `PUT /conversations/{id}` with `read` moves `updated_at`. */
  readBumpsUpdatedAt: boolean;
}

export const DEFAULT_READINGS: IntercomReadings = {
  timestampMatch: 'inclusive',
  unassignedAdminId: null,
  cursor: 'keyset',
  retryAfterHeader: false,
  contactReplyMarksUnread: true,
  unknownAdmin: 'not_found',
  replyBody: 'paragraphs',
  adminReplyReopens: false,
  repeatState: 'adds-part',
  untagAbsent: 'tag_not_found',
  tagsBumpUpdatedAt: true,
  readBumpsUpdatedAt: false,
};

/** Checks a readings change sent to the control API; unknown keys and values are refused. */
export function readingsChange(body: unknown): Partial<IntercomReadings> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('the body must be a JSON object');
  const allowed: Record<keyof IntercomReadings, readonly unknown[]> = {
    timestampMatch: ['inclusive', 'strict', 'day'],
    unassignedAdminId: [null, 0],
    cursor: ['keyset', 'offset'],
    retryAfterHeader: [true, false],
    contactReplyMarksUnread: [true, false],
    unknownAdmin: ['not_found', 'parameter_invalid', 'admin_not_found'],
    replyBody: ['paragraphs', 'as-sent'],
    adminReplyReopens: [false, true],
    repeatState: ['adds-part', 'unchanged'],
    untagAbsent: ['tag_not_found', 'ok'],
    tagsBumpUpdatedAt: [true, false],
    readBumpsUpdatedAt: [false, true],
  };
  for (const [key, value] of Object.entries(body)) {
    const values = allowed[key as keyof IntercomReadings];
    if (!values) throw new Error(`unknown reading ${key}`);
    if (!values.includes(value)) throw new Error(`reading ${key} must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return body as Partial<IntercomReadings>;
}
