// The whole Argo Workflows output of examples/workflows.ts and of the example platform, walked
// with the shared consistency walker (test/support/consistency.ts, the same code as Argo CD's):
// every reference resolves to an object of the output or to one the user provides (listed below);
// no wildcard ClusterRole, no cluster-wide Secret read, every pod restricted with limits, no
// `:latest`. Then what only Argo Workflows has (secret references in the controller's
// configuration, the executor account and template references of workflows), and the network
// flows, answered by NetworkPolicySimulator.
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { WORKFLOWS_RELEASE } from '../../examples/common/releases';
import { ArgoWorkflowsImage, NetworkEndpoint, NetworkPolicySimulator, NetworkProtocol } from '../../src';
import { describeManifest, PlatformConsistency } from '../support/consistency';
import { ARGOCD_API_CLIENTS } from '../support/examples';
import { Manifest, synthApp } from '../support/synth';

type Obj = { [key: string]: any };

interface Scenario {
  readonly name: string;
  readonly manifests: () => Manifest[];
  /** Secrets the user creates (`SecretKeyRef.fromExistingSecret`), with why. */
  readonly userProvided: Record<string, string>;
  readonly apiClients: string[];
  /** Namespaces workflows run in. */
  readonly workflowNamespaces: string[];
  /** The Kubernetes API address and the Keycloak address of the example. */
  readonly api: string;
  readonly keycloak: string;
}

function charts(example: string, filter: (chart: string) => boolean = () => true): () => Manifest[] {
  return () => {
    const app = Testing.app();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(`../../examples/${example}`).build(app);
    return Object.entries(synthApp(app)).filter(([id]) => filter(id)).flatMap(([, m]) => m);
  };
}

const SCENARIOS: Scenario[] = [
  {
    name: 'examples/workflows.ts',
    manifests: charts('workflows'),
    userProvided: {
      'Secret/argo/argo-workflows-sso': 'the user: the OIDC client of argo-server (SecretKeyRef.fromExistingSecret)',
      'Secret/argo/argo-postgres': 'the user: the archive database login (SecretKeyRef.fromExistingSecret)',
      'Secret/argo/argo-postgres-ca': "the user: the CA of the archive database's certificate (SecretKeyRef.fromExistingSecret)",
    },
    apiClients: ['workflow-controller', 'argo-server'],
    workflowNamespaces: ['batch', 'ci'],
    api: '10.0.0.10',
    keycloak: '192.0.2.10',
  },
  {
    // The whole platform: Argo CD is in it too, for the flows towards argocd-repo-server.
    name: 'examples/platform.ts',
    manifests: charts('platform'),
    userProvided: {
      'Secret/argocd/argocd-redis': 'argocd-redis secret-init, at run time',
    },
    apiClients: [...ARGOCD_API_CLIENTS, 'compliance-check', 'secret-rotation', 'workflow-controller', 'argo-server'],
    workflowNamespaces: ['batch', 'ci', 'ops'],
    api: '10.0.0.10',
    keycloak: '198.51.100.20',
  },
];

