// Copies the Kubernetes 1.28 definitions and the pinned CRD schemas from ../shared into
// schemas/ as compact JSON, so the strict validator in src/policy/private/schema.ts works in a
// fresh clone. Schema `description`s are stripped (they are most of the bytes); nothing else
// changes. Run from the project root: `node scripts/vendor-schemas.js`.
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const SHARED = path.resolve(__dirname, '..', '..', 'shared');
const OUT = path.resolve(__dirname, '..', 'schemas');

const CRDS = [
  'argo-cd/application-crd.yaml',
  'argo-cd/appproject-crd.yaml',
  'argo-cd/applicationset-crd.yaml',
  'argo-workflows/argoproj.io_workflows.yaml',
  'argo-workflows/argoproj.io_cronworkflows.yaml',
  'argo-workflows/argoproj.io_workflowtemplates.yaml',
  'argo-workflows/argoproj.io_clusterworkflowtemplates.yaml',
  'sealed-secrets/bitnami.com_sealedsecrets.yaml',
  'external-secrets/external-secrets.io_externalsecrets.yaml',
  'external-secrets/external-secrets.io_secretstores.yaml',
  'external-secrets/external-secrets.io_clustersecretstores.yaml',
  'external-secrets/external-secrets.io_clusterexternalsecrets.yaml',
  'cert-manager/cert-manager.io_certificates.yaml',
  'cert-manager/cert-manager.io_issuers.yaml',
  'cert-manager/cert-manager.io_clusterissuers.yaml',
  'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
  'gateway-api/gateway.networking.k8s.io_grpcroutes.yaml',
  'gateway-api/gateway.networking.k8s.io_tlsroutes.yaml',
  'gateway-api/gateway.networking.k8s.io_backendtlspolicies.yaml',
  'gateway-api/gateway.networking.k8s.io_referencegrants.yaml',
  'gateway-api/gateway.networking.k8s.io_gateways.yaml',
];

// Removes `description` from a schema and its subschemas. Walks the schema structure rather
// than every key, so a property *named* `description` (AppProject spec.description) and
// `default`/`example`/`enum` values are kept as they are.
function strip(schema) {
  if (Array.isArray(schema)) return schema.map(strip);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strip(sub)]));
    } else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(key)) {
      out[key] = typeof value === 'boolean' ? value : strip(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function write(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = JSON.stringify(data);
  fs.writeFileSync(file, text);
  return text.length;
}

let total = 0;
const definitions = JSON.parse(fs.readFileSync(path.join(SHARED, 'schemas/k8s-v1.28.0/_definitions.json'), 'utf8'));
total += write(path.join(OUT, 'k8s-v1.28.0.json'), { definitions: strip(definitions).definitions });

const index = [];
for (const source of CRDS) {
  const crd = YAML.parse(fs.readFileSync(path.join(SHARED, 'crds', source), 'utf8'), { maxAliasCount: -1 });
  const file = `${crd.metadata.name}.json`;
  const versions = crd.spec.versions.map((v) => ({ name: v.name, served: v.served, schema: { openAPIV3Schema: strip(v.schema.openAPIV3Schema) } }));
  total += write(path.join(OUT, 'crds', file), { group: crd.spec.group, names: { kind: crd.spec.names.kind }, scope: crd.spec.scope, versions });
  index.push({ file, group: crd.spec.group, kind: crd.spec.names.kind, scope: crd.spec.scope, versions: versions.map((v) => ({ name: v.name, served: v.served })) });
}
// A small index, so the validator parses only the CRD files a test actually uses.
total += write(path.join(OUT, 'crds', 'index.json'), index);
console.log(`wrote ${CRDS.length} CRDs and the k8s definitions to ${path.relative(process.cwd(), OUT)}: ${total} bytes`);
