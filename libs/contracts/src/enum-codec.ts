import { WireValueError } from './wire-value-error';

// Maps the names of a proto enum's values (a union of strings, one spelling for every service) to the generated
// enum and back, with the reverse table built once. Readonly function properties, not methods, so assigning a codec
// to a service's `EnumCodec<ItsUnion, P>` compiles only when the union holds exactly the codec's names.
export interface EnumCodec<D extends string, P extends number, A extends string = never> {
  readonly names: readonly D[];
  // Every spelling fromName reads: the names, then the older spellings (A) still accepted.
  readonly spellings: readonly (D | A)[];
  readonly toProto: (value: D) => P;
  // UNSPECIFIED for a value a domain leaves unset ('' or null).
  readonly toProtoOrUnspecified: (value: D | '' | null | undefined) => P;
  // Undefined for UNSPECIFIED and for values this build does not know, so callers decide.
  readonly fromProto: (value: number) => D | undefined;
  // A field of a request: undefined when unset, a WireValueError naming `field` when this build does not know it.
  readonly fromRequest: (value: number, field: string) => D | undefined;
  // A name given as text (a JSON body, a stored document): the name, or the name an older spelling stands for.
  readonly fromName: (name: unknown) => D | undefined;
  readonly canonical: (spelling: D | A) => D;
}

export interface EnumCodecOptions<D extends string, A extends string> {
  // The generated enum itself, so an error lists the values a caller may send (OPEN, WON, LOST).
  protoEnum?: Record<string, string | number>;
  // Older spellings still read (from stored data or public input), each with the name it now has.
  aliases?: Readonly<Record<A, NoInfer<D>>>;
}

const unspecified = 0;

export function enumCodec<D extends string, P extends number, A extends string = never>(
  toProtoTable: Record<D, P>,
  options: EnumCodecOptions<D, A> = {},
): EnumCodec<D, P, A> {
  const entries = Object.entries(toProtoTable) as [D, P][];
  const fromProtoTable = new Map<number, D>(entries.map(([domain, proto]) => [proto, domain]));
  const aliases = Object.entries(options.aliases ?? {}) as [A, D][];
  const byName = new Map<string, D>([...entries.map(([domain]): [D, D] => [domain, domain]), ...aliases]);
  const accepted = acceptedNames(entries, options.protoEnum);
  const fromProto = (value: number): D | undefined => fromProtoTable.get(value);
  return {
    names: entries.map(([domain]) => domain),
    spellings: [...entries.map(([domain]) => domain), ...aliases.map(([alias]) => alias)],
    toProto: (value) => toProtoTable[value],
    toProtoOrUnspecified: (value) => (value ? toProtoTable[value] : (unspecified as P)),
    fromProto,
    fromRequest: (value, field) => {
      if (value === unspecified) return undefined;
      const known = fromProto(value);
      if (known === undefined) throw new WireValueError(field, 'enum', `${value} is not a valid value; expected ${accepted}`);
      return known;
    },
    fromName: (name) => (typeof name === 'string' ? byName.get(name) : undefined),
    canonical: (spelling) => byName.get(spelling) as D,
  };
}

// "OPEN, WON or LOST" from DEAL_STATUS_OPEN..., the enum's prefix being its UNSPECIFIED value's.
function acceptedNames(entries: [string, number][], protoEnum: Record<string, string | number> | undefined): string {
  const names = entries.map(([domain, proto]) => {
    const name = protoEnum?.[proto];
    const prefix = String(protoEnum?.[unspecified] ?? '').replace(/UNSPECIFIED$/, '');
    return typeof name === 'string' && prefix ? name.slice(prefix.length) : domain;
  });
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] ?? 'nothing');
}
