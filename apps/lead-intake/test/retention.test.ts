import { ErasureReason, QualificationDecision } from '@crm/contracts';
import { QualificationStandIn, uniqueId, waitFor } from '@crm/testing';
import { LeadIntakeHarness } from './support/lead-intake.harness';

const day = 24 * 3600 * 1000;

// LEAD_RETENTION_DAYS against the real MongoDB and RabbitMQ: a lead that never qualified is erased once its last
// touchpoint is that old, through the same path as a request; qualified and recent leads stay, and so does one
// qualification has just qualified although lead-intake has not heard of it yet.
describe('the retention period of leads that never qualify', () => {
  let harness: LeadIntakeHarness;
  let qualification: QualificationStandIn;

  beforeAll(async () => {
    qualification = await QualificationStandIn.start();
    harness = await LeadIntakeHarness.start({
      LEAD_RETENTION_DAYS: '30',
      LEAD_RETENTION_SWEEP_SECONDS: '1',
      QUALIFICATION_GRPC_ADDRESS: qualification.address,
    });
  });

  afterAll(async () => {
    await harness?.stop();
    await qualification?.stop();
  });

  async function capture(): Promise<string> {
    const response = await harness.post({ name: 'Old Lead', email: `${uniqueId('old')}@acme.io`, message: 'From long ago' });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  // Moves a lead's capture and touchpoints back in time, as if it had come in `days` ago, and sets its status.
  const age = (id: string, days: number, status: string) => {
    const at = new Date(Date.now() - days * day);
    return harness
      .collection('leads')
      .updateOne({ _id: id as never }, { $set: { status, createdAt: at, updatedAt: at, 'touchpoints.$[].at': at } });
  };
  const stored = (id: string) => harness.collection('leads').findOne({ _id: id as never });

  it('erases the idle unqualified leads with lead.erased, and keeps qualified, converted and recent ones', async () => {
    const [idle, disqualified, qualified, converted, recent, justQualified] = [
      await capture(),
      await capture(),
      await capture(),
      await capture(),
      await capture(),
      await capture(),
    ];
    qualification.decisions.set(justQualified, QualificationDecision.QUALIFICATION_DECISION_QUALIFIED);
    qualification.decisions.set(idle, QualificationDecision.QUALIFICATION_DECISION_NURTURING);
    await age(qualified, 90, 'qualified');
    await age(converted, 90, 'converted');
    await age(recent, 29, 'nurturing');
    await age(justQualified, 60, 'nurturing');
    // Aged last, so the sweep that erases these two ran after every lead was aged.
    await age(idle, 31, 'nurturing');
    await age(disqualified, 45, 'disqualified');

    for (const id of [idle, disqualified]) {
      const lead = await waitFor(`lead ${id} erased`, async () => {
        const doc = await stored(id);
        return doc?.erasure ? doc : undefined;
      });
      expect(lead).toMatchObject({ name: '', email: '', message: '', erasure: { reason: 'retention-expired', by: 'system' } });
      expect((await harness.get(`/v1/leads/${id}`)).status).toBe(410);
    }
    const events = await harness.probe.waitForEvents('lead.erased', 2);
    expect(events.map((e) => [e.leadId, e.reason, e.erasedBy]).sort()).toEqual(
      [
        [idle, ErasureReason.ERASURE_REASON_RETENTION_EXPIRED, 'system'],
        [disqualified, ErasureReason.ERASURE_REASON_RETENTION_EXPIRED, 'system'],
      ].sort(),
    );
    for (const id of [qualified, converted, recent, justQualified]) expect((await stored(id))?.erasure).toBeNull();
  });

  // Last in the file: the service's clock stays moved for every lead after this.
  it('erases a lead captured now once its business clock has moved past the retention period', async () => {
    const id = await capture();
    await waitFor('the capture to be stamped', async () => (await stored(id))?.createdAt instanceof Date);
    const capturedAt = (await stored(id))!.createdAt as Date;
    expect(Math.abs(capturedAt.getTime() - Date.now())).toBeLessThan(60_000);
    harness.clock.advance(31 * day);
    const erased = await waitFor(`lead ${id} erased`, async () => (await stored(id))?.erasure ?? undefined);
    expect(erased).toMatchObject({ reason: 'retention-expired', by: 'system' });
    // The erasure is stamped with the moved clock, not the machine's.
    expect((erased as { at: Date }).at.getTime() - Date.now()).toBeGreaterThan(30 * day);
  });
});
