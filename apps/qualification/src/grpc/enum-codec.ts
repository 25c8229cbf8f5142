// Maps a domain enum (strings) to a proto enum and back. An unknown proto value maps to a name no domain enum has,
// so validation refuses it by name rather than it passing as a default.
export function enumCodec<D extends string, P extends number>(toProtoTable: Record<D, P>) {
  const entries = Object.entries(toProtoTable) as [D, P][];
  return {
    toProto: (value: D): P => toProtoTable[value],
    fromProto: (value: number): D | `unknown(${number})` => entries.find(([, p]) => p === value)?.[0] ?? `unknown(${value})`,
  };
}
