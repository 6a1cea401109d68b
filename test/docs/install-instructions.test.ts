// SecureArgoCD always writes the Argo CD install: no user document may tell people to apply
// upstream's install.yaml, a Helm chart or a repo-server patch next to it (there is no
// config-only mode to make that work).
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('docs: the Argo CD install is always owned', () => {
  test.each(DOCS)('%s gives no upstream-install, Helm or patch instructions for Argo CD', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(text).not.toMatch(/kubectl (-n \S+ )?apply [^\n`]*install\.yaml/);
    expect(text).not.toMatch(/helm (install|upgrade)[^\n`]*argo-cd/);
    expect(text).not.toMatch(/renderRepoServerPatch|writeRepoServerPatch|repo-server\.patch|patch deployment argocd-repo-server/);
    expect(text).not.toMatch(/installed from the upstream manifests/);
  });

  test('docs/argocd-install.md says there is no config-only mode', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'argocd-install.md'), 'utf8')).toMatch(/There is no config-only mode/);
  });
});
