import { readFileSync } from 'node:fs';
import { ChannelCredentials, ServerCredentials, credentials } from '@grpc/grpc-js';
import { ConfigError } from '@crm/config';

export interface ServerTlsFiles {
  certFile: string;
  keyFile: string;
  // When set, callers must present a certificate this CA signed (mutual TLS).
  clientCaFile: string;
}

export interface ClientTlsFiles {
  // The CA that signed the server's certificate; TLS is on when it is set.
  caFile: string;
  // The client's own certificate and key, for a server that asks for one (mutual TLS).
  certFile: string;
  keyFile: string;
}

// Reads the files at start-up, so a wrong path stops the service with the variable named.
function read(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError([`${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`]);
  }
}

function pairOrNeither(prefix: string, certFile: string, keyFile: string): void {
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new ConfigError([`${prefix}CERT_FILE and ${prefix}KEY_FILE: set both (TLS) or neither`]);
  }
}

// Plaintext when no certificate is configured; TLS with one; mutual TLS when a client CA is given too.
export function grpcServerCredentials(files: ServerTlsFiles, prefix = 'GRPC_TLS_'): ServerCredentials {
  pairOrNeither(prefix, files.certFile, files.keyFile);
  if (!files.certFile) {
    if (files.clientCaFile)
      throw new ConfigError([`${prefix}CLIENT_CA_FILE: mutual TLS needs ${prefix}CERT_FILE and ${prefix}KEY_FILE too`]);
    return ServerCredentials.createInsecure();
  }
  const keyCertPair = { cert_chain: read(`${prefix}CERT_FILE`, files.certFile), private_key: read(`${prefix}KEY_FILE`, files.keyFile) };
  const clientCa = files.clientCaFile ? read(`${prefix}CLIENT_CA_FILE`, files.clientCaFile) : null;
  return ServerCredentials.createSsl(clientCa, [keyCertPair], clientCa !== null);
}

export function grpcClientCredentials(files: ClientTlsFiles, prefix: string): ChannelCredentials {
  pairOrNeither(prefix, files.certFile, files.keyFile);
  if (!files.caFile) {
    if (files.certFile) throw new ConfigError([`${prefix}CA_FILE: a client certificate needs TLS, and TLS needs the server's CA`]);
    return credentials.createInsecure();
  }
  const ca = read(`${prefix}CA_FILE`, files.caFile);
  return files.certFile
    ? credentials.createSsl(ca, read(`${prefix}KEY_FILE`, files.keyFile), read(`${prefix}CERT_FILE`, files.certFile))
    : credentials.createSsl(ca);
}
