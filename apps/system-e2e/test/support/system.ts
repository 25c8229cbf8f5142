import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DealServiceClient,
  LeadServiceClient,
  ListDealsRequest,
  QualificationServiceClient,
  ReportingServiceClient,
  type Deal,
  type DealServiceService,
  type LeadServiceService,
  type QualificationServiceService,
  type ReportingServiceService,
  consumerNames,
  serviceNames,
  type ServiceName,
} from '@crm/contracts';
import {
  BrokerProbe,
  dropTestDatabase,
  freePort,
  asCaller,
  mongoUrlWithDatabase,
  ServiceProcess,
  testInfra,
  testNamespace,
  promiseClient,
  uniqueId,
  waitFor,
  type PromiseClient,
} from '@crm/testing';

export { consumerNames, serviceNames, type ServiceName };

export const intakeKey = 'e2e-web-form-key';

// One key per intake channel: the key names the channel a lead came through.
export const intakeKeys = { 'web-form': intakeKey, facebook: 'e2e-facebook-key', 'landing-page': 'e2e-landing-page-key' };
export type IntakeChannel = keyof typeof intakeKeys;

// Reads and edits leads over HTTP; intake keys only capture them.
export const leadsKey = 'e2e-leads-key';

// Reads the sales figures over HTTP and on the dashboard.
export const reportsKey = 'e2e-reports-key';

// Default deal values by interest (minor units); "crm" has none, so its deals open at zero as before.
export const dealValueByInterest = 'erp=2500000,analytics=1000000';

// The four services as separate processes on free ports, each with a database of its own and all on an isolated
// broker namespace; clients reach them only through HTTP, gRPC and the broker.
export class RunningSystem {
  private constructor(
    readonly services: Record<ServiceName, ServiceProcess>,
    readonly databases: Record<ServiceName, string>,
    readonly probe: BrokerProbe,
    readonly leads: PromiseClient<typeof LeadServiceService>,
    readonly qualifications: PromiseClient<typeof QualificationServiceService>,
    readonly deals: PromiseClient<typeof DealServiceService>,
    readonly reporting: PromiseClient<typeof ReportingServiceService>,
  ) {}

  // `env` adds to (or overrides) every service's variables, `envOf` one service's; `token` is what the system's own
  // gRPC clients present.
  static async start(
    options: { env?: Record<string, string>; envOf?: Partial<Record<ServiceName, Record<string, string>>>; token?: string } = {},
  ): Promise<RunningSystem> {
    const infra = testInfra();
    const namespace = testNamespace();
    const run = uniqueId('e2e');
    const databases = Object.fromEntries(serviceNames.map((name) => [name, `${run}_${name.replace('-', '_')}`])) as Record<
      ServiceName,
      string
    >;
    const probe = await BrokerProbe.connect(infra.amqpUrl, namespace);
    await probe.tap();
    const ports = Object.fromEntries(
      await Promise.all(serviceNames.map(async (name) => [name, { httpPort: await freePort(), grpcPort: await freePort() }] as const)),
    ) as Record<ServiceName, { httpPort: number; grpcPort: number }>;
    const started = await Promise.all(
      serviceNames.map(async (name) =>
        ServiceProcess.start({
          name,
          ...ports[name],
          env: {
            // Where deals asks qualification whether a lead is qualified (OpenDeal), and where lead-intake's export
            // reads qualification and deals.
            QUALIFICATION_GRPC_ADDRESS: `127.0.0.1:${ports.qualification.grpcPort}`,
            DEALS_GRPC_ADDRESS: `127.0.0.1:${ports.deals.grpcPort}`,
            MONGO_URL: mongoUrlWithDatabase(infra.mongoUrl, databases[name]),
            AMQP_URL: infra.amqpUrl,
            AMQP_NAMESPACE: namespace,
            INTAKE_API_KEYS: Object.entries(intakeKeys)
              .map(([channel, key]) => `${channel}=${key}`)
              .join(','),
            LEADS_API_KEYS: `e2e=${leadsKey}`,
            REPORTS_API_KEYS: `e2e=${reportsKey}`,
            // Every test client posts from loopback: one address.
            INTAKE_RATE_LIMIT_PER_ADDRESS: '1000000',
            DEAL_VALUE_BY_INTEREST: dealValueByInterest,
            LOG_LEVEL: 'warn',
            // Tests read figures right after the events they wait for: reports must not come from a cache.
            REPORT_CACHE_MS: '0',
            ...options.env,
            ...options.envOf?.[name],
          },
        }),
      ),
    );
    const services = Object.fromEntries(serviceNames.map((name, i) => [name, started[i]])) as Record<ServiceName, ServiceProcess>;
    return new RunningSystem(
      services,
      databases,
      probe,
      promiseClient(LeadServiceClient, services['lead-intake'].grpcAddress, asCaller(options.token)),
      promiseClient(QualificationServiceClient, services.qualification.grpcAddress, asCaller(options.token)),
      promiseClient(DealServiceClient, services.deals.grpcAddress, asCaller(options.token)),
      promiseClient(ReportingServiceClient, services.reporting.grpcAddress, asCaller(options.token)),
    );
  }

  async postLead(
    body: Record<string, unknown>,
    channel: IntakeChannel = 'web-form',
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${this.services['lead-intake'].httpUrl}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': intakeKeys[channel] },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  // Stops every service with SIGTERM and returns their exit codes, then removes what the run left behind.
  async stop(): Promise<Record<ServiceName, number | null>> {
    for (const client of [this.leads, this.qualifications, this.deals, this.reporting]) client.close();
    const codes = await Promise.all(serviceNames.map((name) => this.services[name].stop()));
    await this.probe.deleteTopology(Object.values(consumerNames));
    await this.probe.close();
    for (const database of Object.values(this.databases)) await dropTestDatabase(database);
    return Object.fromEntries(serviceNames.map((name, i) => [name, codes[i]])) as Record<ServiceName, number | null>;
  }

  // Waits for the deal deals opened for the lead.
  dealOf(leadId: string): Promise<Deal> {
    return waitFor(
      `the deal of lead ${leadId}`,
      async () => (await this.deals.listDeals(ListDealsRequest.fromPartial({ leadId }))).deals[0],
    );
  }

  // Runs reporting's `main.js rebuild` on this system's reporting database and returns what it printed last.
  async rebuildReporting(): Promise<Record<string, unknown>> {
    const repositoryRoot = join(__dirname, '../../../..');
    const { stdout } = await promisify(execFile)(process.execPath, [join(repositoryRoot, 'dist/apps/reporting/main.js'), 'rebuild'], {
      cwd: repositoryRoot,
      env: {
        PATH: process.env.PATH ?? '',
        MONGO_URL: mongoUrlWithDatabase(testInfra().mongoUrl, this.databases.reporting),
        LOG_LEVEL: 'warn',
      },
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  }

  // Every line every service wrote, stdout and stderr.
  allLogs(): string[] {
    return serviceNames.flatMap((name) => this.services[name].logs);
  }

  logs(): string {
    return serviceNames.map((name) => `--- ${name}\n${this.services[name].logs.slice(-20).join('\n')}`).join('\n');
  }
}
