import { ArgoCdComponent, ArgoCdNetworkPolicies, ArgoCdNetworkPoliciesProps } from '../../src';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const API = { cidrs: ['10.0.0.10/32'], ports: [6443] };

function policies(props: Partial<ArgoCdNetworkPoliciesProps> = {}): Manifest[] {
  const chart = testChart();
  new ArgoCdNetworkPolicies(chart, 'netpol', { namespace: 'argocd', kubernetesApi: API, ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  return manifests;
}

function policy(manifests: Manifest[], component: string): Manifest {
  return findObject(manifests, 'NetworkPolicy', `${component}-network-policy`);
}

/** Every (peer, port) pair of a policy's rules in one direction, for compact assertions. */
function paths(p: Manifest, direction: 'ingress' | 'egress'): string[] {
  const out: string[] = [];
  for (const rule of p.spec[direction] ?? []) {
    const peers = rule[direction === 'ingress' ? 'from' : 'to'] ?? [];
    for (const peer of peers) {
      const who = peer.ipBlock ? `ip:${peer.ipBlock.cidr}`
        : peer.namespaceSelector && peer.podSelector ? `ns:${peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}/pod:${JSON.stringify(peer.podSelector.matchLabels)}`
          : peer.namespaceSelector ? `ns:${peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}`
            : `pod:${peer.podSelector.matchLabels['app.kubernetes.io/name']}`;
      for (const port of rule.ports) out.push(`${who}:${port.protocol}/${port.port}`);
    }
  }
  return out;
}

describe('ArgoCdNetworkPolicies', () => {
  test('synthesizes a default deny and one policy per component, in a stable order', () => {
    const manifests = policies();
    expect(manifests.map((m) => m.metadata.name)).toEqual([
      'argocd-default-deny',
      'argocd-server-network-policy',
      'argocd-repo-server-network-policy',
      'argocd-application-controller-network-policy',
      'argocd-redis-network-policy',
      'argocd-dex-server-network-policy',
      'argocd-notifications-controller-network-policy',
      'argocd-applicationset-controller-network-policy',
    ]);
    for (const m of manifests) expect(m.metadata.namespace).toBe('argocd');
  });

  test('the default deny selects every pod, for ingress and egress', () => {
    const deny = findObject(policies(), 'NetworkPolicy', 'argocd-default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('every component policy selects its pods by the upstream label and covers both directions', () => {
    const manifests = policies();
    for (const component of Object.values(ArgoCdComponent)) {
      const p = policy(manifests, component);
      expect(p.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': component } });
      expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    }
  });

  test('argocd-server is reachable only from the ingress controller namespace, on 8080', () => {
    expect(paths(policy(policies(), 'argocd-server'), 'ingress')).toEqual(['ns:ingress-nginx:TCP/8080']);
    expect(paths(policy(policies({ ingressControllerNamespace: 'traefik' }), 'argocd-server'), 'ingress'))
      .toEqual(['ns:traefik:TCP/8080']);
  });

  test('repo-server is reachable only from its four clients, on 8081', () => {
    expect(paths(policy(policies(), 'argocd-repo-server'), 'ingress')).toEqual([
      'pod:argocd-server:TCP/8081',
      'pod:argocd-application-controller:TCP/8081',
      'pod:argocd-notifications-controller:TCP/8081',
      'pod:argocd-applicationset-controller:TCP/8081',
    ]);
  });

  test('redis is reachable only from server, repo-server and controller, and reaches only the API', () => {
    const redis = policy(policies(), 'argocd-redis');
    expect(paths(redis, 'ingress')).toEqual([
      'pod:argocd-server:TCP/6379',
      'pod:argocd-repo-server:TCP/6379',
      'pod:argocd-application-controller:TCP/6379',
    ]);
    // Only the API, for the secret-init init container.
    expect(paths(redis, 'egress')).toEqual(['ip:10.0.0.10/32:TCP/6443']);
  });

  test('dex is reachable only from argocd-server', () => {
    expect(paths(policy(policies(), 'argocd-dex-server'), 'ingress')).toEqual(['pod:argocd-server:TCP/5556', 'pod:argocd-server:TCP/5557']);
  });

  test('controllers accept no ingress unless metrics or the webhook are opted in', () => {
    const manifests = policies();
    for (const c of ['argocd-application-controller', 'argocd-notifications-controller', 'argocd-applicationset-controller']) {
      expect(policy(manifests, c).spec.ingress).toBeUndefined();
    }
    expect(paths(policy(policies({ applicationSetWebhook: true }), 'argocd-applicationset-controller'), 'ingress'))
      .toEqual(['ns:ingress-nginx:TCP/7000']);
  });

  test('metrics ports are open only to the monitoring namespace', () => {
    const manifests = policies({ monitoringNamespace: 'monitoring' });
    const metrics: { [c: string]: number } = {
      'argocd-server': 8083,
      'argocd-repo-server': 8084,
      'argocd-application-controller': 8082,
      'argocd-dex-server': 5558,
      'argocd-notifications-controller': 9001,
      'argocd-applicationset-controller': 8080,
    };
    for (const [component, port] of Object.entries(metrics)) {
      expect(paths(policy(manifests, component), 'ingress')).toContain(`ns:monitoring:TCP/${port}`);
    }
    expect(JSON.stringify(policies())).not.toContain('8083');
  });

  test('every component but redis resolves DNS over UDP and TCP 53 through kube-dns', () => {
    const manifests = policies();
    for (const component of Object.values(ArgoCdComponent)) {
      const dns = paths(policy(manifests, component), 'egress').filter((p) => p.includes('kube-system'));
      expect(dns).toEqual(component === 'argocd-redis' ? [] : [
        'ns:kube-system/pod:{"k8s-app":"kube-dns"}:UDP/53',
        'ns:kube-system/pod:{"k8s-app":"kube-dns"}:TCP/53',
      ]);
    }
  });

  test('the Kubernetes API is reachable from every component but the repo-server', () => {
    const manifests = policies();
    for (const component of Object.values(ArgoCdComponent)) {
      const egress = paths(policy(manifests, component), 'egress');
      if (component === ArgoCdComponent.REPO_SERVER) {
        expect(egress).not.toContain('ip:10.0.0.10/32:TCP/6443');
      } else {
        expect(egress).toContain('ip:10.0.0.10/32:TCP/6443');
      }
    }
  });

  test('in-namespace egress mirrors the ingress rules', () => {
    const manifests = policies();
    expect(paths(policy(manifests, 'argocd-server'), 'egress')).toEqual(expect.arrayContaining([
      'pod:argocd-repo-server:TCP/8081', 'pod:argocd-redis:TCP/6379', 'pod:argocd-dex-server:TCP/5556', 'pod:argocd-dex-server:TCP/5557',
    ]));
    expect(paths(policy(manifests, 'argocd-repo-server'), 'egress')).toEqual([
      'ns:kube-system/pod:{"k8s-app":"kube-dns"}:UDP/53',
      'ns:kube-system/pod:{"k8s-app":"kube-dns"}:TCP/53',
      'pod:argocd-redis:TCP/6379',
    ]);
    expect(paths(policy(manifests, 'argocd-applicationset-controller'), 'egress')).not.toContain('pod:argocd-redis:TCP/6379');
  });

  test('external destinations go only to the components that use them', () => {
    const git = { cidrs: ['140.82.112.0/20'], ports: [22, 443] };
    const idp = { cidrs: ['192.0.2.10/32'], ports: [443, 636] };
    const hook = { cidrs: ['2001:db8::/64'], ports: [8443] };
    const scm = { cidrs: ['198.51.100.0/24'], ports: [443] };
    const remote = { cidrs: ['203.0.113.5/32'], ports: [6443] };
    const manifests = policies({
      repositoryHosts: [git], identityProviders: [idp], notificationTargets: [hook], scmProviderHosts: [scm], managedClusters: [remote],
    });
    const egress = (c: string) => paths(policy(manifests, c), 'egress').filter((p) => p.startsWith('ip:') && !p.startsWith('ip:10.0.0.10'));
    expect(egress('argocd-repo-server')).toEqual(['ip:140.82.112.0/20:TCP/22', 'ip:140.82.112.0/20:TCP/443']);
    expect(egress('argocd-server')).toEqual(['ip:192.0.2.10/32:TCP/443', 'ip:192.0.2.10/32:TCP/636', 'ip:203.0.113.5/32:TCP/6443']);
    expect(egress('argocd-dex-server')).toEqual(['ip:192.0.2.10/32:TCP/443', 'ip:192.0.2.10/32:TCP/636']);
    expect(egress('argocd-notifications-controller')).toEqual(['ip:2001:db8::/64:TCP/8443']);
    expect(egress('argocd-applicationset-controller')).toEqual(['ip:198.51.100.0/24:TCP/443']);
    expect(egress('argocd-application-controller')).toEqual(['ip:203.0.113.5/32:TCP/6443']);
    expect(egress('argocd-redis')).toEqual([]);
  });

  test('no egress to any address unless allowAnyRepositoryHost is set, and then only repo-server on 443', () => {
    expect(JSON.stringify(policies())).not.toMatch(/0\.0\.0\.0\/0|::\/0/);
    const manifests = policies({ allowAnyRepositoryHost: { reason: 'repositories on many public hosts' } });
    const anywhere = manifests.filter((m) => JSON.stringify(m).includes('0.0.0.0/0'));
    expect(anywhere.map((m) => m.metadata.name)).toEqual(['argocd-repo-server-network-policy']);
    expect(paths(policy(manifests, 'argocd-repo-server'), 'egress')).toEqual(expect.arrayContaining(['ip:0.0.0.0/0:TCP/443', 'ip:::/0:TCP/443']));
    const rule = policy(manifests, 'argocd-repo-server').spec.egress.find((r: any) => r.to[0].ipBlock?.cidr === '0.0.0.0/0');
    // Never private networks, the cluster's own addresses or the cloud metadata service.
    expect(rule.to[0].ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']));
    expect(rule.to[1].ipBlock.except).toEqual(expect.arrayContaining(['fc00::/7', 'fe80::/10']));
  });

  test('hosts of components running untrusted code: wide blocks leave out metadata, link-local, loopback and private ranges', () => {
    const manifests = policies({
      repositoryHosts: [{ cidrs: ['96.0.0.0/3', '160.0.0.0/3', '10.20.0.0/16'], ports: [80, 443] }],
      notificationTargets: [{ cidrs: ['::/2', 'fd00::/8'], ports: [443] }],
      identityProviders: [{ cidrs: ['10.0.0.0/7'], ports: [443] }],
    });
    const blocks = (component: string) => policy(manifests, component).spec.egress.flatMap((r: any) => r.to).filter((p: any) => p.ipBlock && p.ipBlock.cidr !== '10.0.0.10/32')
      .map((p: any) => p.ipBlock);
    expect(blocks('argocd-repo-server')).toEqual([
      { cidr: '96.0.0.0/3', except: ['100.64.0.0/10', '127.0.0.0/8'] }, // 100.100.100.200 is inside 100.64.0.0/10
      { cidr: '160.0.0.0/3', except: ['169.254.0.0/16', '172.16.0.0/12'] },
      { cidr: '10.20.0.0/16' }, // a private range listed itself is meant
    ]);
    expect(blocks('argocd-notifications-controller')).toEqual([
      { cidr: '::/2', except: ['::1/128', '::ffff:0:0/96'] },
      { cidr: 'fd00::/8', except: ['fd00:ec2::254/128'] }, // AWS's IPv6 metadata service
    ]);
    // argocd-server and Dex run no untrusted content: their identity providers are taken as written.
    expect(blocks('argocd-dex-server')).toEqual([{ cidr: '10.0.0.0/7' }]);
  });

  test('each component can be opted out alone; the default deny stays', () => {
    const manifests = policies({ excludeComponents: [ArgoCdComponent.DEX_SERVER] });
    expect(manifests.map((m) => m.metadata.name)).not.toContain('argocd-dex-server-network-policy');
    expect(manifests.map((m) => m.metadata.name)).toContain('argocd-default-deny');
    expect(manifests).toHaveLength(7);
  });

  test('custom DNS pods', () => {
    const manifests = policies({ dnsNamespace: 'dns', dnsPodLabels: { 'app.kubernetes.io/name': 'coredns' } });
    expect(paths(policy(manifests, 'argocd-server'), 'egress')).toContain('ns:dns/pod:{"app.kubernetes.io/name":"coredns"}:UDP/53');
  });

  describe('errors', () => {
    // Format problems are reported at synth.
    const build = (props: Partial<ArgoCdNetworkPoliciesProps>) => () => {
      const chart = testChart();
      new ArgoCdNetworkPolicies(chart, 'netpol', { namespace: 'argocd', kubernetesApi: API, ...props });
      synth(chart);
    };

    test.each([
      ['10.0.0.0', /kubernetesApi.cidrs\[0\]: '10.0.0.0' is not a CIDR block/],
      ['10.0.0.0/33', /is not a CIDR block/],
      ['300.0.0.0/8', /is not a CIDR block/],
      ['2001:db8::/129', /is not a CIDR block/],
      ['example.com/32', /is not a CIDR block/],
      ['0.0.0.0/0', /matches every address: .*allowAnyRepositoryHost/],
    ])('refuses the CIDR %s', (cidr, message) => {
      expect(build({ kubernetesApi: { cidrs: [cidr], ports: [443] } })).toThrow(message);
    });

    test.each([0, 65536, 1.5, -1])('refuses the port %s', (port) => {
      expect(build({ repositoryHosts: [{ cidrs: ['10.1.0.0/16'], ports: [port] }] }))
        .toThrow(/ArgoCdNetworkPolicies 'test\/netpol': repositoryHosts\[0\].ports\[0\]: .* is not a port number: use an integer from 1 to 65535/);
    });

    test.each([
      ['repositoryHosts', '169.254.169.254/32', /169\.254\.0\.0\/16/],
      ['repositoryHosts', '127.0.0.1/32', /127\.0\.0\.0\/8/],
      ['notificationTargets', 'fe80::1/128', /fe80::\/10/],
      ['scmProviderHosts', '100.100.100.200/32', /100\.100\.100\.200\/32/],
    ])('refuses %s inside loopback, link-local or a metadata address: %s', (property, cidr, inside) => {
      expect(build({ [property]: [{ cidrs: [cidr], ports: [80] }] }))
        .toThrow(new RegExp(`${property}\\[0\\]\\.cidrs\\[0\\]: .* is inside ${inside.source} \\(loopback, link-local or a cloud metadata address`));
    });

    test('refuses ::/0 in a host list', () => {
      expect(build({ identityProviders: [{ cidrs: ['::/0'], ports: [443] }] })).toThrow(/identityProviders\[0\].cidrs\[0\]: '::\/0' matches every address/);
    });

    test('refuses empty CIDR and port lists', () => {
      expect(build({ notificationTargets: [{ cidrs: [], ports: [443] }] })).toThrow(/notificationTargets\[0\].cidrs: is empty/);
      expect(build({ kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [] } })).toThrow(/kubernetesApi.ports: is empty/);
    });

    test('requires the Kubernetes API destination', () => {
      expect(build({ kubernetesApi: undefined as any })).toThrow(/kubernetesApi: is required/);
    });

    test('refuses invalid namespaces and DNS labels', () => {
      expect(build({ namespace: 'Argo CD' })).toThrow(/namespace: 'Argo CD' is not a DNS-1123 label/);
      expect(build({ ingressControllerNamespace: 'ingress_nginx' })).toThrow(/ingressControllerNamespace: /);
      expect(build({ monitoringNamespace: '' })).toThrow(/monitoringNamespace: /);
      expect(build({ dnsPodLabels: {} })).toThrow(/dnsPodLabels: is empty/);
      expect(build({ dnsPodLabels: { 'k8s-app': 'kube dns' } })).toThrow(/dnsPodLabels\['k8s-app'\]: 'kube dns' is not a valid label value/);
    });

    test('refuses an unknown component', () => {
      expect(build({ excludeComponents: ['argocd-commit-server' as ArgoCdComponent] })).toThrow(/excludeComponents: 'argocd-commit-server' is not an Argo CD component/);
    });
  });
});
