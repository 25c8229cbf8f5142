// Reads the output of `npm test` (every project's jest summary) from stdin and prints one closing line for
// all projects together: "N passed, N failed" (", N skipped" when any were).
import { createInterface } from 'node:readline';

const totals = { passed: 0, failed: 0, skipped: 0 };
const ansi = /\x1b\[[0-9;]*m/g;

for await (const raw of createInterface({ input: process.stdin })) {
  const line = raw.replace(ansi, '');
  if (!/\bTests:\s/.test(line)) continue;
  for (const key of Object.keys(totals)) {
    const match = new RegExp(`(\\d+) ${key}`).exec(line);
    if (match) totals[key] += Number(match[1]);
  }
}
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
