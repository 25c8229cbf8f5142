import { formToBody } from './form-body';

describe('form body', () => {
  it('reads booleans, numbers, UTM names and custom attributes the way forms send them', () => {
    expect(
      formToBody({
        email: 'a@b.co',
        consent: 'on',
        budget: '5000',
        timelineDays: '30',
        utm_source: 'newsletter',
        'customAttributes[plan]': 'pro',
        tags: ['a', 'b'],
      }),
    ).toEqual({
      email: 'a@b.co',
      consent: true,
      budget: 5000,
      timelineDays: 30,
      utmSource: 'newsletter',
      customAttributes: { plan: 'pro' },
      tags: ['a', 'b'],
    });
    expect(formToBody({ consent: 'No' })).toEqual({ consent: false });
  });

  it('leaves empty optional numbers out and unconvertible values as they are, for the schema to name', () => {
    expect(formToBody({ budget: '', timelineDays: ' ' })).toEqual({});
    expect(formToBody({ consent: 'maybe', timelineDays: 'soon', budget: ['1', '2'] })).toEqual({
      consent: 'maybe',
      timelineDays: 'soon',
      budget: ['1', '2'],
    });
  });

  it('keeps a field named like an Object member as an ordinary field', () => {
    const form: Record<string, unknown> = Object.create(null);
    Object.defineProperty(form, '__proto__', { value: 'x', enumerable: true });
    Object.assign(form, { constructor: 'y', consent: 'constructor' });
    const body = formToBody(form);
    expect(Object.keys(body).sort()).toEqual(['__proto__', 'consent', 'constructor']);
    expect(body.consent).toBe('constructor');
  });
});
