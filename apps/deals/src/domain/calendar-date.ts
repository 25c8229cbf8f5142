// Calendar dates (YYYY-MM-DD) as the API carries them: the expected close date, a proposal's validity.
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

// A month past 12 makes an invalid Date (whose toISOString throws), a day past the month's last one another date.
export function isCalendarDate(value: string): boolean {
  if (!isoDate.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

// The UTC calendar date `days` after `date`.
export function addDays(date: Date, days: number): string {
  const result = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
  return result.toISOString().slice(0, 10);
}
