import net from 'node:net';

/** A TCP proxy on 127.0.0.1 in front of a real server, which a test can cut and restore. */
export type TcpProxy = {
  port: number;
  /** Drops every open connection and stops listening: the server "goes away". */
  cut(): Promise<void>;
  /** Listens again on the same port: the server "comes back". */
  restore(): Promise<void>;
  /** Keeps every connection open but forwards nothing more to the server: it hangs. */
  stall(): void;
};

/**
 * Starts a proxy to `host:port`.
 * @example const proxy = await startTcpProxy('127.0.0.1', 6379); await proxy.cut();
 */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  let sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let listenPort = 0;
  let stalled = false;
  const open = async () => {
    const current = net.createServer((client) => {
      const upstream = net.connect(port, host);
      sockets.add(client).add(upstream);
      // Dropped while stalled: the server never sees the request, so no answer ever comes.
      client.on('data', (chunk: Buffer) => {
        if (!stalled) upstream.write(chunk);
      });
      upstream.pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    server = current;
    await new Promise<void>((resolve) => current.listen(listenPort, '127.0.0.1', resolve));
    listenPort = (current.address() as net.AddressInfo).port;
  };
  await open();
  return {
    get port() {
      return listenPort;
    },
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        sockets = new Set();
        if (server) server.close(() => resolve());
        else resolve();
      }),
    restore: () => {
      stalled = false;
      return open();
    },
    stall: () => {
      stalled = true;
    },
  };
}

/** A TCP server that accepts connections and never answers: a dependency that hangs. */
export async function startBlackHole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
