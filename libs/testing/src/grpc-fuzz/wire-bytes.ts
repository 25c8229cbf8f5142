import fc from 'fast-check';

// Protobuf wire bytes a hand-written or broken client may send: fields of any number and wire type (including the
// group and the undefined wire types 6 and 7), varints past 64 bits, lengths that lie, and valid requests truncated,
// flipped or padded with such fields.

function varint(value: bigint): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    out.push(byte);
  } while (rest > 0n);
  return out;
}

const tag = (field: number, wireType: number) => varint(BigInt(((field << 3) | wireType) >>> 0));

const fieldNumber = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 19_000, 536_870_911) },
);
const uint64 = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.constantFrom(0n, 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 31n, 2n ** 32n),
);
const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => [...b]);

const leafField: fc.Arbitrary<number[]> = fc.oneof(
  fc.tuple(fieldNumber, uint64).map(([f, v]) => [...tag(f, 0), ...varint(v)]),
  // More than ten varint bytes: no 64-bit value.
  fieldNumber.map((f) => [...tag(f, 0), ...new Array<number>(11).fill(0xff), 0x01]),
  fc.tuple(fieldNumber, bytes(8)).map(([f, b]) => [...tag(f, 1), ...b]),
  fc.tuple(fieldNumber, bytes(40)).map(([f, b]) => [...tag(f, 2), ...varint(BigInt(b.length)), ...b]),
  // A length beyond what follows, up to 2^64 - 1.
  fc.tuple(fieldNumber, uint64, bytes(8)).map(([f, n, b]) => [...tag(f, 2), ...varint(n), ...b]),
  fc.tuple(fieldNumber, fc.constantFrom(3, 4, 6, 7)).map(([f, w]) => tag(f, w)),
  fc.tuple(fieldNumber, bytes(4)).map(([f, b]) => [...tag(f, 5), ...b]),
);

// A nested message (a Timestamp, Money, a stage...) made of such fields, one level deep.
const nestedField = fc.tuple(fieldNumber, fc.array(leafField, { maxLength: 4 })).map(([f, fields]) => {
  const body = fields.flat();
  return [...tag(f, 2), ...varint(BigInt(body.length)), ...body];
});

// A google.protobuf.Timestamp at one of the first fields, with any seconds and nanos: mostly past what a JavaScript
// Date holds (ts-proto then decodes an Invalid Date), or negative.
const timestampField = fc.tuple(fc.integer({ min: 1, max: 12 }), uint64, uint64).map(([f, seconds, nanos]) => {
  const body = [...tag(1, 0), ...varint(seconds), ...tag(2, 0), ...varint(nanos)];
  return [...tag(f, 2), ...varint(BigInt(body.length)), ...body];
});

export const fieldSoup: fc.Arbitrary<Buffer> = fc
  .array(fc.oneof({ weight: 3, arbitrary: leafField }, { weight: 1, arbitrary: nestedField }, { weight: 1, arbitrary: timestampField }), {
    maxLength: 8,
  })
  .map((fields) => Buffer.from(fields.flat()));

// Bytes derived from a valid encoding: cut short, one byte changed, or with stray fields before or after it.
export function mutatedEncoding(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.tuple(valid, fc.nat()).map(([b, at]) => b.subarray(0, b.length === 0 ? 0 : at % b.length)),
    fc.tuple(valid, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([b, at, x]) => {
      const copy = Buffer.from(b);
      if (copy.length > 0) copy[at % copy.length] ^= x;
      return copy;
    }),
    fc.tuple(valid, fieldSoup).map(([b, soup]) => Buffer.concat([b, soup])),
    fc.tuple(fieldSoup, valid).map(([soup, b]) => Buffer.concat([soup, b])),
  );
}

export function hostileWireBytes(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 3, arbitrary: fieldSoup },
    { weight: 3, arbitrary: mutatedEncoding(valid) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  );
}
