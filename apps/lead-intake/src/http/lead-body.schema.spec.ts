import { ValidationError } from '@crm/errors';
import { parseOrThrow } from '@crm/service-runtime';
import { leadBodySchema, toLeadCapture } from './lead-body.schema';

const parse = (body: unknown) => toLeadCapture(parseOrThrow(leadBodySchema, body));

function violations(body: unknown) {
  try {
    parse(body);
  } catch (err) {
    if (err instanceof ValidationError) return err.violations;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('lead intake body', () => {
  it('accepts a complete lead and normalises it', () => {
    expect(
      parse({
        name: ' Ana Pérez ',
        email: 'ana@acme.io',
        phone: '+34 600 000 000',
        company: 'Acme',
        interest: 'CRM',
        message: 'Call me',
        tags: ['Demo', 'demo', ' web '],
        priority: 'high',
      }),
    ).toEqual({
      name: 'Ana Pérez',
      email: 'ana@acme.io',
      phone: '+34 600 000 000',
      company: 'Acme',
      interest: 'CRM',
      message: 'Call me',
      tags: ['demo', 'web'],
      priority: 'high',
      source: { campaign: '', medium: '', referrer: '', landingPageUrl: '' },
    });
  });

  it('takes tags from a form as a comma-separated string, and defaults the priority to medium', () => {
    expect(parse({ email: 'a@b.co', tags: 'a, b,,c' })).toMatchObject({ tags: ['a', 'b', 'c'], priority: 'medium' });
  });

  it('needs an e-mail address or a phone number', () => {
    expect(violations({ name: 'Nobody' })).toEqual([expect.objectContaining({ field: 'email', rule: 'custom' })]);
    expect(parse({ phone: '600 000 000' }).phone).toBe('600 000 000');
  });

  it('names each bad field', () => {
    const fields = violations({ email: 'not-an-email', priority: 'urgent', tags: [1], name: 'x'.repeat(201) }).map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'priority', 'tags.0', 'name']));
  });

  it('rejects values of the wrong type, such as an operator object where a string belongs', () => {
    expect(violations({ email: { $gt: '' } })).toEqual([expect.objectContaining({ field: 'email', rule: 'invalid_type' })]);
    expect(violations('just a string')[0].field).toBe('(body)');
    expect(violations(null)[0].field).toBe('(body)');
  });

  it('rejects and names unknown fields', () => {
    expect(violations({ email: 'a@b.co', emial: 'typo' })).toEqual([expect.objectContaining({ field: 'emial', rule: 'unrecognized_keys' })]);
  });

  it('checks the edges of the limits', () => {
    expect(parse({ email: 'a@b.co', tags: Array.from({ length: 20 }, (_, i) => `t${i}`) }).tags).toHaveLength(20);
    expect(violations({ email: 'a@b.co', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })[0].field).toBe('tags');
    expect(parse({ email: 'a@b.co', name: 'x'.repeat(200) }).name).toHaveLength(200);
  });
});
