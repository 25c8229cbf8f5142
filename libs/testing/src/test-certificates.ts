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

// A new P-256 key in <name>.key, for `openssl req`.
const newKey = (name: string) => ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`];
const validity = ['-days', '2'];

function authority(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', ...newKey(name), '-out', `${name}.crt`, ...validity, '-subj', `/CN=${name}`]);
}

// <name>.key and <name>.crt, signed by the authority `ca`, with these X.509 extensions.
function issued(dir: string, name: string, subject: string, ca: string, extensions: string): void {
  openssl(dir, ['req', ...newKey(name), '-out', `${name}.csr`, '-subj', subject]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  const signer = ['-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial'];
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, ...signer, ...validity, '-out', `${name}.crt`, '-extfile', `${name}.ext`]);
}

// A certificate authority, a server certificate for 127.0.0.1 and localhost, a client certificate it signed, and a
// client certificate from another authority, made with the openssl command for this test run only.
export function generateTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'crm-test-certs-'));
  authority(dir, 'ca');
  authority(dir, 'stranger-ca');
  issued(dir, 'server', '/CN=localhost', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issued(dir, 'client', '/CN=deals', 'ca', 'extendedKeyUsage=clientAuth\n');
  issued(dir, 'stranger', '/CN=stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth\n');
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
