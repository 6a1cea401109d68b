// The posture report: deterministic, and the platform example's report in docs/ is current.
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { PostureReport } from '../../src';

const COMMITTED = path.join(__dirname, '..', '..', 'docs', 'posture', 'platform.md');

function platformReport(): string {
  const app = Testing.app();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../examples/platform').build(app);
  return PostureReport.fromApp(app, { title: 'Security posture of examples/platform.ts' }).render();
}

describe('PostureReport of the platform example', () => {
  const report = platformReport();

  test('is deterministic', () => {
    expect(platformReport()).toBe(report);
  });

  test('docs/posture/platform.md is current (the build regenerates it; commit the result)', () => {
    const committed = fs.existsSync(COMMITTED) ? fs.readFileSync(COMMITTED, 'utf8') : undefined;
    if (committed !== report) {
      fs.mkdirSync(path.dirname(COMMITTED), { recursive: true });
      fs.writeFileSync(COMMITTED, report);
    }
    // Fails once when the report was stale: the file now holds the new report to review and commit.
    expect(committed).toBe(report);
  });

  test('shows the Argo CD matrix, the Workflows roles, RBAC, network paths, secrets and suppressions', () => {
    expect(report).toContain('| ops-team | yes | yes | yes | yes | yes | yes | yes | no |');
    expect(report).toContain('| argo/argo-sso-admin | `\'admin-team\' in groups` | 30 |');
    expect(report).toMatch(/\| ServiceAccount argo\/argo \| cluster-wide \| ClusterRole argo-workflow-controller-argo \|/);
    expect(report).toContain('| argocd/app.kubernetes.io/name=argocd-server | argocd/app.kubernetes.io/name=argocd-repo-server | 8081/TCP |');
    expect(report).toContain('| argocd/repo-gitops-config | SealedSecret (strict scope) |');
    expect(report).toContain('| RBAC-POD-EXEC | Role batch/argo-workflow-controller |');
    expect(report).toContain('```mermaid');
  });
});

describe('PostureReport of plain manifests', () => {
  test('lists open findings, unisolated namespaces, existing secrets and who reads them', () => {
    const report = PostureReport.fromManifests([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'shop' },
        spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }] }] },
      },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['db'] }] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'b', namespace: 'shop' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
        subjects: [{ kind: 'ServiceAccount', name: 'app' }],
      },
    ]).render();
    expect(report).toContain('| shop | 0 | **no** | **no** |');
    expect(report).toContain('| shop/db | existing (not created by these manifests) | Pod p | ServiceAccount shop/app |');
    expect(report).toContain('| POD-PRIVILEGE-ESCALATION | error | Pod shop/p |');
    expect(report).toContain('No single `argocd-rbac-cm` in the manifests.');
  });
});
