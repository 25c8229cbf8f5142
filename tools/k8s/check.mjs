// `npm run k8s:check`: renders every overlay, validates each object against Kubernetes' own schemas (the
// kubernetes-models packages, offline) and checks what the schemas cannot: ports and probes agree with the services,
// every variable a service's configuration reads is set, and the policies let in and out only what they should.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { render } from './render.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const services = {
  'lead-intake': 'lead-intake.lead-status',
  qualification: 'qualification.lead-events',
  deals: 'deals.lead-qualified',
  reporting: 'reporting.funnel',
};
// The consumers KEDA scales on their queue; lead-intake scales on CPU (an HPA).
const queueScaled = ['qualification', 'deals', 'reporting'];
// The other services' gRPC APIs each one calls: deals asks qualification, lead-intake's export both.
const grpcPeers = { deals: ['qualification'], 'lead-intake': ['qualification', 'deals'] };
const public_ = ['lead-intake', 'reporting'];
const servedPaths = ['/healthz', '/readyz'];
const variables = JSON.parse(
  execFileSync(process.execPath, [join(root, 'tools/build/run-ts.mjs'), 'tools/k8s/config-variables.ts'], { cwd: root, encoding: 'utf8' }),
);

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module =
    group === 'keda.sh' ? `@kubernetes-models/keda/keda.sh/${version}` : `kubernetes-models/${group ? `${group}/` : ''}${version}`;
  return (await import(module))[kind];
}

function secretKeysOfProd() {
  const lines = readFileSync(join(root, 'deploy/kubernetes/overlays/prod/secret-keys.env'), 'utf8').split('\n');
  return Object.fromEntries(
    lines.filter((l) => /^[\w-]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).split(',')]),
  );
}

