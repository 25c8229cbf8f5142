import { loadConfig } from '@crm/config';
import { LeadServiceClient, type LeadServiceService } from '@crm/contracts';
import { InProcessService, type PromiseClient } from '@crm/testing';
import { leadIntakeConfigSchema } from '../../src/config';
import { leadStatusConsumer, startLeadIntake } from '../../src/lead-intake-service';

export const apiKey = 'test-web-form-key';
export const facebookKey = 'test-facebook-key';
// Reads and edits leads; the intake keys above only capture.
export const leadsKey = 'test-leads-key';

// lead-intake in the test process, reached over HTTP, gRPC and the broker.
export class LeadIntakeHarness {
  readonly api: PromiseClient<typeof LeadServiceService>;

  private constructor(readonly running: InProcessService) {
    this.api = running.grpc(LeadServiceClient);
  }

  static async start(env: Record<string, string> = {}): Promise<LeadIntakeHarness> {
    const running = await InProcessService.start({
      databasePrefix: 'lead_intake_',
      consumers: [leadStatusConsumer],
      tap: ['#'],
      env: {
        INTAKE_API_KEYS: `web-form=${apiKey},facebook=${facebookKey}`,
        LEADS_API_KEYS: `ops=${leadsKey}`,
        INTAKE_MAX_BODY_BYTES: '4096',
        INTAKE_RATE_LIMIT_POINTS: '1000000',
        INTAKE_RATE_LIMIT_PER_ADDRESS: '1000000',
        ...env,
      },
      // With the broker unreachable on purpose, the service cannot be ready.
      waitUntilReady: env.AMQP_URL === undefined,
      start: (processEnv, clock) => startLeadIntake(loadConfig(leadIntakeConfigSchema, processEnv), { handleSignals: false, clock }),
    });
    return new LeadIntakeHarness(running);
  }

  get probe() {
    return this.running.probe;
  }

  get clock() {
    return this.running.clock;
  }

  url(path: string): string {
    return this.running.url(path);
  }

  post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.url('/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  get(path: string, key = leadsKey): Promise<Response> {
    return fetch(this.url(path), { headers: { 'x-api-key': key } });
  }

  postForm(fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(name, v);
    return fetch(this.url('/v1/leads'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form.toString(),
      redirect: 'manual',
    });
  }

  patch(id: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(this.url(`/v1/leads/${id}`), {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', 'x-api-key': leadsKey, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  // What the service stored, read directly from its database.
  collection(name: 'leads' | 'lead_identities' | 'idempotency_keys') {
    return this.running.db.collection(name);
  }

  stop(): Promise<void> {
    return this.running.stop();
  }
}
