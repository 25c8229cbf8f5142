import { randomBytes } from 'node:crypto';
import ConnectionString from 'mongodb-connection-string-url';

export interface TestInfra {
  mongoUrl: string;
  amqpUrl: string;
}

// The infrastructure jest's global setup provided.
export function testInfra(): TestInfra {
  const { MONGO_URL: mongoUrl, AMQP_URL: amqpUrl } = process.env;
  if (!mongoUrl || !amqpUrl) throw new Error('MONGO_URL and AMQP_URL must be set (see libs/testing/src/jest/global-setup.ts)');
  return { mongoUrl, amqpUrl };
}

export function uniqueId(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

// A namespace for broker objects, so each test file gets its own exchanges and queues.
export function testNamespace(): string {
  return `${uniqueId('test-')}.`;
}

// The test server's URL naming a database of its own.
export function mongoUrlWithDatabase(mongoUrl: string, database: string): string {
  const url = new ConnectionString(mongoUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
