import { leadStatusConsumer } from './messaging/lead-status.consumer';
import { ServiceKit, systemClock, type StartedService, type StartOptions } from '@crm/service-runtime';
import { CaptureLead } from './application/capture-lead';
import { EraseLead } from './application/erase-lead';
import { ExportLead } from './application/export-lead';
import { IdempotentCapture } from './application/idempotent-capture';
import { LeadIntake } from './application/lead-intake';
import { LeadStatusUpdates } from './application/lead-status-updates';
import { RequestLimits } from './application/request-limits';
import { RetentionSweep } from './application/retention-sweep';
import type { LeadIntakeConfig } from './config';
import { leadServiceBinding } from './grpc/lead-service.grpc';
import { PersonRecordsClient } from './grpc/person-records.client';
import { ApiKeys } from '@crm/access';
import { onLeadErased } from '@crm/messaging';
import { grpcPeerOf } from '@crm/config';
import { docsRoutes } from './http/docs.routes';
import { leadBodySchema } from './wire/lead-body.schema';
import { leadRoutes } from './http/lead.routes';
import { openApiDocument } from './http/openapi.document';
import { onDealOpened } from './messaging/on-deal-opened.handler';
import { onQualificationDecided } from './messaging/on-qualification-decided.handler';
import { idempotencyKeyModel } from './store/idempotency-key.model';
import { IdempotencyKeyRepository } from './store/idempotency-key.repository';
import { leadIdentityModel } from './store/lead-identity.model';
import { LeadIdentityRepository } from './store/lead-identity.repository';
import { leadModel } from './store/lead.model';
import { LeadRepository } from './store/lead.repository';
import { rateCounterModel } from './store/rate-counter.model';
import { RateCounterRepository } from './store/rate-counter.repository';

export { leadStatusConsumer } from './messaging/lead-status.consumer';

