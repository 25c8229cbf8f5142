import { ValidationError } from '@crm/errors';
import { parseOrThrow } from '@crm/service-runtime';
import * as contactIdentity from '../domain/contact-identity';
import * as money from '../domain/money';
import { leadBodySchema } from './lead-body.schema';

const schema = leadBodySchema('ES');
const parse = (body: unknown) => parseOrThrow(schema, body);

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
        phone: '600 000 000',
        company: 'Acme',
        jobTitle: 'CTO',
        interest: 'CRM',
        message: 'Call me',
        tags: ['Demo', 'demo', ' web '],
        priority: 'high',
        campaign: 'spring',
        utmSource: 'newsletter',
        consent: true,
        consentText: 'Acepto recibir comunicaciones',
        consentGivenAt: '2026-11-28T10:00:00+01:00',
        budget: 5000.5,
        budgetCurrency: 'EUR',
        timelineDays: 90,
        companySize: '11-50',
        decisionRole: 'decision_maker',
        customAttributes: { plan: 'pro' },
      }),
    ).toEqual({
      name: 'Ana Pérez',
      email: 'ana@acme.io',
      phone: '+34600000000',
      company: 'Acme',
      jobTitle: 'CTO',
      interest: 'CRM',
      message: 'Call me',
      tags: ['demo', 'web'],
      priority: 'high',
      source: {
        campaign: 'spring',
        medium: '',
        referrer: '',
        landingPageUrl: '',
        utmSource: 'newsletter',
        utmMedium: '',
        utmCampaign: '',
        utmTerm: '',
        utmContent: '',
      },
      consent: { given: true, givenAt: new Date('2026-11-28T09:00:00Z'), text: 'Acepto recibir comunicaciones' },
      hints: { budget: { currency: 'EUR', amountMinor: 500050 }, timelineDays: 90, companySize: '11-50', decisionRole: 'decision-maker' },
      customAttributes: { plan: 'pro' },
    });
  });

  it('defaults what is not given', () => {
    expect(parse({ email: 'a@b.co', tags: 'a, b,,c' })).toMatchObject({
      tags: ['a', 'b', 'c'],
      priority: 'medium',
      consent: { given: false, givenAt: null, text: '' },
      hints: { budget: null, timelineDays: null, companySize: '', decisionRole: '' },
      customAttributes: {},
    });
  });

  it('needs an e-mail address or a phone number', () => {
    expect(violations({ name: 'Nobody' })).toEqual([expect.objectContaining({ field: 'email', rule: 'custom' })]);
    expect(parse({ phone: '+34 600 000 000' }).phone).toBe('+34600000000');
  });

  it('refuses a phone number that is not one', () => {
    expect(violations({ phone: '12345' })).toEqual([expect.objectContaining({ field: 'phone' })]);
    expect(violations({ email: 'a@b.co', phone: '+34 600 000 00x' })).toEqual([expect.objectContaining({ field: 'phone' })]);
  });

  it('names each bad field', () => {
    const fields = violations({
      email: 'not-an-email',
      priority: 'urgent',
      tags: [1],
      name: 'x'.repeat(201),
      companySize: 'huge',
      timelineDays: 1.5,
    }).map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'priority', 'tags.0', 'name', 'companySize', 'timelineDays']));
  });

  it('needs budget and currency together, with no more decimals than the currency has', () => {
    expect(violations({ email: 'a@b.co', budget: 10 })[0].field).toBe('budgetCurrency');
    expect(violations({ email: 'a@b.co', budgetCurrency: 'EUR' })[0].field).toBe('budgetCurrency');
    expect(violations({ email: 'a@b.co', budget: 10.5, budgetCurrency: 'JPY' })[0].field).toBe('budget');
    expect(violations({ email: 'a@b.co', budget: 10, budgetCurrency: 'EURO' })[0].field).toBe('budgetCurrency');
  });

  it('rejects values of the wrong type, such as an operator object where a string belongs', () => {
    expect(violations({ email: { $gt: '' } })).toEqual([expect.objectContaining({ field: 'email', rule: 'invalid_type' })]);
    expect(violations({ email: 'a@b.co', consent: 'yes' })[0].field).toBe('consent');
    expect(violations({ email: 'a@b.co', customAttributes: { a: { $ne: 1 } } })[0].field).toBe('customAttributes.a');
    expect(violations('just a string')[0].field).toBe('(body)');
    expect(violations(null)[0].field).toBe('(body)');
  });

  it('bounds custom attributes and their names, which must be safe as field names', () => {
    const attributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(Object.keys(parse({ email: 'a@b.co', customAttributes: attributes(20) }).customAttributes)).toHaveLength(20);
    expect(violations({ email: 'a@b.co', customAttributes: attributes(21) })[0].field).toBe('customAttributes');
    for (const name of ['$where', 'a.b', '1st', '', 'x'.repeat(65)]) {
      expect(violations({ email: 'a@b.co', customAttributes: JSON.parse(`{"${name}": "x"}`) })[0].field).toMatch(/^customAttributes/);
    }
    // zod drops a "__proto__" key of a record: it never reaches the lead, nor its prototype.
    const dropped = parse({ email: 'a@b.co', customAttributes: JSON.parse('{"__proto__": {"polluted": "x"}}') }).customAttributes;
    expect(Object.keys(dropped)).toEqual([]);
    expect(Object.getPrototypeOf(dropped)).toBe(Object.prototype);
  });

  it('rejects and names unknown fields', () => {
    expect(violations({ email: 'a@b.co', emial: 'typo' })).toEqual([
      expect.objectContaining({ field: 'emial', rule: 'unrecognized_keys' }),
    ]);
    expect(violations(JSON.parse('{"email": "a@b.co", "__proto__": {"x": 1}}'))[0].field).toBe('__proto__');
  });

  it('checks the edges of the limits', () => {
    expect(parse({ email: 'a@b.co', tags: Array.from({ length: 20 }, (_, i) => `t${i}`) }).tags).toHaveLength(20);
    expect(violations({ email: 'a@b.co', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })[0].field).toBe('tags');
    expect(parse({ email: 'a@b.co', name: 'x'.repeat(200) }).name).toHaveLength(200);
    expect(parse({ email: 'a@b.co', timelineDays: 3650 }).hints.timelineDays).toBe(3650);
    expect(violations({ email: 'a@b.co', timelineDays: 3651 })[0].field).toBe('timelineDays');
  });

  it('parses the phone and converts the budget once per request', () => {
    const normalisePhone = jest.spyOn(contactIdentity, 'normalisePhone');
    const toMinorUnits = jest.spyOn(money, 'toMinorUnits');
    try {
      expect(parse({ phone: '600 000 000', budget: 10.5, budgetCurrency: 'EUR' }).hints.budget).toEqual({
        currency: 'EUR',
        amountMinor: 1050,
      });
      expect(normalisePhone).toHaveBeenCalledTimes(1);
      expect(toMinorUnits).toHaveBeenCalledTimes(1);
    } finally {
      normalisePhone.mockRestore();
      toMinorUnits.mockRestore();
    }
  });
});
