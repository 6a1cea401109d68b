import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  ArgoCdRelease, DexConnector, OidcSso, ProjectWithRoles, ResourceKind, SealedValue, SecretSource, SecureArgoCD, SecureArgoCDProps,
  SecureApplication, ApplicationSource, SizingPreset, SecretKeyRef, SealedOrExternalSecret, ArgoCdExposure, ArgoCdServerTls,
  ApplicationSetGenerator, SecureApplicationSet,
} from '../../src';
import { ArgoCdInstall } from '../../src/argocd/install/argocd-install';
import { expectSynthErrors } from '../support/errors';
import { ARGOCD_API_CLIENTS } from '../support/examples';
import { literalSecretViolations, restrictedViolations } from '../support/pod-security';
import { findObject, Manifest, synth } from '../support/synth';
import { validateManifests } from '../support/validate';

const SEALED = (() => {
  const raw = Buffer.alloc(2 + 256 + 32, 7);
  raw.writeUInt16BE(256, 0);
  return raw.toString('base64');
})();
const DIGESTS = { argocd: 'sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671', dex: 'sha256:2eee2b13303de0c8ccf874bc3958cac9629ba272ff8c38aaddf0bed7850b9c84', redis: 'sha256:d1b957e97b94e706a8e5be50f06c36b7da59120cb2909bfd274de1e81da94c32', haproxy: 'sha256:9b50bb128c60077d781c3b1427e38870cbf04f78e7000783a7efede45f1c50f7' };
const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };

function app(props: SecureArgoCDProps = {}, extra?: (chart: Chart) => void): { out: Manifest[]; install: ArgoCdInstall } {
  const chart = new Chart(Testing.app(), 'test');
  const argoCd = new SecureArgoCD(chart, 'ArgoCD', {
    enableLocalAdmin: true,
    networkPolicies: NETWORK,
    ...props,
    install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS), ...props.install },
  });
  extra?.(chart);
  const out = synth(chart);
  return { out, install: argoCd.node.findChild('Install') as ArgoCdInstall };
}

function names(out: Manifest[], kind: string, namespace?: string): string[] {
  return out.filter((m) => m.kind === kind && (namespace === undefined || m.metadata.namespace === namespace)).map((m) => m.metadata.name!).sort();
}

const dex = () => OidcSso.dex({
  connectors: [DexConnector.github({ clientId: 'abc', clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'dex.github.clientSecret'), orgs: [{ name: 'o' }] })],
});

