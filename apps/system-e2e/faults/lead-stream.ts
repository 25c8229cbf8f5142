import { sleep } from '@crm/testing';
import { intakeKey } from './service-fleet';

// Qualifying leads must open a deal; disposable ones must not; free-mail ones get whatever the rules decide.
export type LeadKind = 'qualifying' | 'disposable' | 'free-mail';

export interface SentLead {
  n: number;
  kind: LeadKind;
  body: Record<string, unknown>;
  idempotencyKey?: string;
  attempts: number;
  // The id of the lead in the 2xx answer; undefined when no attempt got a 2xx.
  acceptedId?: string;
  lastStatus?: number | 'refused' | 'timeout';
  probe: boolean;
}

export interface Answer {
  at: number;
  copy: number;
  status: number | 'refused' | 'timeout';
  latencyMs: number;
}

export interface PostResult {
  status: number | 'refused' | 'timeout';
  id?: string;
  replayed: boolean;
  latencyMs: number;
}

const requestTimeoutMs = 15_000;
// A lead is retried (as a web form's back end would) until this long after it was first sent.
const retryBudgetMs = 90_000;

function phoneFor(n: number): string {
  return `+34 6${String(n).padStart(8, '0')}`;
}

// A steady stream of new leads over every lead-intake copy. A request that could not connect (or was cut off) goes
// at once to the other copy, as a load balancer would; a 5xx, 409 or timeout is retried with a backoff, with the
// same body and Idempotency-Key. Only leads that got a 2xx count as accepted.
export class LeadStream {
  readonly leads: SentLead[] = [];
  readonly answers: Answer[] = [];
  readonly replays = { checked: 0, mismatched: [] as string[] };
  private next = 0;
  private running = false;
  private readonly pending = new Set<Promise<void>>();
  private inFlightRequests = 0;

  constructor(
    private readonly intakeUrls: string[],
    private readonly run: string,
  ) {}

  get inFlight(): number {
    return this.inFlightRequests;
  }

  // Launches leads at a fixed rate (open loop: a slow answer does not slow the stream) until stop().
  start(leadsPerSecond: number): void {
    this.running = true;
    const interval = 1000 / leadsPerSecond;
    const started = Date.now();
    void (async () => {
      for (let i = 0; this.running; i++) {
        this.launch(this.newLead(false));
        const due = started + (i + 1) * interval - Date.now();
        if (due > 0) await sleep(due);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  // One lead outside the stream, sent to one copy without retries (to see how intake answers right now).
  async probe(copy: number): Promise<{ lead: SentLead; result: PostResult }> {
    const lead = this.newLead(true);
    const result = await this.post(copy, lead);
    if (typeof result.status === 'number' && result.status >= 200 && result.status < 300) lead.acceptedId = result.id;
    lead.lastStatus = result.status;
    return { lead, result };
  }

  // A lead through the stream's retry logic, resolved once accepted or given up (a canary of the flow).
  async send(): Promise<SentLead> {
    const lead = this.newLead(false, 'qualifying');
    await this.deliver(lead);
    return lead;
  }

  private newLead(probe: boolean, kind?: LeadKind): SentLead {
    const n = this.next++;
    const chosen: LeadKind = kind ?? (['qualifying', 'qualifying', 'disposable', 'free-mail'] as const)[n % 4];
    const email = `lead-${this.run}-${n}@${chosen === 'qualifying' ? 'acme-industries.io' : chosen === 'disposable' ? 'mailinator.com' : 'gmail.com'}`;
    const body: Record<string, unknown> =
      chosen === 'qualifying'
        ? { name: `Fault Lead ${n}`, email, phone: phoneFor(n), company: `Acme ${n}`, interest: 'CRM', priority: 'high' }
        : chosen === 'disposable'
          ? { email }
          : { name: `Fault Lead ${n}`, email, interest: 'CRM', priority: 'low' };
    // Every third lead carries an Idempotency-Key (and is replayed once accepted).
    const lead: SentLead = {
      n,
      kind: chosen,
      body,
      attempts: 0,
      probe,
      ...(n % 3 === 0 ? { idempotencyKey: `faults-${this.run}-${n}` } : {}),
    };
    this.leads.push(lead);
    return lead;
  }

  private launch(lead: SentLead): void {
    const done = this.deliver(lead).finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  private async deliver(lead: SentLead): Promise<void> {
    const deadline = Date.now() + retryBudgetMs;
    let copy = lead.n % this.intakeUrls.length;
    for (let retry = 0; ; retry++) {
      const result = await this.post(copy, lead);
      lead.lastStatus = result.status;
      if (typeof result.status === 'number' && result.status >= 200 && result.status < 300) {
        lead.acceptedId = result.id;
        if (lead.idempotencyKey) await this.checkReplay(lead, (copy + 1) % this.intakeUrls.length);
        return;
      }
      // Bad input or a wrong key is a defect of the suite or of intake, not a fault to ride out.
      if (
        typeof result.status === 'number' &&
        result.status >= 400 &&
        result.status < 500 &&
        result.status !== 409 &&
        result.status !== 429
      )
        return;
      if (Date.now() > deadline) return;
      copy = (copy + 1) % this.intakeUrls.length;
      // Refused at once: the load balancer tries the other copy at once; anything else backs off.
      if (result.status !== 'refused' || retry > 0) await sleep(Math.min(2000, 250 * 2 ** Math.min(retry, 3)));
    }
  }

  // The same request again, on the other copy: a 2xx must be the first answer replayed. A 5xx or a refused
  // connection says nothing about idempotency (the fault of the moment), so it is not counted.
  private async checkReplay(lead: SentLead, copy: number): Promise<void> {
    const replay = await this.post(copy, lead);
    if (typeof replay.status !== 'number' || replay.status >= 500) return;
    this.replays.checked++;
    if (replay.status >= 300 || replay.id !== lead.acceptedId || !replay.replayed) {
      this.replays.mismatched.push(
        `lead ${lead.n}: replay answered ${replay.status}, id ${replay.id} (first ${lead.acceptedId}), replayed=${replay.replayed}`,
      );
    }
  }

  private async post(copy: number, lead: SentLead): Promise<PostResult> {
    lead.attempts++;
    this.inFlightRequests++;
    const started = Date.now();
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-api-key': intakeKey };
    if (lead.idempotencyKey) headers['idempotency-key'] = lead.idempotencyKey;
    let result: PostResult;
    try {
      const response = await fetch(`${this.intakeUrls[copy]}/v1/leads`, {
        method: 'POST',
        headers,
        body: JSON.stringify(lead.body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const json = (await response.json().catch(() => ({}))) as { id?: string };
      result = {
        status: response.status,
        id: json.id,
        replayed: response.headers.get('idempotent-replayed') === 'true',
        latencyMs: Date.now() - started,
      };
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      result = { status: timedOut ? 'timeout' : 'refused', replayed: false, latencyMs: Date.now() - started };
    } finally {
      this.inFlightRequests--;
    }
    this.answers.push({ at: started, copy, status: result.status, latencyMs: result.latencyMs });
    return result;
  }
}
