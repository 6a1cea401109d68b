import { App, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ContainerImage } from '../../src/core/container-image';
import { ACCEPTED_RISKS_ANNOTATION } from '../../src/private/accepted-risks';
import {
  HardenedWorkflowNamespace, HardenedWorkflowTemplate, HardenedWorkflowTemplateProps, SecureArgoWorkflows, WorkflowContainerStep, WorkflowPodSecurity,
} from '../../src/workflows';
import { expectSynthErrors } from '../support/errors';
import { expectRestricted, restrictedViolations } from '../support/pod-security';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const IMAGE = ContainerImage.fromDigest('docker.io/library/alpine', 'sha256:daf95eed18ae640ea0a3151b1ecbe68dfaf22bf4f2c07449e4ed7c83fa2a1e4e', '3.20');

function step(overrides: Partial<WorkflowContainerStep> = {}): WorkflowContainerStep {
  return { name: 'build', image: IMAGE, command: ['sh', '-c'], args: ['echo "$TARGET"'], env: { TARGET: '{{workflow.parameters.target}}' }, ...overrides };
}

function build(props: Partial<HardenedWorkflowTemplateProps> = {}, podSecurity?: WorkflowPodSecurity): Manifest {
  const chart = testChart();
  const workflows = new SecureArgoWorkflows(chart, 'Workflows', { networkPolicies: { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 } });
  const baselineReason = podSecurity === WorkflowPodSecurity.BASELINE ? 'the legacy build image runs as root' : undefined;
  const namespace = new HardenedWorkflowNamespace(chart, 'Ci', {
    workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443, podSecurity, baselineReason,
  });
  namespace.addBuilderServiceAccount({ secretNames: ['registry'] });
  new HardenedWorkflowTemplate(chart, 'Template', { namespace, name: 'build', steps: [step()], ...props });
  return findObject(synth(chart), 'WorkflowTemplate', 'build');
}