/** `{ name, key }` Secret selectors anywhere in a parsed configuration value. */
function secretSelectors(value: unknown, path: string): { path: string; name: string; key: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretSelectors(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const o = value as Obj;
  if (typeof o.name === 'string' && typeof o.key === 'string' && Object.keys(o).every((k) => ['name', 'key', 'optional'].includes(k))) {
    return [{ path, name: o.name, key: o.key }];
  }
  return Object.entries(o).flatMap(([k, v]) => secretSelectors(v, `${path}.${k}`));
}

describe.each(SCENARIOS)('Argo Workflows output of $name', (scenario) => {
  let all: Manifest[];
  let platform: PlatformConsistency;
  let config: Manifest;
  beforeAll(() => {
    all = scenario.manifests();
    platform = new PlatformConsistency(all, { providedElsewhere: scenario.userProvided, apiClients: scenario.apiClients });
    config = all.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'workflow-controller-configmap')!;
  });

  test('has both components of the install and the workflow namespaces', () => {
    expect(platform.pods.map((p) => `${p.owner.kind}/${p.owner.metadata.name}`)).toEqual(expect.arrayContaining(['Deployment/workflow-controller', 'Deployment/argo-server']));
    expect(config).toBeDefined();
    const namespaces = all.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name);
    expect(namespaces).toEqual(expect.arrayContaining(scenario.workflowNamespaces));
  });

  test('every volume, env and envFrom reference of every pod resolves', () => {
    expect(platform.podReferenceProblems()).toEqual([]);
  });

  test('every service account and binding resolves (the install\'s own accounts are in the output)', () => {
    expect(platform.accountProblems()).toEqual([]);
    expect(platform.has('ServiceAccount', 'argo', 'argo')).toBe(true);
    expect(platform.has('ServiceAccount', 'argo', 'argo-server')).toBe(true);
  });

  test('every Service selects pods with its target ports; every Ingress backend exists', () => {
    expect(platform.serviceProblems()).toEqual([]);
    expect(all.filter((m) => m.kind === 'Ingress' && m.metadata.namespace === 'argo')).toHaveLength(1);
  });

  test('no wildcard ClusterRole, no cluster-wide Secret read', () => {
    expect(platform.clusterRoleProblems()).toEqual([]);
  });

  test('every pod restricted with requests and limits, images pinned, no :latest anywhere (embedded config included)', () => {
    expect(platform.podSecurityProblems()).toEqual([]);
    expect(platform.latestImageProblems()).toEqual([]);
    // The executor image is pinned by the controller's flag (workflow pods run it as init and wait containers):
    // the examples' release, by tag until its digests are added.
    const controllerArgs = platform.pods.find((p) => p.owner.metadata.name === 'workflow-controller')!.containers.flatMap((c) => c.args ?? []);
    expect(controllerArgs).toContain(`--executor-image=${WORKFLOWS_RELEASE.imageReference(ArgoWorkflowsImage.ARGO_EXEC)}`);
    expect(WORKFLOWS_RELEASE.imageReference(ArgoWorkflowsImage.ARGO_EXEC)).toMatch(/^quay\.io\/argoproj\/argoexec:v4\.1\.2(@sha256:[0-9a-f]{64})?$/);
  });

  test('every Secret the controller configuration names resolves, with its key', () => {
    const refs = Object.entries(config.data as Record<string, string>).flatMap(([k, v]) => secretSelectors(YAML.parse(v), k));
    expect(refs.map((r) => r.path)).toEqual(expect.arrayContaining(['sso.clientId', 'sso.clientSecret', 'persistence.postgresql.passwordSecret']));
    expect(refs.map((r) => platform.secretProblem('argo', r.name, r.key)).filter(Boolean)).toEqual([]);
  });

  test('the argo-server TLS certificate Secret is written by cert-manager', () => {
    const server = platform.pods.find((p) => p.owner.metadata.name === 'argo-server')!;
    const args: string[] = server.containers.flatMap((c) => c.args ?? []);
    const flag = args.find((a) => a.startsWith('--tls-certificate-secret-name'));
    const name = flag?.includes('=') ? flag.split('=')[1] : args[args.indexOf(flag!) + 1];
    expect(platform.secretProblem('argo', name, 'tls.crt')).toBeUndefined();
  });

  test('the executor account of workflowDefaults exists in every workflow namespace, and every workflow\'s account and template too', () => {
    const defaults = YAML.parse(config.data.workflowDefaults).spec;
    const problems: string[] = [];
    for (const ns of scenario.workflowNamespaces) {
      if (!platform.has('ServiceAccount', ns, defaults.executor.serviceAccountName)) problems.push(`${ns}: no ServiceAccount ${defaults.executor.serviceAccountName}`);
    }
    for (const wf of all.filter((m) => ['Workflow', 'CronWorkflow', 'WorkflowTemplate'].includes(m.kind))) {
      const spec = wf.kind === 'CronWorkflow' ? wf.spec.workflowSpec : wf.spec;
      const ns = wf.metadata.namespace!;
      for (const sa of [spec.serviceAccountName, spec.executor?.serviceAccountName].filter(Boolean)) {
        if (!platform.has('ServiceAccount', ns, sa)) problems.push(`${describeManifest(wf)}: ServiceAccount ${sa} is not in the output`);
      }
      const ref = spec.workflowTemplateRef;
      if (ref && !platform.has(ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate', ref.clusterScope ? undefined : ns, ref.name)) {
        problems.push(`${describeManifest(wf)}: template ${ref.name} is not in the output`);
      }
    }
    expect(problems).toEqual([]);
  });

  describe('network flows', () => {
    let sim: NetworkPolicySimulator;
    beforeAll(() => {
      sim = NetworkPolicySimulator.fromManifests(all);
    });
    const address = (ip: string) => NetworkEndpoint.address(ip);
    const controller = () => sim.workload('argo', 'workflow-controller');
    const server = () => sim.workload('argo', 'argo-server');
    // Argo labels a workflow's pods with its name; any workflow of the namespace stands for them.
    // The pod addresses lie inside 10.0.0.0/8, which `ci` may reach on 443: the ipBlock must not
    // open other namespaces' pods.
    const workflowPod = (ns: string, ip = '10.244.1.7') => NetworkEndpoint.pod({
      namespace: ns, labels: { 'workflows.argoproj.io/workflow': `${ns}-run-x7k2p`, 'workflows.argoproj.io/completed': 'false' }, ip,
    });
    const podIn = (ns: string, labels: Record<string, string>) => NetworkEndpoint.pod({ namespace: ns, labels, ip: '10.244.2.9' });
    const postgres = () => podIn('databases', { app: 'postgres' });
    const minio = () => podIn('minio', { app: 'minio' });
    const ingressController = () => NetworkEndpoint.pod({ namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } });
    const repoServer = () => (all.some((m) => m.kind === 'Deployment' && m.metadata.name === 'argocd-repo-server')
      ? sim.workload('argocd', 'argocd-repo-server')
      : NetworkEndpoint.pod({ namespace: 'argocd', labels: { 'app.kubernetes.io/name': 'argocd-repo-server' }, ip: '10.244.3.3' }));
    const dns = () => NetworkEndpoint.pod({ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } });
    const metadata = () => address('169.254.169.254');

    const required: [string, () => [NetworkEndpoint, NetworkEndpoint, number, NetworkProtocol?]][] = [
      ['argo-server <- ingress controller', () => [ingressController(), server(), 2746]],
      ['argo-server -> API', () => [server(), address(scenario.api), 6443]],
      ['argo-server -> IdP', () => [server(), address(scenario.keycloak), 443]],
      ['argo-server -> archive database', () => [server(), postgres(), 5432]],
      ['argo-server -> DNS', () => [server(), dns(), 53, NetworkProtocol.UDP]],
      ['controller -> API', () => [controller(), address(scenario.api), 6443]],
      ['controller -> archive database', () => [controller(), postgres(), 5432]],
      ['controller -> DNS', () => [controller(), dns(), 53, NetworkProtocol.UDP]],
      ['ci workflow pod -> API (task results)', () => [workflowPod('ci'), address(scenario.api), 6443]],
      ['ci workflow pod -> artifact store', () => [workflowPod('ci'), minio(), 9000]],
      ['ci workflow pod -> DNS', () => [workflowPod('ci'), dns(), 53, NetworkProtocol.UDP]],
      ...scenario.workflowNamespaces.map((ns): [string, () => [NetworkEndpoint, NetworkEndpoint, number]] =>
        [`${ns} workflow pod -> API (task results)`, () => [workflowPod(ns), address(scenario.api), 6443]]),
    ];
    const forbidden: [string, () => [NetworkEndpoint, NetworkEndpoint, number, NetworkProtocol?]][] = [
      ...scenario.workflowNamespaces.flatMap((from) => scenario.workflowNamespaces.filter((to) => to !== from).flatMap((to) =>
        [443, 8080].map((port): [string, () => [NetworkEndpoint, NetworkEndpoint, number]] =>
          [`${from} workflow pod -> ${to} workflow pod on ${port}`, () => [workflowPod(from), workflowPod(to, '10.244.9.9'), port]]))),
      ...scenario.workflowNamespaces.flatMap((ns): [string, () => [NetworkEndpoint, NetworkEndpoint, number]][] => [
        [`${ns} workflow pod -> argocd-repo-server`, () => [workflowPod(ns), repoServer(), 8081]],
        [`${ns} workflow pod -> cloud metadata`, () => [workflowPod(ns), metadata(), 80]],
        [`${ns} workflow pod -> argo-server`, () => [workflowPod(ns), server(), 2746]],
        [`${ns} workflow pod -> archive database`, () => [workflowPod(ns), postgres(), 5432]],
      ]),
      ['argo-server -> cloud metadata', () => [server(), metadata(), 80]],
      ['controller -> cloud metadata', () => [controller(), metadata(), 80]],
      ['a pod of another namespace -> argo-server, bypassing the ingress', () => [podIn('production', { app: 'web' }), server(), 2746]],
      ['controller -> IdP (only argo-server signs people in)', () => [controller(), address(scenario.keycloak), 443]],
    ];
    test.each(required)('allowed: %s', (_, flow) => {
      const decision = sim.check(...flow());
      expect(decision.allowed ? 'allowed' : decision.explanation).toBe('allowed');
    });
    test.each(forbidden)('denied: %s', (_, flow) => {
      const decision = sim.check(...flow());
      expect(decision.allowed ? decision.explanation : 'denied').toBe('denied');
    });
  });
});

