import { ValidationError } from '@crm/errors';
import { aLead } from './lead.fixture';
import { maxTags } from './lead';
import { applyLeadPatch } from './lead-patch';

const now = new Date(Date.UTC(2026, 10, 29, 9, 0));

describe('changing a lead', () => {
  const lead = aLead({
    tags: ['a', 'b'],
    priority: 'low',
    interest: 'CRM',
    hints: { budget: null, timelineDays: 30, companySize: '11-50', decisionRole: '' },
  });

  it('adds and removes tags, or replaces them', () => {
    expect(applyLeadPatch(lead, { tags: { add: ['c', 'a'], remove: ['b'] } }, now, 'ops')?.lead.tags).toEqual(['a', 'c']);
    expect(applyLeadPatch(lead, { tags: { replace: ['x'], add: [], remove: [] } }, now, 'ops')?.lead.tags).toEqual(['x']);
    expect(applyLeadPatch(lead, { tags: { replace: [], add: [], remove: [] } }, now, 'ops')?.lead.tags).toEqual([]);
  });

  it('changes priority, interest and hints, naming what changed', () => {
    const result = applyLeadPatch(
      lead,
      { priority: 'high', interest: 'ERP', hints: { timelineDays: null, decisionRole: 'user' } },
      now,
      'ops',
    )!;
    expect(result.lead.updatedBy).toBe('ops');
    expect(result.lead).toMatchObject({ priority: 'high', interest: 'ERP', version: 2, updatedAt: now });
    expect(result.lead.hints).toEqual({ budget: null, timelineDays: null, companySize: '11-50', decisionRole: 'user' });
    expect(result.changedFields).toEqual(['priority', 'interest', 'hints']);
  });

  it('changes nothing (no new version, no event) when the patch repeats what the lead holds', () => {
    expect(
      applyLeadPatch(
        lead,
        { priority: 'low', interest: 'CRM', tags: { add: ['a'], remove: ['zzz'] }, hints: { companySize: '11-50' } },
        now,
        'ops',
      ),
    ).toBeUndefined();
    expect(applyLeadPatch(lead, {}, now, 'ops')).toBeUndefined();
  });

  it('refuses to carry more tags than the bound', () => {
    const many = Array.from({ length: maxTags }, (_, i) => `t${i}`);
    expect(applyLeadPatch(lead, { tags: { replace: many, add: [], remove: [] } }, now, 'ops')?.lead.tags).toHaveLength(maxTags);
    expect(() => applyLeadPatch(lead, { tags: { replace: many, add: ['one-more'], remove: [] } }, now, 'ops')).toThrow(ValidationError);
  });
});
