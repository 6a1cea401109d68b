// Every workflow the library writes, in every example, runs under `templateReferencing: Secure`:
// Argo Workflows v4.1.2 (`workflow/controller/operator.go` setExecWorkflow with
// `workflow/util/merge.go` ValidateUserOverrides) refuses a Workflow without
// `workflowTemplateRef`, and one with a reference that also sets a field outside a short
// allow-list (no templates, service account, volumes, security context or pod spec patch).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { exampleApps, exampleNames } from '../../examples/synth';
import { Manifest, synthApp } from '../support/synth';

/** The WorkflowSpec fields (JSON names) v4.1.2 lets a workflow set next to workflowTemplateRef. */
const ALLOWED_WITH_REFERENCE = new Set([
  'arguments', 'entrypoint', 'shutdown', 'suspend', 'activeDeadlineSeconds', 'priority', 'ttlStrategy', 'podGC',
  'volumeClaimGC', 'archiveLogs', 'workflowMetadata', 'workflowTemplateRef', 'metrics', 'artifactGC',
]);

/** The spec each Workflow and CronWorkflow of the objects runs, with where it sits. */
function workflowSpecs(manifests: Manifest[]): { where: string; namespace: string; spec: any }[] {
  return manifests.flatMap((m) => {
    const where = `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`;
    if (m.kind === 'Workflow') return [{ where, namespace: m.metadata.namespace!, spec: m.spec }];
    if (m.kind === 'CronWorkflow') return [{ where, namespace: m.metadata.namespace!, spec: m.spec.workflowSpec }];
    return [];
  });
}

/** What would stop the spec from running under Secure, one line each. */
function secureProblems(spec: any, manifests: Manifest[], namespace: string): string[] {
  const ref = spec?.workflowTemplateRef;
  if (!ref) return ['has no workflowTemplateRef'];
  const problems = Object.keys(spec).filter((k) => !ALLOWED_WITH_REFERENCE.has(k)).map((k) => `sets ${k} next to workflowTemplateRef`);
  for (const k of ['serviceAccountName', 'podSpecPatch', 'podMetadata']) {
    if (spec.artifactGC?.[k] !== undefined) problems.push(`sets artifactGC.${k}`);
  }
  const target = ref.clusterScope
    ? manifests.find((m) => m.kind === 'ClusterWorkflowTemplate' && m.metadata.name === ref.name)
    : manifests.find((m) => m.kind === 'WorkflowTemplate' && m.metadata.name === ref.name && m.metadata.namespace === namespace);
  if (!target) problems.push(`references ${ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'} '${ref.name}', which is not in the output`);
  return problems;
}

/** Every app of every example, as the main job builds them. */
const EXAMPLES = exampleNames().flatMap(exampleApps);

/**
 * The annotations the rotation writes on objects Argo CD may manage. Argo CD v3.5 keeps fields
 * that only someone else set in every diff mode (see docs/operations.md), so they cause no drift
 * unless a manifest in Git sets them too: then Git wins and every sync undoes the rotation.
 */
const ROTATION_ANNOTATIONS = ['kubectl.kubernetes.io/restartedAt', 'force-sync'];

function annotationKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {value.forEach((v) => annotationKeys(v, out));} else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'annotations' && v !== null && typeof v === 'object') out.push(...Object.keys(v));
      annotationKeys(v, out);
    }
  }
  return out;
}

describe.each(EXAMPLES)('example %s', (name, build) => {
  let all: Manifest[] = [];
  beforeAll(() => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `template-referencing-${name}-`));
    try {
      const app = new App({ outdir });
      build(app);
      all = Object.values(synthApp(app)).flat();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('every Workflow and CronWorkflow only references a WorkflowTemplate of the output (runs under templateReferencing: Secure)', () => {
    const specs = workflowSpecs(all);
    if (['operations', 'platform'].includes(name)) expect(specs.length).toBeGreaterThan(0);
    const problems = specs.flatMap(({ where, namespace, spec }) => secureProblems(spec, all, namespace).map((p) => `${where}: ${p}`));
    expect(problems).toEqual([]);
  });

  test('no object sets the annotations the secret rotation writes (so Argo CD sees no drift)', () => {
    const found = all.flatMap((m) => annotationKeys(m).filter((k) => ROTATION_ANNOTATIONS.includes(k))
      .map((k) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}: ${k}`));
    expect(found).toEqual([]);
  });
});

describe('the check itself', () => {
  const template = { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'job', namespace: 'ops' }, spec: {} } as Manifest;
  test.each<[object, RegExp[]]>([
    [{ entrypoint: 'main', templates: [{ name: 'main' }] }, [/has no workflowTemplateRef/]],
    [{ workflowTemplateRef: { name: 'job' }, serviceAccountName: 'admin' }, [/sets serviceAccountName/]],
    [{ workflowTemplateRef: { name: 'job' }, artifactGC: { serviceAccountName: 'admin' } }, [/sets artifactGC.serviceAccountName/]],
    [{ workflowTemplateRef: { name: 'other' } }, [/'other', which is not in the output/]],
  ])('refuses %j', (spec, expected) => {
    const problems = secureProblems(spec, [template], 'ops');
    expect(problems).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(problems[i]).toMatch(re));
  });

  test('accepts a bare reference with allowed overrides', () => {
    expect(secureProblems({ workflowTemplateRef: { name: 'job' }, arguments: {}, podGC: {} }, [template], 'ops')).toEqual([]);
  });
});
