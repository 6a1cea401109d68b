import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { ContainerImage } from '../../src/core/container-image';
import { resourceRequirements, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../src/private/pod-security';
import { expectRestricted, literalSecretViolations, restrictedViolations } from '../support/pod-security';
import { synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const IMAGE = ContainerImage.fromDigest('quay.io/argoproj/argocd', 'sha256:f924e49625fbc942583fc701a28058f183d610e07a035081a273798522147671', 'v3.5.1').reference;
const RESOURCES = { cpuRequest: Cpu.millis(100), cpuLimit: Cpu.millis(500), memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(256) };
/** The same resources as plain JSON, for objects that are not synthesized by cdk8s. */
const RESOURCES_JSON = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

/** A Deployment that meets every rule, built the way constructs build pods. */
function compliantDeployment(): any {
  const chart = testChart();
  new k8s.KubeDeployment(chart, 'server', {
    metadata: { name: 'argocd-server', namespace: 'argocd' },
    spec: {
      selector: { matchLabels: { app: 'server' } },
      template: {
        metadata: { labels: { app: 'server' } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurityContext(),
          containers: [{
            name: 'server',
            image: IMAGE,
            securityContext: restrictedContainerSecurityContext(),
            resources: resourceRequirements(chart, 'resources', RESOURCES),
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  });
  const [deployment] = synth(chart);
  expectValid([deployment]);
  return deployment;
}

function violationsAfter(change: (pod: any, container: any) => void, options = {}): string[] {
  const d = compliantDeployment();
  change(d.spec.template.spec, d.spec.template.spec.containers[0]);
  return restrictedViolations([d], options);
}

const C = 'Deployment argocd/argocd-server: spec.template.spec.containers[0]';
const P = 'Deployment argocd/argocd-server: spec.template.spec';

describe('restrictedViolations', () => {
  test('a compliant Deployment passes', () => {
    expect(restrictedViolations([compliantDeployment()])).toEqual([]);
    expect(() => expectRestricted([compliantDeployment()])).not.toThrow();
  });

  test('running as root', () => {
    expect(violationsAfter((pod, c) => {
      delete pod.securityContext.runAsNonRoot;
      c.securityContext.runAsNonRoot = false;
      c.securityContext.runAsUser = 0;
    })).toEqual([
      `${C}.securityContext.runAsNonRoot: must be true (here or in the pod securityContext)`,
      `${C}.securityContext.runAsUser: must not be 0 (root)`,
    ]);
  });

  test('missing drop ALL, added capabilities, privilege escalation and privileged', () => {
    expect(violationsAfter((_pod, c) => {
      c.securityContext.capabilities = { add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] };
      delete c.securityContext.allowPrivilegeEscalation;
      c.securityContext.privileged = true;
    })).toEqual([
      `${C}.securityContext.allowPrivilegeEscalation: must be false`,
      `${C}.securityContext.privileged: must not be true`,
      `${C}.securityContext.capabilities.drop: must include 'ALL'`,
      `${C}.securityContext.capabilities.add: may only add NET_BIND_SERVICE, not "SYS_ADMIN"`,
    ]);
  });

  test('seccomp: unset at both levels, or Unconfined', () => {
    expect(violationsAfter((pod, c) => {
      delete pod.securityContext.seccompProfile;
      delete c.securityContext.seccompProfile;
    })).toEqual([`${C}.securityContext.seccompProfile.type: must be RuntimeDefault or Localhost (here or in the pod securityContext)`]);
    expect(violationsAfter((pod) => {
      pod.securityContext.seccompProfile = { type: 'Unconfined' };
    })).toEqual([`${P}.securityContext.seccompProfile.type: must be RuntimeDefault or Localhost, got "Unconfined"`]);
  });

  test('a writable root filesystem and missing limits', () => {
    expect(violationsAfter((_pod, c) => {
      c.securityContext.readOnlyRootFilesystem = false;
      delete c.resources.limits;
      delete c.resources.requests.memory;
    })).toEqual([
      `${C}.securityContext.readOnlyRootFilesystem: must be true (mount an emptyDir for scratch space)`,
      `${C}.resources.requests.memory: must be set`,
      `${C}.resources.limits.cpu: must be set`,
      `${C}.resources.limits.memory: must be set`,
    ]);
  });

  test('an image tag instead of a digest', () => {
    expect(violationsAfter((_pod, c) => {
      c.image = 'quay.io/argoproj/argocd:v3.5.1';
    })).toEqual([`${C}.image: "quay.io/argoproj/argocd:v3.5.1" is not pinned by digest (@sha256:<64 hex>)`]);
  });

  test('hostPath volumes, host namespaces and host ports', () => {
    expect(violationsAfter((pod, c) => {
      pod.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
      pod.hostNetwork = true;
      c.ports = [{ containerPort: 8080, hostPort: 8080 }];
    })).toEqual([
      `${P}.hostNetwork: must not be true`,
      `${P}.volumes[1].hostPath: hostPath volumes are not allowed (allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret)`,
      `${C}.ports[0].hostPort: host ports are not allowed`,
    ]);
  });

  test('a mounted service account token, unless the object is an API client', () => {
    const mounted = (pod: any) => { delete pod.automountServiceAccountToken; };
    expect(violationsAfter(mounted)).toEqual([
      `${P}.automountServiceAccountToken: must be false`,
    ]);
    expect(violationsAfter(mounted, { apiClients: ['argocd-server'] })).toEqual([]);
  });

  test('init containers and CronJob pods are checked too', () => {
    const chart = testChart();
    new k8s.KubeCronJob(chart, 'job', {
      metadata: { name: 'cleanup', namespace: 'ops' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { spec: { automountServiceAccountToken: false, restartPolicy: 'Never', containers: [], initContainers: [{ name: 'init', image: IMAGE }] } } } },
      },
    });
    const problems = restrictedViolations(synth(chart));
    expect(problems).toContain('CronJob ops/cleanup: spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation: must be false');
    expect(problems).toContain('CronJob ops/cleanup: spec.jobTemplate.spec.template.spec.initContainers[0].resources.limits.cpu: must be set');
  });
});

describe('restrictedViolations on Argo Workflows', () => {
  function workflow(): any {
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'build', namespace: 'ci' },
      spec: {
        entrypoint: 'main',
        automountServiceAccountToken: false,
        executor: { serviceAccountName: 'build-executor' },
        securityContext: restrictedPodSecurityContext(),
        templates: [{
          name: 'main',
          container: { image: IMAGE, securityContext: restrictedContainerSecurityContext(), resources: RESOURCES_JSON },
        }],
      },
    };
  }

  test('a hardened Workflow passes, and so does the same spec in a CronWorkflow', () => {
    expectValid([workflow()]);
    expect(restrictedViolations([workflow()])).toEqual([]);
    const cron = { ...workflow(), kind: 'CronWorkflow', spec: { schedules: ['0 1 * * *'], workflowSpec: workflow().spec } };
    expectValid([cron]);
    expect(restrictedViolations([cron])).toEqual([]);
  });

  test('a template-level securityContext replaces (and here weakens) the workflow-level one', () => {
    const w = workflow();
    w.spec.templates[0].securityContext = { runAsUser: 0 };
    expect(restrictedViolations([w])).toEqual([
      'Workflow ci/build: spec.templates[0].securityContext.runAsUser: must not be 0 (root)',
    ]);
    delete w.spec.templates[0].container.securityContext.runAsNonRoot;
    delete w.spec.templates[0].container.securityContext.seccompProfile;
    expect(restrictedViolations([w])).toEqual([
      'Workflow ci/build: spec.templates[0].container.securityContext.runAsNonRoot: must be true (here or in the pod securityContext)',
      'Workflow ci/build: spec.templates[0].securityContext.runAsUser: must not be 0 (root)',
      'Workflow ci/build: spec.templates[0].container.securityContext.seccompProfile.type: must be RuntimeDefault or Localhost (here or in the pod securityContext)',
    ]);
  });

  test('podSpecPatch, the service account token and unhardened sidecars are caught', () => {
    const w = workflow();
    w.spec.templates[0].podSpecPatch = '{"containers":[{"name":"main","securityContext":{"privileged":true}}]}';
    delete w.spec.executor;
    w.spec.templates[0].sidecars = [{ name: 'db', image: 'postgres:16' }];
    const problems = restrictedViolations([w]);
    expect(problems).toContain('Workflow ci/build: spec.templates[0].podSpecPatch: podSpecPatch is not allowed: it can undo the pod hardening');
    expect(problems).toContain('Workflow ci/build: spec.automountServiceAccountToken: must be false, with executor.serviceAccountName set');
    expect(problems).toContain('Workflow ci/build: spec.templates[0].sidecars[0].image: "postgres:16" is not pinned by digest (@sha256:<64 hex>)');
    expect(problems).toContain('Workflow ci/build: spec.templates[0].sidecars[0].securityContext.readOnlyRootFilesystem: must be true (mount an emptyDir for scratch space)');
  });

  test('templateDefaults fill in what the template leaves out', () => {
    const w = workflow();
    w.spec.templateDefaults = { container: { resources: RESOURCES_JSON } };
    delete w.spec.templates[0].container.resources;
    expectValid([w]);
    expect(restrictedViolations([w])).toEqual([]);
  });
});

describe('literalSecretViolations', () => {
  test('Secrets with data or stringData are violations; an empty token Secret is not', () => {
    const secret = (name: string, extra: object) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'argocd' }, ...extra });
    expect(literalSecretViolations([
      secret('plain', { stringData: { password: 'hunter2' } }),
      secret('encoded', { data: { token: 'c2VjcmV0' } }),
      secret('token', { type: 'kubernetes.io/service-account-token', metadata: { name: 'token', namespace: 'argocd', annotations: { 'kubernetes.io/service-account.name': 'argo-server' } } }),
      secret('empty', { data: {} }),
    ])).toEqual([
      'Secret argocd/plain: stringData: literal secret values (password): use SealedOrExternalSecret or SecretKeyRef.fromExistingSecret',
      'Secret argocd/encoded: data: literal secret values (token): use SealedOrExternalSecret or SecretKeyRef.fromExistingSecret',
    ]);
  });
});
