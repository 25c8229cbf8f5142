import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import {
  ActivityKind,
  AddActivityRequest,
  CreatePipelineRequest,
  DealServiceClient,
  LeadServiceClient,
  ListDealsRequest,
  ListLeadsRequest,
  OpenDealRequest,
  QualificationDecision,
  QualificationServiceClient,
  QualifyLeadRequest,
  MoveDealStageRequest,
  ReopenDealRequest,
  UpdateLeadRequest,
  ReplaceRuleSetRequest,
  ReportingServiceClient,
  WinDealRequest,
  type Deal,
} from '@crm/contracts';
import { asCaller, grpcFailure, testGrpcToken, testInfra, waitFor, promiseClient } from '@crm/testing';
import { intakeKey, leadsKey, reportsKey, RunningSystem } from './support/system';

// Who calls the four gRPC APIs, as an operator would set it up: the system's own test client with every scope,
// deals (reading qualification with its own token), a sales console that reads and writes, and a viewer with no
// scope entry (so: read). The secrets reach the services through *_FILE variables, as mounted secrets do.
const tokens = { deals: 'deals-to-qualification-token', console: 'sales-console-token', viewer: 'read-only-viewer-token' };
const secretsDir = mkdtempSync(join(tmpdir(), 'e2e-secrets-'));
const secretFile = (name: string, value: string) => {
  const path = join(secretsDir, name);
  writeFileSync(path, `${value}\n`);
  return path;
};
const grpcClients = `test=${testGrpcToken},deals=${tokens.deals},console=${tokens.console},viewer=${tokens.viewer}`;

// The people's contact details posted in this run: no log line may carry them either.
const personal: string[] = [];
const remember = (value: string) => {
  personal.push(value, value.replace(/\s/g, ''));
  return value;
};

