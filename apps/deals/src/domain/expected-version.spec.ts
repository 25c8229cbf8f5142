import { ConcurrencyConflictError } from '@crm/errors';
import { anyVersion, exactVersion, requireVersion } from './expected-version';

describe('requireVersion', () => {
  it('lets any version through when no check is asked for', () => {
    expect(() => requireVersion('deal d1', 7, anyVersion)).not.toThrow();
  });

  it('lets the expected version through and refuses any other as a conflict', () => {
    expect(() => requireVersion('deal d1', 7, exactVersion(7))).not.toThrow();
    expect(() => requireVersion('deal d1', 7, exactVersion(6))).toThrow(ConcurrencyConflictError);
    expect(() => requireVersion('deal d1', 7, exactVersion(6))).toThrow('deal d1 is at version 7, not 6; reload and retry');
  });
});
