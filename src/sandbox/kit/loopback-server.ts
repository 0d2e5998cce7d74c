import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface LoopbackServer {
  url: string;
  port: number;
  /** Ends every open connection too: a keep-alive client must not hold the close. */
  close(): Promise<void>;
}

/** An HTTP server listening on `host:port` (0: any free port). */
export async function listenOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  port: number,
  host: string,
  /** Answers HTTP upgrades (a simulated WebSocket endpoint); without it an upgrade is dropped. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer(handle);
  if (upgrade) server.on('upgrade', upgrade);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
