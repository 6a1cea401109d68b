// The cloud identities of ArgoCdDestinationCluster wired into the install: only the application
// controller and argocd-server (the components that dial destination clusters) get the identity
// and the egress its exchange needs, checked by value and with the NetworkPolicySimulator; the
// other pods keep the metadata address closed; nothing changes without a destination cluster.
import { App, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  ArgoCdComponent, ArgoCdDestinationCluster, ArgoCdRelease, ClusterCredentials, NetworkEndpoint, NetworkPolicySimulator, ProjectWithRoles,
  ResourceKind, SecretSource, SecretStoreRef, SecureArgoCD, SecureArgoCDProps,
} from '../../src';
import { apiServerEgress } from '../../src/argocd/private/cluster-dialing';
import { PlatformConsistency } from '../support/consistency';
import { expectSynthErrors } from '../support/errors';
import { ARGOCD_API_CLIENTS } from '../support/examples';
import { findObject, Manifest, synth } from '../support/synth';
import { validateManifests } from '../support/validate';

const CA = `-----BEGIN CERTIFICATE-----
MIIBdzCCAR2gAwIBAgIUJ0tT8Q3mJ9kY0vY2w8u6cQ2Z5ZQwCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHdGVzdC1jYTAeFw0yNDAxMDEwMDAwMDBaFw0zNDAxMDEwMDAw
-----END CERTIFICATE-----`;
const DIGESTS = { argocd: 'sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671', dex: 'sha256:2eee2b13303de0c8ccf874bc3958cac9629ba272ff8c38aaddf0bed7850b9c84', redis: 'sha256:d1b957e97b94e706a8e5be50f06c36b7da59120cb2909bfd274de1e81da94c32', haproxy: 'sha256:9b50bb128c60077d781c3b1427e38870cbf04f78e7000783a7efede45f1c50f7' };
const GSA = 'argocd@my-project.iam.gserviceaccount.com';
const AZURE = { clientId: '11111111-2222-3333-4444-555555555555', tenantId: '66666666-7777-8888-9999-000000000000', objectId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' };
const EKS_ROLE = 'arn:aws:iam::123456789012:role/argocd-prod';
const IRSA_ROLE = 'arn:aws:iam::123456789012:role/argocd-management';
const CONTROLLER = 'argocd-application-controller';
const SERVER = 'argocd-server';
const DIALING = [CONTROLLER, SERVER];
const OTHERS = ['argocd-repo-server', 'argocd-redis', 'argocd-notifications-controller', 'argocd-applicationset-controller'];

interface Cluster { readonly server: string; readonly credentials: ClusterCredentials }

function argoCdChart(app: App, id: string, clusters: Cluster[], props: SecureArgoCDProps = {}): Chart {
  const chart = new Chart(app, id);
  new SecureArgoCD(chart, 'ArgoCD', {
    enableLocalAdmin: true,
    networkPolicies: { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } },
    ...props,
    install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS), ...props.install },
  });
  clusters.forEach((c, i) => {
    const cluster = new ArgoCdDestinationCluster(chart, `Cluster${i}`, {
      remoteChart: new Chart(app, `${id}-remote-${i}`), clusterName: `c${i}`, ...c,
    });
    new ProjectWithRoles(chart, `Project${i}`, {
      name: `${id}-p${i}`,
      sourceRepos: ['https://github.com/o/r.git'],
      destinations: [cluster.destination('web')],
      namespaceResourceWhitelist: [ResourceKind.of('apps', 'Deployment')],
    });
  });
  return chart;
}

function argoCd(clusters: Cluster[], props: SecureArgoCDProps = {}): Manifest[] {
  return synth(argoCdChart(Testing.app(), 'argocd', clusters, props));
}

const eks = (irsaRoleArn?: string, server = 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com') => ({
  server, credentials: ClusterCredentials.eksIam({ clusterName: 'prod', roleArn: EKS_ROLE, caCertificate: CA, irsaRoleArn }),
});
const gke = (server = 'https://34.118.10.20', serviceAccountEmail = GSA) => ({
  server, credentials: ClusterCredentials.gkeWorkloadIdentity({ serviceAccountEmail, caCertificate: CA }),
});
const aks = (server = 'https://prod-abc.hcp.westeurope.azmk8s.io:443', clientId = AZURE.clientId) => ({
  server, credentials: ClusterCredentials.aksWorkloadIdentity({ ...AZURE, clientId, caCertificate: CA }),
});
const token = (server: string) => ({
  server,
  credentials: ClusterCredentials.serviceAccountToken(SecretSource.external({
    store: SecretStoreRef.existingCluster('vault'), data: { config: { key: 'argocd/clusters/edge' } },
  })),
});