describe('ArgoCdInstall: the whole install, hardened', () => {
  const { out, install } = app();

  test('every upstream object is emitted, merged or left out with a reason', () => {
    expect(install.unaccounted()).toEqual([]);
    const fates = install.dispositions();
    expect(fates).toHaveLength(50);
    for (const f of fates.filter((d) => d.fate !== 'emitted')) expect(f.reason).toMatch(/\w{10}/);
    expect(fates.filter((d) => d.fate === 'omitted').map((d) => `${d.kind}/${d.name}`).sort()).toEqual([
      'Deployment/argocd-dex-server', 'Role/argocd-dex-server', 'RoleBinding/argocd-dex-server', 'Service/argocd-dex-server', 'ServiceAccount/argocd-dex-server',
    ]);
    expect(fates.filter((d) => d.fate === 'merged')).toHaveLength(10);
  });

  test('one object per kind, namespace and name, all valid', () => {
    const keys = out.map((m) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(validateManifests(out)).toEqual([]);
    expect(literalSecretViolations(out)).toEqual([]);
  });

  test('every pod restricted, with requests and limits, digests, and a token only for API clients', () => {
    expect(restrictedViolations(out, { apiClients: ARGOCD_API_CLIENTS })).toEqual([]);
    expect(findObject(out, 'Deployment', 'argocd-repo-server').spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(findObject(out, 'Deployment', 'argocd-server').spec.template.spec.containers[0].image).toBe(`quay.io/argoproj/argocd:v3.5.1@${DIGESTS.argocd}`);
  });

  test('a PodDisruptionBudget for every workload', () => {
    expect(names(out, 'PodDisruptionBudget')).toEqual([...names(out, 'Deployment'), ...names(out, 'StatefulSet')].sort());
  });

  test('no ClusterRole without a project that needs one; the cluster Secret lists only Argo CD\'s namespace', () => {
    expect(names(out, 'ClusterRole')).toEqual([]);
    expect(findObject(out, 'Secret', 'argocd-cluster-in-cluster').stringData).toMatchObject({ namespaces: 'argocd', clusterResources: 'false' });
  });

  test('internal TLS: a private CA issues the repo-server certificate, which every client verifies', () => {
    expect(names(out, 'Issuer')).toEqual(['argocd-internal-ca', 'argocd-internal-ca-selfsigned']);
    expect(names(out, 'Certificate')).toEqual(['argocd-internal-ca', 'argocd-repo-server-tls']);
    const params = findObject(out, 'ConfigMap', 'argocd-cmd-params-cm').data;
    expect(params['server.repo.server.ca.cert.path']).toBe('/app/config/server/tls/ca.crt');
    expect(params['controller.repo.server.ca.cert.path']).toBe('/app/config/controller/tls/ca.crt');
  });

  test('without Dex, argocd-server is not told to verify a Dex certificate (it would exit at startup)', () => {
    expect(findObject(out, 'ConfigMap', 'argocd-cmd-params-cm').data['server.dex.server.strict.tls']).toBeUndefined();
    expect(findObject(out, 'ConfigMap', 'argocd-cm').data['resource.respectRBAC']).toBe('normal');
  });
});

describe('ArgoCdInstall: access derived from the projects', () => {
  const { out } = app({}, (chart) => {
    new ProjectWithRoles(chart, 'Infra', {
      name: 'infra',
      sourceRepos: ['https://github.com/o/infra.git'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'infra' }, { server: 'https://remote.example.com', namespace: 'elsewhere' }],
      clusterResourceWhitelist: [ResourceKind.NAMESPACE],
      allowClusterControlResources: { reason: 'Applications create their namespaces' },
      namespaceResourceWhitelist: [ResourceKind.of('apps', 'Deployment'), ResourceKind.allKindsIn(''), ResourceKind.of('cert-manager.io', 'Certificate')],
      namespaceResourceBlacklist: [ResourceKind.RESOURCE_QUOTA],
    });
    const team = ProjectWithRoles.development(chart, 'Team', { name: 'team-a', sourceRepos: ['https://github.com/o/a.git'] });
    new SecureApplication(chart, 'App', {
      name: 'a-preview',
      project: team,
      destination: { namespace: 'team-a-preview' },
      source: ApplicationSource.git({ repoUrl: 'https://github.com/o/a.git', revision: 'main', path: 'k8s' }),
    });
  });
  const role = (component: string, namespace: string) => findObject(out.filter((m) => m.metadata.namespace === namespace), 'Role', component);

  test('Roles only in the in-cluster namespaces the projects and Applications deploy to', () => {
    expect([...new Set(out.filter((m) => m.kind === 'Role').map((m) => m.metadata.namespace))].sort()).toEqual(['argocd', 'infra', 'team-a', 'team-a-preview']);
    expect(findObject(out, 'Secret', 'argocd-cluster-in-cluster').stringData).toMatchObject({ namespaces: 'infra,team-a,team-a-preview', clusterResources: 'true' });
  });

  test('exactly the kinds each project allows, never Secrets, minus the blacklist', () => {
    const rules = role('argocd-application-controller', 'infra').rules;
    const resources = rules.flatMap((r: any) => r.resources.map((res: string) => `${r.apiGroups[0]}/${res}`));
    expect(resources).toEqual(expect.arrayContaining(['apps/deployments', 'cert-manager.io/certificates', '/configmaps', '/services', '/pods']));
    expect(resources).not.toContain('/secrets');
    expect(resources).not.toContain('/resourcequotas');
    expect(resources.some((r: string) => r.includes('*'))).toBe(false);
    expect(rules.every((r: any) => r.verbs.join() === 'create,delete,get,list,patch,update,watch')).toBe(true);
    const server = role('argocd-server', 'infra').rules;
    expect(server.find((r: any) => r.resources.includes('deployments')).verbs).toEqual(['delete', 'get', 'patch']);
    expect(server.find((r: any) => r.resources.includes('pods/log')).verbs).toEqual(['get']);
  });

  test('cluster-scoped kinds named one by one in a ClusterRole; no wildcard; no cluster-wide Secret read', () => {
    const clusterRole = findObject(out, 'ClusterRole', 'argocd-application-controller-cluster-resources');
    expect(clusterRole.rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }]);
    for (const cr of out.filter((m) => m.kind === 'ClusterRole')) {
      expect(JSON.stringify(cr.rules)).not.toMatch(/"\*"|secrets/);
    }
    expect(findObject(out, 'ClusterRoleBinding', 'argocd-application-controller-cluster-resources').subjects)
      .toEqual([{ kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' }]);
  });

  test('an ApplicationSet with RollingSync in Argo CD\'s namespace, added later in another chart, turns on progressive syncs', () => {
    const flag = (progressive: boolean) => {
      const application = Testing.app();
      const chart = new Chart(application, 'platform');
      new SecureArgoCD(chart, 'ArgoCD', { enableLocalAdmin: true, networkPolicies: NETWORK, install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS) } });
      const apps = new Chart(application, 'apps');
      const project = new ProjectWithRoles(apps, 'Project', {
        name: 'team-a', sourceRepos: ['https://github.com/o/*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a-*' }],
      });
      new SecureApplicationSet(apps, 'Set', {
        name: 'apps',
        project,
        generator: ApplicationSetGenerator.list({ elements: [{ ring: 'canary', env: 'a' }, { ring: 'main', env: 'b' }] }),
        applicationName: 'app-{{.env}}',
        labels: { ring: '{{.ring}}' },
        source: ApplicationSource.git({ repoUrl: 'https://github.com/o/r.git', revision: 'v1.0.0', path: 'k8s' }),
        destination: { namespace: 'team-a-{{.env}}' },
        progressiveSync: progressive ? [{ labelKey: 'ring', values: ['canary'] }, { labelKey: 'ring', values: ['main'] }] : undefined,
      });
      application.synthYaml();
      return findObject(Testing.synth(chart), 'ConfigMap', 'argocd-cmd-params-cm').data['applicationsetcontroller.enable.progressive.syncs'];
    };
    // the v3.5.1 applicationset-controller ignores the strategy without the flag
    expect(flag(true)).toBe('true');
    expect(flag(false)).toBeUndefined();
  });

  test('a project written as raw JSON is read as Argo CD reads it: null fields are absent', () => {
    const raw = app({}, (chart) => {
      // what YAML with empty keys reads as (`name:`): cdk8s drops the nulls, so Argo CD sees none
      new ApiObject(chart, 'RawProject', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: 'raw', namespace: 'argocd' },
        spec: {
          sourceRepos: ['https://github.com/o/r.git'],
          destinations: [{ server: 'https://kubernetes.default.svc', name: null, namespace: 'raw-team' }],
          namespaceResourceWhitelist: null,
          clusterResourceWhitelist: [{ group: 'storage.k8s.io', kind: 'StorageClass' }],
          clusterResourceBlacklist: [{ group: 'storage.k8s.io', kind: 'StorageClass', name: null }],
        },
      });
    }).out;
    // the blacklist entry has no name in the output: it blocks the whole kind, so it is not granted
    expect(JSON.stringify(raw.filter((m) => m.kind === 'ClusterRole').map((m) => m.rules))).not.toMatch(/storageclasses/);
    // no whitelist: every namespaced kind (but Secrets) in the destination namespace
    const resources = findObject(raw.filter((m) => m.metadata.namespace === 'raw-team'), 'Role', 'argocd-application-controller').rules
      .flatMap((r: any) => r.resources);
    expect(resources).toEqual(expect.arrayContaining(['configmaps', 'deployments']));
    expect(resources).not.toContain('secrets');
  });

  test('RoleBindings name the service accounts in Argo CD\'s namespace', () => {
    for (const binding of out.filter((m) => m.kind === 'RoleBinding')) {
      for (const s of binding.subjects) expect(s.namespace).toBe('argocd');
    }
  });
});

