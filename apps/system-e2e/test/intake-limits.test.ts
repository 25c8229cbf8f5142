import {
  BrokerProbe,
  closeAddressedAgents,
  dropTestDatabase,
  freePort,
  mongoUrlWithDatabase,
  postFromAddress,
  ServiceProcess,
  sleep,
  testInfra,
  testNamespace,
  uniqueId,
  type AddressedAnswer,
} from '@crm/testing';
import { consumerNames } from '@crm/contracts';

const key = 'e2e-campaign-form-key';

// Two copies of lead-intake on one database, with the default limits, as an operator scales it out: a campaign
// burst through one public key from many visitors gets in whole; one sender is stopped, by both copies together.
describe('intake limits shared by two lead-intake copies', () => {
  const database = uniqueId('e2e_limits_');
  const namespace = testNamespace();
  let copies: ServiceProcess[] = [];

  beforeAll(async () => {
    const infra = testInfra();
    copies = await Promise.all(
      [0, 1].map(async () =>
        ServiceProcess.start({
          name: 'lead-intake',
          httpPort: await freePort(),
          grpcPort: await freePort(),
          env: {
            MONGO_URL: mongoUrlWithDatabase(infra.mongoUrl, database),
            AMQP_URL: infra.amqpUrl,
            AMQP_NAMESPACE: namespace,
            INTAKE_API_KEYS: `web-form=${key}`,
            LOG_LEVEL: 'warn',
          },
        }),
      ),
    );
  }, 90_000);

  afterAll(async () => {
    closeAddressedAgents();
    await Promise.all(copies.map((copy) => copy.stop()));
    const probe = await BrokerProbe.connect(testInfra().amqpUrl, namespace);
    await probe.deleteTopology([consumerNames['lead-intake']]);
    await probe.close();
    await dropTestDatabase(database);
  }, 60_000);

  const post = (n: number, from: string): Promise<AddressedAnswer> =>
    postFromAddress(
      `${copies[n % 2].httpUrl}/v1/leads`,
      from,
      { name: `Visitor ${n}`, email: `${uniqueId('burst-')}@acme-industries.io` },
      { 'x-api-key': key },
    );

  it('accepts 1000 leads from 200 visitors at 50/s on one key', async () => {
    const visitors = Array.from({ length: 200 }, (_, i) => `127.1.${Math.floor(i / 100)}.${(i % 100) + 1}`);
    const answers: Promise<AddressedAnswer>[] = [];
    const started = Date.now();
    for (let n = 0; n < 1000; n++) {
      answers.push(post(n, visitors[n % visitors.length]));
      // 50 per second, on schedule however long each answer takes.
      const due = started + (n + 1) * 20;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    const statuses = (await Promise.all(answers)).map((a) => a.status);
    const counts = statuses.reduce<Record<number, number>>((all, s) => ({ ...all, [s]: (all[s] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 201: 1000 });
  }, 120_000);

  it('limits 200 posts from one address within a minute, the two copies together', async () => {
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, n) => post(n, '127.2.0.1')));
    const tookMs = Date.now() - started;
    const accepted = answers.filter((a) => a.status === 201).length;
    // The default is 30 per 60 s per address on a key. The window slides: a burst that crosses a minute's turn may
    // gain what the passed time frees (30 per minute); copies counting apart would let 60 in.
    expect(accepted).toBeGreaterThanOrEqual(30);
    expect(accepted).toBeLessThanOrEqual(30 + Math.ceil((30 * tookMs) / 60_000));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(200 - accepted);
    for (const answer of refused) expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Both copies refused some: the count is shared, not per process.
    const refusedBy = new Set(answers.flatMap((a, n) => (a.status === 429 ? [n % 2] : [])));
    expect(refusedBy).toEqual(new Set([0, 1]));
  }, 60_000);
});
