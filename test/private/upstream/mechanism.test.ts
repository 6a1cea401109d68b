import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { UPSTREAM_MANIFESTS_JSON } from '../../../src/argocd/install/private/upstream-manifests';
import { networkPolicy } from '../../../src/private/kube';
import { internalCa, internalCertificate } from '../../../src/private/upstream/certificates';
import { disruptionBudget } from '../../../src/private/upstream/disruption';
import { hardenPodSpec } from '../../../src/private/upstream/harden';
import { imageReference, parseImage } from '../../../src/private/upstream/images';
import { UpstreamManifests } from '../../../src/private/upstream/manifests';
import { publicEgress } from '../../../src/private/upstream/network';
import { sizedResources, SizingTable } from '../../../src/private/upstream/sizing';
import { digestProblem } from '../../../src/private/validate';
import { restrictedViolations } from '../../support/pod-security';
import { findObject, synth, testChart } from '../../support/synth';
import { expectValid } from '../../support/validate';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('vendored upstream data', () => {
  test('the generated module matches the vendored YAML', () => {
    expect(() => execFileSync('node', ['scripts/vendor-upstream.js', '--check'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
  });

  test('each variant loads, and reads hand out copies', () => {
    const standard = UpstreamManifests.load(UPSTREAM_MANIFESTS_JSON, 'standard');
    const ha = UpstreamManifests.load(UPSTREAM_MANIFESTS_JSON, 'ha');
    expect(standard.keys()).toHaveLength(50);
    expect(ha.keys()).toHaveLength(61);
    expect(standard.has('Deployment', 'argocd-redis')).toBe(true);
    expect(ha.has('Deployment', 'argocd-redis')).toBe(false);
    const copy = standard.get('Deployment', 'argocd-server');
    copy.spec.replicas = 99;
    expect(standard.get('Deployment', 'argocd-server').spec.replicas).not.toBe(99);
    expect(() => standard.get('Deployment', 'nope')).toThrow(/no Deployment\/nope/);
  });

  test('every object is accounted for exactly once', () => {
    const m = UpstreamManifests.load(UPSTREAM_MANIFESTS_JSON, 'standard');
    m.emit('ServiceAccount', 'argocd-server');
    m.omit('Role', 'argocd-redis', 'replaced');
    expect(() => m.emit('ServiceAccount', 'argocd-server')).toThrow(/twice/);
    expect(m.dispositions()).toEqual([
      { kind: 'ServiceAccount', name: 'argocd-server', fate: 'emitted' },
      { kind: 'Role', name: 'argocd-redis', fate: 'omitted', reason: 'replaced' },
    ]);
    expect(m.unaccounted()).toHaveLength(48);
    expect(m.pending('Role').map((r) => r.metadata.name)).not.toContain('argocd-redis');
  });
});

describe('images', () => {
  test('a digest is appended after the tag', () => {
    const image = parseImage('quay.io/argoproj/argocd:v3.5.1');
    expect(image).toEqual({ repository: 'quay.io/argoproj/argocd', tag: 'v3.5.1' });
    expect(imageReference(image)).toBe('quay.io/argoproj/argocd:v3.5.1');
    expect(imageReference(image, 'sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671')).toBe('quay.io/argoproj/argocd:v3.5.1@sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671');
    expect(parseImage('localhost:5000/x:1').repository).toBe('localhost:5000/x');
    expect(() => parseImage('localhost:5000/x')).toThrow(/repository:tag/);
  });

  test.each([
    [`sha256:${'0'.repeat(64)}`, /all-zero/],
    [`sha256:${'a'.repeat(64)}`, /placeholder digest \(one character repeated\)/],
    [`sha256:${'7'.repeat(64)}`, /placeholder digest/],
    // made-up digests that are not all one character: none is the hash of an image
    [`sha256:${'0'.repeat(63)}1`, /placeholder digest \(only 2 distinct hex digits\)/],
    [`sha256:${'0'.repeat(60)}1234`, /placeholder digest \(16 or more identical characters in a row\)/],
    [`sha256:1234${'0'.repeat(60)}`, /placeholder digest \(16 or more identical characters in a row\)/],
    [`sha256:${'ab'.repeat(32)}`, /placeholder digest \(only 2 distinct hex digits\)/],
    [`sha256:${'0123'.repeat(16)}`, /placeholder digest \(only 4 distinct hex digits\)/],
    [`sha256:${'0123456789abcdef'.slice(0, 8)}${'f'.repeat(16)}${'0123456789abcdef'.repeat(2)}${'e'.repeat(8)}`, /16 or more identical characters in a row/],
    [`sha256:${'A'.repeat(64)}`, /not a digest/],
    [`sha256:${'a'.repeat(63)}`, /not a digest/],
    [`sha512:${'a'.repeat(64)}`, /not a digest/],
    [`sha256:${'a'.repeat(64)}\n`, /not a digest/],
  ])('refuses %j', (digest, problem) => {
    expect(digestProblem(digest)).toMatch(problem);
    // the fix names the command that prints the real digest
    expect(digestProblem(digest)).toContain("'crane digest <image>:<tag>'");
  });

  test('accepts real digests: published ones, and 2000 sha256 hashes (a real hash is refused with probability below 2^-50)', () => {
    for (const digest of [
      'sha256:0deb1a1c917629b960ead995ae3b6069450a866992676599658687ef9a641ee8',
      'sha256:b8469881d3cb3a73001506f0d3aaefecb9c45d2311c1e0f405d8ac538316c59d',
      'sha256:08ad0b1d280850169a790dba1393ff7a90aef951fc19632cf4d3ce4f78e679ba',
    ]) expect(digestProblem(digest)).toBeUndefined();
    const refused = Array.from({ length: 2000 }, (_, i) => `sha256:${createHash('sha256').update(`image ${i}`).digest('hex')}`)
      .filter((digest) => digestProblem(digest) !== undefined);
    expect(refused).toEqual([]);
  });

  test('a digest with 15 equal characters in a row and 5 distinct digits is still a hash', () => {
    expect(digestProblem(`sha256:${'0'.repeat(15)}1234${'0'.repeat(15)}1234${'0'.repeat(15)}1234${'0'.repeat(7)}`)).toBeUndefined();
  });
});

describe('sizing', () => {
  const table: SizingTable = {
    small: { default: { cpuRequest: '10m', cpuLimit: '100m', memoryRequest: '16Mi', memoryLimit: '64Mi' }, big: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' } },
  };
  test('the row, the default row, or the override', () => {
    const chart = new Chart(new App(), 'sizing');
    expect(sizedResources(chart, 'resources', table, 'small', 'big')).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(sizedResources(chart, 'resources', table, 'small', 'other').limits).toEqual({ cpu: '100m', memory: '64Mi' });
    expect(sizedResources(chart, 'resources', table, 'small', 'big', { cpuRequest: Cpu.millis(5), cpuLimit: Cpu.millis(6), memoryRequest: Size.mebibytes(7), memoryLimit: Size.mebibytes(8) }).requests).toEqual({ cpu: '5m', memory: '7Mi' });
    expect(() => sizedResources(chart, 'resources', table, 'huge', 'big')).toThrow(/no sizing preset/);
  });
});

describe('hardening', () => {
  test('an upstream pod spec becomes restricted, sized and pinned', () => {
    const m = UpstreamManifests.load(UPSTREAM_MANIFESTS_JSON, 'standard');
    const redis = m.get('Deployment', 'argocd-redis');
    const spec = hardenPodSpec(redis.spec.template.spec, {
      resources: () => ({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } }),
      image: (ref) => `${ref}@sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671`,
      automountServiceAccountToken: false,
    });
    const deployment = { ...redis, metadata: { ...redis.metadata, namespace: 'argocd' }, spec: { ...redis.spec, template: { ...redis.spec.template, spec } } };
    expect(restrictedViolations([deployment], {})).toEqual([]);
    expect(spec.securityContext.runAsUser).toBe(999);
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });
});

describe('builders', () => {
  test('internal CA, certificate, budget and policies are valid objects', () => {
    const chart = testChart();
    const labels = { 'app.kubernetes.io/name': 'x' };
    const issuer = internalCa(chart, { name: 'argocd-internal-ca', namespace: 'argocd', labels });
    internalCertificate(chart, 'Cert', { name: 'argocd-repo-server-tls', namespace: 'argocd', labels, issuer, services: ['argocd-repo-server'] });
    disruptionBudget(chart, 'One', { name: 'one', namespace: 'argocd', labels, selector: labels, replicas: 1 });
    disruptionBudget(chart, 'Three', { name: 'three', namespace: 'argocd', labels, selector: labels, replicas: 3 });
    networkPolicy(chart, 'Policy', {
      name: 'p',
      namespace: 'argocd',
      labels,
      spec: { podSelector: { matchLabels: labels }, policyTypes: ['Egress'], egress: [publicEgress([443])] },
    });
    const out = synth(chart);
    expectValid(out);
    expect(findObject(out, 'Certificate', 'argocd-repo-server-tls').spec.dnsNames).toEqual(['argocd-repo-server', 'argocd-repo-server.argocd', 'argocd-repo-server.argocd.svc']);
    expect(findObject(out, 'Issuer', 'argocd-internal-ca').spec).toEqual({ ca: { secretName: 'argocd-internal-ca' } });
    expect(findObject(out, 'PodDisruptionBudget', 'one').spec.maxUnavailable).toBe(1);
    expect(findObject(out, 'PodDisruptionBudget', 'three').spec.minAvailable).toBe(2);
    const egress = findObject(out, 'NetworkPolicy', 'p').spec.egress;
    expect(egress[0].to[0].ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16']));
    expect(egress[0].to[1].ipBlock.except).toEqual(expect.arrayContaining(['fc00::/7', 'fe80::/10']));
  });
});
