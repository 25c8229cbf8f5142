import mongoose, { type Connection } from 'mongoose';
import ConnectionString from 'mongodb-connection-string-url';

// A MONGO_URL that names no database gets the service's own, so several services can share one server in
// development while each owns its database.
export function databaseNameFor(mongoUrl: string, defaultDatabase: string): string {
  const path = new ConnectionString(mongoUrl).pathname.replace(/^\//, '');
  return path === '' ? defaultDatabase : decodeURIComponent(path);
}

export interface MongoConnectionOptions {
  url: string;
  defaultDatabase: string;
  // How long an operation waits for a reachable server before failing as unavailable: short, so a request
  // during a database outage gets a prompt 503 instead of hanging.
  serverSelectionTimeoutMs?: number;
}

// Opens a dedicated mongoose connection (never the global one), so a process or a test can hold several.
// Returns at once. Once connected, the driver reconnects by itself after an outage; a first connection that fails
// (the server not up yet, or too busy to answer in time) mongoose never tries again, so it is tried again here,
// with backoff, until it succeeds or the connection is closed. Meanwhile readiness says not ready, and queries wait
// as mongoose buffers them, then fail as the database being unreachable.
export function openMongo(options: MongoConnectionOptions): Connection {
  const connection = mongoose.createConnection();
  const settings = {
    dbName: databaseNameFor(options.url, options.defaultDatabase),
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 2000,
    autoIndex: true,
    // Hot paths write through the driver, as mongoose would: a field left undefined is not written at all.
    ignoreUndefined: true,
  };
  // Closing a connection that never opened emits nothing: note the call itself, so no retry opens it afterwards.
  let closed = false;
  const close = connection.close.bind(connection);
  connection.close = (force?: boolean) => {
    closed = true;
    return close(force);
  };
  const connect = (attempt: number): void => {
    connection.openUri(options.url, settings).catch(() => {
      if (closed) return;
      setTimeout(() => connect(attempt + 1), Math.min(5000, 250 * 2 ** attempt)).unref();
    });
  };
  connect(0);
  return connection;
}

// Read off the default export: a named import of ConnectionStates is undefined under CommonJS interop.
export function isMongoConnected(connection: Connection): boolean {
  return connection.readyState === mongoose.ConnectionStates.connected;
}

export async function pingMongo(connection: Connection, timeoutMs = 1000): Promise<boolean> {
  if (!isMongoConnected(connection) || !connection.db) return false;
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('ping timed out')), timeoutMs);
    });
    await Promise.race([connection.db.command({ ping: 1 }), timeout]).finally(() => clearTimeout(timer));
    return true;
  } catch {
    return false;
  }
}

export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
