// Calendar dates (YYYY-MM-DD) as the API carries them: the expected close date, a proposal's validity.
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: string): boolean {
  return isoDate.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

// The UTC calendar date `days` after `date`.
export function addDays(date: Date, days: number): string {
  const result = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
  return result.toISOString().slice(0, 10);
}