describe('ArgoCdInstall: options and refusals', () => {
  test('a project whitelisting Secrets is refused at synth with the fix', () => {
    expect(() => app({}, (chart) => new ProjectWithRoles(chart, 'P', {
      name: 'p',
      sourceRepos: ['https://github.com/o/p.git'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'p' }],
      namespaceResourceWhitelist: [ResourceKind.SECRET],
    }))).toThrow(/whitelists Secrets.*SealedSecret or ExternalSecret/);
  });

  test('a cluster-scoped pattern is refused: kinds are granted one by one', () => {
    expect(() => app({}, (chart) => new ProjectWithRoles(chart, 'P', {
      name: 'p',
      sourceRepos: ['https://github.com/o/p.git'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'p' }],
      clusterResourceWhitelist: [ResourceKind.allKindsIn('rbac.authorization.k8s.io')],
    }))).toThrow(/cluster-scoped pattern.*list each kind/);
  });

  test.each([
    [{ argocd: `sha256:${'0'.repeat(64)}` }, /install\.release\.digests\.argocd: is the all-zero placeholder/],
    [{ dex: 'sha256:abc' }, /install\.release\.digests\.dex: .*not a digest/],
    // the stand-ins the examples carried: well-formed, but no image has them, so every pull would fail
    [{ redis: `sha256:${'0'.repeat(63)}3` }, /install\.release\.digests\.redis: .*is a placeholder digest \(only 2 distinct hex digits\).*crane digest <image>:<tag>/],
  ])('refuses bad digests %j', (digests, message) => {
    expect(() => app({ install: { release: ArgoCdRelease.V3_5_1.withDigests(digests) } })).toThrow(message);
  });

  test('without digests, images are pinned by tag', () => {
    const { out } = app({ install: { release: ArgoCdRelease.V3_5_1 } });
    expect(findObject(out, 'Deployment', 'argocd-redis').spec.template.spec.containers[0].image).toBe('public.ecr.aws/docker/library/redis:8.2.3-alpine');
  });

  test('a cluster-wide controller needs a reason, reported once in one synth', () => {
    const chart = new Chart(Testing.app(), 'test');
    new SecureArgoCD(chart, 'ArgoCD', {
      enableLocalAdmin: true, networkPolicies: NETWORK, install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS), clusterWide: { reason: ' ' } },
    });
    expect(expectSynthErrors(chart.node.root as App, [/install\.clusterWide\.reason: ' ' is empty: .*say in one line why the controller needs every namespace/]))
      .toHaveLength(1);
    const { out } = app({ install: { clusterWide: { reason: 'manages add-ons everywhere' } } });
    expect(names(out, 'ClusterRole')).toEqual(['argocd-application-controller-managed-resources', 'argocd-server-managed-resources']);
    expect(names(out, 'Secret')).not.toContain('argocd-cluster-in-cluster');
  });

  test('sizing presets and per-container overrides; unknown containers are refused', () => {
    const big = { cpuRequest: Cpu.units(1), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(2) };
    const { out } = app({ install: { size: SizingPreset.LARGE, resources: { redis: big } } });
    expect(findObject(out, 'StatefulSet', 'argocd-application-controller').spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '4', memory: '8Gi' });
    expect(findObject(out, 'Deployment', 'argocd-redis').spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(() => app({ install: { resources: { nginx: big } } })).toThrow(/install\.resources\.nginx: is not a container/);
  });

  test('a supplied Redis password: no init container with Secret rights, no token for Redis', () => {
    const { out, install } = app({ install: { redisPassword: SecretSource.sealed({ values: { auth: SealedValue.preSealed(SEALED) } }) } });
    const redis = findObject(out, 'Deployment', 'argocd-redis').spec.template.spec;
    expect(redis.initContainers).toBeUndefined();
    expect(redis.automountServiceAccountToken).toBe(false);
    expect(names(out, 'Role', 'argocd')).not.toContain('argocd-redis');
    expect(findObject(out, 'SealedSecret', 'argocd-redis').spec.encryptedData.auth).toBe(SEALED);
    expect(install.unaccounted()).toEqual([]);
    expect(() => app({ install: { redisPassword: SecretSource.sealed({ values: { password: SealedValue.preSealed(SEALED) } }) } })).toThrow(/lacks the key 'auth'/);
  });

  test('Dex: its objects, its certificate, and strict TLS only then', () => {
    const { out } = app({ url: 'https://argocd.example.com', enableLocalAdmin: false, sso: dex() });
    expect(names(out, 'Deployment')).toContain('argocd-dex-server');
    expect(names(out, 'Certificate')).toContain('argocd-dex-server-tls');
    expect(findObject(out, 'ConfigMap', 'argocd-cmd-params-cm').data['server.dex.server.strict.tls']).toBe('true');
    expect(() => app({ dexServerStrictTls: true })).toThrow(/dexServerStrictTls: needs Dex/);
    expect(() => app({ url: 'https://argocd.example.com', sso: dex(), install: { internalTls: false }, dexServerStrictTls: true })).toThrow(/needs Dex/);
  });

  test('Dex strict TLS: argocd-server gets the CA and the leaf it pins, and the leaf names the host it dials', () => {
    // v3.5.1 strict mode builds RootCAs from ca.crt, verifies the host name, then requires the
    // presented leaf to equal tls.crt as loaded at startup (util/dex TLSConfig).
    const { out } = app({ url: 'https://argocd.example.com', enableLocalAdmin: false, sso: dex() });
    const server = findObject(out, 'Deployment', 'argocd-server').spec.template.spec;
    const volume = server.volumes.find((v: any) => v.secret?.secretName === 'argocd-dex-server-tls');
    expect(volume.secret.items).toEqual(expect.arrayContaining([{ key: 'tls.crt', path: 'tls.crt' }, { key: 'ca.crt', path: 'ca.crt' }]));
    expect(server.containers.find((c: any) => c.name === 'argocd-server').volumeMounts)
      .toContainEqual(expect.objectContaining({ name: volume.name, mountPath: '/app/config/dex/tls' }));
    const certificate = findObject(out, 'Certificate', 'argocd-dex-server-tls').spec;
    expect(certificate.secretName).toBe('argocd-dex-server-tls');
    // cert-manager's CA issuer writes the CA into ca.crt of the same Secret.
    expect(findObject(out, 'Issuer', certificate.issuerRef.name).spec.ca).toBeDefined();
    // argocd-server dials Dex at its default address, argocd-dex-server:5556.
    expect(findObject(out, 'ConfigMap', 'argocd-cmd-params-cm').data['server.dex.server']).toBeUndefined();
    expect(certificate.dnsNames).toContain('argocd-dex-server');
  });

  test('HA: Redis HA behind HAProxy, replicas, budgets that keep a majority, policies for the new pods', () => {
    const { out, install } = app({ install: { highAvailability: true } });
    expect(install.unaccounted()).toEqual([]);
    expect(restrictedViolations(out, { apiClients: ARGOCD_API_CLIENTS })).toEqual([]);
    expect(validateManifests(out)).toEqual([]);
    expect(findObject(out, 'StatefulSet', 'argocd-redis-ha-server').spec.replicas).toBe(3);
    expect(findObject(out, 'Deployment', 'argocd-server').spec.replicas).toBe(2);
    expect(findObject(out, 'PodDisruptionBudget', 'argocd-redis-ha-server').spec.minAvailable).toBe(2);
    expect(findObject(out, 'ConfigMap', 'argocd-cmd-params-cm').data['redis.server']).toBe('argocd-redis-ha-haproxy:6379');
    const proxy = findObject(out, 'NetworkPolicy', 'argocd-redis-ha-proxy-network-policy').spec;
    expect(proxy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(names(out, 'NetworkPolicy')).toContain('argocd-redis-ha-clients');
  });

  test('an object written elsewhere in the app replaces the upstream one (one object per name)', () => {
    const { out, install } = app({}, (chart) => {
      new SealedOrExternalSecret(chart, 'Notif', {
        namespace: 'argocd', name: 'argocd-notifications-secret', source: SecretSource.sealed({ values: { token: SealedValue.preSealed(SEALED) } }),
      });
    });
    expect(names(out, 'Secret')).not.toContain('argocd-notifications-secret');
    expect(install.dispositions().find((d) => d.name === 'argocd-notifications-secret')).toMatchObject({ fate: 'merged' });
  });

  test('NetworkPolicies disabled: the upstream ones are left out too', () => {
    const { out, install } = app({ networkPolicies: undefined, disableNetworkPolicies: { reason: 'policies managed elsewhere' } });
    expect(names(out, 'NetworkPolicy')).toEqual([]);
    expect(install.unaccounted()).toEqual([]);
  });
});

