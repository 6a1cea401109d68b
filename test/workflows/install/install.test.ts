import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  ArgoWorkflowsCrdSchemas, ArgoWorkflowsInstallOptions, ArgoWorkflowsRelease, HardenedWorkflowNamespace, SecureArgoWorkflows, SizingPreset,
  WorkflowControllerScope,
} from '../../../src';
import { ArgoWorkflowsInstall } from '../../../src/workflows/install/private/install';
import { restrictedViolations } from '../../support/pod-security';
import { findObject, Manifest, synthApp } from '../../support/synth';
import { validateManifests } from '../../support/validate';

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'workflows-install.md'), 'utf8');
const DIGEST = (c: string) => `sha256:${createHash('sha256').update(`test-digest-${c}`).digest('hex')}`;

function build(namespaced: boolean, install: ArgoWorkflowsInstallOptions = {}) {
  const app = new App();
  const chart = new Chart(app, 'wf');
  const workflows = new SecureArgoWorkflows(chart, 'Workflows', {
    disableNetworkPolicies: { reason: 'policies managed elsewhere' },
    controllerScope: namespaced ? WorkflowControllerScope.NAMESPACED : WorkflowControllerScope.CLUSTER,
    install,
  });
  new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 });
  const charts = synthApp(app);
  return { app, install: workflows.node.findChild('Install') as ArgoWorkflowsInstall, charts, objects: charts.wf };
}

