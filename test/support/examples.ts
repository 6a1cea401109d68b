// The shared test for every example: build it into a fresh app, validate every object strictly,
// check the pods and secrets, and snapshot each chart.
import { createHash } from 'crypto';
import { Testing } from 'cdk8s';
import { expectRestricted, literalSecretViolations } from './pod-security';
import { Manifest, synthApp } from './synth';
import { expectValid } from './validate';
import { exampleApps } from '../../examples/synth';
import { PolicyCheck } from '../../src/policy';

/**
 * The Argo CD components that call the API server (SecureArgoCD installs them): every one but
 * the repo-server; Redis only while it generates its own password.
 */
export const ARGOCD_API_CLIENTS = [
  'argocd-server', 'argocd-application-controller', 'argocd-applicationset-controller',
  'argocd-notifications-controller', 'argocd-dex-server', 'argocd-redis', 'argocd-redis-ha-haproxy',
];

/** Options for an example's test. */
export interface ExampleTestOptions {
  /** Names of objects whose pods talk to the API server and may mount a service account token. */
  readonly apiClients?: string[];
  /**
   * Warnings the example may print while it synthesizes (e.g. a value sealed at synth whose
   * plaintext is not set in CI). They are kept out of the test output; any other fails the test.
   */
  readonly expectedWarnings?: RegExp[];
}

/** Registers `describe('example <name>')` for `examples/<name>.ts`, which exports `build(app)` or `variants`. */
export function exampleTest(name: string, options: ExampleTestOptions = {}): void {
  describe(`example ${name}`, () => {
    let charts: Record<string, Manifest[]> = {};
    let all: Manifest[] = [];
    const warnings: string[] = [];

    beforeAll(() => {
      const write = process.stderr.write;
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
        if (String(chunk).startsWith('[WARNING]')) {
          warnings.push(String(chunk));
          return true;
        }
        return write.call(process.stderr, chunk, ...rest);
      });
      try {
        // each variant in an app of its own, as the main job synthesizes it
        for (const [, build] of exampleApps(name)) {
          const app = Testing.app();
          build(app);
          charts = { ...charts, ...synthApp(app) };
        }
        all = Object.values(charts).flat();
      } finally {
        stderr.mockRestore();
      }
    });

    test('prints no warnings but the expected ones', () => {
      const expected = options.expectedWarnings ?? [];
      expect(warnings.filter((w) => !expected.some((re) => re.test(w)))).toEqual([]);
    });

    test('synthesizes at least one chart with objects', () => {
      expect(Object.keys(charts).length).toBeGreaterThan(0);
      expect(all.length).toBeGreaterThan(0);
    });

    test('every object is valid against Kubernetes 1.28 and the pinned CRDs', () => {
      expectValid(all);
    });

    test('every pod meets the restricted profile', () => {
      expectRestricted(all, { apiClients: [...ARGOCD_API_CLIENTS, ...(options.apiClients ?? [])] });
    });

    test('no literal secret values', () => {
      expect(literalSecretViolations(all)).toEqual([]);
    });

    test('passes every policy pack, or suppresses the finding with a reason', () => {
      const check = PolicyCheck.ofManifests(all);
      expect(check.toText()).toBe('');
      for (const f of check.suppressed) expect(f.suppressionReason!.length).toBeGreaterThanOrEqual(10);
    });

    test('matches the snapshot of each chart', () => {
      for (const [id, manifests] of Object.entries(charts)) {
        expect(manifests.map(snapshotForm)).toMatchSnapshot(id);
      }
    });
  });
}

/**
 * CRDs are vendored upstream data (the full Argo Workflows ones are 11 MiB): their snapshot keeps
 * the metadata and a hash of the spec, so a change still shows, without megabytes of schema.
 */
function snapshotForm(m: Manifest): unknown {
  if (m.kind !== 'CustomResourceDefinition') return m;
  return { apiVersion: m.apiVersion, kind: m.kind, metadata: m.metadata, specSha256: createHash('sha256').update(JSON.stringify(m.spec)).digest('hex') };
}
