/**
 * The embedded database served over PostgreSQL's wire protocol, so that other processes
 * (`npm run ingest`, `npm run worker`, `psql`) can use the PGlite directory the gateway owns.
 *
 * PGlite is one backend: one session, one transaction at a time. Each connection therefore
 * takes the whole database for a span of its conversation: from its first message until the
 * backend is idle again outside a transaction (its last message was a Sync or a simple Query,
 * and no transaction block is open). The span holds both of PGlite's own locks, so the owner's
 * in-process statements and transactions wait for it as it waits for them; nothing from one
 * client can land inside another's transaction, nor between the Parse and the Sync of another's
 * extended query. (pglite-socket's multiplexer switches clients between single messages and
 * does not see the owner's transactions, which is why this is not it.)
 *
 * What a single backend shares is kept apart or cleaned up per connection:
 * - named prepared statements are renamed per connection (node-postgres prepares the same
 *   names on every connection) and deallocated when it closes;
 * - a connection that closes mid-transaction is rolled back;
 * - a connection idle inside a transaction for `idleInTransactionMs` is closed, as PostgreSQL's
 *   idle_in_transaction_session_timeout would, so one stuck client cannot stop the gateway.
 * Session settings (`SET` without `LOCAL`) and session advisory locks are the backend's, not
 * the connection's: clients should use `SET LOCAL` and transaction-scoped locks.
 *
 * Clients authenticate with a password made at start (cleartext over loopback, as PostgreSQL's
 * `password` method): it is written, with the address, to a file only the owner's user can read.
 */
import type { PGlite } from '@electric-sql/pglite';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

export type EmbeddedServer = {
  /** `postgres://postgres:<password>@host:port/postgres`. */
  url: string;
  /** Stops listening, rolls back and closes every connection; the PGlite stays open. */
  close(): Promise<void>;
};

export type EmbeddedServerOptions = {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** How long a connection may sit idle inside a transaction, holding the database (60 s). */
  idleInTransactionMs?: number;
  /** Told of each NOTIFY a client's transaction sent, once it committed. */
  onNotification?: (channel: string, payload: string) => void;
};

// PostgreSQL's own bound on a message; a longer one is a broken or hostile client.
const MAX_MESSAGE_BYTES = 1024 ** 3;
// Protocol codes of the untyped first messages.
const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;

/** PGlite's two locks, which its public API takes around every statement and transaction. */
type LockablePGlite = PGlite & {
  _runExclusiveTransaction<T>(work: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(work: () => Promise<T>): Promise<T>;
};

// PGlite's backend exits when a COPY FROM STDIN reaches it: it reads its input to the end.
const COPY_IN = /^\s*copy\b[^;]*\bfrom\s+stdin\b/i;
const REFUSE_COPY_IN = `do $$ begin raise exception using errcode = '0A000', message = 'COPY FROM STDIN is not available on the shared embedded database', hint = 'Insert the rows with INSERT, or use PostgreSQL (DATABASE_URL).'; end $$`;

/** The Query or Parse `message` with its SQL (starting at `at`) replaced when it is a COPY FROM STDIN. */
function withoutCopyIn(message: Buffer, at: number): Buffer {
  const end = message.indexOf(0, at);
  if (!COPY_IN.test(message.toString('utf8', at, end))) return message;
  const replaced = Buffer.concat([message.subarray(0, at), Buffer.from(REFUSE_COPY_IN), message.subarray(end)]);
  replaced.writeInt32BE(replaced.length - 1, 1);
  return replaced;
}

/** Takes the whole database (both locks); resolves to the release. */
function takeDatabase(pglite: PGlite): Promise<() => void> {
  const lockable = pglite as LockablePGlite;
  return new Promise((granted, refused) => {
    lockable
      ._runExclusiveTransaction(() =>
        lockable._runExclusiveQuery(() => new Promise<void>((release) => granted(() => release()))),
      )
      .catch(refused);
  });
}

/**
 * Serves `pglite` on `host:port` (127.0.0.1, a free port) until `close`.
 * @example const server = await serveEmbedded(pglite); console.log(server.url);
 */
export async function serveEmbedded(pglite: PGlite, options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const host = options.host ?? '127.0.0.1';
  const password = randomBytes(18).toString('base64url');
  const connections = new Set<Connection>();
  let nextId = 1;
  const server: Server = createServer((socket) => {
    const connection = new Connection(pglite, socket, nextId++, password, options);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `postgres://postgres:${password}@${hostInUrl}:${port}/postgres`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...connections].map((connection) => connection.end()));
      await closed;
    },
  };
}

