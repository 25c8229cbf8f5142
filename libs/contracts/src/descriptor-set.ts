import { descriptorSetBase64 } from './generated/descriptor-set';

// The FileDescriptorSet of every .proto file, for gRPC server reflection.
export function protoDescriptorSet(): Buffer {
  return Buffer.from(descriptorSetBase64, 'base64');
}
