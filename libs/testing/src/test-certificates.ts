import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  // Signed by the CA: a client mutual TLS lets in.
  clientCert: string;
  clientKey: string;
  // Signed by a CA of its own: a client mutual TLS must refuse.
  strangerCert: string;
  strangerKey: string;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function keyAndRequest(dir: string, name: string, subject: string): void {
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  ]);
}

function signed(dir: string, name: string, ca: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    `${name}.crt`,
    '-extfile',
    `${name}.ext`,
  ]);
}

function authority(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  ]);
}

// A certificate authority, a server certificate for 127.0.0.1 and localhost, a client certificate it signed, and a
// client certificate from another authority, made with the openssl command for this test run only.
export function generateTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'crm-test-certs-'));
  authority(dir, 'ca');
  authority(dir, 'stranger-ca');
  keyAndRequest(dir, 'server', '/CN=localhost');
  signed(dir, 'server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  keyAndRequest(dir, 'client', '/CN=deals');
  signed(dir, 'client', 'ca', 'extendedKeyUsage=clientAuth\n');
  keyAndRequest(dir, 'stranger', '/CN=stranger');
  signed(dir, 'stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth\n');
  const file = (name: string) => join(dir, name);
  return {
    dir,
    caCert: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    strangerCert: file('stranger.crt'),
    strangerKey: file('stranger.key'),
  };
}
