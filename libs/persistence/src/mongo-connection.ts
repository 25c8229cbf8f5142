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
// Resolves at once; mongoose keeps trying to reach the server in the background.
export function openMongo(options: MongoConnectionOptions): Connection {
  const connection = mongoose.createConnection(options.url, {
    dbName: databaseNameFor(options.url, options.defaultDatabase),
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 2000,
    autoIndex: true,
    // Hot paths write through the driver, as mongoose would: a field left undefined is not written at all.
    ignoreUndefined: true,
  });
  // The initial connection error is surfaced through readiness and the first queries, not as an unhandled rejection.
  connection.asPromise().catch(() => undefined);
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
