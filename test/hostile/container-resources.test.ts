// Hostile input through container resources: SecureArgoCD `install.resources` and
// SecureArgoWorkflows `install.resources` (container keys and the four amounts), the vault
// plugin's `resources` and SecureArgoWorkflows `mainContainerResources` and `executorResources`. Each value is refused (construct path, property, fix) or lands on the
// container it names meaning exactly what was asked, as go-yaml reads the object and Kubernetes'
// resource.ParseQuantity reads the quantity. Validated without a synth.
import { ApiObject, Chart, Size, Testing, Yaml } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { expectUsefulRefusal, hostileNumber, hostileText, k8sQuantity, readAsGoYaml, RUNS, secureArgoCdOutput } from './readers';
import { ArgoCdVaultPlugin, ContainerImage, ContainerResources } from '../../src';
import { ArgoWorkflowsCrdSchemas, HardenedWorkflowNamespace, SecureArgoWorkflows, SecureArgoWorkflowsProps } from '../../src/workflows';

type Amount = keyof ContainerResources;
const AMOUNTS: Amount[] = ['cpuRequest', 'cpuLimit', 'memoryRequest', 'memoryLimit'];
/** A valid set; the amount under test replaces one, and its partner is moved so that the request stays at most the limit. */
const BASE = { cpuRequest: 100, cpuLimit: 500, memoryRequest: 128, memoryLimit: 256 };
const make = (n: Record<Amount, number>): ContainerResources => ({
  cpuRequest: Cpu.millis(n.cpuRequest),
  cpuLimit: Cpu.millis(n.cpuLimit),
  memoryRequest: Size.mebibytes(n.memoryRequest),
  memoryLimit: Size.mebibytes(n.memoryLimit),
});
function amounts(field: Amount, n: number): Record<Amount, number> {
  const big = Number.isFinite(n) && n > 0;
  switch (field) {
    case 'cpuRequest': return { ...BASE, cpuRequest: n, cpuLimit: big ? Math.max(n, BASE.cpuLimit) : BASE.cpuLimit };
    case 'memoryRequest': return { ...BASE, memoryRequest: n, memoryLimit: big ? Math.max(n, BASE.memoryLimit) : BASE.memoryLimit };
    case 'cpuLimit': return { ...BASE, cpuRequest: 1, cpuLimit: n };
    case 'memoryLimit': return { ...BASE, memoryRequest: 1, memoryLimit: n };
  }
}
/** What Kubernetes reads: CPU in cores, memory in bytes. */
const meaning = (n: Record<Amount, number>) => ({
  requests: { cpu: n.cpuRequest / 1000, memory: n.memoryRequest * 2 ** 20 },
  limits: { cpu: n.cpuLimit / 1000, memory: n.memoryLimit * 2 ** 20 },
});
const read = (r: any) => ({
  requests: { cpu: k8sQuantity(r?.requests?.cpu), memory: k8sQuantity(r?.requests?.memory) },
  limits: { cpu: k8sQuantity(r?.limits?.cpu), memory: k8sQuantity(r?.limits?.memory) },
});

interface Owner {
  /** The construct path and the property of the resources. */
  readonly path: string;
  readonly property: (key: string) => string;
  /** The problems, or the rendered resources of container `key`, as go-yaml reads them (undefined: no such container). */
  readonly build: (key: string, resources: ContainerResources) => { problems: string[]; resources?: any };
  readonly containers: string[];
  readonly numRuns: number;
  /** Whether the resources are given by container name (`install.resources.<container>`). */
  readonly keyed: boolean;
}

const containersOf = (docs: any[]) => docs.flatMap((d) => {
  const pod = d.spec?.template?.spec ?? {};
  return [...pod.containers ?? [], ...pod.initContainers ?? []];
});
const docsOf = (objects: ApiObject[], kinds: string[]) => objects.filter((o) => kinds.includes(o.kind))
  .map((o) => readAsGoYaml(Yaml.stringify(o.toJson())) as any);

const ARGOCD: Owner = {
  path: 'argocd/CD',
  property: (key) => `install.resources.${key}`,
  build: (key, resources) => {
    const { problems, docs } = secureArgoCdOutput({ install: { resources: { [key]: resources } } }, ['Deployment', 'StatefulSet']);
    return { problems, resources: docs && containersOf(docs).find((c) => c.name === key)?.resources };
  },
  containers: ['argocd-server', 'argocd-repo-server', 'argocd-application-controller', 'argocd-applicationset-controller', 'argocd-notifications-controller', 'redis', 'copyutil'],
  numRuns: 10,
  keyed: true,
};

const IMAGE = ContainerImage.fromDigest('ghcr.io/example/avp', 'sha256:485170fd8a452b91169b8c91352eddb3671d94266b85b70e385b2710d60013fc');
const VAULT: Owner = {
  path: 'test/Owner',
  property: () => 'resources',
  build: (_key, resources) => {
    const chart = new Chart(Testing.app(), 'test');
    let plugin: ArgoCdVaultPlugin;
    try {
      plugin = new ArgoCdVaultPlugin(chart, 'Owner', {
        namespace: 'argocd', image: IMAGE, vaultAddress: 'https://vault.example.com:8200', vaultRole: 'argocd', resources,
      });
    } catch (e) {
      return { problems: [(e as Error).message] };
    }
    const problems = chart.node.findAll().flatMap((c) => c.node.validate());
    if (problems.length > 0) return { problems };
    return { problems, resources: (readAsGoYaml(Yaml.stringify(plugin._repoServerSidecar())) as any).containers[0].resources };
  },
  containers: ['avp'],
  numRuns: 20,
  keyed: false,
};

