import mongoose, { type Connection } from 'mongoose';
import { createLogger } from '@crm/logging';
import { OutboxRelay, type OutboxClaim, type OutgoingEvent } from '@crm/messaging';
import { mongoUrlWithDatabase, testInfra, uniqueId } from '@crm/testing';
import { CaptureLead } from '../src/application/capture-lead';
import { IdempotentCapture } from '../src/application/idempotent-capture';
import type { Lead } from '../src/domain/lead';
import { aCapture } from '../src/domain/lead.fixture';
import { idempotencyKeyModel } from '../src/store/idempotency-key.model';
import { IdempotencyKeyRepository } from '../src/store/idempotency-key.repository';
import { leadIdentityModel } from '../src/store/lead-identity.model';
import { LeadIdentityRepository } from '../src/store/lead-identity.repository';
import { leadModel } from '../src/store/lead.model';
import { LeadRepository } from '../src/store/lead.repository';

type Fault = 'none' | 'before-write' | 'after-write';

// The real repository against the real MongoDB, failing on demand the way a network does: before the server got a
// write, or after it applied it (the reply lost).
class FaultyLeads extends LeadRepository {
  insertFault: Fault = 'none';
  updateFault: Fault = 'none';
  existsFails = false;

  override async insert(lead: Lead, events: OutgoingEvent[], claim: OutboxClaim): Promise<void> {
    await this.write(this.insertFault, () => super.insert(lead, events, claim));
  }

  override async update(id: string, decide: Parameters<LeadRepository['update']>[1]) {
    return this.write(this.updateFault, () => super.update(id, decide));
  }

  override async exists(id: string): Promise<boolean> {
    if (this.existsFails) throw new Error('connection lost');
    return super.exists(id);
  }

  private async write<T>(fault: Fault, run: () => Promise<T>): Promise<T> {
    if (fault === 'before-write') throw new Error('connection lost before the write');
    const result = await run();
    if (fault === 'after-write') throw new Error('connection lost before the reply');
    return result;
  }
}

// What a capture leaves behind when a write fails, against the real MongoDB: a retry must never make a second lead.
describe('captures whose writes fail', () => {
  const claimTimeoutMs = 300;
  const database = uniqueId('lead_intake_');
  let connection: Connection;
  let leads: FaultyLeads;
  let captureLead: CaptureLead;
  let idempotent: IdempotentCapture;

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrlWithDatabase(testInfra().mongoUrl, database)).asPromise();
    const leadDocuments = leadModel(connection);
    leads = new FaultyLeads(leadDocuments);
    // Never started: these tests look at what is stored, not at what is published.
    const relay = new OutboxRelay({
      source: leadDocuments,
      publisher: { publish: async () => undefined },
      logger: createLogger('test', 'silent'),
    });
    captureLead = new CaptureLead(
      leads,
      new LeadIdentityRepository(leadIdentityModel(connection)),
      relay,
      claimTimeoutMs,
      () => new Date(),
    );
    idempotent = new IdempotentCapture(captureLead, new IdempotencyKeyRepository(idempotencyKeyModel(connection)), leads, claimTimeoutMs);
  });

  afterEach(() => {
    leads.insertFault = 'none';
    leads.updateFault = 'none';
    leads.existsFails = false;
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  const person = () => aCapture({ email: `${uniqueId('fail-')}@acme.io`.toLowerCase() });
  const identitiesOf = (leadId: string) => connection.collection('lead_identities').countDocuments({ leadId });
  const leadsOf = (email: string) => connection.collection('leads').countDocuments({ email });

  it('answers created when the insert was applied although it failed, keeping the identities: a retry merges', async () => {
    const capture = person();
    leads.insertFault = 'after-write';
    const first = await captureLead.capture(capture, 'web-form', '');
    expect(first.outcome).toBe('created');
    expect(await identitiesOf(first.lead.id)).toBe(1);

    leads.insertFault = 'none';
    const retry = await captureLead.capture(capture, 'web-form', '');
    expect(retry).toMatchObject({ outcome: 'merged', lead: { id: first.lead.id } });
    expect(await leadsOf(capture.email)).toBe(1);
  });

  it('frees the identities when the insert surely did not land, so a retry creates the lead', async () => {
    const capture = person();
    leads.insertFault = 'before-write';
    await expect(captureLead.capture(capture, 'web-form', '')).rejects.toThrow('before the write');
    expect(await connection.collection('lead_identities').countDocuments({ _id: `email:${capture.email}` as never })).toBe(0);

    leads.insertFault = 'none';
    expect((await captureLead.capture(capture, 'web-form', '')).outcome).toBe('created');
  });

  it('keeps the identities claimed when it cannot tell whether the insert landed: the takeover resolves it later', async () => {
    const capture = person();
    leads.insertFault = 'after-write';
    leads.existsFails = true;
    await expect(captureLead.capture(capture, 'web-form', '')).rejects.toThrow('before the reply');
    const identity = await connection.collection('lead_identities').findOne({ _id: `email:${capture.email}` as never });
    expect(identity).not.toBeNull();

    leads.insertFault = 'none';
    leads.existsFails = false;
    const retry = await captureLead.capture(capture, 'web-form', '');
    expect(retry.lead.id).toBe(identity!.leadId);
    expect(await leadsOf(capture.email)).toBe(1);
  });

  it('keeps the Idempotency-Key when the failed capture reached the lead, and answers its retry as the first time', async () => {
    const capture = person();
    await captureLead.capture(capture, 'web-form', '');
    const key = uniqueId('key-');
    leads.updateFault = 'after-write';
    await expect(idempotent.capture({ ...capture, message: 'again' }, 'web-form', key)).rejects.toThrow('before the reply');
    expect(await connection.collection('idempotency_keys').findOne({ _id: `web-form:${key}` as never })).toMatchObject({ leadId: null });

    leads.updateFault = 'none';
    const retry = await idempotent.capture({ ...capture, message: 'again' }, 'web-form', key);
    expect(retry).toMatchObject({ outcome: 'replayed', firstOutcome: 'merged' });
    expect(retry.lead.touchpoints).toHaveLength(2);
  });

  it('frees the Idempotency-Key when the failed capture surely reached no lead', async () => {
    const capture = person();
    await captureLead.capture(capture, 'web-form', '');
    const key = uniqueId('key-');
    leads.updateFault = 'before-write';
    await expect(idempotent.capture({ ...capture, message: 'again' }, 'web-form', key)).rejects.toThrow('before the write');
    expect(await connection.collection('idempotency_keys').findOne({ _id: `web-form:${key}` as never })).toBeNull();
  });
});
