import { z } from 'zod';
import { errorReasons } from '@crm/errors';
import { companySizes, decisionRoles, erasureReasons, leadPriorities, leadStatuses } from '../domain/lead';

// The parts of the intake API's OpenAPI description: schemas of answers and problems, parameters.
export const inputSchema = (schema: z.ZodType) => {
  const { $schema: _, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return jsonSchema;
};

export const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
export const str = { type: 'string' };
// A lead's source as it reads back: the channel and every campaign and UTM field.
export const sourceFields = [
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
export const dateTime = { type: 'string', format: 'date-time' };

export const lead = {
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
export const leadWith = (name: string, schema: Record<string, unknown>) => ({
  ...lead,
  required: [...lead.required, name],
  properties: { ...lead.properties, [name]: schema },
});

export const schemas = {
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

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
export const json = (description: string, ref: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers && { headers }),
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
export const gone = problem('The lead was erased (see erasedAt)');
export const errors = {
  '400': problem('Invalid input: each bad field named with its rule'),
  '401': problem('No or wrong API key'),
  '403': problem('A valid key of the other kind: an intake key cannot read or edit leads, a leads key cannot capture'),
  '429': {
    ...problem('Too many requests from this client address on this key, or for this key as a whole'),
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
  },
};
export const query = (name: string, schema: Record<string, unknown>, description: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});
export const leadId = { name: 'id', in: 'path', required: true, schema: str };
