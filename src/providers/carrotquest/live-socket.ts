import { WebSocket } from 'ws';

/**
 * One WebSocket session with the Realtime Services: open, hand each text frame on in
 * order, watch the connection with pings, and say how it ended. It never throws: every
 * ending (a refusal, a cut, a timeout) is a `SessionEnd` the feed decides about.
 */

export interface SessionEnd {
  /** The close code, or the HTTP status when the upgrade was refused; 1006 for a cut. */
  code: number;
  /** 3401/3403 (or 401/403 in place of the upgrade): the token may not read these channels. */
  refused: boolean;
  /** Frames received in this session. */
  received: number;
  /** The transport's own words for a failure (the URL and its token never in them). */
  error?: string;
}

export interface SessionOptions {
  url: string;
  /** Removed from any error text, whatever the transport put there. */
  secret: string;
  signal: AbortSignal;
  /** A ping goes out this often; no pong by the next one ends the session. */
  heartbeatMs: number;
  /** The upgrade must complete within this. */
  handshakeMs: number;
  /** Called once per frame, one at a time, in arrival order. */
  onFrame(text: string): Promise<void>;
}

const REFUSALS = new Set([3401, 3403, 401, 403]);

export function runSession(options: SessionOptions): Promise<SessionEnd> {
  return new Promise((resolve) => {
    let received = 0;
    let error: string | undefined;
    let chain = Promise.resolve();
    let heartbeat: NodeJS.Timeout | undefined;
    let ended = false;
    const redact = (text: string) => (options.secret ? text.split(options.secret).join('***') : text);
    let ws: WebSocket;
    try {
      ws = new WebSocket(options.url, { handshakeTimeout: options.handshakeMs, perMessageDeflate: false });
    } catch (cause) {
      // An unusable URL: its text (and the token in its query) stays out of the answer.
      resolve({ code: 0, refused: false, received: 0, error: redact(cause instanceof Error ? cause.name : 'invalid URL') });
      return;
    }

    const finish = (code: number) => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      options.signal.removeEventListener('abort', stop);
      // Frames already received are handed on before the session counts as over.
      void chain.then(() => resolve({ code, refused: REFUSALS.has(code), received, ...(error ? { error } : {}) }));
    };
    const stop = () => ws.terminate();
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', stop, { once: true });

    ws.on('unexpected-response', (request, response) => {
      response.resume();
      request.destroy();
      finish(response.statusCode ?? 0);
    });
    ws.on('open', () => {
      let alive = true;
      ws.on('pong', () => (alive = true));
      heartbeat = setInterval(() => {
        if (!alive) {
          error = 'no pong within the heartbeat';
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, options.heartbeatMs);
      heartbeat.unref();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      received += 1;
      const text = data.toString();
      chain = chain.then(() => options.onFrame(text)).catch(() => undefined);
    });
    ws.on('error', (cause) => {
      error = redact(cause.message);
    });
    ws.on('close', (code) => finish(code));
  });
}
