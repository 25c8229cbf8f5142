import { z } from 'zod';
import { errorReasons } from '@crm/errors';
import { companySizes, decisionRoles, erasureReasons, leadPriorities, leadStatuses } from '../domain/lead';
import type { LeadBodySchema } from '../wire/lead-body.schema';
import { leadPatchSchema } from '../wire/lead-patch.schema';

// The OpenAPI 3.1 description of the intake API, served at /openapi.json. Request bodies are generated from the
// very zod schemas that validate them; answers are described here, and a test checks real answers against them.
const inputSchema = (schema: z.ZodType) => {
  const { $schema: _, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return jsonSchema;
};

const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const str = { type: 'string' };
// A lead's source as it reads back: the channel and every campaign and UTM field.
const sourceFields = [
  'channel',
  'campaign',
  'medium',
  'referrer',
  'landingPageUrl',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'utmTerm',
  'utmContent',
];
const dateTime = { type: 'string', format: 'date-time' };

const lead = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'status',
    'name',
    'email',
    'phone',
    'company',
    'jobTitle',
    'interest',
    'message',
    'tags',
    'priority',
    'source',
    'consent',
    'hints',
    'customAttributes',
    'dealId',
    'statusHistory',
    'touchpoints',
    'createdAt',
    'updatedAt',
    'updatedBy',
  ],
  properties: {
    id: str,
    status: { type: 'string', enum: leadStatuses },
    name: str,
    email: str,
    phone: { type: 'string', description: 'E.164 (+34600000000), or empty' },
    company: str,
    jobTitle: str,
    interest: { type: 'string', description: 'The product or service of interest' },
    message: { type: 'string', description: 'The free text of the first capture; later ones are in touchpoints' },
    tags: { type: 'array', items: str },
    priority: { type: 'string', enum: leadPriorities },
    source: {
      type: 'object',
      additionalProperties: false,
      required: sourceFields,
      properties: Object.fromEntries(sourceFields.map((k) => [k, str])),
    },
    consent: {
      type: 'object',
      additionalProperties: false,
      required: ['given', 'givenAt', 'text'],
      properties: { given: { type: 'boolean' }, givenAt: nullable(dateTime), text: str },
    },
    hints: {
      type: 'object',
      additionalProperties: false,
      required: ['budget', 'timelineDays', 'companySize', 'decisionRole'],
      properties: {
        budget: nullable({
          type: 'object',
          additionalProperties: false,
          required: ['currency', 'amountMinor'],
          properties: { currency: str, amountMinor: { type: 'integer', minimum: 0, description: 'In the currency minor unit (cents)' } },
        }),
        timelineDays: nullable({ type: 'integer', minimum: 0 }),
        companySize: nullable({ type: 'string', enum: companySizes }),
        decisionRole: nullable({ type: 'string', enum: decisionRoles }),
      },
    },
    customAttributes: { type: 'object', additionalProperties: str },
    dealId: nullable(str),
    statusHistory: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['status', 'changedAt'],
        properties: { status: { type: 'string', enum: leadStatuses }, changedAt: dateTime },
      },
    },
    touchpoints: {
      type: 'array',
      description: 'Every capture that reached the lead (the first and the most recent ones)',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['channel', 'at', 'message', 'interest', 'campaign'],
        properties: { channel: str, at: dateTime, message: str, interest: str, campaign: str },
      },
    },
    createdAt: dateTime,
    updatedAt: dateTime,
    // The client (its key's or token's name) that made the latest edit; null if never edited.
    updatedBy: nullable(str),
  },
};

// The lead with more properties: for the answers of POST and PATCH.
const leadWith = (name: string, schema: Record<string, unknown>) => ({
  ...lead,
  required: [...lead.required, name],
  properties: { ...lead.properties, [name]: schema },
});

