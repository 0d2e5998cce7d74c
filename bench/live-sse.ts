import { request, type ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A GraphQL subscription over SSE, as a browser's EventSource holds it: one connection of
 * its own (no pool), each `next` payload kept with the time its chunk arrived.
 */

export interface SseEvent {
  /** `performance.now()` when the chunk holding it was read. */
  at: number;
  data: any;
}

export interface SseSubscription {
  readonly status: number;
  readonly events: SseEvent[];
  /** The GraphQL error codes the server answered with (a refused subscription has one). */
  readonly errorCodes: string[];
  /** The server completed the stream or closed the connection. */
  readonly ended: boolean;
  close(): void;
}

/** Resolves once the response headers arrived; `onEvent` sees each `next` payload as it is read. */
export function subscribe(url: string, query: string, variables: Record<string, unknown>, onEvent?: (event: SseEvent) => void): Promise<SseSubscription> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const errorCodes: string[] = [];
    let ended = false;
    let req: ClientRequest | undefined;
    const take = (data: any, at: number) => {
      for (const error of data?.errors ?? []) errorCodes.push(String(error?.extensions?.code ?? 'UNKNOWN'));
      if (data?.data) {
        const event = { at, data: data.data };
        events.push(event);
        onEvent?.(event);
      }
    };
    req = request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const sse = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          if (!sse) return;
          let split: number;
          while ((split = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, split);
            buffer = buffer.slice(split + 2);
            if (/^event: complete/m.test(block)) ended = true;
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trim())
              .join('');
            if (/^event: next/m.test(block) && data) take(JSON.parse(data), at);
          }
        });
        res.on('end', () => {
          ended = true;
          // A refusal may come back as one plain GraphQL response rather than a stream.
          if (!sse && buffer) {
            try {
              take(JSON.parse(buffer), performance.now());
            } catch {
              errorCodes.push(`HTTP_${res.statusCode}`);
            }
          }
        });
        res.on('error', () => {
          ended = true;
        });
        resolve({
          status: res.statusCode ?? 0,
          events,
          errorCodes,
          get ended() {
            return ended;
          },
          close: () => req?.destroy(),
        });
      },
    );
    req.on('error', (error) => {
      ended = true;
      reject(error);
    });
    req.end(body);
  });
}
