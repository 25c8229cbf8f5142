import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { errorReasons, type ErrorReason } from '@crm/errors';
import { statusOfReason } from './error-status';

// The README's table of reasons is what clients read: it must list every reason of the catalogue, with the
// statuses the edges answer, and nothing else.
describe("the README's table of error reasons", () => {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d{3}) \| `([A-Z_]+)` \| (.+) \|$/gm)].map(
    ([, reason, http, grpc, meaning]) => ({
      reason,
      http: Number(http),
      grpc,
      meaning,
    }),
  );

  it('lists every reason once, in the catalogue order, with its statuses and meaning', () => {
    const expected = (Object.keys(errorReasons) as ErrorReason[]).map((reason) => ({
      reason,
      http: statusOfReason(reason).http,
      grpc: status[statusOfReason(reason).grpc],
      meaning: errorReasons[reason].meaning,
    }));
    expect(rows).toEqual(expected);
  });
});
