import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SocketStats {
  opened: number;
  /** Connections the gateway closed (or reset) while the attack ran. */
  closedByGateway: number;
  /** Status codes of the answers the gateway wrote, from their status lines. */
  statuses: Map<number, number>;
  /** Longest time one connection stayed open, in seconds. */
  longestSec: number;
}

/**
 * `count` raw connections to `url`, each started by `open` (which writes the request
 * and whatever follows). A connection the gateway closes is opened again after a pause,
 * as a patient attacker would. `stop()` destroys every socket.
 */
export function holdSockets(url: string, count: number, open: (socket: Socket) => void, options: { read: boolean }) {
  const { hostname, port } = new URL(url);
  const stats: SocketStats = { opened: 0, closedByGateway: 0, statuses: new Map(), longestSec: 0 };
  /** Each open socket and when it was opened. */
  const sockets = new Map<Socket, number>();
  let running = true;

  const start = () => {
    if (!running) return;
    const openedAt = performance.now();
    const socket = connect({ host: hostname, port: Number(port) });
    stats.opened += 1;
    sockets.set(socket, openedAt);
    socket.once('connect', () => {
      open(socket);
      // A reader that never reads: the kernel's buffers fill and the gateway's writes back up.
      if (!options.read) socket.pause();
    });
    if (options.read) {
      let head = '';
      socket.setEncoding('latin1').on('data', (chunk: string) => {
        head += chunk;
        for (const match of head.matchAll(/HTTP\/1\.1 (\d{3}) /g)) stats.statuses.set(Number(match[1]), (stats.statuses.get(Number(match[1])) ?? 0) + 1);
        // Shorter than a whole status line, so no line is counted twice.
        head = head.slice(-12);
      });
    }
    socket.on('error', () => undefined);
    socket.once('close', () => {
      sockets.delete(socket);
      stats.longestSec = Math.max(stats.longestSec, (performance.now() - openedAt) / 1000);
      if (!running) return;
      stats.closedByGateway += 1;
      void sleep(250).then(start);
    });
  };
  for (let i = 0; i < count; i++) start();

  return {
    stats,
    stop() {
      running = false;
      for (const [socket, openedAt] of sockets) {
        stats.longestSec = Math.max(stats.longestSec, (performance.now() - openedAt) / 1000);
        socket.destroy();
      }
      sockets.clear();
    },
  };
}
