import { captureLead, type Lead } from './lead';
import { applyQualificationDecision, markConverted } from './lead-status';

const t = (minute: number) => new Date(Date.UTC(2026, 10, 28, 10, minute));

function newLead(): Lead {
  return captureLead(
    'l1',
    {
      name: 'Ana',
      email: 'ana@acme.io',
      phone: '',
      company: 'Acme',
      interest: 'crm',
      message: '',
      tags: [],
      priority: 'high',
      source: { campaign: '', medium: '', referrer: '', landingPageUrl: '' },
    },
    'web-form',
    t(0),
  );
}

describe('lead status', () => {
  it('follows a qualification decision and bumps the version', () => {
    const qualified = applyQualificationDecision(newLead(), 'qualified', t(1));
    expect(qualified).toMatchObject({ status: 'qualified', qualificationDecidedAt: t(1), version: 2 });
  });

  it('ignores a decision older than the one in force, so late or repeated events change nothing', () => {
    const disqualified = applyQualificationDecision(newLead(), 'disqualified', t(5))!;
    expect(applyQualificationDecision(disqualified, 'qualified', t(3))).toBeUndefined();
    expect(applyQualificationDecision(disqualified, 'disqualified', t(5))).toBeUndefined();
    expect(applyQualificationDecision(disqualified, 'qualified', t(6))?.status).toBe('qualified');
  });

  it('keeps a converted lead converted, whatever arrives after', () => {
    const converted = markConverted(newLead(), 'deal-1')!;
    expect(converted).toMatchObject({ status: 'converted', dealId: 'deal-1' });
    expect(applyQualificationDecision(converted, 'disqualified', t(9))).toBeUndefined();
    expect(markConverted(converted, 'deal-1')).toBeUndefined();
    expect(markConverted(converted, 'deal-2')).toBeUndefined();
  });

  it('converts even when the deal is reported before the qualification', () => {
    const converted = markConverted(newLead(), 'deal-1')!;
    expect(applyQualificationDecision(converted, 'qualified', t(1))).toBeUndefined();
    expect(converted.status).toBe('converted');
  });
});