describe('HardenedWorkflowTemplate', () => {
  test('is valid against the full CRD and restricted on its own', () => {
    const template = build({
      parameters: [{ name: 'target', defaultValue: 'prod', allowedValues: ['prod', 'staging'], description: 'where to' }],
      steps: [step({ env: { MODE: 'fast', TARGET: '{{workflow.parameters.target}}' } }), step({ name: 'test', resources: { cpuRequest: Cpu.units(1), cpuLimit: Cpu.units(2), memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(2) } })],
      activeDeadline: Duration.minutes(30),
    });
    expectValid([template]);
    expectRestricted([template]);
    expect(template.metadata.namespace).toBe('ci');
    expect(template.spec).toMatchObject({
      entrypoint: 'main',
      automountServiceAccountToken: false,
      executor: { serviceAccountName: 'workflow-executor' },
      activeDeadlineSeconds: 1800,
      arguments: { parameters: [{ name: 'target', value: 'prod', enum: ['prod', 'staging'], description: 'where to' }] },
      volumes: [{ name: 'tmp', emptyDir: {} }],
    });
    expect(template.spec.templates[0]).toEqual({ name: 'main', steps: [[{ name: 'build', template: 'build' }], [{ name: 'test', template: 'test' }]] });
    expect(template.spec.templates[1].container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(template).toMatchSnapshot();
  });

  test('a builder account with its token is an API client by choice', () => {
    const template = build({ serviceAccountName: 'workflow-builder', mountServiceAccountToken: true });
    expect(template.spec.serviceAccountName).toBe('workflow-builder');
    expect(restrictedViolations([template]).join('\n')).toMatch(/automountServiceAccountToken/);
    expectRestricted([template], { apiClients: ['build'] });
  });

  test('a namespace that opted into BASELINE accepts a root step, its reason recorded on the WorkflowTemplate', () => {
    const template = build({ steps: [step({ securityContext: { runAsUser: 0, allowRunAsRoot: { reason: 'the vendor installer needs root' } } })] },
      WorkflowPodSecurity.BASELINE);
    expectValid([template]);
    expect(template.spec.templates[1].container.securityContext)
      .toMatchObject({ runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(template.metadata.annotations[ACCEPTED_RISKS_ANNOTATION]).toBe('steps[0].securityContext.allowRunAsRoot: the vendor installer needs root');
  });

  test('privilege escalation in a BASELINE namespace is recorded with its reason on the WorkflowTemplate', () => {
    const template = build({ steps: [step({ securityContext: { allowPrivilegeEscalation: { reason: 'the legacy build runs sudo' } } })] }, WorkflowPodSecurity.BASELINE);
    expect(template.spec.templates[1].container.securityContext).toMatchObject({ allowPrivilegeEscalation: true });
    expect(template.metadata.annotations[ACCEPTED_RISKS_ANNOTATION])
      .toBe('steps[0].securityContext.allowPrivilegeEscalation: the legacy build runs sudo');
  });

  test('a writable root filesystem relaxes only that field and records its reason on the WorkflowTemplate', () => {
    const template = build({
      steps: [step(), step({ name: 'pack', securityContext: { allowWritableRootFilesystem: { reason: 'the packer writes to /var/cache' }, runAsUser: 1000 } })],
    });
    expectValid([template]);
    expect(restrictedViolations([template])).toEqual([
      'WorkflowTemplate ci/build: spec.templates[2].container.securityContext.readOnlyRootFilesystem: must be true (mount an emptyDir for scratch space)',
    ]);
    expect(template.spec.templates[1].container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(template.spec.templates[2].container.securityContext).toMatchObject({
      readOnlyRootFilesystem: false, runAsNonRoot: true, runAsUser: 1000,
    });
    expect(template.metadata.annotations[ACCEPTED_RISKS_ANNOTATION])
      .toBe('steps[1].securityContext.allowWritableRootFilesystem: the packer writes to /var/cache');
  });

  test('a step without opt-ins carries no accepted risk', () => {
    expect(build().metadata.annotations?.[ACCEPTED_RISKS_ANNOTATION]).toBeUndefined();
  });
});

describe('HardenedWorkflowTemplate errors at synth', () => {
  test('a securityContext that breaks the restricted profile without opt-in', () => {
    expect(() => build({ steps: [step({ securityContext: { runAsUser: 0, allowRunAsRoot: { reason: 'vendor image' } } })] }))
      .toThrow(/steps\[0\]\.securityContext: runAsUser 0 \(root\), allowRunAsRoot breaks the restricted Pod Security Standard/);
    expect(() => build({ steps: [step({ securityContext: { allowPrivilegeEscalation: { reason: 'setuid tool' } } })] }))
      .toThrow(/steps\[0\]\.securityContext: allowPrivilegeEscalation breaks the restricted/);
  });

  test('a {{...}} expression in the command line of an interpreter (injection), and where it is safe', () => {
    const cases: [Partial<WorkflowContainerStep>, string][] = [
      [{ command: ['sh', '-c'], args: ['echo {{workflow.parameters.target}}'] }, 'args'],
      [{ command: ['/bin/bash', '-ec', 'deploy {{inputs.parameters.env}}'] }, 'command'],
      [{ command: ['sh'], args: ['-c', 'echo "{{workflow.parameters.target}}"'] }, 'args'],
      [{ command: ['sh', '-c', '--'], args: ['echo {{workflow.parameters.target}}'] }, 'args'],
      [{ command: ['env', 'sh', '-c'], args: ['echo {{workflow.parameters.target}}'] }, 'args'],
      [{ command: ['busybox', 'sh', '-c'], args: ['echo {{workflow.parameters.target}}'] }, 'args'],
      [{ command: ['timeout', '60', 'sh', '-c'], args: ['echo {{workflow.parameters.target}}'] }, 'args'],
      [{ command: ['python3', '-c'], args: ['print("{{workflow.parameters.target}}")'] }, 'args'],
      [{ command: ['perl', '-e'], args: ['print "{{workflow.parameters.target}}"'] }, 'args'],
      [{ command: ['node', '-e'], args: ['console.log("{{workflow.parameters.target}}")'] }, 'args'],
      [{ command: ['bash', '-lc'], args: ['echo {{workflow.parameters.target}}'] }, 'args'],
      // a positional parameter is refused too: which argument is data differs per interpreter
      [{ command: ['sh', '-c', 'echo "$1"', 'sh', '{{workflow.parameters.target}}'] }, 'command'],
      // the value would choose the program
      [{ command: ['{{workflow.parameters.tool}}'] }, 'command'],
    ];
    for (const [shell, property] of cases) {
      const chart = testChart();
      const workflows = new SecureArgoWorkflows(chart, 'Workflows', { networkPolicies: { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 } });
      const namespace = new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 });
      new HardenedWorkflowTemplate(chart, 'Template', { namespace, name: 'build', steps: [step({ name: 'ok' }), step({ ...shell, env: undefined })] });
      expectSynthErrors(App.of(chart) as App, [new RegExp(`\\[test/Template\\] .*'test/Template': steps\\[1\\]\\.${property}: .*([Pp]ass it through env|chooses the program)`)]);
    }
    // a plain argument of a program that is not an interpreter; values reach scripts through env
    build({ steps: [step({ command: ['echo'], args: ['{{workflow.parameters.target}}'], env: undefined })] });
    build({ steps: [step({ command: ['env', 'timeout', '60', 'sh', '-c'], args: ['deploy "$TARGET"'] })] });
  });

  test('a deadline that is not a positive whole number of seconds', () => {
    expect(() => build({ activeDeadline: Duration.millis(1500) })).toThrow(/activeDeadline: must be a positive whole number of seconds/);
  });

  test('root with runAsNonRoot left on cannot start', () => {
    expect(() => build({ steps: [step({ securityContext: { runAsUser: 0 } })] }, WorkflowPodSecurity.BASELINE))
      .toThrow(/steps\[0\]\.securityContext: runAsUser 0 needs allowRunAsRoot with a reason/);
  });

  test.each([
    ['allowRunAsRoot', 'why the step must run as root', WorkflowPodSecurity.BASELINE],
    ['allowWritableRootFilesystem', 'why the step must write outside /tmp', undefined],
  ] as const)('%s needs a one-line reason: missing, blank, multi-line and too long are refused with path, property and fix', (optIn, why, level) => {
    for (const reason of [undefined, ' ', 'root\npod-security.kubernetes.io/enforce: privileged', 'x'.repeat(256)]) {
      const securityContext = { [optIn]: { reason } } as unknown as WorkflowContainerStep['securityContext'];
      expect(() => build({ steps: [step({ securityContext })] }, level))
        .toThrow(new RegExp(`\\[test/Template\\] .*steps\\[0\\]\\.securityContext\\.${optIn}\\.reason: .*say in one line ${why}`));
    }
  });

  test('the booleans the opt-ins replaced are refused with the migration, not ignored', () => {
    const legacy = (securityContext: object) => build({ steps: [step({ securityContext: securityContext as WorkflowContainerStep['securityContext'] })] });
    expect(() => legacy({ runAsNonRoot: false })).toThrow(/steps\[0\]\.securityContext\.runAsNonRoot: was replaced: use allowRunAsRoot: \{ reason: '\.\.\.' \}/);
    expect(() => legacy({ readOnlyRootFilesystem: false }))
      .toThrow(/steps\[0\]\.securityContext\.readOnlyRootFilesystem: was replaced: use allowWritableRootFilesystem: \{ reason: '\.\.\.' \}/);
  });

  test('unknown service account, token without account, bad names', () => {
    expect(() => build({ serviceAccountName: 'cluster-admin' })).toThrow(/serviceAccountName: 'cluster-admin' is not a service account/);
    expect(() => build({ mountServiceAccountToken: true })).toThrow(/mountServiceAccountToken: needs serviceAccountName/);
    expect(() => build({ steps: [step({ name: 'main' })] })).toThrow(/steps\[0\]\.name/);
    expect(() => build({ steps: [step(), step()] })).toThrow(/steps\[1\]\.name: 'build' is used twice/);
    expect(() => build({ steps: [step({ env: { 'BAD-NAME': 'x' } })] })).toThrow(/steps\[0\]\.env: 'BAD-NAME'/);
    expect(() => build({ steps: [] })).toThrow(/steps: is empty/);
    expect(() => build({ parameters: [{ name: 'x', defaultValue: 'c', allowedValues: ['a', 'b'] }] })).toThrow(/parameters\[0\]\.defaultValue/);
  });

  test('the service account may be added to the namespace after the template', () => {
    const chart = testChart();
    const workflows = new SecureArgoWorkflows(chart, 'Workflows', { networkPolicies: { kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 } });
    const namespace = new HardenedWorkflowNamespace(chart, 'Ci', { workflows, name: 'ci', kubernetesApiCidr: '10.0.0.1/32', kubernetesApiPort: 6443 });
    new HardenedWorkflowTemplate(chart, 'Template', { namespace, name: 'build', steps: [step()], serviceAccountName: 'workflow-builder' });
    namespace.addBuilderServiceAccount({ secretNames: ['registry'] });
    expect(findObject(synth(chart), 'WorkflowTemplate', 'build').spec.serviceAccountName).toBe('workflow-builder');
    expect(namespace.serviceAccountNames).toEqual(['default', 'workflow-builder', 'workflow-executor']);
  });
});
