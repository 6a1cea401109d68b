// Generates the typed bindings in src/imports/ from the pinned CRD sources in imports/, offline.
// Argo CD and Argo Workflows share the argoproj.io group, so each gets its own module, and
// cdk8s import writes one file per spec, so the CRDs of a module are joined first.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const MODULES = {
  argocd: [
    'argo-cd/appproject-crd.yaml',
    'argo-cd/application-crd.yaml',
    'argo-cd/applicationset-crd.yaml',
  ],
  workflows: [
    'argo-workflows/argoproj.io_workflows.yaml',
    'argo-workflows/argoproj.io_cronworkflows.yaml',
    'argo-workflows/argoproj.io_workflowtemplates.yaml',
    'argo-workflows/argoproj.io_clusterworkflowtemplates.yaml',
  ],
  sealedsecrets: ['sealed-secrets/bitnami.com_sealedsecrets.yaml'],
  externalsecrets: [
    'external-secrets/external-secrets.io_externalsecrets.yaml',
    'external-secrets/external-secrets.io_secretstores.yaml',
    'external-secrets/external-secrets.io_clustersecretstores.yaml',
  ],
  certmanager: [
    'cert-manager/cert-manager.io_certificates.yaml',
    'cert-manager/cert-manager.io_issuers.yaml',
    'cert-manager/cert-manager.io_clusterissuers.yaml',
  ],
};

const out = 'src/imports';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-imports-'));
fs.rmSync(out, { recursive: true, force: true });
for (const [module, files] of Object.entries(MODULES)) {
  const joined = path.join(work, `${module}.yaml`);
  fs.writeFileSync(joined, files.map((f) => fs.readFileSync(path.join('imports', f), 'utf8')).join('\n---\n'));
  execFileSync('npx', ['cdk8s', 'import', `${module}:=${joined}`, '--language', 'typescript',
    '--output', out, '--no-class-prefix', '--no-save', '--no-check-upgrade'], { stdio: 'inherit' });
}
fs.rmSync(work, { recursive: true, force: true });