const annotations = (out: Manifest[], name: string) => findObject(out, 'ServiceAccount', name).metadata.annotations ?? {};
const podLabels = (out: Manifest[], name: string) => out.find((m) => ['Deployment', 'StatefulSet'].includes(m.kind) && m.metadata.name === name)!
  .spec.template.metadata.labels;
const egressPolicy = (out: Manifest[]) => out.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'argocd-destination-clusters-egress');

function reach(out: Manifest[], from: string, ip: string, port: number): boolean {
  const sim = NetworkPolicySimulator.fromManifests(out);
  return sim.canReach(sim.workload('argocd', from), NetworkEndpoint.address(ip), port);
}

describe('without a destination cluster nothing is added', () => {
  const out = argoCd([]);
  test('no annotation, no label, no policy', () => {
    for (const name of DIALING) expect(Object.keys(annotations(out, name)).filter((k) => !k.startsWith('argocd.argoproj.io/'))).toEqual([]);
    expect(podLabels(out, SERVER)).toEqual({ 'app.kubernetes.io/name': SERVER });
    expect(egressPolicy(out)).toBeUndefined();
  });
  test('the metadata address stays closed to every component', () => {
    for (const name of [...DIALING, ...OTHERS]) expect(reach(out, name, '169.254.169.254', 80)).toBe(false);
  });
});

describe('GKE Workload Identity', () => {
  const out = argoCd([gke()]);
  test('the controller and server service accounts act as the Google service account; no other account is annotated', () => {
    for (const name of DIALING) expect(annotations(out, name)).toMatchObject({ 'iam.gke.io/gcp-service-account': GSA });
    for (const sa of out.filter((m) => m.kind === 'ServiceAccount' && !DIALING.includes(m.metadata.name!))) {
      expect(Object.keys(sa.metadata.annotations ?? {}).filter((k) => k.startsWith('iam.gke.io'))).toEqual([]);
    }
  });
  test('the policy selects only the dialing pods: metadata server (80, and 988 on Dataplane V2) and the API server address', () => {
    const policy = egressPolicy(out)!;
    expect(policy.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    expect(policy.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s-secure-argo');
    expect(policy.spec.podSelector).toEqual({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: DIALING }] });
    expect(policy.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '34.118.10.20/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      { to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
      { to: [{ ipBlock: { cidr: '169.254.169.252/32' } }], ports: [{ protocol: 'TCP', port: 988 }] },
    ]);
  });
  test('flows: controller and server reach the metadata server and the remote API; nobody else does; nothing else opens', () => {
    for (const name of DIALING) {
      expect(reach(out, name, '169.254.169.254', 80)).toBe(true);
      expect(reach(out, name, '169.254.169.252', 988)).toBe(true);
      expect(reach(out, name, '34.118.10.20', 443)).toBe(true);
      expect(reach(out, name, '34.118.10.21', 443)).toBe(false);
      expect(reach(out, name, '169.254.169.254', 443)).toBe(false);
    }
    for (const name of OTHERS) {
      expect(reach(out, name, '169.254.169.254', 80)).toBe(false);
      expect(reach(out, name, '169.254.169.252', 988)).toBe(false);
      expect(reach(out, name, '34.118.10.20', 443)).toBe(false);
    }
  });
});

describe('EKS', () => {
  test('Pod Identity (default): no annotation; the agent on 169.254.170.23 and fd00:ec2::23 port 80, and STS on public 443', () => {
    const out = argoCd([eks()]);
    for (const name of DIALING) expect(annotations(out, name)['eks.amazonaws.com/role-arn']).toBeUndefined();
    for (const name of DIALING) {
      expect(reach(out, name, '169.254.170.23', 80)).toBe(true);
      expect(reach(out, name, 'fd00:ec2::23', 80)).toBe(true);
      expect(reach(out, name, '52.94.1.10', 443)).toBe(true); // sts.eu-west-1.amazonaws.com
      expect(reach(out, name, '169.254.169.254', 80)).toBe(false); // IMDS stays closed
      expect(reach(out, name, '10.1.2.3', 443)).toBe(false);
    }
    for (const name of OTHERS) {
      expect(reach(out, name, '169.254.170.23', 80)).toBe(false);
      expect(reach(out, name, '52.94.1.10', 443)).toBe(false);
    }
  });
  test('IRSA: the service accounts carry the management role; no Pod Identity agent', () => {
    const out = argoCd([eks(IRSA_ROLE)]);
    for (const name of DIALING) {
      expect(annotations(out, name)).toMatchObject({ 'eks.amazonaws.com/role-arn': IRSA_ROLE });
      expect(reach(out, name, '52.94.1.10', 443)).toBe(true);
      expect(reach(out, name, '169.254.170.23', 80)).toBe(false);
    }
    expect(annotations(out, 'argocd-repo-server')['eks.amazonaws.com/role-arn']).toBeUndefined();
  });
  test('the webhooks\' token volumes do not collide with the pods\' own', () => {
    const out = argoCd([eks(IRSA_ROLE)]);
    for (const name of DIALING) {
      const spec = out.find((m) => m.metadata.name === name && m.spec?.template)!.spec.template.spec;
      expect(spec.volumes.map((v: any) => v.name)).not.toEqual(expect.arrayContaining(['aws-iam-token']));
      for (const c of spec.containers) {
        expect((c.volumeMounts ?? []).map((m: any) => m.mountPath)).not.toContain('/var/run/secrets/eks.amazonaws.com/serviceaccount');
      }
    }
  });
});