/** One client's conversation with the backend. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private phase: 'first' | 'password' | 'ready' = 'first';
  private startup: Buffer | undefined;
  private release: (() => void) | undefined;
  // The answer arrives in chunks that may split a message: the unfinished tail waits here.
  private answerTail: Buffer = Buffer.alloc(0);
  private idleTimer: NodeJS.Timeout | undefined;
  private work: Promise<void> = Promise.resolve();
  private closed = false;
  /** The backend names of this connection's prepared statements. */
  private readonly statements = new Set<string>();
  private readonly prefix: string;

  constructor(
    private readonly pglite: PGlite,
    private readonly socket: Socket,
    id: number,
    private readonly password: string,
    private readonly options: EmbeddedServerOptions,
  ) {
    this.prefix = `c${id}_`;
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => {
      this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
      this.work = this.work
        .then(() => this.consume())
        .catch(() => {
          this.socket.destroy();
        });
    });
    socket.on('error', () => undefined);
    socket.once('close', () => {
      this.closed = true;
      this.work = this.work.then(() => this.cleanUp()).catch(() => undefined);
    });
  }

  /** Closes the connection and waits until its state is cleaned up and the database released. */
  async end(): Promise<void> {
    this.socket.destroy();
    await new Promise<void>((resolve) => (this.socket.closed ? resolve() : this.socket.once('close', resolve)));
    await this.work;
  }

  private async consume(): Promise<void> {
    if (this.closed) return;
    if (this.phase !== 'ready') {
      if (!this.greet()) return;
    }
    if (this.startup) {
      // The backend's own greeting: AuthenticationOk, its parameters, ReadyForQuery.
      const startup = this.startup;
      this.startup = undefined;
      this.release ??= await takeDatabase(this.pglite);
      await this.exec(startup);
      this.letGo();
    }
    const messages = this.takeMessages();
    if (messages.length === 0) return;
    clearTimeout(this.idleTimer);
    if (messages.some((message) => message[0] === 0x58 /* X, Terminate */)) {
      this.socket.end();
      return;
    }
    this.release ??= await takeDatabase(this.pglite);
    await this.exec(Buffer.concat(messages.map((message) => this.rewritten(message))));
    const last = messages[messages.length - 1]?.[0];
    if ((last === 0x53 /* S, Sync */ || last === 0x51) /* Q, Query */ && !this.pglite.isInTransaction()) {
      this.letGo();
    } else {
      this.idleTimer = setTimeout(() => this.socket.destroy(), this.options.idleInTransactionMs ?? 60_000);
      this.idleTimer.unref();
    }
  }

  /**
   * The messages before startup: SSL and GSS requests (refused), a cancel, the startup, the
   * password. True once the password was right.
   */
  private greet(): boolean {
    while (this.buffer.length >= 4) {
      if (this.phase === 'password') {
        const message = this.takeMessages(1)[0];
        if (!message) return false;
        const given = message.subarray(5, message.length - 1);
        const expected = Buffer.from(this.password);
        if (message[0] !== 0x70 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
          this.fail('28P01', 'password authentication failed for the embedded database');
          return false;
        }
        this.phase = 'ready';
        return true;
      }
      const length = this.buffer.readInt32BE(0);
      if (this.buffer.length < length || length < 8) return false;
      const message = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      const code = message.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSS_REQUEST) this.socket.write('N');
      else if (code === CANCEL_REQUEST) {
        // PGlite cannot stop a statement midway; the statement runs to its end.
        this.socket.end();
        return false;
      } else if (code === PROTOCOL_3) {
        this.startup = Buffer.from(message);
        this.phase = 'password';
        // AuthenticationCleartextPassword.
        this.socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
      } else {
        this.fail('08P01', `unsupported protocol ${code}`);
        return false;
      }
    }
    return false;
  }

  /** Complete typed messages at the front of the buffer (at most `limit`). */
  private takeMessages(limit = Infinity): Buffer[] {
    const messages: Buffer[] = [];
    let offset = 0;
    while (messages.length < limit && this.buffer.length - offset >= 5) {
      const length = 1 + this.buffer.readInt32BE(offset + 1);
      if (length < 5 || length > MAX_MESSAGE_BYTES) {
        this.fail('08P01', `a message of ${length} bytes is outside the protocol's bounds`);
        return [];
      }
      if (this.buffer.length - offset < length) break;
      messages.push(this.buffer.subarray(offset, offset + length));
      offset += length;
    }
    this.buffer = this.buffer.subarray(offset);
    return messages;
  }

  /**
   * `message` as the backend may take it: its prepared statement's name made this connection's
   * own (Parse, Bind, and the statement forms of Describe and Close; the unnamed statement is
   * left alone), and a COPY FROM STDIN replaced by a statement that refuses it.
   */
  private rewritten(message: Buffer): Buffer {
    const type = message[0];
    if (type === 0x51 /* Q */) return withoutCopyIn(message, 5);
    let at: number;
    if (type === 0x50 /* P */) at = 5;
    else if (type === 0x42 /* B */) at = message.indexOf(0, 5) + 1;
    else if ((type === 0x44 /* D */ || type === 0x43) /* C */ && message[5] === 0x53 /* S */) at = 6;
    else return message;
    const end = message.indexOf(0, at);
    let rewritten = message;
    if (end > at) {
      const name = this.prefix + message.toString('utf8', at, end);
      if (type === 0x50) this.statements.add(name);
      if (type === 0x43) this.statements.delete(name);
      rewritten = Buffer.concat([message.subarray(0, at), Buffer.from(name), message.subarray(end)]);
      rewritten.writeInt32BE(rewritten.length - 1, 1);
    }
    return type === 0x50 ? withoutCopyIn(rewritten, rewritten.indexOf(0, 5) + 1) : rewritten;
  }

  /** Runs `input` on the backend and relays its answer, watching it for notifications. */
  private async exec(input: Buffer): Promise<void> {
    await this.pglite.execProtocolRawStream(new Uint8Array(input), {
      onRawData: (data) => {
        const chunk = Buffer.from(data);
        if (this.options.onNotification) this.notifications(chunk);
        if (!this.closed) this.socket.write(chunk);
      },
    });
  }

  private notifications(chunk: Buffer): void {
    let data = this.answerTail.length ? Buffer.concat([this.answerTail, chunk]) : chunk;
    while (data.length >= 5) {
      const length = 1 + data.readInt32BE(1);
      if (data.length < length) break;
      if (data[0] === 0x41 /* A, NotificationResponse */) {
        const channelEnd = data.indexOf(0, 9);
        const payloadEnd = data.indexOf(0, channelEnd + 1);
        this.options.onNotification?.(
          data.toString('utf8', 9, channelEnd),
          data.toString('utf8', channelEnd + 1, payloadEnd),
        );
      }
      data = data.subarray(length);
    }
    this.answerTail = Buffer.from(data);
  }

  private letGo(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  /** Leaves the backend as this connection found it: no transaction, none of its statements. */
  private async cleanUp(): Promise<void> {
    clearTimeout(this.idleTimer);
    if (this.phase !== 'ready' || (!this.release && this.statements.size === 0)) {
      this.letGo();
      return;
    }
    this.release ??= await takeDatabase(this.pglite);
    try {
      // A Sync ends an extended query left half-way; the rollback ends an open transaction.
      const sync = Buffer.from([0x53, 0, 0, 0, 4]);
      const statements = [...this.statements].map((name) => `deallocate "${name.replaceAll('"', '""')}";`).join(' ');
      const cleanup = `${this.pglite.isInTransaction() ? 'rollback; ' : ''}${statements}`;
      const query = Buffer.from(`Q\0\0\0\0${cleanup}\0`);
      query.writeInt32BE(query.length - 1, 1);
      await this.pglite.execProtocolRawStream(new Uint8Array(Buffer.concat([sync, ...(cleanup ? [query] : [])])), {
        onRawData: () => undefined,
      });
    } finally {
      this.letGo();
    }
  }

  /** Sends an ErrorResponse and closes. */
  private fail(code: string, message: string): void {
    const fields = Buffer.from(`SFATAL\0C${code}\0M${message}\0\0`);
    const header = Buffer.from([0x45, 0, 0, 0, 0]);
    header.writeInt32BE(fields.length + 4, 1);
    this.socket.end(Buffer.concat([header, fields]));
    this.phase = 'first';
    this.buffer = Buffer.alloc(0);
  }
}
