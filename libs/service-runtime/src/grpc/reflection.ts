import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import { protoDescriptorSet } from '@crm/contracts';

// The FileDescriptorProtos of a FileDescriptorSet (field 1, repeated), kept byte for byte as buf compiled them.
function fileDescriptors(set: Uint8Array): Uint8Array[] {
  const reader = new BinaryReader(set);
  const files: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) files.push(reader.bytes());
    else reader.skip(wireType);
  }
  return files;
}

// Server reflection over buf's descriptors of proto/ (which include google/protobuf and grpc.health.v1).
// @grpc/reflection only reads `fileDescriptorProtos` from a package definition, so one entry holding all files
// serves; converting through proto-loader instead loses well-known types and breaks the health map field.
// Only `services` (those this server answers) are listed; every contract symbol can still be looked up.
export function addReflection(server: Server, services: string[]): void {
  const definition = { descriptors: { fileDescriptorProtos: fileDescriptors(protoDescriptorSet()) } };
  new ReflectionService(definition as unknown as PackageDefinition, { services }).addToServer(server);
}