describe('AKS Workload ID', () => {
  const out = argoCd([aks()]);
  test('the client and tenant on the service accounts; the webhook label only on the dialing pods', () => {
    for (const name of DIALING) {
      expect(annotations(out, name)).toMatchObject({ 'azure.workload.identity/client-id': AZURE.clientId, 'azure.workload.identity/tenant-id': AZURE.tenantId });
      expect(podLabels(out, name)).toMatchObject({ 'azure.workload.identity/use': 'true' });
    }
    for (const name of OTHERS) expect(podLabels(out, name)['azure.workload.identity/use']).toBeUndefined();
  });
  test('flows: Entra ID login on public 443 from the dialing pods only; metadata stays closed', () => {
    for (const name of DIALING) {
      expect(reach(out, name, '20.190.160.1', 443)).toBe(true); // login.microsoftonline.com
      expect(reach(out, name, '169.254.169.254', 80)).toBe(false);
    }
    for (const name of OTHERS) expect(reach(out, name, '20.190.160.1', 443)).toBe(false);
  });
});

test('the HA install: the same two workloads get the label and the annotations', () => {
  const out = argoCd([aks()], { install: { highAvailability: true } });
  for (const name of DIALING) {
    expect(podLabels(out, name)).toMatchObject({ 'azure.workload.identity/use': 'true' });
    expect(annotations(out, name)).toMatchObject({ 'azure.workload.identity/client-id': AZURE.clientId });
  }
  for (const name of ['argocd-redis-ha-server', 'argocd-redis-ha-haproxy', 'argocd-repo-server']) {
    expect(podLabels(out, name)['azure.workload.identity/use']).toBeUndefined();
  }
});

