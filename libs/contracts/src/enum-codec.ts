// Maps a domain enum (a union of strings) to a generated proto enum and back, with the reverse table built once.
// `fromProto` answers undefined for UNSPECIFIED and for values this build does not know, so callers decide.
export function enumCodec<D extends string, P extends number>(toProtoTable: Record<D, P>) {
  const fromProtoTable = new Map<number, D>((Object.entries(toProtoTable) as [D, P][]).map(([domain, proto]) => [proto, domain]));
  return {
    toProto: (value: D): P => toProtoTable[value],
    fromProto: (value: number): D | undefined => fromProtoTable.get(value),
  };
}