// Wires lead-intake: its store, the outbox relay, the status consumer, the intake HTTP API and gRPC LeadService.
export async function startLeadIntake(config: LeadIntakeConfig, options: StartOptions = {}): Promise<StartedService> {
  const kit = await ServiceKit.boot({
    name: 'lead-intake',
    defaultDatabase: 'crm_lead_intake',
    env: config,
    handleSignals: options.handleSignals,
  });
  if (config.INTAKE_API_KEYS.length === 0) kit.logger.warn('INTAKE_API_KEYS is empty: every intake request will be refused');
  if (config.LEADS_API_KEYS.length === 0) kit.logger.warn('LEADS_API_KEYS is empty: every HTTP read or edit of leads will be refused');
  if (!config.QUALIFICATION_GRPC_TOKEN || !config.DEALS_GRPC_TOKEN)
    kit.logger.warn(
      'QUALIFICATION_GRPC_TOKEN or DEALS_GRPC_TOKEN is empty: exports answer 503 and the retention sweep keeps every lead until both are set',
    );

  const now = options.clock ?? systemClock;
  const leadDocuments = leadModel(kit.mongo);
  const leads = new LeadRepository(leadDocuments);
  const relay = kit.startOutboxRelay(leadDocuments);
  const identities = new LeadIdentityRepository(leadIdentityModel(kit.mongo));
  const idempotencyKeys = new IdempotencyKeyRepository(idempotencyKeyModel(kit.mongo));
  const captureLead = new CaptureLead(leads, identities, relay, config.INTAKE_CLAIM_TIMEOUT_MS, now);
  const idempotentCapture = new IdempotentCapture(captureLead, idempotencyKeys, leads, config.INTAKE_CLAIM_TIMEOUT_MS);
  const intake = new LeadIntake(leads, idempotentCapture, relay, now);
  const erasure = new EraseLead(leads, identities, idempotencyKeys, relay, now);
  const records = new PersonRecordsClient(grpcPeerOf(config, 'QUALIFICATION'), grpcPeerOf(config, 'DEALS'));
  kit.lifecycle.onStop('qualification and deals clients', () => records.close());
  const exporting = new ExportLead(intake, records, now);
  const statuses = new LeadStatusUpdates(leads, now);
  if (config.LEAD_RETENTION_DAYS > 0) {
    const retention = new RetentionSweep(leads, erasure, records, config.LEAD_RETENTION_DAYS, kit.logger, now);
    const sweepRetention = () =>
      void retention.sweep().catch((err: unknown) => kit.logger.warn({ err }, 'the retention sweep failed; the next one retries'));
    const retentionTimer = setInterval(sweepRetention, config.LEAD_RETENTION_SWEEP_SECONDS * 1000);
    retentionTimer.unref();
    kit.lifecycle.onStop('retention sweep', () => clearInterval(retentionTimer));
    sweepRetention();
  }

  // Every handler here is safe to run again (a status only moves forward, a decision older than the one in force
  // changes nothing, forgetting keys twice forgets nothing more), so the inbox only records what was handled.
  await kit.consume(
    leadStatusConsumer,
    {
      'lead.qualified': onQualificationDecided(statuses),
      'lead.nurturing': onQualificationDecided(statuses),
      'lead.disqualified': onQualificationDecided(statuses),
      'deal.opened': onDealOpened(statuses),
      // Its own event: the erasure ran in the request; this finishes it even if the process stopped right after the
      // write (the keys naming the person), then removes the messages kept about them, here and (erasures start
      // here) in the queue of events no one was bound for.
      'lead.erased': onLeadErased(
        (leadId) => erasure.forgetKeys(leadId),
        (leadId) => kit.eraseKeptMessages(leadId, { unrouted: true }),
      ),
    },
    { deduplication: 'record' },
  );
  const bodySchema = leadBodySchema(config.INTAKE_DEFAULT_PHONE_REGION);
  const limits = new RequestLimits(new RateCounterRepository(rateCounterModel(kit.mongo)));
  // Windows past use are removed now and then: a scan on mongo-java-server, so not per request.
  const sweep = setInterval(() => {
    limits.sweep().catch((err: unknown) => kit.logger.warn({ err }, 'could not remove expired rate counters; next sweep retries'));
  }, config.INTAKE_RATE_LIMIT_WINDOW_SECONDS * 1000);
  sweep.unref();
  kit.lifecycle.onStop('rate counter sweep', () => clearInterval(sweep));
  kit.lifecycle.onStop('rate counters', () => limits.writePending());
  const ports = await kit.serve({
    grpc: [leadServiceBinding({ intake, erasure, exporting, logger: kit.logger })],
    routes: (app) => {
      docsRoutes(app, openApiDocument(bodySchema));
      leadRoutes(app, {
        intake,
        erasure,
        exporting,
        intakeKeys: new ApiKeys(config.INTAKE_API_KEYS),
        leadsKeys: new ApiKeys(config.LEADS_API_KEYS),
        bodySchema,
        maxBodyBytes: config.INTAKE_MAX_BODY_BYTES,
        corsOrigins: config.INTAKE_CORS_ORIGINS,
        redirectOrigins: config.INTAKE_REDIRECT_ORIGINS,
        limits,
        perAddress: {
          name: 'address',
          points: config.INTAKE_RATE_LIMIT_PER_ADDRESS,
          windowSeconds: config.INTAKE_RATE_LIMIT_WINDOW_SECONDS,
        },
        // The ceiling is high and every capture through the key counts against it: batched, a write per 100 ms per copy.
        perKey: {
          name: 'key',
          points: config.INTAKE_RATE_LIMIT_POINTS,
          windowSeconds: config.INTAKE_RATE_LIMIT_WINDOW_SECONDS,
          batchMs: 100,
        },
        trustedProxies: config.INTAKE_TRUSTED_PROXIES,
        honeypotField: config.INTAKE_HONEYPOT_FIELD,
      });
    },
  });
  return { kit, ...ports };
}