describe('API servers declared by address', () => {
  test('an IPv4 or IPv6 server URL becomes an ipBlock on its port', () => {
    const rule = (server: string) => k8s.toJson_NetworkPolicyEgressRule(apiServerEgress(server));
    expect(rule('https://[2001:db8::5]')).toEqual({ to: [{ ipBlock: { cidr: '2001:db8::5/128' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expect(rule('https://192.0.2.50:6443')).toEqual({ to: [{ ipBlock: { cidr: '192.0.2.50/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] });
    expect(apiServerEgress('https://edge.example.com:6443')).toBeUndefined();
  });
  test('for token clusters too; a host name adds nothing', () => {
    const out = argoCd([token('https://192.0.2.50:6443'), token('https://edge.example.com:6443')]);
    expect(egressPolicy(out)!.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '192.0.2.50/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] },
    ]);
    for (const name of DIALING) expect(reach(out, name, '192.0.2.50', 6443)).toBe(true);
    expect(reach(out, 'argocd-repo-server', '192.0.2.50', 6443)).toBe(false);
    for (const name of DIALING) expect(Object.keys(annotations(out, name)).filter((k) => !k.startsWith('argocd.argoproj.io/'))).toEqual([]);
  });
  test('a dialing component in excludeComponents gets no rule from it (its own policy decides); the identity is still wired', () => {
    const networkPolicies = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };
    const one = argoCd([gke()], { networkPolicies: { ...networkPolicies, excludeComponents: [ArgoCdComponent.SERVER] } });
    expect(egressPolicy(one)!.spec.podSelector).toEqual({ matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [CONTROLLER] }] });
    expect(annotations(one, SERVER)).toMatchObject({ 'iam.gke.io/gcp-service-account': GSA });
    const excludeComponents = [ArgoCdComponent.SERVER, ArgoCdComponent.APPLICATION_CONTROLLER];
    const both = argoCd([gke()], { networkPolicies: { ...networkPolicies, excludeComponents } });
    expect(egressPolicy(both)).toBeUndefined();
  });
  test('without NetworkPolicies the identity is still wired, and no policy is written', () => {
    const out = argoCd([gke()], { disableNetworkPolicies: { reason: 'policies managed elsewhere' }, networkPolicies: undefined });
    expect(annotations(out, SERVER)).toMatchObject({ 'iam.gke.io/gcp-service-account': GSA });
    expect(out.filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
  });
});

test('two Argo CDs of one app, in two namespaces: each equips its pods for the clusters registered in its namespace', () => {
  const app = Testing.app();
  const a = argoCdChart(app, 'a', [gke()]);
  const b = new Chart(app, 'b');
  new SecureArgoCD(b, 'ArgoCD', {
    namespace: 'argocd-b',
    enableLocalAdmin: true,
    networkPolicies: { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } },
    install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS) },
  });
  const cluster = new ArgoCdDestinationCluster(b, 'Cluster', { remoteChart: new Chart(app, 'b-remote'), clusterName: 'b', namespace: 'argocd-b', ...aks() });
  new ProjectWithRoles(b, 'Project', { name: 'b', namespace: 'argocd-b', sourceRepos: ['https://github.com/o/r.git'], destinations: [cluster.destination('web')] });
  const [outA, outB] = [synth(a), synth(b)];
  expect(annotations(outA, SERVER)['iam.gke.io/gcp-service-account']).toBe(GSA);
  expect(annotations(outA, SERVER)['azure.workload.identity/client-id']).toBeUndefined();
  expect(annotations(outB, SERVER)['iam.gke.io/gcp-service-account']).toBeUndefined();
  expect(annotations(outB, SERVER)['azure.workload.identity/client-id']).toBe(AZURE.clientId);
});

test('the output is strictly valid and consistent, with every object labelled and waved', () => {
  const out = argoCd([gke(), aks(), token('https://192.0.2.50:6443')]);
  expect(validateManifests(out)).toEqual([]);
  const consistency = new PlatformConsistency(out, {
    providedElsewhere: { 'Secret/argocd/argocd-redis': 'argocd-redis secret-init' },
    apiClients: ARGOCD_API_CLIENTS,
  });
  expect([...consistency.podReferenceProblems(), ...consistency.accountProblems(), ...consistency.serviceProblems()]).toEqual([]);
  for (const m of out) expect(m.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toMatch(/^\d$/);
});

describe('errors', () => {
  function errors(clusters: Cluster[]): App {
    const app = Testing.app();
    argoCdChart(app, 'argocd', clusters);
    return app;
  }
  test('the dialing pods act as one identity per cloud', () => {
    expectSynthErrors(errors([gke(), gke('https://34.118.10.21', 'argocd-other@my-project.iam.gserviceaccount.com')]), [
      /ArgoCdDestinationCluster 'argocd\/Cluster1': credentials\.serviceAccountEmail: .*one Google Cloud identity, Google service account 'argocd@.*use the same/,
    ]);
    expectSynthErrors(errors([eks(IRSA_ROLE), eks()]), [/Cluster1': credentials\.irsaRoleArn: .*IRSA role .*argocd-management.* not EKS Pod Identity/]);
    expectSynthErrors(errors([aks(), aks(undefined, '99999999-2222-3333-4444-555555555555')]), [/Cluster1': credentials\.clientId: .*one Azure identity/]);
  });
  test('EKS and GKE identities cannot both apply: Argo CD runs on one of them', () => {
    expectSynthErrors(errors([eks(), gke()]), [/Cluster1': credentials: GKE workload identity needs Argo CD to run on GKE, but 'argocd\/Cluster0' needs it on EKS/]);
  });
  test('a cluster Secret in a namespace where the app installs no Argo CD is refused', () => {
    const app = Testing.app();
    const chart = argoCdChart(app, 'argocd', [gke()]);
    new ArgoCdDestinationCluster(chart, 'Elsewhere', {
      remoteChart: new Chart(app, 'elsewhere'), server: 'https://34.118.10.30', clusterName: 'elsewhere', namespace: 'gitops', credentials: gke().credentials,
    });
    expectSynthErrors(app, [
      /ArgoCdDestinationCluster 'argocd\/Elsewhere': namespace: 'gitops' has no SecureArgoCD of this app.*set namespace to 'argocd'/,
      // No project in 'gitops' deploys there either.
      /'argocd\/Elsewhere': server: no AppProject deploys/,
    ]);
  });
  test('a malformed IRSA role and a link-local or loopback API server are refused', () => {
    expectSynthErrors(errors([eks('arn:aws:iam::1:role/x', 'https://169.254.169.254')]), [
      /credentials\.irsaRoleArn: 'arn:aws:iam::1:role\/x' is not an IAM role ARN/,
      /server: 'https:\/\/169\.254\.169\.254' is a loopback or link-local address/,
    ]);
    expectSynthErrors(errors([token('https://127.0.0.1:6443')]), [/server: .* loopback or link-local/]);
  });
});
