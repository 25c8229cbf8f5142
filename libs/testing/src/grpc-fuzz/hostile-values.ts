import fc from 'fast-check';

// Values a hostile or broken client may put in a request's fields: operators, edge numbers, huge and odd strings.
const oddStrings = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'null',
  'undefined',
  '0',
  '-1',
  'NaN',
  '[]',
  '{}',
  '{"$gt":""}',
  '$where',
  '$ne',
  '.*',
  '(.*',
  '__proto__',
  'constructor',
  'a.b',
  '../../x',
  '%00',
  '\uFFFD',
  '\uD800',
  'ÿ',
  'x'.repeat(201),
  'x'.repeat(5_000),
];
// Up to about 1 MB, under the server's 4 MB receive limit: these reach the handlers.
const hugeLengths = [65_536, 262_144, 1_000_000];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 300, unit: 'grapheme' }) },
  { weight: 4, arbitrary: fc.constantFrom(...oddStrings) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...hugeLengths), fc.constantFrom('x', 'é', ' ', '\u0000')).map(([n, c]) => c.repeat(n)),
  },
);

// Ids that name nothing, or look like an id of another kind, or are no id at all.
export const malformedId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'lead-',
    'deal-0',
    '000000000000000000000000',
    'ffffffffffffffffffffffff',
    '-1',
    '0',
    ' lead-1 ',
    'SALES',
    'sales ',
    'x'.repeat(300),
  ),
  fc.stringMatching(/^[a-z]{1,8}-[0-9a-f]{1,24}$/),
  hostileString,
);

// Enum numbers: the defined ones, just past them, negative and the int32 edges (ts-proto lets any number through).
export const enumNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -1, max: 8 }),
  fc.constantFrom(99, 2147483647, -2147483648),
  fc.integer({ min: -2147483648, max: 2147483647 }),
);

export const int32: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, -1, 200, 201, 365, 2147483647, -2147483648),
  fc.integer({ min: -2147483648, max: 2147483647 }),
);

// int64 travels as a decimal string with forceLong=string. The last group cannot be encoded at all: ts-proto's
// writer refuses them in the client, so only the raw client's varints bring such values to the server.
export const int64: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0',
    '1',
    '-1',
    '9007199254740991',
    '9007199254740992',
    '9007199254740993',
    '4294967296',
    '9223372036854775807',
    '-9223372036854775808',
  ),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.constantFrom('9223372036854775808', '18446744073709551616', '-9223372036854775809', 'abc', '1e3', '1.5'),
);

// Dates a Timestamp can carry, from the epoch edges of JavaScript to now.
export const hostileDate: fc.Arbitrary<Date | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }),
  fc.constantFrom(new Date(0), new Date(-1), new Date(8.64e15), new Date(-8.64e15), new Date('2026-01-01T00:00:00Z')),
);

// Lists of strings: empty, usual, and oversized (of short entries, so a request stays far below the size limit).
export const hostileStrings: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 5, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('a', 'b', '', ' ', 'x'.repeat(60)), { minLength: 200, maxLength: 2_000 }) },
);

// A valid request with one field taken from a hostile one: reaches past validation to the store and the domain.
export function nearlyValid<T extends object>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.tuple(valid, hostile, fc.nat()).map(([base, bad, n]) => {
    const keys = Object.keys(bad) as (keyof T)[];
    const key = keys[n % keys.length];
    return { ...base, [key]: bad[key] };
  });
}

// Hostile requests, nearly valid ones and valid ones, so both rejections and accepted calls are exercised.
export function mixedRequests<T extends object>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 2, arbitrary: hostile },
    { weight: 2, arbitrary: nearlyValid(valid, hostile) },
    { weight: 1, arbitrary: valid },
  );
}
