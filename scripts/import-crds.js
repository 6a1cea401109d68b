// Generates the typed bindings in src/imports/ from the pinned CRD sources in imports/, offline.
// Argo CD and Argo Workflows share the argoproj.io group, so each gets its own module, and
// cdk8s import writes one file per spec, so the CRDs of a module are joined first.
//
// Only the kinds the library emits are imported, and each CRD is trimmed first (in memory; the
// files in imports/ stay byte-for-byte upstream): versions that are not served and `status` go
// everywhere, plus the per-kind cuts below. Descriptions stay: they are the doc comments the
// library's code is written against. Each cut is listed, with its
// reason, in imports/SOURCES.md ("What the bindings keep"). The test suite validates output
// against the full upstream schemas in test/schemas/, never against these trimmed ones.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const YAML = require('yaml');

const MODULES = {
  argocd: {
    'argo-cd/appproject-crd.yaml': undefined,
    // `operation` asks the controller to run a sync now: imperative, never committed to Git.
    'argo-cd/application-crd.yaml': (schema) => omit(schema, ['operation']),
    'argo-cd/applicationset-crd.yaml': trimApplicationSet,
  },
  workflows: {
    'argo-workflows/argoproj.io_cronworkflows.yaml': undefined,
    'argo-workflows/argoproj.io_workflowtemplates.yaml': undefined,
  },
  sealedsecrets: {
    'sealed-secrets/bitnami.com_sealedsecrets.yaml': undefined,
  },
  externalsecrets: {
    'external-secrets/external-secrets.io_externalsecrets.yaml': undefined,
    // The providers SecretStoreProvider supports; add one here when the library supports it.
    'external-secrets/external-secrets.io_secretstores.yaml': (schema) => {
      const provider = schema.properties.spec.properties.provider;
      pick(provider, ['aws', 'azurekv', 'gcpsm', 'vault']);
    },
  },
  certmanager: {
    'cert-manager/cert-manager.io_certificates.yaml': undefined,
  },
  // Exposure emits HTTPRoute, TLSRoute and BackendTLSPolicy, all `v1` (the older versions are
  // served for compatibility only). Routes keep host, parent and backend matching: no filters
  // (redirects, header rewrites, mirrors) and no timeouts, which the library never sets.
  gateway: {
    'gateway-api/gateway.networking.k8s.io_httproutes.yaml': (schema) => {
      const rule = schema.properties.spec.properties.rules.items;
      omit(rule, ['filters', 'timeouts']);
      omit(rule.properties.backendRefs.items, ['filters']);
    },
    'gateway-api/gateway.networking.k8s.io_tlsroutes.yaml': undefined,
    'gateway-api/gateway.networking.k8s.io_backendtlspolicies.yaml': undefined,
  },
};

/** Modules that keep only some served versions (the ones the library emits). */
const VERSIONS = { gateway: ['v1'] };

// ApplicationSet: the spec fields and generators the library's ApplicationSet support is built
// on. Per-generator `template` overrides are cut: a template comes from `spec.template` alone,
// so no generator can change an Application's project.
function trimApplicationSet(schema) {
  const spec = schema.properties.spec;
  pick(spec, ['generators', 'goTemplate', 'goTemplateOptions', 'strategy', 'syncPolicy', 'template', 'templatePatch']);
  const generator = (g, kinds) => {
    pick(g, [...kinds, 'selector']);
    for (const kind of kinds.filter((k) => k !== 'matrix')) omit(g.properties[kind], ['template']);
  };
  const top = spec.properties.generators.items;
  generator(top, ['list', 'clusters', 'git', 'matrix']);
  const matrix = top.properties.matrix;
  omit(matrix, ['template']);
  generator(matrix.properties.generators.items, ['list', 'clusters', 'git']);
}

/** Keeps only the named properties of an object schema (and of its `required` list). */
function pick(schema, keep) {
  for (const name of keep) {
    if (!schema.properties[name]) throw new Error(`no property '${name}' to keep`);
  }
  omit(schema, Object.keys(schema.properties).filter((name) => !keep.includes(name)));
}

/** Removes the named properties of an object schema (and from its `required` list). */
function omit(schema, names) {
  for (const name of names) {
    if (!schema.properties[name]) throw new Error(`no property '${name}' to remove`);
    delete schema.properties[name];
  }
  if (schema.required) schema.required = schema.required.filter((name) => !names.includes(name));
  if (schema.required && schema.required.length === 0) delete schema.required;
  return schema;
}

function trimCrd(text, trim, versions) {
  const crd = YAML.parse(text);
  crd.spec.versions = crd.spec.versions.filter((v) => v.served && (!versions || versions.includes(v.name))).map((version) => {
    const schema = version.schema.openAPIV3Schema;
    if (schema.properties.status) omit(schema, ['status']);
    if (trim) trim(schema);
    return { ...version, schema: { openAPIV3Schema: schema } };
  });
  return YAML.stringify(crd);
}

const out = 'src/imports';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-imports-'));
fs.rmSync(out, { recursive: true, force: true });
for (const [module, files] of Object.entries(MODULES)) {
  const joined = path.join(work, `${module}.yaml`);
  const crds = Object.entries(files).map(([file, trim]) => trimCrd(fs.readFileSync(path.join('imports', file), 'utf8'), trim, VERSIONS[module]));
  fs.writeFileSync(joined, crds.join('\n---\n'));
  execFileSync('npx', ['cdk8s', 'import', `${module}:=${joined}`, '--language', 'typescript',
    '--output', out, '--no-class-prefix', '--no-save', '--no-check-upgrade'], { stdio: 'inherit' });
}
fs.rmSync(work, { recursive: true, force: true });
