import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { synth, testChart } from './support/synth';
import { expectValid, validateManifests } from './support/validate';

function fixture(name: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')).map((d) => d.toJSON());
}

function deployment(containerExtras: object = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'argocd-server', namespace: 'argocd' },
    spec: {
      selector: { matchLabels: { app: 'server' } },
      template: {
        metadata: { labels: { app: 'server' } },
        spec: { containers: [{ name: 'server', image: 'nginx', ...containerExtras }] },
      },
    },
  };
}

function cronWorkflow(spec: object): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: { name: 'nightly', namespace: 'workflows' },
    spec: { workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox' } }] }, ...spec },
  };
}

describe('validateManifests accepts', () => {
  test('objects built with cdk8s-plus-28 and the k8s L1 classes', () => {
    const chart = testChart();
    const deploymentL2 = new kplus.Deployment(chart, 'web', {
      containers: [{
        image: 'nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000',
        portNumber: 8080,
        envVariables: { MODE: kplus.EnvValue.fromValue('strict') },
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
        readiness: kplus.Probe.fromHttpGet('/healthz', { periodSeconds: Duration.seconds(10) }),
      }],
    });
    deploymentL2.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new kplus.ConfigMap(chart, 'config', { data: { 'config.yaml': 'a: 1\n' } });
    new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'argocd' } });
    new k8s.KubeClusterRole(chart, 'role', { metadata: { name: 'system:argocd-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] });
    new k8s.KubeSecret(chart, 'token', { metadata: { name: 'argo-server.service-account-token', annotations: { 'kubernetes.io/service-account.name': 'argo-server' } }, type: 'kubernetes.io/service-account-token' });
    new k8s.KubeNetworkPolicy(chart, 'deny', { metadata: { name: 'default-deny' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    const manifests = synth(chart);
    expect(manifests.length).toBeGreaterThanOrEqual(7);
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('the upstream Argo CD Application and AppProject samples', () => {
    expectValid([...fixture('argocd-application.yaml'), ...fixture('argocd-project.yaml')]);
  });

  test('a CronWorkflow with schedules (the upstream v4.1 sample)', () => {
    expectValid(fixture('argo-cron-workflow-multiple-schedules.yaml'));
  });

  test('int-or-string and quantities as numbers or strings', () => {
    const m = deployment({
      ports: [{ containerPort: 8080, name: 'http' }],
      resources: { requests: { cpu: 0.5, memory: '64Mi' }, limits: { cpu: '1', memory: 134217728 } },
      readinessProbe: { httpGet: { path: '/', port: 'http' } },
      livenessProbe: { tcpSocket: { port: 8080 } },
    });
    expect(validateManifests([m])).toEqual([]);
  });

  test('CRD objects of served versions (ExternalSecret v1, SealedSecret, Certificate)', () => {
    expectValid([
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'db', namespace: 'apps' },
        spec: { secretStoreRef: { name: 'vault', kind: 'SecretStore' }, target: { name: 'db' }, data: [{ secretKey: 'password', remoteRef: { key: 'db', property: 'password' } }] },
      },
      { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'db', namespace: 'apps' }, spec: { encryptedData: { password: 'AgB...' } } },
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web', namespace: 'apps' }, spec: { secretName: 'web-tls', issuerRef: { name: 'ca' }, dnsNames: ['web.apps.svc'] } },
    ]);
  });
});

describe('validateManifests rejects', () => {
  test('an unknown field, naming the object and the path', () => {
    expect(validateManifests([deployment({ securityContxt: { runAsNonRoot: true } })])).toEqual([
      'Deployment argocd/argocd-server: spec.template.spec.containers[0].securityContxt: unknown field',
    ]);
  });

  test('a wrong type', () => {
    const m = deployment();
    m.spec.replicas = '2';
    expect(validateManifests([m])).toEqual(['Deployment argocd/argocd-server: spec.replicas: expected integer, got string']);
  });

  test('a missing required field', () => {
    const m = deployment();
    delete m.spec.template.spec.containers[0].name;
    expect(validateManifests([m])).toEqual(['Deployment argocd/argocd-server: spec.template.spec.containers[0].name: missing required field']);
  });

  test('an unknown kind', () => {
    expect(validateManifests([{ apiVersion: 'v1', kind: 'Secrett', metadata: { name: 'x', namespace: 'a' } }])).toEqual([
      'Secrett a/x: kind: unknown kind Secrett (not a Kubernetes 1.28 kind or a vendored CRD)',
    ]);
  });

  test('a known kind under the wrong apiVersion', () => {
    expect(validateManifests([{ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'x', namespace: 'a' } }])).toEqual([
      'Deployment a/x: apiVersion: unknown apiVersion extensions/v1beta1 for kind Deployment (known: apps/v1)',
    ]);
  });

  test('an apiVersion that is not served (ExternalSecret external-secrets.io/v1beta1)', () => {
    const problems = validateManifests([{
      apiVersion: 'external-secrets.io/v1beta1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: 'apps' },
      spec: { secretStoreRef: { name: 'vault' } },
    }]);
    expect(problems).toEqual(['ExternalSecret apps/db: apiVersion: apiVersion external-secrets.io/v1beta1 is not served for ExternalSecret (use external-secrets.io/v1)']);
  });

  test('a CronWorkflow with the singular schedule (removed in v4)', () => {
    expect(validateManifests([cronWorkflow({ schedule: '0 2 * * *' })])).toEqual([
      'CronWorkflow workflows/nightly: spec.schedules: missing required field',
      'CronWorkflow workflows/nightly: spec.schedule: unknown field',
    ]);
    expect(validateManifests([cronWorkflow({ schedules: ['0 2 * * *'] })])).toEqual([]);
    expect(validateManifests([cronWorkflow({ schedules: [] })])).toEqual([
      'CronWorkflow workflows/nightly: spec.schedules: needs at least 1 item(s), has 0',
    ]);
  });

  test('enum, pattern, maxLength and minimum violations in CRD objects', () => {
    const problems = validateManifests([
      cronWorkflow({ schedules: ['0 2 * * *'], concurrencyPolicy: 'Sometimes', startingDeadlineSeconds: -1 }),
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'db', namespace: 'apps' },
        spec: { secretStoreRef: { name: 'vault' }, data: [{ secretKey: 'bad key!', remoteRef: { key: 'db' } }] },
      },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p', namespace: 'argocd' }, spec: { description: 'x'.repeat(256) } },
    ]);
    expect(problems).toEqual([
      'CronWorkflow workflows/nightly: spec.concurrencyPolicy: "Sometimes" is not one of "Allow", "Forbid", "Replace"',
      'CronWorkflow workflows/nightly: spec.startingDeadlineSeconds: -1 is below the minimum 0',
      'ExternalSecret apps/db: spec.data[0].secretKey: "bad key!" does not match pattern ^[-._a-zA-Z0-9]+$',
      'AppProject argocd/p: spec.description: longer than maxLength 255 (256)',
    ]);
  });

  test('CRD metadata is checked as ObjectMeta, and labels as labels', () => {
    const problems = validateManifests([{
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'p', namespace: 'argocd', labelz: {}, labels: { 'app.kubernetes.io/name': 'has space' } },
      spec: {},
    }]);
    expect(problems).toEqual([
      'AppProject argocd/p: metadata.labelz: unknown field',
      'AppProject argocd/p: metadata.labels["app.kubernetes.io/name"]: invalid label value "has space": at most 63 alphanumerics, -, _ or . (alphanumeric at both ends)',
    ]);
  });

  test('a bad quantity, an int-or-string of the wrong type, base64 and null', () => {
    const m = deployment({ resources: { limits: { memory: '256 MB' } }, livenessProbe: { tcpSocket: { port: true } }, workingDir: null });
    m.spec.template.spec.volumes = [];
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'argocd' }, data: { key: 'not base64!' } };
    expect(validateManifests([m, secret])).toEqual([
      'Deployment argocd/argocd-server: spec.template.spec.containers[0].resources.limits.memory: "256 MB" is not a quantity (e.g. 100m, 128Mi)',
      'Deployment argocd/argocd-server: spec.template.spec.containers[0].livenessProbe.tcpSocket.port: expected string or integer, got boolean',
      'Deployment argocd/argocd-server: spec.template.spec.containers[0].workingDir: must not be null',
      'Secret argocd/s: data.key: not valid base64 (format byte)',
    ]);
  });

  test('bad names and namespaces, and duplicate list-map keys; cluster-scoped objects are named without namespace', () => {
    const m = deployment({ ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }, { containerPort: 80, protocol: 'TCP' }] });
    m.metadata.name = 'Argocd_Server';
    const problems = validateManifests([
      m,
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:r', namespace: 'argocd' }, rulez: [] },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'Argo CD' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'argocd' } },
    ]);
    expect(problems).toEqual([
      'Deployment argocd/Argocd_Server: spec.template.spec.containers[0].ports[2]: duplicate of item [0] (same containerPort, protocol)',
      'Deployment argocd/Argocd_Server: metadata.name: "Argocd_Server" is not a DNS-1123 subdomain (lowercase alphanumerics, \'-\' and \'.\', at most 253)',
      'ClusterRole system:r: rulez: unknown field',
      'ServiceAccount Argo CD/sa: metadata.namespace: "Argo CD" is not a DNS-1123 label',
      'ConfigMap argocd/<no name>: metadata.name: missing (set name or generateName)',
    ]);
  });

  test('x-kubernetes-validations rules (a subset of CEL) of the pinned CRDs', () => {
    const workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'build', namespace: 'ci' },
      spec: {
        entrypoint: 'main',
        templates: [
          { name: 'main', container: { image: 'busybox' }, script: { image: 'busybox', source: 'true' } },
          { name: 'flow', dag: { tasks: [{ name: 'a', template: 'main', depends: 'b', dependencies: ['b'] }, { name: 'b', template: 'main' }] } },
        ],
      },
    };
    expect(validateManifests([workflow])).toEqual([
      'Workflow ci/build: spec.templates[1].dag.tasks[0]: cannot use both \'depends\' and \'dependencies\'',
      'Workflow ci/build: spec.templates: template must have at most one template type',
    ]);
  });

  test('expectValid throws one error listing every problem', () => {
    const chart = testChart();
    new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dataa: { a: 'b' } } as any);
    expect(() => expectValid(synth(chart))).toThrow(/1 invalid field\(s\)[\s\S]*ConfigMap c: dataa: unknown field/);
  });
});
