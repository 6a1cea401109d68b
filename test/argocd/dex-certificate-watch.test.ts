// With strict Dex TLS, argocd-server pins the leaf of Dex's certificate it loaded at startup, and
// Dex serves the one rundex copied at startup: a certificate-watch container in each of the two
// pods restarts that process when cert-manager renews the certificate.
import { Chart, Testing } from 'cdk8s';
import { ArgoCdRelease, DexConnector, OidcSso, SecretKeyRef, SecureArgoCD, SecureArgoCDProps } from '../../src';
import { PlatformConsistency } from '../support/consistency';
import { ARGOCD_API_CLIENTS } from '../support/examples';
import { restrictedViolations } from '../support/pod-security';
import { findObject, Manifest, synth } from '../support/synth';
import { validateManifests } from '../support/validate';

const ARGOCD_DIGEST = 'sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671';
const DIGESTS = { argocd: ARGOCD_DIGEST, dex: 'sha256:2eee2b13303de0c8ccf874bc3958cac9629ba272ff8c38aaddf0bed7850b9c84', redis: 'sha256:d1b957e97b94e706a8e5be50f06c36b7da59120cb2909bfd274de1e81da94c32', haproxy: 'sha256:9b50bb128c60077d781c3b1427e38870cbf04f78e7000783a7efede45f1c50f7' };
const DEX_SSO = {
  url: 'https://argocd.example.com',
  enableLocalAdmin: false,
  sso: OidcSso.dex({
    connectors: [DexConnector.github({ clientId: 'abc', clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'dex.github.clientSecret'), orgs: [{ name: 'o' }] })],
  }),
};

function synthArgoCd(props: SecureArgoCDProps): Manifest[] {
  const chart = new Chart(Testing.app(), 'test');
  new SecureArgoCD(chart, 'ArgoCD', {
    networkPolicies: { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } },
    ...props,
    install: { release: ArgoCdRelease.V3_5_1.withDigests(DIGESTS), ...props.install },
  });
  return synth(chart);
}

const podSpec = (out: Manifest[], name: string) => findObject(out, 'Deployment', name).spec.template.spec;
const podTemplates = (out: Manifest[]) => out.filter((m) => m.spec?.template?.spec?.containers).map((m) => [m.metadata.name, m.spec.template.spec]);

