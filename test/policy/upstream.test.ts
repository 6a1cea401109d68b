// The packs over upstream's own installs (vendored in imports/ with provenance) find what those
// installs ship without: requests and limits, a default deny, digests, and (Argo CD) a disabled
// admin account and a closed server policy; (Argo Workflows) seccomp and template referencing.
// Their tokens are mounted only in pods that call the API server, which the rule recognises.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { PolicyCheck } from '../../src';

function load(file: string): object[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(__dirname, '..', '..', 'imports', file), 'utf8'))
    .map((d) => d.toJSON()).filter((d) => d !== null);
}

function rules(objects: object[]): string[] {
  const check = PolicyCheck.ofManifests(objects);
  return [...new Set([...check.errors, ...check.warnings].map((f) => f.ruleId))].sort();
}

test('Argo CD v3.5.1 namespace-install.yaml', () => {
  expect(rules(load('argo-cd/upstream/namespace-install.yaml'))).toEqual([
    'ARGOCD-ADMIN-ENABLED', 'IMG-DIGEST', 'NET-ALLOW-ALL', 'NET-DEFAULT-DENY', 'POD-RESOURCES',
  ]);
});

test('Argo Workflows v4.1.2 namespace-install-no-crds.yaml', () => {
  expect(rules(load('argo-workflows/upstream/namespace-install-no-crds.yaml'))).toEqual([
    'IMG-DIGEST', 'NET-DEFAULT-DENY', 'POD-RESOURCES', 'POD-SECCOMP', 'RBAC-POD-EXEC', 'WF-TEMPLATE-REFERENCING',
  ]);
});
