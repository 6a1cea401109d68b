// Hostile input where a user gives an image or a digest: ContainerImage.fromReference (through the
// vault plugin's sidecar) and the release digest maps of SecureArgoCD and SecureArgoWorkflows.
// Each value is refused (construct path, property, fix) or lands as written, read the way the
// kubelet reads an image reference (distribution/reference's normalized grammar), pinned by a real
// sha256 digest. Validated without a synth.
import { ApiObject, Chart, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { expectUsefulRefusal, hostileText, readAsGoYaml, RUNS, secureArgoCdOutput } from './readers';
import { ArgoCdRelease, ArgoCdVaultPlugin, ContainerImage } from '../../src';
import { ArgoWorkflowsCrdSchemas, ArgoWorkflowsRelease, HardenedWorkflowNamespace, SecureArgoWorkflows } from '../../src/workflows';

const HEX = '3f1e9c0d2b7a4e6f8c5d1a0b9e2f7c4d6a8b1e3f5c7d9a0b2e4f6c8d0a1b3e5f';
/** Digests: real, placeholder, malformed. */
const DIGESTS = [
  `sha256:${HEX}`, `sha256:${'0'.repeat(64)}`, `sha256:${'a'.repeat(64)}`, `sha256:${'0'.repeat(63)}1`, `sha256:${'0'.repeat(60)}1234`,
  `sha256:${'ab'.repeat(32)}`, `sha256:${HEX.toUpperCase()}`, 'sha256:abc', `sha256:${HEX}0`,
  `sha512:${HEX}${HEX}`, `SHA256:${HEX}`, `sha256:${HEX}\n`, ` sha256:${HEX}`, `sha256:${HEX.slice(0, 63)}g`, '', `@sha256:${HEX}`,
];
const hostileDigest = fc.oneof(hostileText, fc.constantFrom(...DIGESTS));
/** References: registries with ports, upper case, tags with `@`, `:latest`, and the digests above. */
const hostileReference = fc.oneof(
  hostileText,
  fc.tuple(
    fc.constantFrom('ghcr.io/org/app', 'GHCR.io/org/app', 'ghcr.io/Org/app', 'registry.local:5000/app', 'localhost:5000/app', 'registry:99999/app', 'app',
      'ghcr.io//app', 'ghcr.io/org/app/', '-ghcr.io/app', 'ghcr.io/a__b/c', 'ghcr.io/a___b/c'),
    fc.constantFrom('', ':v1.2.3', ':latest', ':LATEST', ':v1@x', `:${'a'.repeat(129)}`, ':-x', ':', ':v1:v2'),
    fc.constantFrom(...DIGESTS.map((d) => `@${d}`), ''),
  ).map(([name, tag, digest]) => `${name}${tag}${digest}`),
);

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = new RegExp(`^(?:((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?)/)?${COMPONENT}(?:/${COMPONENT})*$`);
/**
 * Whether the kubelet reads `ref` as a name, an optional tag and a sha256 digest (distribution/reference:
 * the first component is a registry only with a '.' or ':' or as 'localhost'; names <= 255), with a
 * digest some image can have (at least 5 distinct hex digits, no 16 equal ones in a row: a hash misses
 * either with probability below 2^-50) and a tag other than `latest`.
 */
function pinnedReference(ref: string): boolean {
  const m = /^([^@]+?)(?::([\w][\w.-]{0,127}))?@sha256:([0-9a-f]{64})$/.exec(ref);
  if (!m || m[1].length > 255 || m[2] === 'latest' || new Set(m[3]).size < 5 || /(.)\1{15}/.test(m[3])) return false;
  const name = NAME.exec(m[1]);
  if (!name) return false;
  const first = m[1].split('/')[0];
  const registry = m[1].includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  // Without a registry the first component is a path component: lower case only.
  return registry ? name[1] === first : name[1] === undefined || new RegExp(`^${COMPONENT}$`).test(first);
}

/** The vault plugin's sidecar image, or the problems. */
function sidecarImage(image: ContainerImage): { problems: string[]; image?: string } {
  const chart = new Chart(Testing.app(), 'test');
  const plugin = new ArgoCdVaultPlugin(chart, 'Owner', { namespace: 'argocd', image, vaultAddress: 'https://vault.example.com:8200', vaultRole: 'argocd' });
  const problems = chart.node.findAll().flatMap((c) => c.node.validate());
  if (problems.length > 0) return { problems };
  return { problems, image: (readAsGoYaml(Yaml.stringify(plugin._repoServerSidecar())) as any).containers[0].image };
}

const images = (docs: any[]) => docs.flatMap((d) => {
  const pod = d.spec?.template?.spec ?? {};
  return [...pod.containers ?? [], ...pod.initContainers ?? []].map((c: any) => c.image as string);
});

describe('ContainerImage.fromReference (the vault plugin\'s image)', () => {
  test('refused with a fix, or the kubelet reads the reference as written, pinned by a real digest', () => {
    let accepted = 0;
    fc.assert(fc.property(hostileReference, (ref) => {
      const { problems, image } = sidecarImage(ContainerImage.fromReference(ref));
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'test/Owner', 'image');
        return;
      }
      expect([ref, image, pinnedReference(ref)]).toEqual([ref, ref, true]);
      accepted++;
    }), { ...RUNS, numRuns: 60, examples: [[`ghcr.io/org/app:v1.2.3@sha256:${HEX}`], [`registry.local:5000/app@sha256:${HEX}`], [`app@sha256:${HEX}`]] });
    // The runs reached the output, not only the refusals.
    expect(accepted).toBeGreaterThan(0);
  });

  test.each([
    `ghcr.io/org/app@sha256:${'0'.repeat(64)}`,
    `ghcr.io/org/app@sha256:${'f'.repeat(64)}`,
    `ghcr.io/org/app:v1@sha256:${'0'.repeat(63)}1`,
    `ghcr.io/org/app:v1@sha256:${'0'.repeat(60)}1234`,
    `ghcr.io/org/app:v1@sha256:${'ab'.repeat(32)}`,
    `ghcr.io/org/app:latest@sha256:${HEX}`,
    `ghcr.io/Org/app@sha256:${HEX}`,
    `ghcr.io/org/app@sha256:${HEX.toUpperCase()}`,
    'ghcr.io/org/app:v1@x',
    'ghcr.io/org/app:latest',
  ])('%s is refused', (ref) => {
    expectUsefulRefusal(sidecarImage(ContainerImage.fromReference(ref)).problems, 'test/Owner', 'image');
  });

  test.each([`registry.local:5000/app:v1@sha256:${HEX}`, `GHCR.io/org/app@sha256:${HEX}`, `localhost:5000/a_b/c-d@sha256:${HEX}`])('%s lands as written', (ref) => {
    expect(sidecarImage(ContainerImage.fromReference(ref))).toEqual({ problems: [], image: ref });
  });
});