describe('Dex strict TLS: argocd-server and Dex restart when the certificate is renewed', () => {
  const out = synthArgoCd(DEX_SSO);
  const unwatched = synthArgoCd({ ...DEX_SSO, dexServerStrictTls: false });

  test.each([
    ['argocd-server', 'argocd-server', '/app/config/dex/tls', '/usr/local/bin/argocd-server'],
    ['argocd-dex-server', 'dex', '/tls', '/shared/argocd-dex rundex'],
  ])('%s: a watcher first, on the volume its process reads, stopping exactly that process', (deployment, main, mountPath, commandLine) => {
    const spec = podSpec(out, deployment);
    const [watcher, ...rest] = spec.containers;
    expect(watcher.name).toBe('certificate-watch');
    expect(rest.map((c: any) => c.name)).toEqual([main]);
    expect(spec.shareProcessNamespace).toBe(true);
    expect(findObject(out, 'Deployment', deployment).spec.template.metadata.annotations['kubectl.kubernetes.io/default-container']).toBe(main);

    // The same Secret volume, mounted whole (the kubelet updates no subPath mount) and read-only.
    const volume = spec.volumes.find((v: any) => v.secret?.secretName === 'argocd-dex-server-tls');
    const mainContainer = rest[0];
    expect(mainContainer.volumeMounts).toContainEqual({ name: volume.name, mountPath });
    expect(watcher.volumeMounts).toContainEqual({ name: volume.name, mountPath, readOnly: true });
    expect([...watcher.volumeMounts, ...mainContainer.volumeMounts].every((m: any) => m.subPath === undefined)).toBe(true);

    // The process: argocd-dex rundex as the container's command; argocd-server as the args tini runs.
    expect([...(mainContainer.command ?? []), ...(mainContainer.args ?? [])].join(' ')).toBe(commandLine);
    expect(watcher.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(watcher.command.slice(3)).toEqual(['certificate-watch', 'watch', `${mountPath}/tls.crt`, '/certificate-watch', commandLine, '10']);
    expect(watcher.lifecycle.postStart.exec.command.slice(3)).toEqual(['certificate-watch', '/certificate-watch/loaded']);
    expect(spec.volumes).toContainEqual({ name: 'certificate-watch', emptyDir: { sizeLimit: '1Mi' } });

    // Same image as the release's Argo CD components, same user as the process (signals need it).
    expect(watcher.image).toBe(`quay.io/argoproj/argocd:v3.5.1@${ARGOCD_DIGEST}`);
    expect(watcher.securityContext.runAsUser).toBe(mainContainer.securityContext.runAsUser ?? spec.securityContext.runAsUser);
    expect(watcher.resources.requests).toEqual({ cpu: '10m', memory: '32Mi' });
    expect(watcher.resources.limits).toEqual({ cpu: '100m', memory: '64Mi' });
  });

  test('the components themselves are unchanged: probes, mounts, user, and the pods\' token policy', () => {
    for (const deployment of ['argocd-server', 'argocd-dex-server']) {
      const spec = podSpec(out, deployment);
      const before = podSpec(unwatched, deployment);
      expect(spec.containers.slice(1)).toEqual(before.containers);
      expect(spec.initContainers).toEqual(before.initContainers);
      expect(spec.automountServiceAccountToken).toBe(before.automountServiceAccountToken);
      expect(spec.securityContext).toEqual(before.securityContext);
    }
    const server = podSpec(out, 'argocd-server').containers[1];
    expect(server.livenessProbe.httpGet).toEqual({ path: '/healthz?full=true', port: 8080 });
    expect(server.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
  });

  test('the watcher gets no API token: an empty directory where the service account admission would mount it', () => {
    for (const deployment of ['argocd-server', 'argocd-dex-server']) {
      const spec = podSpec(out, deployment);
      const mount = spec.containers[0].volumeMounts.find((m: any) => m.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount');
      expect(mount.readOnly).toBe(true);
      expect(spec.volumes.find((v: any) => v.name === mount.name)).toEqual({ name: mount.name, emptyDir: { sizeLimit: '1Ki' } });
    }
  });

  test('process namespace sharing only in those two pods; every pod restricted with limits; output valid and consistent', () => {
    expect(podTemplates(out).filter(([, spec]) => spec.shareProcessNamespace).map(([name]) => name).sort()).toEqual(['argocd-dex-server', 'argocd-server']);
    expect(restrictedViolations(out, { apiClients: ARGOCD_API_CLIENTS })).toEqual([]);
    expect(validateManifests(out)).toEqual([]);
    const consistency = new PlatformConsistency(out, {
      apiClients: ARGOCD_API_CLIENTS,
      // Upstream's secret-init init container generates the Redis password (install.redisPassword unset).
      providedElsewhere: { 'Secret/argocd/argocd-redis': 'argocd-redis secret-init' },
    });
    expect(consistency.podReferenceProblems()).toEqual([]);
    expect(consistency.podSecurityProblems()).toEqual([]);
  });

  test.each([
    ['strict TLS turned off', { ...DEX_SSO, dexServerStrictTls: false }],
    ['no internal TLS', { ...DEX_SSO, install: { internalTls: false } }],
    ['no Dex', { enableLocalAdmin: true }],
  ])('%s: no watcher, no shared process namespace', (_, props) => {
    const plain = synthArgoCd(props as SecureArgoCDProps);
    expect(findObject(plain, 'ConfigMap', 'argocd-cmd-params-cm').data['server.dex.server.strict.tls']).toBeUndefined();
    for (const [, spec] of podTemplates(plain)) {
      expect(spec.shareProcessNamespace).toBeUndefined();
      expect(spec.containers.map((c: any) => c.name)).not.toContain('certificate-watch');
    }
  });
});