/** A SecureArgoWorkflows install with the props given, and its workflow namespace: the problems, or its Deployments and controller config. */
function workflowsInstall(props: Partial<SecureArgoWorkflowsProps>): { problems: string[]; deployments?: any[]; config?: any } {
  const chart = new Chart(Testing.app(), 'test');
  const api = { kubernetesApiCidr: '10.96.0.1/32', kubernetesApiPort: 6443 };
  let workflows: SecureArgoWorkflows;
  try {
    workflows = new SecureArgoWorkflows(chart, 'Workflows', { install: { crdSchemas: ArgoWorkflowsCrdSchemas.MINIMAL }, networkPolicies: api, ...props });
    // A namespace-scoped install needs the namespace it manages.
    new HardenedWorkflowNamespace(chart, 'Ns', { workflows, name: 'team-a', ...api });
  } catch (e) {
    return { problems: [(e as Error).message] };
  }
  const problems = workflows.node.findAll().flatMap((c) => c.node.validate());
  if (problems.length > 0) return { problems };
  const objects = workflows.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const configMap = docsOf(objects, ['ConfigMap']).find((d) => d.metadata.name === 'workflow-controller-configmap');
  // Each key of the controller's ConfigMap is a YAML document of its own.
  const config = Object.fromEntries(Object.entries<string>(configMap.data).map(([key, raw]) => [key, readAsGoYaml(raw)]));
  return { problems, deployments: docsOf(objects, ['Deployment']), config };
}

const WORKFLOWS: Owner = {
  path: 'test/Workflows',
  property: (key) => `install.resources.${key}`,
  build: (key, resources) => {
    const { problems, deployments } = workflowsInstall({ install: { crdSchemas: ArgoWorkflowsCrdSchemas.MINIMAL, resources: { [key]: resources } } });
    return { problems, resources: deployments && containersOf(deployments).find((c) => c.name === key)?.resources };
  },
  containers: ['workflow-controller', 'argo-server'],
  numRuns: 4,
  keyed: true,
};

/** The main and executor containers of every workflow, through the controller config. */
const WORKFLOW_CONTAINERS: Owner[] = (['mainContainerResources', 'executorResources'] as const).map((prop) => ({
  path: 'test/Workflows',
  property: () => prop,
  build: (_key, resources) => {
    const { problems, config } = workflowsInstall({ [prop]: resources });
    return { problems, resources: config?.[prop === 'mainContainerResources' ? 'mainContainer' : 'executor']?.resources };
  },
  containers: [prop],
  numRuns: 4,
  keyed: false,
}));

/** Builds the resources; cdk8s's own factories (Size) throw at the caller's line for some numbers, which is their refusal. */
function resourcesFor(n: Record<Amount, number>): ContainerResources | undefined {
  try {
    return make(n);
  } catch {
    return undefined;
  }
}

const OWNERS: [string, Owner][] = [
  ['SecureArgoCD', ARGOCD], ['ArgoCdVaultPlugin', VAULT], ['SecureArgoWorkflows', WORKFLOWS],
  ...WORKFLOW_CONTAINERS.map((o): [string, Owner] => [`SecureArgoWorkflows ${o.property('')}`, o]),
];

describe.each(OWNERS)('%s', (_name, owner) => {
  test.each(AMOUNTS)('%s: refused with a fix, or read by Kubernetes as exactly the amount asked', (field) => {
    const key = owner.containers[0];
    let accepted = 0;
    fc.assert(fc.property(hostileNumber, (value) => {
      const n = amounts(field, value);
      const resources = resourcesFor(n);
      if (resources === undefined) return;
      const { problems, resources: landed } = owner.build(key, resources);
      if (problems.length > 0) {
        expectUsefulRefusal(problems, owner.path, `${owner.property(key)}.${field}`);
        return;
      }
      expect([value, read(landed)]).toEqual([value, meaning(n)]);
      accepted++;
    }), { ...RUNS, numRuns: owner.numRuns + 8, examples: [[NaN], [Infinity], [-1], [0], [0.5], [1.5], [1e21], [2 ** 53]] });
    // The runs reached the output, not only the refusals.
    expect(accepted).toBeGreaterThan(0);
  });

  test('ordinary resources are accepted on each container', () => {
    for (const key of owner.containers) {
      const { problems, resources } = owner.build(key, make(BASE));
      expect([key, problems, read(resources)]).toEqual([key, [], meaning(BASE)]);
    }
  });

  if (owner.keyed) {
    test('container keys: refused with a fix, or the named container gets exactly those resources', () => {
      const others = ['Argocd-Server', `${owner.containers[0]} `, '__proto__', 'constructor', 'toString', 'default', '*'];
      const keys = fc.oneof(hostileText, fc.constantFrom(...owner.containers, ...others));
      fc.assert(fc.property(keys, (key) => {
        const { problems, resources } = owner.build(key, make(BASE));
        if (problems.length > 0) {
          expectUsefulRefusal(problems, owner.path, 'install.resources');
          return;
        }
        expect([key, read(resources)]).toEqual([key, meaning(BASE)]);
      }), { ...RUNS, numRuns: owner.numRuns, examples: others.map((k) => [k]) });
    });
  }
});
