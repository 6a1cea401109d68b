import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { embeddedCrd } from '../../../src/private/upstream/embedded';
import { UpstreamManifests } from '../../../src/private/upstream/manifests';
import { UPSTREAM_CRDS } from '../../../src/workflows/install/private/upstream-crds';
import { UPSTREAM_MANIFESTS_JSON } from '../../../src/workflows/install/private/upstream-manifests';

const ROOT = path.join(__dirname, '..', '..', '..');
const SOURCE = fs.readFileSync(path.join(ROOT, 'imports', 'argo-workflows', 'SOURCE.md'), 'utf8');

describe('vendored Argo Workflows v4.1.2', () => {
  test('the generated CRD module matches the vendored YAML', () => {
    expect(() => execFileSync('node', ['scripts/vendor-crds.js', '--check'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
  });

  test('every vendored file is listed in SOURCE.md with its sha256', () => {
    for (const crd of UPSTREAM_CRDS) {
      expect(SOURCE).toContain(crd.fullSha256);
      if (crd.minimalSha256) expect(SOURCE).toContain(crd.minimalSha256);
    }
    const data = JSON.parse(UPSTREAM_MANIFESTS_JSON);
    expect(SOURCE).toContain(data.sha256.cluster);
    expect(SOURCE).toContain(data.sha256.namespaced);
  });

  test('the installs have the objects upstream renders, with the release tag and no :latest', () => {
    const cluster = UpstreamManifests.load(UPSTREAM_MANIFESTS_JSON, 'cluster');
    const namespaced = UpstreamManifests.load(UPSTREAM_MANIFESTS_JSON, 'namespaced');
    expect(cluster.keys()).toHaveLength(16);
    expect(namespaced.keys()).toHaveLength(11);
    expect(UPSTREAM_MANIFESTS_JSON).not.toMatch(/:latest/);
    const images = [...UPSTREAM_MANIFESTS_JSON.matchAll(/"image":"([^"]+)"/g)].map((m) => m[1]).sort();
    expect([...new Set(images)]).toEqual(['quay.io/argoproj/argocli:v4.1.2', 'quay.io/argoproj/workflow-controller:v4.1.2']);
    expect(namespaced.keys().map((k) => namespaced.get(k.split('/')[0], k.split('/')[1]).metadata.namespace)).toEqual(new Array(11).fill(undefined));
  });

  test('eight CRDs, the four large kinds with a minimal variant', () => {
    expect(UPSTREAM_CRDS.map((c) => c.kind)).toEqual([
      'ClusterWorkflowTemplate', 'CronWorkflow', 'WorkflowArtifactGCTask', 'WorkflowEventBinding',
      'Workflow', 'WorkflowTaskResult', 'WorkflowTaskSet', 'WorkflowTemplate',
    ]);
    expect(UPSTREAM_CRDS.filter((c) => c.minimal).map((c) => c.kind)).toEqual(['ClusterWorkflowTemplate', 'CronWorkflow', 'Workflow', 'WorkflowTemplate']);
    const workflows = embeddedCrd(UPSTREAM_CRDS.find((c) => c.kind === 'Workflow')!, false);
    expect(workflows.metadata.name).toBe('workflows.argoproj.io');
    expect(workflows.spec.versions.map((v: any) => [v.name, v.served, v.storage])).toEqual([['v1alpha1', true, true]]);
    expect(embeddedCrd(UPSTREAM_CRDS[0], true)).not.toEqual(embeddedCrd(UPSTREAM_CRDS[0], false));
  });
});
