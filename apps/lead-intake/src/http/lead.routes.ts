import express, { type Express } from 'express';
import { z } from 'zod';
import { parseOrThrow, sendProblem } from '@crm/service-runtime';
import type { LeadIntake } from '../application/lead-intake';
import { leadPriorities, leadStatuses } from '../domain/lead';
import type { LeadRepository } from '../store/lead.repository';
import type { ApiKeys } from './api-keys';
import { leadBodySchema, toLeadCapture } from './lead-body.schema';
import { leadJson } from './lead.json';

const listQuerySchema = z.strictObject({
  source: z.string().max(64).optional(),
  tag: z.string().max(50).optional(),
  priority: z.enum(leadPriorities).optional(),
  status: z.enum(leadStatuses).optional(),
  pageSize: z.coerce.number().int().min(0).max(200).default(0),
  pageToken: z.string().max(500).default(''),
});

export function leadRoutes(app: Express, deps: { intake: LeadIntake; leads: LeadRepository; apiKeys: ApiKeys; maxBodyBytes: number }): void {
  const { intake, leads, apiKeys, maxBodyBytes } = deps;
  const router = express.Router();

  // Every intake call needs a channel's key, reads included: leads are personal data.
  router.use((req, res, next) => {
    res.locals.channel = apiKeys.channelFor(req.get('x-api-key'));
    next();
  });

  router.post(
    '/',
    express.json({ limit: maxBodyBytes, strict: false }),
    express.urlencoded({ limit: maxBodyBytes, extended: false, parameterLimit: 100 }),
    async (req, res) => {
      if (!req.is(['application/json', 'application/x-www-form-urlencoded'])) {
        return sendProblem(res, {
          title: 'Unsupported media type',
          status: 415,
          detail: 'send application/json or application/x-www-form-urlencoded',
        });
      }
      const capture = toLeadCapture(parseOrThrow(leadBodySchema, req.body));
      const lead = await intake.capture(capture, res.locals.channel as string);
      res.status(201).location(`/v1/leads/${lead.id}`).json(leadJson(lead));
    },
  );

  router.get('/:id', async (req, res) => {
    res.json(leadJson(await intake.get(req.params.id)));
  });

  router.get('/', async (req, res) => {
    const query = parseOrThrow(listQuerySchema, req.query);
    const page = await leads.list(query, query);
    res.json({ leads: page.leads.map(leadJson), nextPageToken: page.nextPageToken || null });
  });

  app.use('/v1/leads', router);
}