const schemas = {
  Lead: lead,
  CapturedLead: leadWith('merged', {
    type: 'boolean',
    description: 'true when the capture was merged into an existing lead of the same person',
  }),
  UpdatedLead: leadWith('changedFields', { type: 'array', items: str, description: 'Proto names of what changed; empty when nothing did' }),
  LeadPage: {
    type: 'object',
    additionalProperties: false,
    required: ['leads', 'nextPageToken'],
    properties: { leads: { type: 'array', items: { $ref: '#/components/schemas/Lead' } }, nextPageToken: nullable(str) },
  },
  LeadExport: {
    type: 'object',
    additionalProperties: false,
    required: ['exportedAt', 'lead', 'qualification', 'deals'],
    properties: {
      exportedAt: dateTime,
      lead: { $ref: '#/components/schemas/Lead' },
      qualification: { type: ['object', 'null'], description: 'crm.v1.Qualification as JSON; null before the lead was scored' },
      deals: { type: 'array', items: { type: 'object', description: 'crm.v1.DealRecord as JSON: the deal and its activities' } },
    },
  },
  Erasure: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'erasedAt', 'reason', 'alreadyErased'],
    properties: {
      id: str,
      erasedAt: dateTime,
      reason: { type: 'string', enum: erasureReasons },
      alreadyErased: { type: 'boolean', description: 'true when the lead had been erased before: nothing changed' },
    },
  },
  Problem: {
    type: 'object',
    required: ['type', 'title', 'status', 'reason'],
    properties: {
      type: str,
      title: str,
      status: { type: 'integer' },
      reason: {
        type: 'string',
        enum: Object.keys(errorReasons),
        description: 'Why the request was refused: a stable code to branch on (the README lists each with its meaning)',
      },
      detail: str,
      erasedAt: { ...dateTime, description: 'On a 410: when the lead was erased' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['field', 'rule', 'message'],
          properties: { field: str, rule: str, message: str },
        },
      },
    },
  },
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const json = (description: string, ref: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers && { headers }),
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const gone = problem('The lead was erased (see erasedAt)');
const errors = {
  '400': problem('Invalid input: each bad field named with its rule'),
  '401': problem('No or wrong API key'),
  '403': problem('A valid key of the other kind: an intake key cannot read or edit leads, a leads key cannot capture'),
  '429': {
    ...problem('Too many requests from this client address on this key, or for this key as a whole'),
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
  },
};
const query = (name: string, schema: Record<string, unknown>, description: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});
const leadId = { name: 'id', in: 'path', required: true, schema: str };

