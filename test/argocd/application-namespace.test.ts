import { App, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ApplicationNamespace, ApplicationPodSecurity, ApplicationSource, ProjectWithRoles, SecureApplication, SecureArgoCD } from '../../src';
import { expectSynthErrors } from '../support/errors';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const RESOURCES = { cpuRequest: Cpu.millis(100), cpuLimit: Cpu.millis(500), memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(512) };

describe('ApplicationNamespace', () => {
  test('defaults: restricted, default-deny with DNS, no quota, no managed-by label', () => {
    const chart = testChart();
    new ApplicationNamespace(chart, 'Ns', { name: 'shop-web' });
    const manifests = synth(chart);
    expectValid(manifests);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['Namespace', 'NetworkPolicy', 'NetworkPolicy']);
    const ns = findObject(manifests, 'Namespace', 'shop-web');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(Object.keys(ns.metadata.labels).filter((k) => k.startsWith('argocd.argoproj.io/'))).toEqual([]);
    const policy = findObject(manifests, 'NetworkPolicy', 'default-deny');
    expect(policy.metadata.namespace).toBe('shop-web');
    expect(policy.spec.podSelector).toEqual({});
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toBeUndefined();
    expect(policy.spec.egress).toBeUndefined();
    const dns = findObject(manifests, 'NetworkPolicy', 'allow-dns');
    expect(dns.spec.podSelector).toEqual({});
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    expect(dns.spec.egress).toHaveLength(1);
    expect(dns.spec.egress[0].ports.map((p: any) => p.port)).toEqual([53, 53]);
  });

  test('quota, limit range and extra labels', () => {
    const chart = testChart();
    new ApplicationNamespace(chart, 'Ns', {
      name: 'shop-web',
      quota: {
        total: { cpuRequest: Cpu.units(2), cpuLimit: Cpu.units(4), memoryRequest: Size.gibibytes(4), memoryLimit: Size.gibibytes(8) },
        pods: 50,
        persistentVolumeClaims: 0,
      },
      defaultContainerResources: RESOURCES,
      disableDefaultDeny: { reason: 'the service mesh enforces traffic policy' },
      labels: { team: 'shop' },
    });
    const manifests = synth(chart);
    expectValid(manifests);
    expect(findObject(manifests, 'ResourceQuota', 'quota').spec.hard).toEqual({
      'limits.cpu': '4', 'limits.memory': '8Gi', 'requests.cpu': '2', 'requests.memory': '4Gi', 'pods': 50, 'persistentvolumeclaims': 0,
    });
    expect(findObject(manifests, 'LimitRange', 'defaults').spec.limits).toEqual([{
      type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '512Mi' },
    }]);
    expect(findObject(manifests, 'Namespace', 'shop-web').metadata.labels.team).toBe('shop');
    expect(findObject(manifests, 'Namespace', 'shop-web').metadata.annotations['policy.cdk8s-secure-argo.io/accepted-risks'])
      .toBe('disableDefaultDeny: the service mesh enforces traffic policy');
    expect(manifests.some((m) => m.kind === 'NetworkPolicy')).toBe(false);
  });

  test('baseline only with a reason; restricted audit and warn stay', () => {
    const chart = testChart();
    new ApplicationNamespace(chart, 'Ns', { name: 'legacy', podSecurity: ApplicationPodSecurity.BASELINE, baselineReason: 'vendor image runs as root' });
    const ns = findObject(synth(chart), 'Namespace', 'legacy');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
    expect(ns.metadata.annotations['policy.cdk8s-secure-argo.io/accepted-risks']).toBe('baselineReason: vendor image runs as root');

    const bad = testChart();
    new ApplicationNamespace(bad, 'A', { name: 'a', podSecurity: ApplicationPodSecurity.BASELINE });
    new ApplicationNamespace(bad, 'B', { name: 'b', baselineReason: 'x', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } });
    new ApplicationNamespace(bad, 'C', { name: 'c', quota: { total: RESOURCES, pods: -1 }, disableDefaultDeny: { reason: 'mesh' }, dnsNamespace: 'kube-system' });
    expectSynthErrors(App.of(bad) as App, [
      /\[test\/A\] .*baselineReason: is required with ApplicationPodSecurity.BASELINE/,
      /\[test\/B\] .*baselineReason: is set, but podSecurity is RESTRICTED/,
      /\[test\/B\] .*labels\['pod-security.kubernetes.io\/enforce'\]: is a Pod Security label: use podSecurity/,
      /\[test\/C\] .*quota.pods: -1 is not a whole number from 0 to \d+: give one in that range/,
      /\[test\/C\] .*dnsNamespace: is set, but disableDefaultDeny leaves allow-dns out/,
    ]);
    expect(() => new ApplicationNamespace(testChart(), 'X', { name: 'Not_Valid' })).toThrow(/name/);
  });

  test("Kubernetes' own namespaces and the app's install namespaces are refused", () => {
    const bad = testChart();
    for (const name of ['kube-system', 'kube-public', 'kube-node-lease', 'default', 'argocd']) new ApplicationNamespace(bad, name, { name });
    new SecureArgoCD(bad, 'ArgoCd', { allowNoInteractiveLogin: { reason: 'API tokens only' }, disableNetworkPolicies: { reason: 'policies managed elsewhere' } });
    expectSynthErrors(App.of(bad) as App, [
      /\[test\/kube-system\] .*name: 'kube-system' is a namespace Kubernetes itself uses: .*namespace of their own/,
      /\[test\/kube-public\] .*name: 'kube-public' is a namespace Kubernetes itself uses/,
      /\[test\/kube-node-lease\] .*name: 'kube-node-lease' is a namespace Kubernetes itself uses/,
      /\[test\/default\] .*name: 'default' is a namespace Kubernetes itself uses/,
      /\[test\/argocd\] .*name: 'argocd' is where Argo CD or Argo Workflows is installed in this app: .*namespace of their own/,
    ]);
  });

  test('a project destination and an Application destination', () => {
    const chart = testChart();
    const ns = new ApplicationNamespace(chart, 'Ns', { name: 'shop-web' });
    const project = new ProjectWithRoles(chart, 'Project', {
      name: 'shop', sourceRepos: ['https://github.com/myorg/*'], destinations: [ns.projectDestination],
    });
    new SecureApplication(chart, 'App', {
      name: 'web',
      project,
      source: ApplicationSource.git({ repoUrl: 'https://github.com/myorg/web.git', revision: 'v1', path: '.' }),
      destination: { namespace: ns.namespaceName },
    });
    const manifests = synth(chart);
    expectValid(manifests);
    expect(findObject(manifests, 'AppProject', 'shop').spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'shop-web' }]);
  });
});
