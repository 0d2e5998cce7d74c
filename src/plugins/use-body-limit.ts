import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Caps the size of a POST body before Yoga parses it: a declared `content-length` above
 * the cap is refused unread, and a streamed body is read only up to the cap. Without it,
 * one request could make Parley buffer any amount of memory before a limit could look at it.
 * On the main port the front door (src/front/front-door.ts) has already read the body within
 * the same cap; this keeps the cap for whatever reaches Yoga another way (`yoga.fetch`).
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.method !== 'POST' || !requestParser) return;
      const header = request.headers.get('content-length');
      if (header !== null && Number(header) > maxBytes) throw tooLarge(maxBytes);
      // The HTTP parser holds a body to its declared length: only a streamed body needs counting.
      if (header !== null && /^\d+$/.test(header)) return;
      setRequestParser(async (incoming) => {
        const body = await readUpTo(incoming, maxBytes);
        return requestParser(new fetchAPI.Request(incoming.url, { method: 'POST', headers: incoming.headers, body }));
      });
    },
  };
}

async function readUpTo(request: Request, maxBytes: number): Promise<Blob> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!request.body) return new Blob([]);
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new Blob(chunks as BlobPart[]);
}

function tooLarge(maxBytes: number): GraphQLError {
  return new GraphQLError(`The request body is larger than ${maxBytes} bytes.`, {
    extensions: { code: 'BAD_USER_INPUT', limit: 'bodyBytes', max: maxBytes, http: { status: 413 } },
  });
}
