import { Binary } from 'mongodb';
import { ConcurrencyConflictError } from '@crm/errors';
import { bsonBytes, lostRace, retryOnConflict } from './write-helpers';

describe('retryOnConflict', () => {
  it('runs the attempt again after a lost race, and returns what it settles on', async () => {
    let calls = 0;
    const result = await retryOnConflict('thing', async () => (++calls < 3 ? lostRace : 'done'));
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up with ABORTED after the maximum number of attempts', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(
        'lead l1',
        async () => {
          calls++;
          return lostRace;
        },
        4,
      ),
    ).rejects.toThrow(ConcurrencyConflictError);
    expect(calls).toBe(4);
  });
});

describe('bsonBytes', () => {
  it('reads Buffer, Uint8Array and BSON Binary alike', () => {
    const bytes = Buffer.from([1, 2, 3]);
    expect(bsonBytes(bytes)).toEqual(bytes);
    expect(bsonBytes(new Uint8Array([1, 2, 3]))).toEqual(bytes);
    expect(bsonBytes(new Binary(bytes))).toEqual(bytes);
  });
});
