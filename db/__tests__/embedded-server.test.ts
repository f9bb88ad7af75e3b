import { PGlite } from '@electric-sql/pglite';
import { connect, type Socket } from 'node:net';
import { Client, Pool } from 'pg';
import { copiesFromStdin, type EmbeddedServer, serveEmbedded } from '../embedded-server';
import { until } from '../../test/support/wait';

/** A typed protocol message, as a client writes it. */
const frame = (type: string, body: Buffer | string = '') => {
  const bytes = Buffer.from(body);
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(bytes.length + 4, 1);
  return Buffer.concat([header, bytes]);
};

/** A connection that speaks the protocol by hand, logged in and ready, for what drivers never send. */
async function rawClient(url: string): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> {
  const { port, password } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  let received = Buffer.alloc(0);
  socket.on('data', (data: Buffer) => (received = Buffer.concat([received, data])));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => socket.once('connect', resolve));
  const parameters = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(8 + parameters.length, 0);
  startup.writeInt32BE(196_608, 4);
  socket.write(Buffer.concat([startup, parameters]));
  await until(
    () => received.length,
    (length) => length >= 9,
  );
  socket.write(frame('p', `${decodeURIComponent(password)}\0`));
  // ReadyForQuery ends the greeting.
  await until(
    () => received.includes(Buffer.from([0x5a, 0, 0, 0, 5])),
    (ready) => ready,
  );
  return { socket, received: () => received, closed };
}

// The embedded database served to other processes: what one backend shared by many connections
// must keep apart, tested with node-postgres as ingest and the worker use it.
let pglite: PGlite;
let server: EmbeddedServer;
const heard: string[] = [];
const pools: Pool[] = [];

const pool = (max = 4) => {
  const opened = new Pool({ connectionString: server.url, max });
  opened.on('error', () => undefined);
  pools.push(opened);
  return opened;
};
const count = async (): Promise<number> => {
  const { rows } = await pglite.query<{ n: number }>('select count(*)::int as n from items');
  return rows[0]?.n ?? -1;
};

beforeAll(async () => {
  pglite = await PGlite.create('memory://');
  await pglite.exec('create table items (id int primary key, label text not null); listen soldgraph_test');
  server = await serveEmbedded(pglite, {
    idleInTransactionMs: 300,
    onNotification: (channel, payload) => heard.push(`${channel}:${payload}`),
  });
});
afterAll(async () => {
  await Promise.all(pools.map((opened) => opened.end().catch(() => undefined)));
  await server?.close();
  await pglite?.close();
});
beforeEach(async () => {
  await pglite.exec('delete from items');
});