describe.each([true, false])('the install (namespaced: %s)', (namespaced) => {
  const { install, charts, objects } = build(namespaced);

  test('accounts for every upstream object, as the documentation table says', () => {
    const rows = DOC.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| kind') && !l.startsWith('| ---'));
    const documented = rows.map((l) => l.split(' | ').map((c) => c.replace(/^\| |`| \|$/g, '')))
      .filter((cells) => cells.length === 5)
      .filter(([, , scope]) => scope === 'both' || scope === (namespaced ? 'namespaced' : 'cluster'));
    const dispositions = install.dispositions();
    expect(dispositions).toHaveLength(namespaced ? 11 : 16);
    expect(documented.map(([kind, name, , fate]) => `${kind}/${name} ${fate}`).sort())
      .toEqual(dispositions.map((d) => `${d.kind}/${d.name} ${d.fate}`).sort());
    for (const d of dispositions.filter((x) => x.reason)) {
      expect(documented.find(([kind, name]) => kind === d.kind && name === d.name)![4]).toBe(d.reason);
    }
  });

  test('every emitted upstream object is in the output, in the install namespace', () => {
    for (const d of install.dispositions().filter((x) => x.fate !== 'omitted')) {
      const obj = findObject(objects, d.kind, d.name);
      if (d.kind !== 'PriorityClass') expect(obj.metadata.namespace).toBe('argo');
    }
    for (const d of install.dispositions().filter((x) => x.fate === 'omitted')) {
      expect(objects.filter((m) => m.kind === d.kind && m.metadata.name === d.name)).toEqual([]);
    }
  });

  test('valid, restricted, with limits; the controller and argo-server mount a token', () => {
    expect(validateManifests([...objects, ...charts['wf-crds']])).toEqual([]);
    expect(restrictedViolations(objects, { apiClients: ['workflow-controller', 'argo-server'] })
      .filter((p) => !/not pinned by digest/.test(p))).toEqual([]);
  });

  test('the flags are part of the Deployments', () => {
    const controller = findObject(objects, 'Deployment', 'workflow-controller').spec.template.spec.containers[0];
    const server = findObject(objects, 'Deployment', 'argo-server').spec.template.spec.containers[0];
    const placement = namespaced ? ['--namespaced', '--managed-namespace=ci'] : [];
    expect(controller.args).toEqual([...placement, '--executor-image=quay.io/argoproj/argoexec:v4.1.2']);
    expect(server.args).toEqual(['server', '--secure=true', '--auth-mode=client', ...placement, '--tls-certificate-secret-name=argo-server-tls']);
    expect(controller.image).toBe('quay.io/argoproj/workflow-controller:v4.1.2');
    expect(server.image).toBe('quay.io/argoproj/argocli:v4.1.2');
  });

  test('the CRDs are in their own chart, applied before the install', () => {
    expect(Object.keys(charts)).toEqual(['wf', 'wf-crds']);
    expect(charts['wf-crds']).toHaveLength(8);
    expect(install.crds.schemas).toBe(ArgoWorkflowsCrdSchemas.FULL);
  });
});

describe('install options', () => {
  test('digests pin every image, the executor included', () => {
    const release = ArgoWorkflowsRelease.V4_1_2.withDigests({ workflowController: DIGEST('a'), argoCli: DIGEST('b'), argoExec: DIGEST('c') });
    expect(release.pinnedByDigest).toBe(true);
    const { objects } = build(true, { release });
    const controller = findObject(objects, 'Deployment', 'workflow-controller').spec.template.spec.containers[0];
    expect(controller.image).toBe(`quay.io/argoproj/workflow-controller:v4.1.2@${DIGEST('a')}`);
    expect(controller.args).toContain(`--executor-image=quay.io/argoproj/argoexec:v4.1.2@${DIGEST('c')}`);
    expect(restrictedViolations(objects, { apiClients: ['workflow-controller', 'argo-server'] })).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/:latest/);
  });

  test('an all-zero or malformed digest is refused at synth', () => {
    const release = ArgoWorkflowsRelease.V4_1_2.withDigests({ argoExec: `sha256:${'0'.repeat(64)}`, argoCli: 'latest' });
    expect(() => build(true, { release })).toThrow(/install\.release\.digests\.argoExec: is the all-zero placeholder[\s\S]*install\.release\.digests\.argoCli: 'latest' is not a digest/);
  });

  test('a made-up digest (60 leading zeros) is refused at synth, with the command that prints the real one', () => {
    const release = ArgoWorkflowsRelease.V4_1_2.withDigests({ workflowController: `sha256:${'0'.repeat(60)}1234` });
    expect(() => build(true, { release })).toThrow(/install\.release\.digests\.workflowController: .*is a placeholder digest .*'crane digest <image>:<tag>'/);
  });

  test('high availability: two replicas each, spread, with budgets that keep one', () => {
    const { objects } = build(false, { highAvailability: true, size: SizingPreset.MEDIUM });
    for (const name of ['workflow-controller', 'argo-server']) {
      const deployment = findObject(objects, 'Deployment', name);
      expect(deployment.spec.replicas).toBe(2);
      expect(deployment.spec.template.spec.topologySpreadConstraints).toHaveLength(2);
      expect(findObject(objects, 'PodDisruptionBudget', name).spec.minAvailable).toBe(1);
    }
    expect(findObject(objects, 'Deployment', 'workflow-controller').spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '2', memory: '2Gi' });
  });

  test('one replica: a budget that still lets a drain evict it', () => {
    const { objects } = build(true);
    expect(findObject(objects, 'PodDisruptionBudget', 'argo-server').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'argo-server' } } });
  });

  test('resources override the preset per container; unknown containers are refused', () => {
    const big = { cpuRequest: Cpu.units(1), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(2) };
    const { objects } = build(true, { resources: { 'argo-server': big } });
    expect(findObject(objects, 'Deployment', 'argo-server').spec.template.spec.containers[0].resources)
      .toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(() => build(true, { resources: { 'argo-serve': big } }))
      .toThrow(/install\.resources\.argo-serve: is not a container of the install/);
  });

  test('argo-server reads its certificate by name; without internal TLS no certificate and no flag', () => {
    const { objects } = build(true);
    expect(findObject(objects, 'Certificate', 'argo-server-tls').spec.dnsNames).toContain('argo-server.argo.svc');
    expect(findObject(objects, 'Role', 'argo-server-tls').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['argo-server-tls'] }]);
    const plain = build(true, { internalTls: false }).objects;
    expect(plain.filter((m: Manifest) => m.kind === 'Certificate')).toEqual([]);
    expect(findObject(plain, 'Deployment', 'argo-server').spec.template.spec.containers[0].args.join(' ')).not.toMatch(/tls-certificate/);
  });

  test('the Ingress terminates TLS and verifies argo-server against the internal CA', () => {
    const { objects } = build(true, { ingress: { host: 'argo.example.com', clusterIssuer: 'letsencrypt' } });
    const ingress = findObject(objects, 'Ingress', 'argo-server');
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'nginx.ingress.kubernetes.io/proxy-ssl-verify': 'on',
      'nginx.ingress.kubernetes.io/proxy-ssl-secret': 'argo/argo-server-tls',
      'nginx.ingress.kubernetes.io/proxy-ssl-name': 'argo-server.argo.svc',
      'cert-manager.io/cluster-issuer': 'letsencrypt',
    });
    expect(ingress.spec.tls).toEqual([{ hosts: ['argo.example.com'], secretName: 'argo-server-ingress-tls' }]);
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'argo-server', port: { number: 2746 } } });
    expect(() => build(true, { internalTls: false, ingress: { host: 'argo.example.com' } })).toThrow(/install\.ingress: needs internalTls/);
    expect(() => build(true, { ingress: { host: 'Argo Example' } })).toThrow(/install\.ingress\.host/);
  });

  test('with an ACME issuer and the default deny, the ingress controller reaches the HTTP-01 solver', () => {
    const app = new App();
    const chart = new Chart(app, 'wf');
    const workflows = new SecureArgoWorkflows(chart, 'Workflows', {
      networkPolicies: { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443, ingressControllerNamespace: 'ingress' },
      install: { ingress: { host: 'argo.example.com', clusterIssuer: 'letsencrypt' } },
    });
    new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 });
    const policy = findObject(synthApp(app).wf, 'NetworkPolicy', 'acme-http01-solver');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }], ports: [{ protocol: 'TCP', port: 8089 }] }],
    });
    expect(build(true, { ingress: { host: 'argo.example.com', clusterIssuer: 'letsencrypt' } }).objects
      .filter((m: Manifest) => m.kind === 'NetworkPolicy' && m.metadata.name === 'acme-http01-solver')).toEqual([]);
  });

  test('minimal CRD schemas on request', () => {
    const { install } = build(true, { crdSchemas: ArgoWorkflowsCrdSchemas.MINIMAL });
    expect(install.crds.schemas).toBe(ArgoWorkflowsCrdSchemas.MINIMAL);
  });
});
