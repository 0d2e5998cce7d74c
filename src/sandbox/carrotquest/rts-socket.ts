import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Tokens } from './access.js';
import type { RtsFeed, RtsSince } from './rts-feed.js';

/**
 * The WebSocket door of the Realtime Services: `/websocket/<channel>/<channel>...?auth_token=...`
 * (up to 50 channels; `tag` and `time` resume). A bad token is refused with 3401, channels
 * of which the token may read none with 3403 (or 401/403 before the upgrade, per knob);
 * channels of another app are left out when some are readable. The long- and short-poll
 * doors are not simulated: Parley reads the WebSocket one, the one the doc recommends.
 */

/** Channel names per app (developers.carrotquest.io/rts/channels); `{name}.{app}` or `{name}.{app}.{user}`. */
const APP_CHANNELS = new Set([
  'user_presence_changed',
  'conversation',
  'conversation_started_user',
  'conversation_reply',
  'conversation_typing',
  'conversation_read',
  'conversation_assigned',
  'conversation_closed',
  'conversation_tag_added',
  'conversation_tag_deleted',
  'user_props_changed',
  'event',
]);
const MAX_CHANNELS = 50;
const PREFIX = '/websocket/';
const AUTH_HEADER = /^(?:Token|Bearer)\s+(\S+)\s*$/i;

export interface RtsEndpoint {
  /** For the HTTP server's `upgrade` event. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open connections now. */
  connections(): number;
  /** Cuts every open connection (no close frame), as a network loss does; clients may reconnect. */
  cut(): void;
  /** Cuts every connection and stops taking new ones. */
  close(): void;
}

export function createRtsEndpoint(feed: RtsFeed, tokens: Tokens): RtsEndpoint {
  const server = new WebSocketServer({ noServer: true });
  const open = new Set<WebSocket>();

  function refuseHttp(socket: Duplex, status: number, reason: string): void {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  function accept(req: IncomingMessage, socket: Duplex, head: Buffer, then: (ws: WebSocket) => void): void {
    server.handleUpgrade(req, socket, head, (ws) => {
      open.add(ws);
      ws.on('close', () => open.delete(ws));
      then(ws);
    });
  }

  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://rts');
      if (!url.pathname.startsWith(PREFIX)) return refuseHttp(socket, 404, 'Not Found');
      const channels = url.pathname.slice(PREFIX.length).split('/').filter((segment) => segment !== '').map(decodeURIComponent);
      if (channels.length === 0 || channels.length > MAX_CHANNELS) return refuseHttp(socket, 400, 'Bad Request');
      const header = req.headers.authorization;
      const token = (header ? AUTH_HEADER.exec(header)?.[1] : undefined) ?? url.searchParams.get('auth_token') ?? '';
      const appId = tokens.get(token);
      const readable = appId === undefined ? [] : channels.filter((channel) => isReadable(channel, appId));
      const knobs = feed.knobs;
      const refusal = appId === undefined ? 3401 : readable.length === 0 ? 3403 : knobs.refuseWith;
      if (refusal !== null && knobs.rejectAs === 'http-status' && (refusal === 3401 || refusal === 3403)) {
        return refuseHttp(socket, refusal - 3000, refusal === 3401 ? 'Unauthorized' : 'Forbidden');
      }
      accept(req, socket, head, (ws) => {
        if (refusal !== null) return ws.close(refusal, refusal === 3401 ? 'Unauthorized' : refusal === 3403 ? 'Forbidden' : 'Internal Server Error');
        let sent = 0;
        const limit = knobs.disconnectAfter;
        const deliver = (frame: string) => {
          if (ws.readyState !== ws.OPEN || (limit !== null && sent >= limit)) return;
          ws.send(frame);
          sent += 1;
          // A network loss, not a goodbye: the client sees 1006 and must resume.
          if (limit !== null && sent >= limit) setImmediate(() => ws.terminate());
        };
        const unsubscribe = feed.subscribe(readable, readSince(url.searchParams), deliver);
        ws.on('close', unsubscribe);
      });
    },
    connections: () => open.size,
    cut() {
      for (const ws of open) ws.terminate();
    },
    close() {
      for (const ws of open) ws.terminate();
      server.close();
    },
  };
}

/** A channel of `appId` the service knows (or `ping`). */
function isReadable(channel: string, appId: string): boolean {
  if (channel === 'ping') return true;
  const [name, app, user, ...rest] = channel.split('.');
  return rest.length === 0 && APP_CHANNELS.has(name ?? '') && app === appId && (user === undefined || /^\d+$/.test(user));
}

/** `time` (an HTTP date) and `tag`; a missing or unreadable `time` means "from now on". */
function readSince(params: URLSearchParams): RtsSince | null {
  const time = params.get('time');
  const ms = time === null ? Number.NaN : Date.parse(time);
  if (!Number.isFinite(ms)) return null;
  const tag = Number(params.get('tag') ?? '');
  return { second: Math.floor(ms / 1000), tag: params.get('tag') !== null && Number.isInteger(tag) ? tag : -1 };
}
