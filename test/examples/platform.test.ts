import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { ArgoCdRbac, SecureArgoCD } from '../../src';
import { ARGOCD_API_CLIENTS, exampleTest } from '../support/examples';
import { digestAccepted, literalSecretViolations, restrictedViolations } from '../support/pod-security';
import { findObject, Manifest, synthApp } from '../support/synth';
import { validateManifests } from '../support/validate';

// The compliance checks, the rotation steps, the Argo CD components, the workflow-controller and
// argo-server call the API server, so their pods mount a token.
const API_CLIENTS = [...ARGOCD_API_CLIENTS, 'compliance-check', 'secret-rotation', 'workflow-controller', 'argo-server'];
exampleTest('platform', { apiClients: API_CLIENTS });

describe('example platform, as a whole', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../examples/platform').build(app);
  const charts = synthApp(app);
  const all: Manifest[] = Object.values(charts).flat();
  const argoCd = app.node.findAll().find((c): c is SecureArgoCD => c instanceof SecureArgoCD)!;
  const rbac = ArgoCdRbac.of(argoCd);

  test('has one chart per area, each prefixed platform-', () => {
    expect(Object.keys(charts).sort()).toEqual([
      'platform-argocd', 'platform-argocd-crds', 'platform-development', 'platform-operations', 'platform-production',
      'platform-workflows', 'platform-workflows-batch', 'platform-workflows-ci', 'platform-workflows-crds',
    ]);
  });

  test('zero strict validation errors', () => {
    expect(validateManifests(all)).toEqual([]);
  });

  test('every pod template meets the restricted profile, with a token only where the API is called', () => {
    expect(restrictedViolations(all, { apiClients: API_CLIENTS })).toEqual([]);
  });

  test('no Secret carries data: secrets are SealedSecrets or ExternalSecrets', () => {
    expect(literalSecretViolations(all)).toEqual([]);
    const secrets = all.filter((m) => m.kind === 'Secret');
    // Written: the service account token Secrets Kubernetes fills in, Argo CD's own empty
    // argocd-secret (argocd-server adds its signing key) and the in-cluster cluster Secret
    // (namespaces only, no credential).
    expect(secrets.filter((s) => s.type !== 'kubernetes.io/service-account-token').map((s) => s.metadata.name).sort())
      .toEqual(['argocd-cluster-in-cluster', 'argocd-secret']);
    expect(findObject(all, 'Secret', 'argocd-secret').data).toBeUndefined();
    expect(all.filter((m) => m.kind === 'SealedSecret').map((m) => m.metadata.name)).toEqual(['repo-gitops-config']);
    expect(all.filter((m) => m.kind === 'ExternalSecret').map((m) => `${m.metadata.namespace}/${m.metadata.name}`).sort()).toEqual([
      'argo/argo-postgres', 'argo/argo-workflows-sso', 'argocd/argocd-notifications-secret', 'argocd/argocd-oidc-keycloak',
      'argocd/repo-helm-charts', 'ops/compliance-webhook', 'production/web-cookie', 'production/web-db',
    ]);
  });

  test('no image is unpinned or :latest; only the objects that accept IMG-DIGEST name a tag without a digest', () => {
    // CRD schemas are upstream text that mentions ':latest' in descriptions
    const manifests = all.filter((m) => m.kind !== 'CustomResourceDefinition');
    expect(YAML.stringify(manifests)).not.toMatch(/:latest\b/);
    const images = manifests.flatMap((m) => [...YAML.stringify(m).matchAll(/\bimage: (\S+)/g)].map(([, image]) => ({ image, tagOnly: digestAccepted(m) })));
    expect(images.length).toBeGreaterThan(0);
    for (const { image, tagOnly } of images) expect(image).toMatch(tagOnly ? /^[^@]+:v?\d[\w.-]*(@sha256:[a-f0-9]{64})?$/ : /@sha256:[a-f0-9]{64}$/);
    // the Argo CD images are all pinned by digest; the Argo Workflows ones by tag until digests are added
    expect(images.filter((i) => !i.image.includes('@')).map((i) => i.image).sort())
      .toEqual(['quay.io/argoproj/argocli:v4.1.2', 'quay.io/argoproj/workflow-controller:v4.1.2']);
  });

  test('the vault plugin sidecar runs in the emitted repo-server, hardened, with only a short-lived token', () => {
    const pod = findObject(all, 'Deployment', 'argocd-repo-server').spec.template;
    expect(pod.metadata.annotations['kubectl.kubernetes.io/default-container']).toBe('argocd-repo-server');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    const sidecar = pod.spec.containers.find((c: any) => c.name === 'avp');
    expect(sidecar.securityContext).toMatchObject({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(sidecar.resources.limits).toBeDefined();
    const token = pod.spec.volumes.find((v: any) => v.projected);
    expect(token.projected.sources[0].serviceAccountToken).toEqual({ path: 'token', expirationSeconds: 3600, audience: 'vault' });
    expect(fs.existsSync(path.join(outdir, 'kustomize'))).toBe(false);
  });

  test('writes the audit policy next to the charts; the Workflows flags are in the Deployments, no patch', () => {
    const policy = YAML.parse(fs.readFileSync(path.join(outdir, 'apiserver', 'platform-audit-policy.yaml'), 'utf8'));
    expect(policy).toMatchObject({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'] });
    expect(fs.existsSync(path.join(outdir, 'kustomize', 'platform-workflows-deployments.patch.yaml'))).toBe(false);
    const server = charts['platform-workflows'].find((m) => m.kind === 'Deployment' && m.metadata.name === 'argo-server')!;
    expect(server.spec.template.spec.containers[0].args).toEqual(['server', '--secure=true', '--auth-mode=sso', '--auth-mode=client', '--tls-certificate-secret-name=argo-server-tls']);
  });

  describe('Argo CD RBAC', () => {
    test('dev-team deploys development, but cannot sync or change production', () => {
      expect(rbac.can('dana', 'applications', 'sync', 'development/web-dev', ['dev-team'])).toBe(true);
      expect(rbac.can('dana', 'applications', 'get', 'production/web', ['dev-team'])).toBe(true);
      expect(rbac.can('dana', 'applications', 'sync', 'production/web', ['dev-team'])).toBe(false);
      expect(rbac.can('dana', 'applications', 'update', 'production/web', ['dev-team'])).toBe(false);
      expect(rbac.can('dana', 'logs', 'get', 'production/web', ['dev-team'])).toBe(false);
    });

    test('ops-team manages production, but has no exec and no Argo CD settings', () => {
      expect(rbac.can('otto', 'applications', 'sync', 'production/web', ['ops-team'])).toBe(true);
      expect(rbac.can('otto', 'applications', 'update/apps/Deployment/production/web', 'production/web', ['ops-team'])).toBe(true);
      expect(rbac.can('otto', 'exec', 'create', 'production/web', ['ops-team'])).toBe(false);
      expect(rbac.can('otto', 'applications', 'sync', 'development/web-dev', ['ops-team'])).toBe(false);
      expect(rbac.can('otto', 'projects', 'update', 'production', ['ops-team'])).toBe(false);
    });

    test('prod-dev-team syncs production but cannot delete or override', () => {
      expect(rbac.can('pia', 'applications', 'sync', 'production/api', ['prod-dev-team'])).toBe(true);
      expect(rbac.can('pia', 'applications', 'delete', 'production/api', ['prod-dev-team'])).toBe(false);
      expect(rbac.can('pia', 'applications', 'override', 'production/api', ['prod-dev-team'])).toBe(false);
    });

    test('viewers read, admins do everything, anyone else nothing', () => {
      expect(rbac.can('vic', 'applications', 'get', 'production/web', ['viewer-team'])).toBe(true);
      expect(rbac.can('vic', 'applications', 'sync', 'development/web-dev', ['viewer-team'])).toBe(false);
      expect(rbac.can('ada', 'clusters', 'update', 'https://kubernetes.default.svc', ['admin-team'])).toBe(true);
      expect(rbac.can('eve', 'applications', 'get', 'production/web', ['contractors'])).toBe(false);
      expect(rbac.can('eve', 'applications', 'get', 'development/web-dev')).toBe(false);
    });

    test('a project token cannot leave its project', () => {
      expect(rbac.can('proj:development:developer', 'applications', 'sync', 'development/web-dev')).toBe(true);
      expect(rbac.can('proj:development:developer', 'applications', 'sync', 'production/web')).toBe(false);
    });
  });
});
