import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ArgoCdCrds, SecureArgoCD } from '../../src';
import { UPSTREAM_CRDS } from '../../src/argocd/install/private/upstream-crds';
import { synth, testChart } from '../support/synth';
import { validateManifests } from '../support/validate';

const IMPORTS = path.join(__dirname, '..', '..', 'imports', 'argo-cd');
const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };

describe('ArgoCdCrds', () => {
  const out = (() => {
    const chart = testChart('crds');
    new ArgoCdCrds(chart, 'Crds');
    return synth(chart);
  })();

  test('the three CRDs of v3.5.1, valid, each spec exactly the vendored upstream file', () => {
    expect(out.map((m) => m.metadata.name)).toEqual(['applications.argoproj.io', 'applicationsets.argoproj.io', 'appprojects.argoproj.io']);
    expect(validateManifests(out)).toEqual([]);
    for (const crd of out) {
      const file = `${crd.metadata.name!.split('.')[0].replace(/s$/, '')}-crd.yaml`;
      expect(crd.spec).toEqual(YAML.parse(fs.readFileSync(path.join(IMPORTS, file), 'utf8'), { version: '1.1' }).spec);
    }
  });

  test('applied server-side, in the first sync wave, with the standard labels', () => {
    for (const crd of out) {
      expect(crd.metadata.annotations).toEqual({
        'argocd.argoproj.io/sync-options': 'ServerSideApply=true',
        'argocd.argoproj.io/sync-wave': '0',
      });
      expect(crd.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'cdk8s-secure-argo', 'app.kubernetes.io/part-of': 'argocd', 'app.kubernetes.io/component': 'crd',
      });
    }
  });

  test('the vendored files are listed in imports/argo-cd/SOURCE.md with their sha256', () => {
    const source = fs.readFileSync(path.join(IMPORTS, 'SOURCE.md'), 'utf8');
    for (const crd of UPSTREAM_CRDS) expect(source).toContain(crd.fullSha256);
    expect(UPSTREAM_CRDS.every((crd) => crd.minimal === undefined)).toBe(true);
  });

  test('SecureArgoCD writes them in a chart of their own, which the install chart depends on; one set per chart', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'argocd');
    const first = new SecureArgoCD(chart, 'ArgoCD', { enableLocalAdmin: true, networkPolicies: NETWORK });
    const second = new SecureArgoCD(chart, 'Other', { namespace: 'argocd-2', enableLocalAdmin: true, networkPolicies: NETWORK });
    const crdChart = app.charts.find((c) => c.node.id === 'argocd-crds')!;
    expect(crdChart).toBeDefined();
    expect(second.crds).toBe(first.crds);
    expect(chart.node.dependencies).toContain(crdChart);
    expect(synth(crdChart).map((m) => m.kind)).toEqual(['CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition']);
    expect(synth(chart).filter((m) => m.kind === 'CustomResourceDefinition')).toEqual([]);
  });
});