describe('the embedded database over the wire', () => {
  it('answers simple and extended queries, and refuses a wrong password', async () => {
    const clients = pool();
    expect((await clients.query('select 1 + 1 as two')).rows).toEqual([{ two: 2 }]);
    expect((await clients.query('select $1::text || $2::text as joined', ['a', 'b'])).rows).toEqual([{ joined: 'ab' }]);
    const intruder = new Client({ connectionString: server.url.replace(/:[^:@/]+@/, ':wrong@') });
    await expect(intruder.connect()).rejects.toMatchObject({ code: '28P01' });
  });

  it('keeps each connection’s transaction whole while others and the owner write', async () => {
    const clients = pool(4);
    // Each transaction reads, waits, then writes what it read plus one: interleaved, two
    // would read the same count and one key would repeat (a primary-key violation).
    const bump = async () => {
      const client = await clients.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{ n: number }>('select count(*)::int as n from items');
        await new Promise((resolve) => setImmediate(resolve));
        await client.query('insert into items values ($1, $2)', [(rows[0]?.n ?? 0) + 1, 'remote']);
        await client.query('commit');
      } finally {
        client.release();
      }
    };
    const owner = () =>
      pglite.transaction(async (tx) => {
        const { rows } = await tx.query<{ n: number }>('select count(*)::int as n from items');
        await new Promise((resolve) => setImmediate(resolve));
        await tx.query('insert into items values ($1, $2)', [(rows[0]?.n ?? 0) + 1, 'owner']);
      });
    await Promise.all([bump(), owner(), bump(), bump(), owner(), bump()]);
    const { rows } = await pglite.query<{ id: number }>('select id from items order by id');
    expect(rows.map((row) => row.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lets every connection prepare the same statement name, and forgets them when it closes', async () => {
    const clients = pool(4);
    const answers = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map((value) =>
        clients.query({ name: 'plus_one', text: 'select $1::int + 1 as next', values: [value] }),
      ),
    );
    expect(answers.map((answer) => answer.rows[0].next)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const prepared = async () =>
      (
        await pglite.query<{ n: number }>(
          `select count(*)::int as n from pg_prepared_statements where name like '%plus_one'`,
        )
      ).rows[0]?.n;
    expect(await prepared()).toBeGreaterThan(0);
    await clients.end();
    await until(prepared, (n) => n === 0);
  });

  it('rolls back a connection that closes in a transaction', async () => {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    await client.query('begin');
    await client.query(`insert into items values (1, 'never committed')`);
    await client.end();
    await until(count, (n) => n === 0);
    await pglite.query(`insert into items values (1, 'owner')`);
    expect(await count()).toBe(1);
  });

  it('closes a connection idle in a transaction, so the owner is not held', async () => {
    const client = new Client({ connectionString: server.url });
    client.on('error', () => undefined);
    await client.connect();
    const closed = new Promise((resolve) => client.once('end', resolve));
    await client.query('begin');
    await client.query(`insert into items values (1, 'abandoned')`);
    // The owner's statement waits for the idle transaction, which is rolled back after 300 ms.
    await pglite.query(`insert into items values (2, 'owner')`);
    await closed;
    expect((await pglite.query<{ id: number }>('select id from items')).rows).toEqual([{ id: 2 }]);
  });

  it.each([
    'copy items (id, label) from stdin',
    '/* a comment first */ copy items from stdin',
    'select 1; copy items from stdin',
    'begin; copy items from\n  stdin with (format csv)',
  ])('refuses %j with a clear error instead of hanging the process', async (statement) => {
    const clients = pool(1);
    await expect(clients.query(statement)).rejects.toMatchObject({
      code: '0A000',
      message: expect.stringMatching(/COPY FROM STDIN is not available/),
    });
    expect((await clients.query('select 1 as alive')).rows).toEqual([{ alive: 1 }]);
    expect(pglite.isInTransaction()).toBe(false);
  });

  it('tells COPY FROM STDIN from text that only mentions it', () => {
    expect(copiesFromStdin(`select 'copy items from stdin' as quoted`)).toBe(false);
    expect(copiesFromStdin('-- copy items from stdin\nselect 1')).toBe(false);
    expect(copiesFromStdin('select $body$ copy items from stdin $body$')).toBe(false);
    expect(copiesFromStdin('COPY "items" FROM STDIN')).toBe(true);
    expect(copiesFromStdin('copy items to stdout')).toBe(false);
  });

  it('rolls back an extended query whose client left before its Sync', async () => {
    const client = await rawClient(server.url);
    client.socket.write(
      Buffer.concat([
        frame('P', `\0insert into items values (7, 'half-sent')\0\0\0`),
        frame('B', '\0\0\0\0\0\0\0\0'),
        frame('E', '\0\0\0\0\0'),
        frame('H'),
      ]),
    );
    // CommandComplete: the insert ran in the implicit transaction the Sync would have committed.
    await until(client.received, (received) => received.includes(Buffer.from('INSERT 0 1')));
    client.socket.destroy();
    await client.closed;
    await until(
      () => pglite.isInTransaction(),
      (open) => !open,
    );
    expect(await count()).toBe(0);
  });

  it('rolls back a transaction whose client sent a malformed message', async () => {
    const client = await rawClient(server.url);
    client.socket.write(frame('Q', `begin; insert into items values (8, 'then garbage')\0`));
    await until(client.received, (received) => received.includes(Buffer.from('INSERT 0 1')));
    const garbage = Buffer.from([0x51, 0, 0, 0, 1]);
    client.socket.write(garbage);
    await client.closed;
    expect(client.received().includes(Buffer.from('08P01'))).toBe(true);
    await until(
      () => pglite.isInTransaction(),
      (open) => !open,
    );
    expect(await count()).toBe(0);
  });

  it('runs what came before a Terminate in the same write', async () => {
    const client = await rawClient(server.url);
    client.socket.write(Buffer.concat([frame('Q', `insert into items values (9, 'committed')\0`), frame('X')]));
    await client.closed;
    await until(count, (n) => n === 1);
  });

  it('refuses a startup packet past the protocol’s bounds instead of buffering it', async () => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => (received = Buffer.concat([received, data])));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const huge = Buffer.alloc(4);
    huge.writeInt32BE(0x7fffffff, 0);
    socket.write(huge);
    await closed;
    expect(received.toString('latin1')).toMatch(/08P01.*startup packet of 2147483647 bytes/);
  });

  it('tells the owner of notifications a client committed, and not of rolled-back ones', async () => {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    await client.query(`select pg_notify('soldgraph_test', 'committed')`);
    await client.query('begin');
    await client.query(`select pg_notify('soldgraph_test', 'rolled back')`);
    await client.query('rollback');
    await client.end();
    await until(
      () => heard,
      (messages) => messages.includes('soldgraph_test:committed'),
    );
    expect(heard).not.toContain('soldgraph_test:rolled back');
  });
});
