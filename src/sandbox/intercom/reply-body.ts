import type { IntercomReadings } from './readings.js';
import type { AttachmentRecord } from './records.js';

/**
 * What a written `body` becomes on the part (`readings.replyBody`). The reference's examples
 * show plain text coming back wrapped in a paragraph ("Thanks again :)" as
 * `<p>Thanks again :)</p>`); one paragraph per line and the escaping are inferred.
 */
export function storedBody(text: string, reading: IntercomReadings['replyBody']): string {
  if (reading === 'as-sent') return text;
  return text
    .split(/\r?\n/)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const CONTENT_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', pdf: 'application/pdf' };

/** An `attachment_urls` entry as the part shows it; the size is unknown without fetching it (0). */
export function attachmentFromUrl(url: string): AttachmentRecord {
  const name = new URL(url).pathname.split('/').pop() || 'attachment';
  const extension = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  return { name, url, content_type: CONTENT_TYPES[extension] ?? 'application/octet-stream', filesize: 0 };
}
