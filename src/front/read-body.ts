import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body in full, within a byte cap and a time limit. The front door does
 * this before a request may wait for a GraphQL slot, so a client that sends its body
 * slowly (or never finishes it) holds only its own socket, never a slot.
 */

export type BodyFailure = 'too-large' | 'too-slow' | 'aborted';

export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(readonly reason: BodyFailure) {
    super(`request body ${reason}`);
  }
}

export interface BodyLimits {
  /** Bytes of one body; a declared `content-length` above it is refused unread. */
  maxBytes: number;
  /** Time from the request's arrival to the body's last byte. */
  timeoutMs: number;
}

/** Whether a request carries a body at all: a GET, or a POST with `content-length: 0`, does not. */
export function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxBytes) return Promise.reject(new BodyError('too-large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: BodyError | null) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose);
      if (error) {
        // Stop reading: the rest of a refused body is never wanted.
        req.pause();
        reject(error);
      } else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limits.maxBytes) return settle(new BodyError('too-large'));
      chunks.push(chunk);
    };
    const onEnd = () => settle(null);
    const onClose = () => settle(new BodyError('aborted'));
    const timer = setTimeout(() => settle(new BodyError('too-slow')), limits.timeoutMs);
    req.on('data', onData).once('end', onEnd).once('error', onClose).once('close', onClose);
  });
}