describe('SecureArgoCD install.release digests', () => {
  test('refused with a fix, or every Argo CD container runs exactly that digest', () => {
    fc.assert(fc.property(hostileDigest, (digest) => {
      const { problems, docs } = secureArgoCdOutput({ install: { release: ArgoCdRelease.V3_5_1.withDigests({ argocd: digest }) } }, ['Deployment', 'StatefulSet']);
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/CD', 'install.release.digests.argocd');
        return;
      }
      const argocd = images(docs!).filter((i) => i.startsWith('quay.io/argoproj/argocd:'));
      expect(argocd.length).toBeGreaterThan(0);
      expect([digest, argocd.every((i) => i.endsWith(`@${digest}`) && pinnedReference(i))]).toEqual([digest, true]);
    }), { ...RUNS, numRuns: 12, examples: DIGESTS.map((d) => [d]) });
  });
});

describe('SecureArgoWorkflows install.release digests', () => {
  test('refused with a fix, or the workflow-controller runs exactly that digest', () => {
    fc.assert(fc.property(hostileDigest, (digest) => {
      const chart = new Chart(Testing.app(), 'test');
      const api = { kubernetesApiCidr: '10.96.0.1/32', kubernetesApiPort: 6443 };
      const workflows = new SecureArgoWorkflows(chart, 'Workflows', {
        install: { crdSchemas: ArgoWorkflowsCrdSchemas.MINIMAL, release: ArgoWorkflowsRelease.V4_1_2.withDigests({ workflowController: digest }) },
        networkPolicies: api,
      });
      new HardenedWorkflowNamespace(chart, 'Ns', { workflows, name: 'team-a', ...api });
      const problems = chart.node.findAll().flatMap((c) => c.node.validate());
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'test/Workflows', 'install.release.digests.workflowController');
        return;
      }
      const docs = chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment')
        .map((o) => readAsGoYaml(Yaml.stringify(o.toJson())) as any);
      const controller = images(docs).filter((i) => i.includes('/workflow-controller:'));
      expect(controller.length).toBeGreaterThan(0);
      expect([digest, controller.every((i) => i.endsWith(`@${digest}`) && pinnedReference(i))]).toEqual([digest, true]);
    }), { ...RUNS, numRuns: 6, examples: DIGESTS.map((d) => [d]) });
  });
});