async function checkOverlay(overlay) {
  const problems = [];
  const docs = parseAllDocuments(render(overlay))
    .map((d) => d.toJSON())
    .filter(Boolean);
  // kustomize wraps a long base64 value over lines, which the API server's decoder skips; the schema's format does not.
  for (const doc of docs.filter((d) => d.kind === 'Secret' && d.data)) {
    doc.data = Object.fromEntries(Object.entries(doc.data).map(([key, value]) => [key, String(value).replace(/\s/g, '')]));
  }
  for (const doc of docs) {
    const Model = await modelOf(doc.apiVersion, doc.kind);
    if (!Model) {
      problems.push(`${doc.kind} ${doc.metadata?.name}: no schema for ${doc.apiVersion}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (err) {
      problems.push(`${doc.kind} ${doc.metadata?.name}: ${err.message.split('\n')[0]}`);
    }
  }
  const find = (kind, name) => docs.find((d) => d.kind === kind && d.metadata?.name === name);
  const prodSecrets = overlay === 'prod' ? secretKeysOfProd() : {};

  for (const [service, queue] of Object.entries(services)) {
    const at = (what) => `${service}: ${what}`;
    const deployment = find('Deployment', service);
    if (!deployment) {
      problems.push(at('no Deployment'));
      continue;
    }
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const configName = container.envFrom?.find((e) => e.configMapRef)?.configMapRef.name;
    const secretName = container.envFrom?.find((e) => e.secretRef)?.secretRef.name;
    const config = find('ConfigMap', configName)?.data ?? {};
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
    const set = { ...config, ...env };
    const secretKeys = overlay === 'prod' ? (prodSecrets[secretName] ?? []) : Object.keys(find('Secret', secretName)?.data ?? {});
    if (!configName || !find('ConfigMap', configName)) problems.push(at(`its ConfigMap ${configName} is not rendered`));
    if (!secretName) problems.push(at('takes no Secret'));
    for (const [name, meta] of Object.entries(variables[service])) {
      if (meta.secret ? !secretKeys.includes(name) : !(name in set))
        problems.push(at(`${name} is not set (${meta.secret ? `Secret ${secretName}` : `ConfigMap ${configName}`})`));
    }
    // Ports: the container's named ports are the ones the service listens on, and the Service points at them.
    const ports = Object.fromEntries((container.ports ?? []).map((p) => [p.name, p.containerPort]));
    if (String(ports.http) !== set.HTTP_PORT || String(ports.grpc) !== set.GRPC_PORT)
      problems.push(
        at(`container ports http ${ports.http}, grpc ${ports.grpc} differ from HTTP_PORT ${set.HTTP_PORT}, GRPC_PORT ${set.GRPC_PORT}`),
      );
    for (const port of find('Service', service)?.spec.ports ?? [problems.push(at('no Service')) && {}]) {
      if (port.targetPort !== undefined && !(port.targetPort in ports))
        problems.push(at(`Service port ${port.name} targets ${port.targetPort}, no container port`));
      if (port.port !== ports[port.targetPort])
        problems.push(at(`Service port ${port.name} is ${port.port}, the container's ${ports[port.targetPort]}`));
    }
    for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const probe = container[kind]?.httpGet;
      if (!probe) problems.push(at(`no ${kind}`));
      else if (!servedPaths.includes(probe.path) || (probe.port !== 'http' && probe.port !== ports.http))
        problems.push(at(`${kind} on ${probe.path}:${probe.port} is no served path`));
    }
    if (container.readinessProbe?.httpGet?.path !== '/readyz' || container.livenessProbe?.httpGet?.path !== '/healthz')
      problems.push(at('readiness must be on /readyz and liveness on /healthz'));
    if (!(pod.terminationGracePeriodSeconds * 1000 > Number(set.SHUTDOWN_TIMEOUT_MS)))
      problems.push(
        at(
          `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} is not above SHUTDOWN_TIMEOUT_MS ${set.SHUTDOWN_TIMEOUT_MS}`,
        ),
      );
    const security = container.securityContext ?? {};
    if (!pod.securityContext?.runAsNonRoot || !security.readOnlyRootFilesystem || security.allowPrivilegeEscalation !== false)
      problems.push(at('must run as non-root, read-only, without privilege escalation'));
    if (!container.resources?.requests || !container.resources?.limits) problems.push(at('needs resource requests and limits'));
    if (!docs.some((d) => d.kind === 'PodDisruptionBudget' && d.spec.selector?.matchLabels?.['app.kubernetes.io/name'] === service))
      problems.push(at('no PodDisruptionBudget'));
    // Scaling: on the queue for consumers, on CPU for intake.
    if (queueScaled.includes(service)) {
      const scaled = find('ScaledObject', service);
      const trigger = scaled?.spec.triggers?.[0];
      const expected = `${set.AMQP_NAMESPACE ?? ''}${queue}`;
      if (trigger?.type !== 'rabbitmq' || trigger.metadata.queueName !== expected)
        problems.push(at(`needs a KEDA rabbitmq trigger on its queue ${expected}`));
    } else if (find('HorizontalPodAutoscaler', service)?.spec.metrics?.[0]?.resource?.name !== 'cpu')
      problems.push(at('needs an HPA on CPU'));
    // Egress: its own MongoDB, the broker (and the gRPC peers it calls), nothing else.
    const allowed = new Set([`mongo-${service}`, 'rabbitmq', ...(grpcPeers[service] ?? [])]);
    const egress = docs.filter(
      (d) => d.kind === 'NetworkPolicy' && d.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'] === service,
    );
    const reached = egress.flatMap((p) =>
      (p.spec.egress ?? []).flatMap((rule) =>
        (rule.to ?? []).map((to) => to.podSelector?.matchLabels?.['app.kubernetes.io/name'] ?? 'anything'),
      ),
    );
    if (reached.some((name) => !allowed.has(name)) || [...allowed].some((name) => !reached.includes(name)))
      problems.push(at(`egress reaches ${[...new Set(reached)].join(', ')}; it must reach exactly ${[...allowed].join(', ')}`));
  }
  if (!find('NetworkPolicy', 'default-deny')) problems.push('no default-deny NetworkPolicy');
  const exposed = new Set(
    docs.filter((d) => d.kind === 'Ingress').flatMap((d) => d.spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service.name))),
  );
  if ([...exposed].sort().join() !== public_.join())
    problems.push(`the Ingress exposes ${[...exposed].join(', ')}; only ${public_.join(', ')} may be`);
  if (docs.some((d) => d.kind === 'Service' && d.spec.type && d.spec.type !== 'ClusterIP'))
    problems.push('a Service is not ClusterIP: only the Ingress exposes');
  return { count: docs.length, problems };
}

const overlays = readdirSync(join(root, 'deploy/kubernetes/overlays'));
let failed = false;
for (const overlay of overlays) {
  const { count, problems } = await checkOverlay(overlay);
  console.log(`k8s:check ${overlay}: ${count} objects, ${problems.length === 0 ? 'valid' : `${problems.length} problem(s)`}`);
  for (const problem of problems) console.log(`  - ${problem}`);
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);
