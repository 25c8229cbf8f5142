import { erasureReasons, leadPriorities, leadStatuses } from '../domain/lead';
import { leadPatchSchema } from '../wire/lead-patch.schema';
import type { LeadBodySchema } from '../wire/lead-body.schema';
import { inputSchema, str, dateTime, schemas, problem, json, gone, errors, query, leadId } from './openapi.components';

// The OpenAPI 3.1 description of the intake API, served at /openapi.json. Request bodies are generated from the
// very zod schemas that validate them; answers are described here, and a test checks real answers against them.

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
