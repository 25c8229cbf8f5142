import { aLead } from './lead.fixture';
import { applyQualificationDecision, markConverted } from './lead-status';

const t = (minute: number) => new Date(Date.UTC(2026, 10, 28, 10, minute));

describe('lead status', () => {
  it('starts new, with that status in its history', () => {
    expect(aLead().statusHistory).toEqual([{ status: 'new', changedAt: t(0) }]);
  });

  it('follows a qualification decision, records when, and bumps the version', () => {
    const qualified = applyQualificationDecision(aLead(), 'qualified', t(1), t(2))!;
    expect(qualified).toMatchObject({ status: 'qualified', qualificationDecidedAt: t(1), version: 2, updatedAt: t(2) });
    expect(qualified.statusHistory).toEqual([
      { status: 'new', changedAt: t(0) },
      { status: 'qualified', changedAt: t(2) },
    ]);
  });

  it('ignores a decision older than the one in force, so late or repeated events change nothing', () => {
    const disqualified = applyQualificationDecision(aLead(), 'disqualified', t(5), t(0))!;
    expect(applyQualificationDecision(disqualified, 'qualified', t(3), t(0))).toBeUndefined();
    expect(applyQualificationDecision(disqualified, 'disqualified', t(5), t(0))).toBeUndefined();
    expect(applyQualificationDecision(disqualified, 'qualified', t(6), t(0))?.status).toBe('qualified');
  });

  it('reads nurturing on a nurturing decision, with the same ordering as the other decisions', () => {
    const nurturing = applyQualificationDecision(aLead(), 'nurturing', t(1), t(2))!;
    expect(nurturing).toMatchObject({ status: 'nurturing', qualificationDecidedAt: t(1), version: 2, updatedAt: t(2) });
    expect(nurturing.statusHistory).toEqual([
      { status: 'new', changedAt: t(0) },
      { status: 'nurturing', changedAt: t(2) },
    ]);
    expect(applyQualificationDecision(nurturing, 'nurturing', t(1), t(0))).toBeUndefined();
    const qualified = applyQualificationDecision(nurturing, 'qualified', t(4), t(0))!;
    expect(qualified.statusHistory.map((s) => s.status)).toEqual(['new', 'nurturing', 'qualified']);
    // The nurturing decision delivered late, after the qualification that followed it: nothing changes.
    expect(applyQualificationDecision(qualified, 'nurturing', t(1), t(0))).toBeUndefined();
    expect(applyQualificationDecision(markConverted(aLead(), 'deal-1', t(0))!, 'nurturing', t(9), t(0))).toBeUndefined();
  });

  it('adds no history entry when a newer decision repeats the status in force', () => {
    const qualified = applyQualificationDecision(aLead(), 'qualified', t(1), t(0))!;
    const again = applyQualificationDecision(qualified, 'qualified', t(2), t(0))!;
    expect(again.statusHistory).toHaveLength(2);
    expect(again.qualificationDecidedAt).toEqual(t(2));
  });

  it('keeps a converted lead converted, whatever arrives after', () => {
    const converted = markConverted(aLead(), 'deal-1', t(3))!;
    expect(converted).toMatchObject({ status: 'converted', dealId: 'deal-1' });
    expect(converted.statusHistory.at(-1)).toEqual({ status: 'converted', changedAt: t(3) });
    expect(applyQualificationDecision(converted, 'disqualified', t(9), t(0))).toBeUndefined();
    expect(markConverted(converted, 'deal-1', t(0))).toBeUndefined();
    expect(markConverted(converted, 'deal-2', t(0))).toBeUndefined();
  });

  it('converts even when the deal is reported before the qualification', () => {
    const converted = markConverted(aLead(), 'deal-1', t(0))!;
    expect(applyQualificationDecision(converted, 'qualified', t(1), t(0))).toBeUndefined();
    expect(converted.status).toBe('converted');
  });
});