describe('docs/argocd-install.md', () => {
  test('the table names every upstream object of both variants', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'argocd-install.md'), 'utf8');
    const rows = new Set(doc.split('\n').filter((l) => l.startsWith('| ')).map((l) => {
      const [kind, name] = l.split('|').slice(1, 3).map((c) => c.trim().replace(/`/g, ''));
      return `${kind}/${name}`;
    }));
    for (const highAvailability of [false, true]) {
      const { install } = app({ install: { highAvailability } });
      for (const d of install.dispositions()) expect(rows).toContain(`${d.kind}/${d.name}`);
    }
  });
});

describe('ArgoCdInstall: DNS and ACME policies', () => {
  test('NodeLocal DNSCache and other DNS ports for every pod but Redis; bad values refused', () => {
    const { out } = app({ install: { nodeLocalDnsCidrs: ['169.254.20.10/32'], dnsPorts: [53, 5353] } });
    const dns = findObject(out, 'NetworkPolicy', 'argocd-dns-egress').spec;
    expect(dns.podSelector.matchExpressions[0]).toMatchObject({ operator: 'NotIn', values: expect.arrayContaining(['argocd-redis']) });
    expect(dns.egress[0].to[1]).toEqual({ ipBlock: { cidr: '169.254.20.10/32' } });
    expect(dns.egress[0].ports).toHaveLength(4);
    expect(() => app({ install: { nodeLocalDnsCidrs: ['169.254.20.10'] } })).toThrow(/nodeLocalDnsCidrs\[0\]/);
    expect(() => app({ install: { dnsPorts: [70000] } })).toThrow(/dnsPorts\[0\]/);
    expect(names(app().out, 'NetworkPolicy')).not.toContain('argocd-dns-egress');
  });

  test('the ingress controller reaches the HTTP-01 solver only when cert-manager issues the server certificate', () => {
    expect(names(app().out, 'NetworkPolicy')).not.toContain('argocd-acme-http01-solver');
    const { out } = app({ exposure: ArgoCdExposure.ingressNginx({ host: 'argocd.example.com', tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt-prod') }) });
    const solver = findObject(out, 'NetworkPolicy', 'argocd-acme-http01-solver').spec;
    expect(solver.podSelector).toEqual({ matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } });
    expect(solver.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8089 }]);
  });
});
