// Hostile input through the public string props of SecretKeyRef, SealedOrExternalSecret,
// SecretStore and SecretStoreProvider, and ESO's find.nameRegexp: each value is refused (construct
// path, property, fix) or reaches the synthesized objects meaning exactly what was asked, as
// kubectl's go-yaml (YAML 1.1), Kubernetes validation and Go's net/url and regexp read it.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  expectUsefulRefusal, freshChart, goReadsHttpsUrlAsWritten, hostileText, hostileUrl, readAsGoYaml, RUNS, synthProblems,
} from './readers';
import {
  ExternalDataFrom, SealedOrExternalSecret, SealedValue, SecretKeyRef, SecretSource, SecretStore, SecretStoreProvider,
  SecretStoreRef,
} from '../../src/secrets';

/** A ciphertext with kubeseal's shape: a 2-byte RSA length, the RSA part and the AES part. */
function fakeSealed(): string {
  const header = Buffer.alloc(2);
  header.writeUInt16BE(256);
  return Buffer.concat([header, Buffer.alloc(256 + 32, 7)]).toString('base64');
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

interface Field {
  readonly property: string;
  /** The construct that reports the problem, below the chart. */
  readonly owner: string;
  readonly build: (chart: Chart, value: string) => void;
  /** Where the value lands in the synthesized objects. */
  readonly read: (docs: any[]) => unknown;
  /** What the reader additionally requires of an accepted value (Kubernetes or Go rules). */
  readonly valid?: (value: string) => boolean;
}

const find = (docs: any[], kind: string) => docs.find((d) => d?.kind === kind);
const sealed = (chart: Chart, extra: object) => new SealedOrExternalSecret(chart, 'Owner', {
  namespace: 'apps', source: SecretSource.sealed({ values: { secretValue: SealedValue.preSealed(fakeSealed()) } }), ...extra,
});
const store = (chart: Chart, provider: () => SecretStoreProvider) => new SecretStore(chart, 'Owner', { namespace: 'eso', name: 'store', provider: provider() });
const vault = (extra: object) => () => SecretStoreProvider.vault({ server: 'https://vault.example.com', path: 'secret', role: 'eso', ...extra });
const gcp = (extra: object) => () => SecretStoreProvider.gcpSecretManager({ projectId: 'my-project', gcpServiceAccount: 'eso-reader@my-project.iam.gserviceaccount.com', ...extra });
const azure = (extra: object) => () => SecretStoreProvider.azureKeyVault({ vaultUrl: 'https://kv.vault.azure.net', clientId: '00000000-0000-4000-8000-000000000001', tenantId: '00000000-0000-4000-8000-000000000002', ...extra });
const aws = (extra: object) => () => SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/eso', ...extra });
const bindRef = (chart: Chart, ref: () => SecretKeyRef) => SecretKeyRef._require(new Construct(chart, 'Owner'), 'ref', ref());
const provider = (docs: any[]) => find(docs, 'SecretStore').spec.provider;
const saAnnotations = (docs: any[]) => find(docs, 'ServiceAccount').metadata.annotations;

const FIELDS: Field[] = [
  { property: 'ref.secretName', owner: 'Owner', build: (c, v) => bindRef(c, () => SecretKeyRef.fromExistingSecret(v, 'k')), read: () => undefined, valid: (v) => DNS_SUBDOMAIN.test(v) && v.length <= 253 },
  { property: 'ref.key', owner: 'Owner', build: (c, v) => bindRef(c, () => SecretKeyRef.fromExistingSecret('s', v)), read: () => undefined, valid: (v) => SECRET_KEY.test(v) && v.length <= 253 },
  { property: 'ref.namespace', owner: 'Owner', build: (c, v) => bindRef(c, () => SecretKeyRef.fromExistingSecret('s', 'k', { namespace: v })), read: () => undefined, valid: (v) => DNS_LABEL.test(v) && v.length <= 63 },

  { property: 'publicData', owner: 'Owner', build: (c, v) => sealed(c, { publicData: { url: v } }), read: (d) => find(d, 'SealedSecret').spec.template.data.url },
  { property: 'publicData', owner: 'Owner', build: (c, v) => sealed(c, { publicData: { [v]: 'x' } }), read: (d) => Object.keys(find(d, 'SealedSecret').spec.template.data).filter((k) => k !== 'secretValue')[0], valid: (v) => SECRET_KEY.test(v) },
  { property: "annotations['example.com/note']", owner: 'Owner', build: (c, v) => sealed(c, { annotations: { 'example.com/note': v } }), read: (d) => find(d, 'SealedSecret').spec.template.metadata.annotations['example.com/note'] },
  { property: 'type', owner: 'Owner', build: (c, v) => sealed(c, { type: v }), read: (d) => find(d, 'SealedSecret').spec.template.type },

  { property: 'provider.server', owner: 'Owner', build: (c, v) => store(c, vault({ server: v })), read: (d) => provider(d).vault.server, valid: goReadsHttpsUrlAsWritten },
  { property: 'provider.path', owner: 'Owner', build: (c, v) => store(c, vault({ path: v })), read: (d) => provider(d).vault.path },
  { property: 'provider.role', owner: 'Owner', build: (c, v) => store(c, vault({ role: v })), read: (d) => provider(d).vault.auth.kubernetes.role },
  { property: 'provider.authMountPath', owner: 'Owner', build: (c, v) => store(c, vault({ authMountPath: v })), read: (d) => provider(d).vault.auth.kubernetes.mountPath },
  { property: 'provider.region', owner: 'Owner', build: (c, v) => store(c, aws({ region: v })), read: (d) => provider(d).aws.region },
  { property: 'provider.roleArn', owner: 'Owner', build: (c, v) => store(c, aws({ roleArn: v })), read: (d) => saAnnotations(d)['eks.amazonaws.com/role-arn'] },
  { property: 'provider.projectId', owner: 'Owner', build: (c, v) => store(c, gcp({ projectId: v })), read: (d) => provider(d).gcpsm.projectId },
  { property: 'provider.gcpServiceAccount', owner: 'Owner', build: (c, v) => store(c, gcp({ gcpServiceAccount: v })), read: (d) => saAnnotations(d)['iam.gke.io/gcp-service-account'] },
  { property: 'provider.clusterLocation', owner: 'Owner', build: (c, v) => store(c, gcp({ clusterLocation: v })), read: (d) => provider(d).gcpsm.auth.workloadIdentity.clusterLocation },
  { property: 'provider.clusterName', owner: 'Owner', build: (c, v) => store(c, gcp({ clusterName: v })), read: (d) => provider(d).gcpsm.auth.workloadIdentity.clusterName },
  { property: 'provider.clusterProjectId', owner: 'Owner', build: (c, v) => store(c, gcp({ clusterProjectId: v })), read: (d) => provider(d).gcpsm.auth.workloadIdentity.clusterProjectId },
  { property: 'provider.vaultUrl', owner: 'Owner', build: (c, v) => store(c, azure({ vaultUrl: v })), read: (d) => provider(d).azurekv.vaultUrl, valid: goReadsHttpsUrlAsWritten },
  { property: 'provider.clientId', owner: 'Owner', build: (c, v) => store(c, azure({ clientId: v })), read: (d) => saAnnotations(d)['azure.workload.identity/client-id'] },
  { property: 'provider.tenantId', owner: 'Owner', build: (c, v) => store(c, azure({ tenantId: v })), read: (d) => saAnnotations(d)['azure.workload.identity/tenant-id'] },
];

/** Refused with a useful message, or read by kubectl and the controllers exactly as given. */
function refusedOrExact(field: Field, value: string): void {
  const chart = freshChart();
  let text = '';
  const problems = synthProblems(chart.node.scope as any, () => {
    field.build(chart, value);
    text = (chart.node.scope as any).synthYaml();
  });
  if (problems.length > 0) {
    expectUsefulRefusal(problems, `test/${field.owner}`, field.property);
    return;
  }
  if (field.valid) expect(field.valid(value)).toBe(true);
  const docs = text.split(/^---$/m).map((d) => readAsGoYaml(d));
  if (docs.some((d) => d === undefined)) throw new Error(`go-yaml refuses the output written for ${JSON.stringify(value)}:\n${text}`);
  const landed = field.read(docs);
  if (landed !== undefined) expect(landed).toEqual(value);
}

describe.each(FIELDS.map((f, i) => [`${f.property} (${i})`, f] as const))('%s: hostile values are refused or land exactly', (_name, field) => {
  const values = field.valid === goReadsHttpsUrlAsWritten ? hostileUrl : hostileText;
  test('property', () => {
    fc.assert(fc.property(values, (v) => refusedOrExact(field, v)), RUNS);
  });
});

describe('known hostile values, each refused or exact', () => {
  test.each([
    ['ref.namespace', ''],
    ['ref.namespace', 'Apps'],
    ['publicData', '0o17'],
    ['provider.clusterName', '0o17'],
    ['provider.clusterLocation', 'europe-west1\u2028'],
  ])('%s = %j', (property, value) => {
    refusedOrExact(FIELDS.find((f) => f.property === property)!, value);
  });
});

describe('ESO find.nameRegexp is read by Go regexp (RE2)', () => {
  const bound = (nameRegexp: string, extra: object = {}) => synthProblems((freshChart() as any).node.scope, () => undefined) && (() => {
    const chart = freshChart();
    return synthProblems(chart.node.scope as any, () => new SealedOrExternalSecret(chart, 'Owner', {
      namespace: 'apps',
      source: SecretSource.external({ store: SecretStoreRef.existing('vault'), dataFrom: [ExternalDataFrom.find({ nameRegexp, ...extra })], expectedKeys: ['a'] }),
    }));
  })();
  test.each(['(?=argocd)x', 'a(?!b)', '(?<=a)b', '(a)\\1', '(?<name>a)\\k<name>', 'a++'])('%j, which RE2 cannot compile, is refused', (re) => {
    expectUsefulRefusal(bound(re), 'test/Owner', 'source.dataFrom[0].nameRegexp');
  });
  test.each(['.*', '^.*$', '[\\s\\S]*', '.+', '(.*)', '^(?s:.*)$', '.*|argocd'])('%j matches every name and is refused without an opt-in', (re) => {
    expectUsefulRefusal(bound(re), 'test/Owner', 'source.dataFrom[0].nameRegexp');
  });
  test('"matches every name" is accepted with the opt-in and its reason', () => {
    expect(bound('.*', { allowMatchEverything: { reason: 'this store holds only Argo CD secrets' } })).toEqual([]);
  });
  test.each(['^argocd/.*', 'repo-[a-z]+$', '^(?i)team-a/'])('%j is accepted', (re) => {
    expect(bound(re)).toEqual([]);
  });
});
