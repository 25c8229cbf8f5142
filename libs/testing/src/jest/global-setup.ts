// Provides RabbitMQ and MongoDB to the test run: from MONGO_URL / AMQP_URL when set, else from containers started
// with testcontainers when a Docker engine answers, else it fails at once saying how to provide them.
import type { StartedTestContainer } from 'testcontainers';

declare global {
  // A global set in one jest hook and read in another must be declared with var.
  var __crmTestContainers: StartedTestContainer[] | undefined;
}

const howTo = [
  'These tests need a real RabbitMQ and a real MongoDB (or MongoDB wire-protocol) server.',
  'Provide them in one of two ways:',
  "  - run 'npm test' from the repository root: it starts RabbitMQ and mongo-java-server on loopback",
  "    ('npm run infra:up') and sets MONGO_URL and AMQP_URL; or set both variables yourself, e.g.",
  '    MONGO_URL=mongodb://127.0.0.1:27017 AMQP_URL=amqp://guest:guest@127.0.0.1:5672;',
  '  - or start a Docker engine: the tests then start mongo and rabbitmq containers with testcontainers.',
].join('\n');

export default async function globalSetup(): Promise<void> {
  if (process.env.MONGO_URL && process.env.AMQP_URL) return;
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    throw new Error(`MONGO_URL and AMQP_URL are not set and no container runtime answers.\n${howTo}`);
  }
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
  const [mongo, rabbit] = await Promise.all([
    new MongoDBContainer('mongo:8.0').start(),
    new RabbitMQContainer('rabbitmq:4.1-management').start(),
  ]);
  globalThis.__crmTestContainers = [mongo, rabbit];
  process.env.MONGO_URL = mongo.getConnectionString();
  process.env.AMQP_URL = rabbit.getAmqpUrl();
}