export function openApiDocument(bodySchema: LeadBodySchema) {
  const body = inputSchema(bodySchema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lead intake API',
      version: '1.0.0',
      description:
        'Intake channels post leads here (JSON, or a plain HTML form). A capture whose e-mail (case-insensitive) or phone ' +
        '(E.164) matches a lead is merged into it. Unknown fields are rejected and named. Captures are limited per client address on a key and per key, across ' +
        'every copy of the service. A form may carry a hidden honeypot field (`website` by default) that people leave empty. ' +
        'An intake key is public (it sits in a web page), so it only captures; reading and editing leads takes a leads key.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        intakeKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Api-Key',
          description: "An intake channel's key (INTAKE_API_KEYS); a form may send it in an apiKey field",
        },
        leadsKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'A key for reading and editing leads (LEADS_API_KEYS)' },
      },
      schemas,
    },
    paths: {
      '/v1/leads': {
        post: {
          summary: 'Capture a lead',
          security: [{ intakeKey: [] }],
          description:
            'A form may carry its key in an `apiKey` field and name a thank-you page in `redirect` (allow-listed origins ' +
            'only; answered 303). Forms send tags comma-separated, booleans as true/on/yes/1, UTM fields also as utm_source etc., ' +
            'and custom attributes as customAttributes[key] fields.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
              description: 'A retry with the same key and body gets the first answer; with another body, 422',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: body },
              'application/x-www-form-urlencoded': {
                schema: {
                  ...body,
                  properties: { ...(body.properties as object), apiKey: str, redirect: { type: 'string', format: 'uri' } },
                },
              },
            },
          },
          responses: {
            '201': json('A new lead', 'CapturedLead', { Location: { schema: str } }),
            '200': json('Merged into the existing lead of the same person, or a replay (header Idempotent-Replayed)', 'CapturedLead'),
            '303': { description: 'Captured; go to the thank-you page in Location' },
            ...errors,
            '409': problem('A request with this Idempotency-Key is still in progress, or the lead kept changing; retry'),
            '413': problem('Body larger than allowed'),
            '415': problem('Neither JSON nor a form'),
            '422': problem('The Idempotency-Key was used with a different body'),
          },
        },
        get: {
          summary: 'List leads',
          security: [{ leadsKey: [] }],
          parameters: [
            query('source', str, 'Intake channel'),
            query('tag', str, 'A tag; repeat it or separate tags with commas'),
            query('tagMatch', { type: 'string', enum: ['any', 'all'], default: 'any' }, 'Whether a lead needs any or all of the tags'),
            query('priority', { type: 'string', enum: leadPriorities }, ''),
            query('status', { type: 'string', enum: leadStatuses }, ''),
            query('createdFrom', dateTime, 'Created at or after'),
            query('createdTo', dateTime, 'Created before'),
            query('q', str, 'Case-insensitive text within name, email and company'),
            query('sort', { type: 'string', enum: ['createdAt', '-createdAt'], default: 'createdAt' }, ''),
            query('pageSize', { type: 'integer', minimum: 0, maximum: 200 }, '0 means 50'),
            query('pageToken', str, 'nextPageToken of the previous page, asked with the same filters and sort'),
          ],
          responses: { '200': json('A page of leads', 'LeadPage'), ...errors },
        },
      },
      '/v1/leads/{id}/export': {
        get: {
          summary: 'Everything the four services hold about the person behind a lead (right of access)',
          security: [{ leadsKey: [] }],
          description:
            "The lead with its touchpoints, qualification's decision with its breakdown and scorings, and the deal with its " +
            "stage history and activities, in one document; qualification's and deals' records in their contracts' JSON form.",
          parameters: [leadId],
          responses: {
            '200': json('The export', 'LeadExport'),
            ...errors,
            '404': problem('No such lead'),
            '410': gone,
            '503': problem('Qualification or deals could not answer; retry'),
          },
        },
      },
      '/v1/leads/{id}': {
        get: {
          summary: 'Get a lead',
          security: [{ leadsKey: [] }],
          parameters: [leadId],
          responses: { '200': json('The lead', 'Lead'), ...errors, '404': problem('No such lead'), '410': gone },
        },
        delete: {
          summary: 'Erase the person behind a lead, in every service',
          security: [{ leadsKey: [] }],
          description:
            'Removes or irreversibly anonymizes the name, e-mail, phone, company, job title, free text, custom attributes and ' +
            'identities of the lead here and, through the lead.erased event, in qualification, deals and reporting. Facts ' +
            'that are not personal stay, so the figures stay. Erasing an erased lead changes nothing and answers the same.',
          parameters: [
            leadId,
            query('reason', { type: 'string', enum: erasureReasons, default: 'subject-request' }, 'Why the person is erased'),
          ],
          responses: { '200': json('The erasure', 'Erasure'), ...errors, '404': problem('No such lead') },
        },
        patch: {
          summary: 'Change tags, priority, interest or qualification hints',
          security: [{ leadsKey: [] }],
          description: 'Publishes lead.updated when anything changed, so qualification re-scores the lead.',
          parameters: [leadId],
          requestBody: {
            required: true,
            content: {
              'application/merge-patch+json': { schema: inputSchema(leadPatchSchema) },
              'application/json': { schema: inputSchema(leadPatchSchema) },
            },
          },
          responses: {
            '200': json('The lead after the change', 'UpdatedLead'),
            ...errors,
            '404': problem('No such lead'),
            '410': gone,
            '415': problem('Not JSON'),
          },
        },
      },
    },
  };
}
