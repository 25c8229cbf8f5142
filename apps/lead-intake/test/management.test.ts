import { LeadPriority, LeadSort, QualificationHints, TagMatch, UpdateLeadRequest } from '@crm/contracts';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { uniqueId, waitFor } from '@crm/testing';
import { facebookKey, LeadIntakeHarness } from './support/lead-intake.harness';

interface LeadAnswer {
  id: string;
  email: string;
  tags: string[];
  priority: string;
  interest: string;
  hints: Record<string, unknown>;
  changedFields: string[];
}
interface Page {
  leads: LeadAnswer[];
  nextPageToken: string | null;
}

// Finding and editing leads over HTTP and gRPC, against the real MongoDB and RabbitMQ.
describe('managing leads', () => {
  let harness: LeadIntakeHarness;
  const run = uniqueId('m');
  const email = (name: string) => `${name}.${run}@acme.io`;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start();
    const post = (body: Record<string, unknown>, key?: string) => harness.post(body, key ? { 'x-api-key': key } : {});
    // One at a time, so creation times are ordered.
    for (const [body, key] of [
      [{ email: email('a'), tags: ['vip', 'crm'], priority: 'high', company: 'Acme Industries', name: 'Ana' }],
      [{ email: email('b'), tags: ['vip'], priority: 'low', company: 'Beta', name: 'Bob' }],
      [{ email: email('c'), tags: ['crm'], priority: 'high', company: 'Gamma', name: 'Carla (ACME)' }, facebookKey],
      [{ email: email('d'), tags: ['vip', 'crm'], priority: 'high', company: 'Delta', name: 'Dan' }, facebookKey],
      [{ email: email('e'), priority: 'medium', company: 'Epsilon', name: 'Eve' }],
    ] as [Record<string, unknown>, string?][]) {
      expect((await post(body, key)).status).toBe(201);
    }
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const list = async (query: string) => {
    const response = await harness.get(`/v1/leads?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };
  const names = async (query: string) => (await list(`pageSize=200&${query}`)).leads.map((l) => l.email.split('.')[0]);

  it('filters by tag (any or all), source and priority, combined', async () => {
    expect(await names('tag=vip&tag=crm&tagMatch=all')).toEqual(['a', 'd']);
    expect(await names('tag=vip,crm')).toEqual(['a', 'b', 'c', 'd']);
    expect(await names('tag=vip&tagMatch=all&source=facebook&priority=high')).toEqual(['d']);
    expect(await names('tag=crm&source=web-form&priority=high')).toEqual(['a']);
    expect(await names('source=facebook&priority=low')).toEqual([]);
  });

  it('finds text within name, e-mail and company, case-insensitively, with regex characters taken literally', async () => {
    expect(await names('q=acme%20ind')).toEqual(['a']);
    expect(await names('q=(ACME)')).toEqual(['c']);
    expect(await names(`q=${encodeURIComponent(`e.${run}`)}`)).toEqual(['e']);
    expect(await names('q=.*')).toEqual([]);
  });

  it('filters by creation range and sorts newest first, paging stably', async () => {
    const all = (await list('pageSize=200')).leads;
    const third = await harness.collection('leads').findOne({ _id: all[2].id as never });
    const from = (third!.createdAt as Date).toISOString();
    expect(await names(`createdFrom=${from}`)).toEqual(['c', 'd', 'e']);
    expect(await names(`createdTo=${from}`)).toEqual(['a', 'b']);

    const seen: string[] = [];
    let token: string | null = '';
    do {
      const page: Page = await list(`sort=-createdAt&pageSize=2${token ? `&pageToken=${token}` : ''}`);
      seen.push(...page.leads.map((l) => l.email.split('.')[0]));
      token = page.nextPageToken;
    } while (token);
    expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('refuses bad filters with 400 naming them', async () => {
    for (const query of [
      'priority=urgent',
      'tagMatch=most',
      'createdFrom=yesterday',
      'sort=name',
      'pageToken=forged',
      'colour=red',
      'source=a&source=b',
    ]) {
      const response = await harness.get(`/v1/leads?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('PATCH changes tags, priority, interest and hints, and publishes lead.updated with what changed', async () => {
    const [lead] = (await list(`q=${email('b')}`)).leads;
    const response = await harness.patch(lead.id, {
      addTags: ['hot'],
      removeTags: ['vip'],
      priority: 'high',
      interest: 'ERP',
      hints: { timelineDays: 30, budget: { currency: 'EUR', amountMinor: 500000 } },
    });
    expect(response.status).toBe(200);
    const changed = (await response.json()) as LeadAnswer;
    expect(changed).toMatchObject({
      tags: ['hot'],
      priority: 'high',
      interest: 'ERP',
      changedFields: ['tags', 'priority', 'interest', 'hints'],
    });
    expect(changed.hints).toEqual({
      budget: { currency: 'EUR', amountMinor: 500000 },
      timelineDays: 30,
      companySize: null,
      decisionRole: null,
    });
    const event = await waitFor('lead.updated', () => harness.probe.events('lead.updated').find((e) => e.lead?.id === lead.id));
    expect(event.changedFields).toEqual(['tags', 'priority', 'interest', 'hints']);
    expect(event.lead).toMatchObject({
      priority: LeadPriority.LEAD_PRIORITY_HIGH,
      tags: ['hot'],
      hints: { timelineDays: 30, budget: { currencyCode: 'EUR', amountMinor: '500000' } },
    });

    const cleared = (await (await harness.patch(lead.id, { hints: { timelineDays: null } })).json()) as LeadAnswer;
    expect(cleared.hints.timelineDays).toBeNull();
    const noChange = (await (await harness.patch(lead.id, { priority: 'high' })).json()) as LeadAnswer;
    expect(noChange.changedFields).toEqual([]);
    await waitFor('two lead.updated', () => harness.probe.events('lead.updated').filter((e) => e.lead?.id === lead.id).length === 2);
  });

  it('PATCH refuses bad input and unknown leads, changing nothing', async () => {
    const [lead] = (await list(`q=${email('e')}`)).leads;
    const cases: [unknown, number][] = [
      [{ priority: 'urgent' }, 400],
      [{ tags: ['a'], addTags: ['b'] }, 400],
      [{ email: 'new@acme.io' }, 400],
      [{ hints: { budget: { currency: 'EUR', amountMinor: 1.5 } } }, 400],
      [{ interest: { $set: 'x' } }, 400],
      [{}, 400],
      ['[1]', 400],
      ['{"broken', 400],
    ];
    for (const [body, status] of cases) expect((await harness.patch(lead.id, body)).status).toBe(status);
    expect((await harness.patch('no-such-lead', { priority: 'low' })).status).toBe(404);
    expect((await harness.patch(lead.id, 'priority=low', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect(await harness.collection('leads').findOne({ _id: lead.id as never })).toMatchObject({ version: 1, priority: 'medium' });
  });

  it('gRPC ListLeads filters like HTTP, and UpdateLead edits and publishes lead.updated', async () => {
    const listed = await harness.api.listLeads({
      source: '',
      tag: 'vip',
      tags: ['crm'],
      tagMatch: TagMatch.TAG_MATCH_ALL,
      priority: 0,
      status: 0,
      pageSize: 0,
      pageToken: '',
      query: run,
      sort: LeadSort.LEAD_SORT_CREATED_AT_DESC,
      createdFrom: undefined,
      createdTo: undefined,
    });
    expect(listed.leads.map((l) => l.email.split('.')[0])).toEqual(['d', 'a']);

    const id = listed.leads[0].id;
    const updated = await harness.api.updateLead({
      id,
      replaceTags: { tags: ['Won-Back'] },
      addTags: [],
      removeTags: [],
      priority: LeadPriority.LEAD_PRIORITY_LOW,
      interest: 'Support',
      hints: undefined,
    });
    expect(updated.changedFields).toEqual(['tags', 'priority', 'interest']);
    expect(updated.lead).toMatchObject({ tags: ['won-back'], priority: LeadPriority.LEAD_PRIORITY_LOW, interest: 'Support' });
    await waitFor('lead.updated', () => harness.probe.events('lead.updated').some((e) => e.lead?.id === id));

    await expect(
      harness.api.updateLead({ id, replaceTags: { tags: [] }, addTags: ['x'], removeTags: [], priority: 0, hints: undefined }),
    ).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(
      harness.api.updateLead({ id: 'nope', addTags: ['x'], removeTags: [], priority: 0, replaceTags: undefined, hints: undefined }),
    ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    await expect(
      harness.api.listLeads({
        source: '',
        tag: '',
        tags: [],
        tagMatch: 7 as TagMatch,
        priority: 0,
        status: 0,
        pageSize: 0,
        pageToken: '',
        query: '',
        sort: 0,
        createdFrom: undefined,
        createdTo: undefined,
      }),
    ).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
  });
  it('gRPC UpdateLead follows the PATCH rules, naming fields as the proto does, and replaces the hints whole', async () => {
    const [lead] = (await list(`q=${email('c')}`)).leads;
    type Change = Omit<Partial<UpdateLeadRequest>, 'hints'> & { hints?: Partial<QualificationHints> };
    const update = (change: Change) =>
      harness.api.updateLead({
        ...UpdateLeadRequest.fromPartial({ id: lead.id }),
        ...change,
        hints: change.hints && QualificationHints.fromPartial(change.hints),
      });
    const refused = async (req: Change) => {
      const error = (await update(req).then(
        () => undefined,
        (err: unknown) => err,
      )) as { code: number; details: string } | undefined;
      expect(error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
      return error!.details;
    };
    // As PATCH {} is: a request naming nothing to change.
    await refused({});
    expect(await refused({ replaceTags: { tags: ['a'] }, addTags: ['b'] })).toContain('replace_tags');
    expect(await refused({ interest: 'x'.repeat(201) })).toContain('interest');
    expect(await refused({ addTags: ['x'.repeat(51)] })).toContain('add_tags');
    expect(await refused({ hints: { budget: { currencyCode: 'XXY', amountMinor: '1' } } })).toContain('hints.budget.currency_code');
    expect(await refused({ hints: { budget: { currencyCode: 'EUR', amountMinor: '9007199254740993' } } })).toContain(
      'hints.budget.amount_minor',
    );
    expect(await refused({ hints: { timelineDays: 4000 } })).toContain('hints.timeline_days');
    expect(await refused({ hints: { companySize: 'huge' } })).toContain('hints.company_size');

    // The PATCH schema's own bound on amounts (any safe integer), not a narrower one of its own.
    const rich = await update({
      hints: { budget: { currencyCode: 'EUR', amountMinor: String(Number.MAX_SAFE_INTEGER) }, timelineDays: 90, companySize: '11-50' },
    });
    expect(rich.lead?.hints).toMatchObject({
      budget: { currencyCode: 'EUR', amountMinor: String(Number.MAX_SAFE_INTEGER) },
      timelineDays: 90,
      companySize: '11-50',
    });
    const replaced = await update({ hints: { timelineDays: 30 } });
    expect(replaced.changedFields).toEqual(['hints']);
    expect(replaced.lead?.hints).toMatchObject({ budget: undefined, timelineDays: 30, companySize: '' });
  });
});