describe('the walker finds what it is for (on a broken copy of examples/workflows.ts)', () => {
  const clean = charts('workflows')();
  const walk = (edit: (all: Manifest[]) => Manifest[], provided = SCENARIOS[0].userProvided) => {
    const copy = edit(structuredClone(clean));
    return new PlatformConsistency(copy, { providedElsewhere: provided, apiClients: SCENARIOS[0].apiClients });
  };
  const without = (kind: string, name: string) => (all: Manifest[]) => all.filter((m) => !(m.kind === kind && m.metadata.name === name));
  const edited = (kind: string, name: string, change: (m: Obj) => void) => (all: Manifest[]) => all.map((m) => {
    if (m.kind === kind && m.metadata.name === name) change(m);
    return m;
  });

  test('a missing service account, role, user Secret or certificate', () => {
    expect(walk(without('ServiceAccount', 'argo-server')).accountProblems()).toEqual(expect.arrayContaining([
      'Deployment argo/argo-server: ServiceAccount argo-server is not in the output',
      expect.stringMatching(/subject ServiceAccount argo\/argo-server is not in the output/),
    ]));
    expect(walk(without('Role', 'workflow-sa-workflow-executor')).accountProblems()).toContainEqual(expect.stringMatching(/Role workflow-sa-workflow-executor is not in the output/));
    expect(walk((all) => all, {}).secretProblem('argo', 'argo-postgres', 'password')).toBe('Secret argo/argo-postgres is not in the output');
    expect(walk(without('Certificate', 'argo-server-tls')).serviceProblems())
      .toEqual(['Ingress argo/argo-server proxy-ssl-secret: Secret argo/argo-server-tls is not in the output']);
  });

  test('a Service that selects nothing, an Ingress to a missing port, a missing backend CA', () => {
    expect(walk(edited('Service', 'argo-server', (m) => { m.spec.selector = { app: 'nothing' }; })).serviceProblems())
      .toEqual(['Service argo/argo-server: selects no pod']);
    expect(walk(edited('Ingress', 'argo-server', (m) => { m.spec.rules[0].http.paths[0].backend.service.port = { number: 1 }; })).serviceProblems())
      .toEqual(['Ingress argo/argo-server: Service argo-server has no port 1']);
  });

  test('a wildcard or Secret-reading ClusterRole, a pod without limits, a :latest image', () => {
    const role = (all: Manifest[]) => all.find((m) => m.kind === 'ClusterRole')!;
    expect(walk((all) => {
      role(all).rules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }, { apiGroups: ['*'], resources: ['pods'], verbs: ['list'] });
      return all;
    }).clusterRoleProblems()).toHaveLength(2);
    expect(walk(edited('Deployment', 'argo-server', (m) => { delete m.spec.template.spec.containers[0].resources.limits; })).podSecurityProblems())
      .toContainEqual(expect.stringMatching(/argo-server.*limits/i));
    expect(walk(edited('Deployment', 'argo-server', (m) => { m.spec.template.spec.containers[0].image = 'quay.io/argoproj/argocli:latest'; })).latestImageProblems())
      .toEqual(['Deployment argo/argo-server: quay.io/argoproj/argocli:latest']);
  });
});
