// The main job (`npx projen synth:examples`, the README's first Quick start line) synthesizes
// every example, each as an app of its own, exactly as examples/synth.ts does for dist/.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleApps, exampleNames, synthesizeExamples } from '../../examples/synth';

test('every example (every variant of one) synthesizes into a folder of its own, manifests at the top, the audit policy below', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-job-'));
  const charts = synthesizeExamples(outdir);
  const examples = exampleNames().flatMap((name) => exampleApps(name).map(([app]) => app)).sort();
  expect(Object.keys(charts).sort()).toEqual(examples);
  // alternative installs of one example are apps of their own
  expect(examples.filter((name) => name.startsWith('argocd'))).toEqual(['argocd-dex', 'argocd-keycloak']);
  for (const name of examples) {
    const files = fs.readdirSync(path.join(outdir, name)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBe(charts[name]);
  }
  expect(fs.readdirSync(path.join(outdir, 'platform')).sort()).toEqual([
    '0000-platform-argocd-crds.k8s.yaml',
    '0001-platform-argocd.k8s.yaml',
    '0002-platform-production.k8s.yaml',
    '0003-platform-development.k8s.yaml',
    '0004-platform-workflows-crds.k8s.yaml',
    '0005-platform-workflows.k8s.yaml',
    '0006-platform-workflows-ci.k8s.yaml',
    '0007-platform-workflows-batch.k8s.yaml',
    '0008-platform-operations.k8s.yaml',
    'apiserver',
  ]);
  expect(fs.readdirSync(path.join(outdir, 'platform', 'apiserver'))).toEqual(['platform-audit-policy.yaml']);
  fs.rmSync(outdir, { recursive: true, force: true });
});
