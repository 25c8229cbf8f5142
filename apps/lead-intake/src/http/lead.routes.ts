import express, { type Express, type Request } from 'express';
import { ValidationError } from '@crm/errors';
import { parseOrThrow, sendProblem } from '@crm/service-runtime';
import type { EraseLead, ErasureResult } from '../application/erase-lead';
import type { ExportLead } from '../application/export-lead';
import type { LeadIntake } from '../application/lead-intake';
import type { ApiKeys, Caller } from '@crm/access';
import { formToBody } from './form-body';
import { redirectTarget } from './form-redirect';
import type { Limit, RequestLimits } from '../application/request-limits';
import { authenticate, intakeCors, limitCaptures, limitPerKey } from './intake-guard';
import type { LeadBodySchema } from '../wire/lead-body.schema';
import { leadPatchSchema } from '../wire/lead-patch.schema';
import { erasureQuerySchema } from './erasure-query.schema';
import { listQuerySchema } from './lead-query.schema';
import { leadExportJson } from './lead-export.json';
import { leadJson } from './lead.json';

export interface LeadRoutesDeps {
  intake: LeadIntake;
  erasure: EraseLead;
  exporting: ExportLead;
  // Intake channels' keys (public) capture leads; leads keys (secret) read and edit them.
  intakeKeys: ApiKeys;
  leadsKeys: ApiKeys;
  bodySchema: LeadBodySchema;
  maxBodyBytes: number;
  corsOrigins: string[];
  redirectOrigins: string[];
  limits: RequestLimits;
  // A capture's limit per client address on its key, and the key's ceiling; reads and edits have the ceiling only.
  perAddress: Limit;
  perKey: Limit;
  // Proxies whose X-Forwarded-For names the client (express's "trust proxy"); none when empty.
  trustedProxies: string[];
  // A form field people never see and so leave empty; a bot that fills it is answered as if its lead were stored.
  honeypotField: string;
}

const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  if (!idempotencyKeyPattern.test(key)) {
    throw new ValidationError('IDEMPOTENCY_KEY_INVALID', [
      { field: 'Idempotency-Key', rule: 'format', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return key;
}

function isMediaType(req: Request, types: string[]): boolean {
  return Boolean(req.is(types));
}

// A field that is not part of the lead, taken out of the body: its value (undefined when absent) and the rest.
function takeField(body: unknown, field: string): { value: unknown; rest: unknown } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !Object.hasOwn(body, field))
    return { value: undefined, rest: body };
  const { [field]: value, ...rest } = body as Record<string, unknown>;
  return { value, rest };
}

// A honeypot field holding anything but blanks: only a bot fills it.
const isBait = (value: unknown) => (typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null);

function erasureJson({ leadId, erasure, alreadyErased }: ErasureResult) {
  return { id: leadId, erasedAt: erasure.at.toISOString(), reason: erasure.reason, alreadyErased };
}

export function leadRoutes(app: Express, deps: LeadRoutesDeps): void {
  const { intake, intakeKeys, leadsKeys, bodySchema, maxBodyBytes } = deps;
  const router = express.Router();
  const jsonTypes = ['application/json', 'application/merge-patch+json'];

  router.use(intakeCors(deps.corsOrigins));
  // Bodies are read before authenticating because a plain HTML form carries its key in the body; the size limit
  // holds either way.
  router.use(express.json({ limit: maxBodyBytes, strict: false, type: jsonTypes }));
  router.use(express.urlencoded({ limit: maxBodyBytes, extended: false, parameterLimit: 100 }));
  // A channel's key only captures: it sits in public web pages. Reading and editing leads (personal data) takes a
  // leads key. Each kind of key has its own rate limiter, so names used by both never share a budget.
  app.set('trust proxy', deps.trustedProxies.length > 0 ? deps.trustedProxies : false);
  const capturing = [authenticate(intakeKeys, leadsKeys, 'capture leads'), limitCaptures(deps.limits, deps.perAddress, deps.perKey)];
  const managing = [
    authenticate(leadsKeys, intakeKeys, 'read or edit leads'),
    limitPerKey(deps.limits, { ...deps.perKey, name: 'leads-key' }),
  ];

  router.post('/', ...capturing, async (req, res) => {
    const isForm = isMediaType(req, ['application/x-www-form-urlencoded']);
    if (!isForm && !isMediaType(req, ['application/json'])) {
      return sendProblem(res, {
        title: 'Unsupported media type',
        status: 415,
        reason: 'MEDIA_TYPE_UNSUPPORTED',
        detail: 'send application/json or application/x-www-form-urlencoded',
      });
    }
    const raw = (isForm ? formToBody(req.body as Record<string, unknown>) : req.body) as unknown;
    // `redirect` names a form's thank-you page, the honeypot field catches bots: neither is part of the lead.
    const wanted = takeField(raw, 'redirect');
    const redirect = wanted.value === undefined ? undefined : redirectTarget(wanted.value, deps.redirectOrigins);
    const bait = takeField(wanted.rest, deps.honeypotField);
    const trapped = isBait(bait.value);
    const idempotencyKey = idempotencyKeyOf(req);
    const capture = parseOrThrow(bodySchema, bait.rest);
    const channel = (res.locals.caller as Caller).name;
    if (trapped) {
      // The answer a stored lead would get, for a lead that is not stored: a bot learns nothing to adapt to.
      const decoy = intake.decoy(capture, channel);
      res.location(`/v1/leads/${decoy.id}`);
      if (redirect) return res.redirect(303, redirect);
      return res.status(201).json({ ...leadJson(decoy), merged: false });
    }
    const { lead, outcome, firstOutcome } = await intake.capture(capture, channel, idempotencyKey);
    res.location(`/v1/leads/${lead.id}`);
    if (outcome === 'replayed') res.setHeader('Idempotent-Replayed', 'true');
    if (redirect) return res.redirect(303, redirect);
    // A replay answers with the status of the first answer.
    res.status(firstOutcome === 'created' ? 201 : 200).json({ ...leadJson(lead), merged: firstOutcome === 'merged' });
  });

  router.get('/:id', ...managing, async (req: Request<{ id: string }>, res) => {
    res.json(leadJson(await intake.get(req.params.id)));
  });

  router.patch('/:id', ...managing, async (req: Request<{ id: string }>, res) => {
    if (!isMediaType(req, jsonTypes)) {
      return sendProblem(res, {
        title: 'Unsupported media type',
        status: 415,
        reason: 'MEDIA_TYPE_UNSUPPORTED',
        detail: 'send application/json or application/merge-patch+json',
      });
    }
    const patch = parseOrThrow(leadPatchSchema, req.body);
    const { lead, changedFields } = await intake.update(req.params.id, patch, (res.locals.caller as Caller).name);
    res.json({ ...leadJson(lead), changedFields });
  });

  router.get('/:id/export', ...managing, async (req: Request<{ id: string }>, res) => {
    res.json(leadExportJson(await deps.exporting.export(req.params.id)));
  });

  // Erasing is idempotent: a second request answers with the first erasure and changes nothing.
  router.delete('/:id', ...managing, async (req: Request<{ id: string }>, res) => {
    const { reason } = parseOrThrow(erasureQuerySchema, req.query);
    res.json(erasureJson(await deps.erasure.erase(req.params.id, reason, (res.locals.caller as Caller).name)));
  });

  router.get('/', ...managing, async (req, res) => {
    const { filter, page } = parseOrThrow(listQuerySchema, req.query);
    const found = await intake.list(filter, page);
    res.json({ leads: found.leads.map(leadJson), nextPageToken: found.nextPageToken || null });
  });

  app.use('/v1/leads', router);
}