describe('gRPC access across the four services, with secrets from files', () => {
  let system: RunningSystem;
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    system = await RunningSystem.start({
      env: {
        GRPC_CLIENTS: '',
        GRPC_CLIENTS_FILE: secretFile('grpc-clients', grpcClients),
        GRPC_CLIENT_SCOPES: 'test=read|write|admin,deals=read,console=read|write',
        // Every line the services can write, so the scan below sees them all.
        LOG_LEVEL: 'debug',
      },
      envOf: {
        deals: { QUALIFICATION_GRPC_TOKEN: '', QUALIFICATION_GRPC_TOKEN_FILE: secretFile('qualification-token', tokens.deals) },
        'lead-intake': { LEADS_API_KEYS: '', LEADS_API_KEYS_FILE: secretFile('leads-keys', `e2e=${leadsKey}`) },
      },
    });
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    if (system) await system.stop();
  }, 90_000);

  const dealsAs = (token: string) => {
    const client = promiseClient(DealServiceClient, system.services.deals.grpcAddress, asCaller(token));
    clients.push(client);
    return client;
  };
  const qualificationAs = (token: string) => {
    const client = promiseClient(QualificationServiceClient, system.services.qualification.grpcAddress, asCaller(token));
    clients.push(client);
    return client;
  };

  async function qualifiedDeal(): Promise<Deal> {
    const posted = await system.postLead({
      name: 'Access Lead',
      email: remember(`access-${Date.now()}@acme-industries.io`),
      phone: remember(`+34 6${String(Date.now()).slice(-8)}`),
      company: 'Acme',
      interest: 'CRM',
      priority: 'high',
    });
    const leadId = posted.json.id as string;
    return waitFor('the deal of the lead', async () => {
      const found = await system.deals.listDeals(ListDealsRequest.fromPartial({ leadId }));
      return found.deals[0];
    });
  }

  it('refuses a call without a token, or with a wrong one, on every service', async () => {
    const services = system.services;
    for (const token of [undefined, 'not-a-token-of-this-system']) {
      const options = token === undefined ? {} : asCaller(token);
      const leads = promiseClient(LeadServiceClient, services['lead-intake'].grpcAddress, options);
      const reporting = promiseClient(ReportingServiceClient, services.reporting.grpcAddress, options);
      const deals = promiseClient(DealServiceClient, services.deals.grpcAddress, options);
      const qualification = promiseClient(QualificationServiceClient, services.qualification.grpcAddress, options);
      clients.push(leads, reporting, deals, qualification);
      const refusals = await Promise.all([
        grpcFailure(leads.listLeads(ListLeadsRequest.fromPartial({}))),
        grpcFailure(qualification.getQualification({ leadId: 'l-1' })),
        grpcFailure(deals.listDeals(ListDealsRequest.fromPartial({}))),
        grpcFailure(reporting.getFunnel({ from: undefined, to: undefined, source: '' })),
      ]);
      expect(refusals.map((err) => err?.code)).toEqual(Array(4).fill(status.UNAUTHENTICATED));
    }
  });

  it('keeps a read token off write methods and a write token off admin methods', async () => {
    const deal = await qualifiedDeal();
    const viewerWin = await grpcFailure(
      dealsAs(tokens.viewer).winDeal(WinDealRequest.fromPartial({ dealId: deal.id, expectedVersion: deal.version })),
    );
    expect(viewerWin?.code).toBe(status.PERMISSION_DENIED);
    expect(viewerWin?.details).toContain('viewer may not call /crm.v1.DealService/WinDeal');

    const consolePipeline = await grpcFailure(
      dealsAs(tokens.console).createPipeline(CreatePipelineRequest.fromPartial({ id: 'console-made', name: 'x' })),
    );
    expect(consolePipeline?.code).toBe(status.PERMISSION_DENIED);
    const consoleRules = await grpcFailure(
      qualificationAs(tokens.console).replaceRuleSet(ReplaceRuleSetRequest.fromPartial({ reason: 'x' })),
    );
    expect(consoleRules?.code).toBe(status.PERMISSION_DENIED);
    // deals' own token reads qualification, and nothing more.
    const dealsDecides = await grpcFailure(
      qualificationAs(tokens.deals).qualifyLead(
        QualifyLeadRequest.fromPartial({ leadId: deal.leadId, decision: QualificationDecision.QUALIFICATION_DECISION_DISQUALIFIED }),
      ),
    );
    expect(dealsDecides?.code).toBe(status.PERMISSION_DENIED);
  });

  async function disqualifiedLead(): Promise<string> {
    const posted = await system.postLead({ email: remember(`nobody-${Date.now()}@mailinator.com`) });
    const leadId = posted.json.id as string;
    await waitFor('the lead to be decided', async () => {
      const found = await grpcFailure(system.qualifications.getQualification({ leadId }));
      return found === undefined;
    });
    return leadId;
  }

  it('records the calling client as the actor of its changes', async () => {
    const deal = await qualifiedDeal();
    const added = await dealsAs(tokens.console).addActivity(
      AddActivityRequest.fromPartial({ dealId: deal.id, kind: ActivityKind.ACTIVITY_KIND_CALL, subject: 'Intro call', actor: 'marta' }),
    );
    expect(added.activity?.actor).toBe('marta via console');

    // A person overrides the automatic disqualification through the console, which names no one: the console is the actor.
    const leadId = await disqualifiedLead();
    const decided = await qualificationAs(tokens.console).qualifyLead(
      QualifyLeadRequest.fromPartial({
        leadId,
        decision: QualificationDecision.QUALIFICATION_DECISION_QUALIFIED,
        reason: 'confirmed on the call',
      }),
    );
    expect(decided.qualification?.decidedBy).toBe('console');

    // The deal's moves, its close and its reopening name who made them.
    const sales = dealsAs(tokens.console);
    const moved = await sales.moveDealStage(MoveDealStageRequest.fromPartial({ dealId: deal.id, stage: 'contacted' }));
    expect(moved.deal?.stageHistory.map((v) => [v.stage, v.enteredBy])).toEqual([
      ['qualified', 'system'],
      ['contacted', 'console'],
    ]);
    const won = await sales.winDeal(WinDealRequest.fromPartial({ dealId: deal.id }));
    expect(won.deal?.closedBy).toBe('console');
    const reopened = await dealsAs(testGrpcToken).reopenDeal(ReopenDealRequest.fromPartial({ dealId: deal.id }));
    expect(reopened.deal).toMatchObject({ closedBy: '' });
    expect(reopened.deal?.stageHistory.at(-1)?.enteredBy).toBe('test');

    // Pipelines record who created and who changed them; leads, who edited them (over gRPC and over HTTP).
    const created = await dealsAs(testGrpcToken).createPipeline(
      CreatePipelineRequest.fromPartial({
        id: `access-${Date.now()}`,
        name: 'Access',
        cycleDays: 10,
        stages: [{ id: 'intro', labelEs: 'Intro', labelEn: 'Intro', probability: 20, rottingDays: 0 }],
      }),
    );
    expect(created.pipeline).toMatchObject({ createdBy: 'test', updatedBy: 'test' });
    const leads = promiseClient(LeadServiceClient, system.services['lead-intake'].grpcAddress, asCaller(tokens.console));
    clients.push(leads);
    const edited = await leads.updateLead(UpdateLeadRequest.fromPartial({ id: deal.leadId, addTags: ['vip'] }));
    expect(edited.lead?.updatedBy).toBe('console');
    const patched = await fetch(`${system.services['lead-intake'].httpUrl}/v1/leads/${deal.leadId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', 'x-api-key': leadsKey },
      body: JSON.stringify({ priority: 'low' }),
    });
    expect(((await patched.json()) as { updatedBy: string }).updatedBy).toBe('e2e');
  });

  it('lets deals ask qualification with its own token when a deal is opened by hand', async () => {
    const leadId = await disqualifiedLead();
    // Qualification answered deals (its token accepted): the lead is not qualified. A refused token would be UNAVAILABLE.
    const refused = await grpcFailure(dealsAs(tokens.console).openDeal(OpenDealRequest.fromPartial({ leadId })));
    expect(refused?.code).toBe(status.FAILED_PRECONDITION);
    expect(refused?.details).toContain('qualification decision: disqualified');
  });

  it('writes no secret and no e-mail or phone into any log line of the whole run', async () => {
    const lines = system.allLogs();
    expect(lines.length).toBeGreaterThan(5);
    const secrets = [testGrpcToken, ...Object.values(tokens), leadsKey, intakeKey, reportsKey, grpcClients, testInfra().amqpUrl];
    const leaking = lines.filter((line) => secrets.some((secret) => line.includes(secret)));
    expect(leaking).toEqual([]);
    expect(personal.length).toBeGreaterThan(4);
    expect(lines.filter((line) => personal.some((value) => line.includes(value)))).toEqual([]);
  });
});
