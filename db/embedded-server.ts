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

// PostgreSQL's own bounds: on a message, on the startup packet, and on the time to log in.
const MAX_MESSAGE_BYTES = 1024 ** 3;
const MAX_STARTUP_BYTES = 10_000;
const MAX_PASSWORD_BYTES = 1_024;
const AUTHENTICATION_TIMEOUT_MS = 60_000;
// Protocol codes of the untyped first messages.
const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
// Message types by their first byte.
const QUERY = 0x51;
const PARSE = 0x50;
const BIND = 0x42;
const DESCRIBE = 0x44;
const CLOSE = 0x43;
const SYNC = 0x53;
const FUNCTION_CALL = 0x46;
const TERMINATE = 0x58;
const PASSWORD = 0x70;
const NOTIFICATION = 0x41;

/** PGlite's two locks, which its public API takes around every statement and transaction. */
type LockablePGlite = PGlite & {
  _runExclusiveTransaction<T>(work: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(work: () => Promise<T>): Promise<T>;
};

/** A typed protocol message: its type byte, its length, `body`. */
function message(type: number, body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const header = Buffer.alloc(5);
  header[0] = type;
  header.writeInt32BE(bytes.length + 4, 1);
  return Buffer.concat([header, bytes]);
}

// A COPY FROM STDIN makes PGlite's backend wait for input in a synchronous loop that never
// ends: the whole process would hang. Any statement of a Query or Parse that is one is refused
// before it gets there. Comments, string literals and quoted names are blanked out first, so
// only SQL itself is matched; a false alarm costs an error, a miss the gateway.
const SQL_NOISE = /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|(\$[A-Za-z_]*\$)[\s\S]*?\1/g;
const COPY_IN = /\bcopy\b[^;]*?\bfrom\s+stdin\b/i;
const REFUSE_COPY_IN = `do $$ begin raise exception using errcode = '0A000', message = 'COPY FROM STDIN is not available on the shared embedded database', hint = 'Insert the rows with INSERT, or use PostgreSQL (DATABASE_URL).'; end $$`;

/** Whether `text` holds a COPY FROM STDIN statement. */
export function copiesFromStdin(text: string): boolean {
  return COPY_IN.test(text.replace(SQL_NOISE, ' '));
}

/** The Query or Parse `message` with its SQL (starting at `at`) replaced when it copies from stdin. */
function withoutCopyIn(message: Buffer, at: number): Buffer {
  const end = message.indexOf(0, at);
  if (!copiesFromStdin(message.toString('utf8', at, end))) return message;
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

/**
 * Bytes received and not yet read, kept as the chunks they came in: a large message (an
 * ingestion payload's arrays) is joined once when it is whole, not once per chunk.
 */
class Received {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` bytes, or undefined while fewer have come. */
  peek(n: number): Buffer | undefined {
    if (this.length < n) return undefined;
    if ((this.chunks[0]?.length ?? 0) < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]?.subarray(0, n);
  }

  drop(n: number): void {
    this.length -= n;
    while (n > 0) {
      const first = this.chunks[0] as Buffer;
      if (first.length > n) {
        this.chunks[0] = first.subarray(n);
        return;
      }
      this.chunks.shift();
      n -= first.length;
    }
  }

  clear(): void {
    this.chunks = [];
    this.length = 0;
  }
}

/** One client's conversation with the backend. */
class Connection {
  private readonly received = new Received();
  private phase: 'first' | 'password' | 'ready' = 'first';
  private failed = false;
  private startup: Buffer | undefined;
  private release: (() => void) | undefined;
  /** The backend has part of an extended query (no Sync yet): its implicit transaction is open. */
  private midQuery = false;
  // The answer arrives in chunks that may split a message: the unfinished tail waits here.
  private answerTail: Buffer = Buffer.alloc(0);
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly loginTimer: NodeJS.Timeout;
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
    this.loginTimer = setTimeout(() => socket.destroy(), AUTHENTICATION_TIMEOUT_MS);
    this.loginTimer.unref();
    socket.on('data', (data: Buffer) => {
      this.received.push(data);
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
    if (this.closed || this.failed) return;
    if (this.phase !== 'ready' && !this.greet()) return;
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
    const terminate = messages.findIndex((each) => each[0] === TERMINATE);
    const run = terminate === -1 ? messages : messages.slice(0, terminate);
    if (run.length > 0) {
      this.release ??= await takeDatabase(this.pglite);
      await this.exec(Buffer.concat(run.map((each) => this.rewritten(each))));
      const last = run[run.length - 1]?.[0];
      this.midQuery = !(last === SYNC || last === QUERY || last === FUNCTION_CALL);
      if (!this.midQuery && !this.pglite.isInTransaction()) this.letGo();
      else {
        this.idleTimer = setTimeout(() => this.socket.destroy(), this.options.idleInTransactionMs ?? 60_000);
        this.idleTimer.unref();
      }
    }
    // What came before a Terminate ran; the close rolls back whatever it left open.
    if (terminate !== -1) this.socket.end();
  }

  /**
   * The messages before startup: SSL and GSS requests (refused), a cancel, the startup, the
   * password. True once the password was right.
   */
  private greet(): boolean {
    while (this.received.length >= 4 && !this.failed) {
      if (this.phase === 'password') {
        const header = this.received.peek(5);
        if (!header) return false;
        const length = 1 + header.readInt32BE(1);
        if (header[0] !== PASSWORD || length < 6 || length > MAX_PASSWORD_BYTES) {
          this.fail('28P01', 'password authentication failed for the embedded database');
          return false;
        }
        const reply = this.received.peek(length);
        if (!reply) return false;
        this.received.drop(length);
        const given = reply.subarray(5, length - 1);
        const expected = Buffer.from(this.password);
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          this.fail('28P01', 'password authentication failed for the embedded database');
          return false;
        }
        this.phase = 'ready';
        clearTimeout(this.loginTimer);
        return true;
      }
      const length = this.received.peek(4)?.readInt32BE(0) ?? 0;
      if (length < 8 || length > MAX_STARTUP_BYTES) {
        this.fail('08P01', `a startup packet of ${length} bytes is outside the protocol's bounds`);
        return false;
      }
      const packet = this.received.peek(length);
      if (!packet) return false;
      this.received.drop(length);
      const code = packet.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSS_REQUEST) this.socket.write('N');
      else if (code === CANCEL_REQUEST) {
        // PGlite cannot stop a statement midway; the statement runs to its end.
        this.socket.end();
        return false;
      } else if (code === PROTOCOL_3) {
        this.startup = Buffer.from(packet);
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

  /** Complete typed messages at the front of what was received. */
  private takeMessages(): Buffer[] {
    const messages: Buffer[] = [];
    for (;;) {
      const header = this.received.peek(5);
      if (!header) break;
      const length = 1 + header.readInt32BE(1);
      if (length < 5 || length > MAX_MESSAGE_BYTES) {
        this.fail('08P01', `a message of ${length} bytes is outside the protocol's bounds`);
        return [];
      }
      const whole = this.received.peek(length);
      if (!whole) break;
      messages.push(whole);
      this.received.drop(length);
    }
    return messages;
  }

  /**
   * `message` as the backend may take it: its prepared statement's name made this connection's
   * own (Parse, Bind, and the statement forms of Describe and Close; the unnamed statement is
   * left alone), and a COPY FROM STDIN replaced by a statement that refuses it.
   */
  private rewritten(message: Buffer): Buffer {
    const type = message[0];
    if (type === QUERY) return withoutCopyIn(message, 5);
    let at: number;
    if (type === PARSE) at = 5;
    else if (type === BIND) at = message.indexOf(0, 5) + 1;
    else if ((type === DESCRIBE || type === CLOSE) && message[5] === 0x53 /* S, a statement */) at = 6;
    else return message;
    const end = message.indexOf(0, at);
    let rewritten = message;
    if (end > at) {
      const name = this.prefix + message.toString('utf8', at, end);
      if (type === PARSE) this.statements.add(name);
      if (type === CLOSE) this.statements.delete(name);
      rewritten = Buffer.concat([message.subarray(0, at), Buffer.from(name), message.subarray(end)]);
      rewritten.writeInt32BE(rewritten.length - 1, 1);
    }
    return type === PARSE ? withoutCopyIn(rewritten, rewritten.indexOf(0, 5) + 1) : rewritten;
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
      if (data[0] === NOTIFICATION) {
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

  /**
   * Leaves the backend as this connection found it: no transaction (explicit, or the implicit
   * one of an extended query it left without a Sync), none of its statements.
   */
  private async cleanUp(): Promise<void> {
    clearTimeout(this.idleTimer);
    clearTimeout(this.loginTimer);
    this.received.clear();
    if (this.phase !== 'ready' || (!this.release && this.statements.size === 0 && !this.midQuery)) {
      this.letGo();
      return;
    }
    this.release ??= await takeDatabase(this.pglite);
    const discard = { onRawData: () => undefined };
    try {
      // A Sync alone would commit a half-sent extended query's implicit transaction: an Execute
      // of a portal that does not exist fails it first, so the Sync rolls it back.
      const abort = this.midQuery ? [message(0x45 /* E */, Buffer.from('soldgraph_no_such_portal\0\0\0\0\0'))] : [];
      await this.pglite.execProtocolRawStream(new Uint8Array(Buffer.concat([...abort, message(SYNC, '')])), discard);
      // Each its own Query: one that fails (a name the client deallocated) stops no other.
      const cleanups = [
        ...(this.pglite.isInTransaction() ? ['rollback'] : []),
        ...[...this.statements].map((name) => `deallocate "${name.replaceAll('"', '""')}"`),
      ];
      if (cleanups.length > 0) {
        const queries = cleanups.map((text) => message(QUERY, `${text}\0`));
        await this.pglite.execProtocolRawStream(new Uint8Array(Buffer.concat(queries)), discard);
      }
    } finally {
      this.letGo();
    }
  }

  /** Sends an ErrorResponse and closes; nothing more is read from this connection. */
  private fail(code: string, text: string): void {
    this.failed = true;
    this.received.clear();
    this.socket.end(message(0x45 /* E, ErrorResponse */, `SFATAL\0C${code}\0M${text}\0\0`));
  }
}
