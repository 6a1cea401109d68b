// Hostile input through ApplicationNamespace, ArgoCdGpgKeys (and GpgPublicKey), ArgoCdRepository,
// ArgoCdRepositoryCredentials and ArgoCdCluster: each value is refused (construct path, property,
// fix) or lands meaning exactly what was asked, as go-yaml reads the objects and Argo CD reads
// the repository and cluster Secrets' plain values (GitHub IDs with strconv.ParseInt, URLs with
// Go's net/url).
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { expectUsefulRefusal, goReadsHttpsUrlAsWritten, HOSTILE_PIECES, hostileText, hostileUrl, readGoYamlDocs, RUNS, synthProblems } from './readers';
import {
  ApplicationNamespace, ArgoCdCluster, ArgoCdGpgKeys, ArgoCdRepository, ArgoCdRepositoryCredentials, GpgPublicKey, RepositoryAuth,
  SecretSource, SecretStoreRef,
} from '../../src';

const STORE = SecretStoreRef.existingCluster('vault');
const external = (...keys: string[]) => SecretSource.external({ store: STORE, data: Object.fromEntries(keys.map((k) => [k, { key: 'argocd/repos', property: k }])) });
const ARMORED = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'gpg', 'release.asc'), 'utf8');
const hostileName = fc.oneof(hostileText, fc.constantFrom('team-a', 'kube-system', 'A', 'a'.repeat(64), '-x', 'a.b'));
const hostileRepoUrl = fc.oneof(hostileUrl, hostileText, fc.constantFrom('https://github.com/my-org/app.git', 'git@github.com:my-org/app.git', 'https://*/x', 'http://github.com/x'));

interface Field {
  readonly property: string;
  /** The construct that reports, below the chart `argocd`. */
  readonly owner: string;
  readonly values: fc.Arbitrary<string>;
  readonly build: (chart: Chart, v: string) => void;
  /** Where the value lands, in the objects as go-yaml reads them. */
  readonly read: (docs: any[]) => unknown;
  readonly valid?: (v: string) => boolean;
  /** The output field, as the output floor names it (`output <Kind> '<name>' <field>`). */
  readonly output?: string;
}

const find = (docs: any[], kind: string) => docs.find((d) => d.kind === kind);
const namespace = (chart: Chart, extra: object) => new ApplicationNamespace(chart, 'Owner', { name: 'team-a', ...extra });
const repo = (chart: Chart, extra: object) => new ArgoCdRepository(chart, 'Owner', {
  namespace: 'argocd', url: 'https://github.com/my-org/app.git', auth: RepositoryAuth.USERNAME_PASSWORD, source: external('username', 'password'), ...extra,
});
const creds = (chart: Chart, extra: object) => new ArgoCdRepositoryCredentials(chart, 'Owner', {
  namespace: 'argocd', url: 'https://github.com/my-org', auth: RepositoryAuth.USERNAME_PASSWORD, source: external('username', 'password'), ...extra,
});
const cluster = (chart: Chart, extra: object) => new ArgoCdCluster(chart, 'Owner', {
  namespace: 'argocd', server: 'https://prod.example.com', clusterName: 'prod', source: external('config'), ...extra,
});
/** The plain values of a repository or cluster Secret (the ExternalSecret's template data). */
const plain = (docs: any[]) => find(docs, 'ExternalSecret').spec.target.template.data;
const DNS_LABEL = (v: string) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) && v.length <= 63;
/** GitHub App and installation IDs: Go's strconv.ParseInt(v, 10, 64), where 0 means "not set". */
const hostileId = fc.oneof(hostileText, fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String), fc.constantFrom(
  '123456', '0', '007', '+5', '-1', '1e21', '1.0', '0x1F', '9223372036854775807', '9223372036854775808', '99999999999999999999', ' 1', '1 ', '\uff11',
));
/** Whether Argo CD reads the ID as the positive int64 it is written as. */
const GO_INT64_ID = (v: string) => /^[+-]?[0-9]+$/.test(v) && BigInt(v) > 0n && BigInt(v) < 2n ** 63n && String(BigInt(v)) === v;
const githubApp = (extra: object) => ({
  auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: '123456', githubAppInstallationId: '7890', ...extra,
});

const FIELDS: Field[] = [
  { property: 'name', owner: 'Owner', values: hostileName, build: (c, v) => namespace(c, { name: v }), read: (d) => find(d, 'Namespace').metadata.name, valid: DNS_LABEL },
  { property: 'dnsNamespace', owner: 'Owner', values: hostileName, build: (c, v) => namespace(c, { dnsNamespace: v }), read: () => undefined, valid: DNS_LABEL },
  { property: 'labels', owner: 'Owner', values: hostileName, build: (c, v) => namespace(c, { labels: { team: v } }), read: (d) => find(d, 'Namespace').metadata.labels.team },
  { property: 'labels', owner: 'Owner', values: hostileName, build: (c, v) => namespace(c, { labels: { [v]: 'a' } }), read: (d) => Object.keys(find(d, 'Namespace').metadata.labels).find((k) => find(d, 'Namespace').metadata.labels[k] === 'a') },
  { property: 'namespace', owner: 'Owner', values: hostileName, build: (c, v) => new ArgoCdGpgKeys(c, 'Owner', { namespace: v, keys: [GpgPublicKey.fromArmored(ARMORED)] }), read: (d) => find(d, 'ConfigMap').metadata.namespace, valid: DNS_LABEL },
  {
    property: 'keys[0]',
    owner: 'Owner',
    values: fc.tuple(fc.integer({ min: 0, max: ARMORED.length }), fc.constantFrom(...HOSTILE_PIECES.filter((p) => p.length < 10), '\nComment: x\n')).map(([at, piece]) => `${ARMORED.slice(0, at)}${piece}${ARMORED.slice(at)}`),
    build: (c, v) => new ArgoCdGpgKeys(c, 'Owner', { keys: [GpgPublicKey.fromArmored(v)] }),
    // Whatever was accepted, the keyring receives exactly the armored block that was checked.
    read: (d) => Object.values(find(d, 'ConfigMap').data)[0],
  },
  { property: 'url', owner: 'Owner', values: hostileRepoUrl, build: (c, v) => repo(c, { url: v }), read: (d) => plain(d).url },
  { property: 'displayName', owner: 'Owner', values: hostileText, build: (c, v) => repo(c, { displayName: v }), read: (d) => plain(d).name, output: "spec.target.template.data['name']" },
  { property: 'project', owner: 'Owner', values: hostileName, build: (c, v) => repo(c, { project: v }), read: (d) => plain(d).project },
  { property: 'secretName', owner: 'Owner', values: hostileName, build: (c, v) => repo(c, { secretName: v }), read: (d) => find(d, 'ExternalSecret').spec.target.name },
  { property: 'url', owner: 'Owner', values: hostileRepoUrl, build: (c, v) => creds(c, { url: v }), read: (d) => plain(d).url },
  { property: 'type', owner: 'Owner', values: fc.oneof(hostileText, fc.constantFrom('git', 'helm', 'Git')), build: (c, v) => repo(c, { type: v }), read: (d) => plain(d).type, valid: (v) => v === 'git' || v === 'helm' },
  { property: 'auth', owner: 'Owner', values: fc.oneof(hostileText, fc.constantFrom('username-password', 'USERNAME_PASSWORD')), build: (c, v) => repo(c, { auth: v }), read: () => undefined, valid: (v) => v === 'username-password' },
  { property: 'namespace', owner: 'Owner', values: hostileName, build: (c, v) => repo(c, { namespace: v }), read: (d) => find(d, 'ExternalSecret').metadata.namespace, valid: DNS_LABEL },
  { property: 'namespace', owner: 'Owner', values: hostileName, build: (c, v) => creds(c, { namespace: v }), read: (d) => find(d, 'ExternalSecret').metadata.namespace, valid: DNS_LABEL },
  { property: 'secretName', owner: 'Owner', values: hostileName, build: (c, v) => creds(c, { secretName: v }), read: (d) => find(d, 'ExternalSecret').spec.target.name },
  { property: 'githubAppId', owner: 'Owner', values: hostileId, build: (c, v) => repo(c, githubApp({ githubAppId: v })), read: (d) => plain(d).githubAppID, valid: GO_INT64_ID },
  {
    property: 'githubAppInstallationId',
    owner: 'Owner',
    values: hostileId,
    build: (c, v) => repo(c, githubApp({ githubAppInstallationId: v })),
    read: (d) => plain(d).githubAppInstallationID,
    valid: GO_INT64_ID,
  },
  { property: 'githubAppId', owner: 'Owner', values: hostileId, build: (c, v) => creds(c, githubApp({ githubAppId: v })), read: (d) => plain(d).githubAppID, valid: GO_INT64_ID },
  {
    // Without an installation ID Argo CD takes the owner from the URL's path (ExtractOrgFromRepoURL): accepted only when it finds one.
    property: 'url',
    owner: 'Owner',
    values: fc.oneof(hostileRepoUrl, fc.constantFrom('https://github.com/my-org', 'https://github.com/my-org.git', 'https://github.com/', 'https://github.com/my-org/app/')),
    build: (c, v) => repo(c, githubApp({ url: v, githubAppInstallationId: undefined })),
    read: (d) => plain(d).url,
    valid: (v) => decodeURIComponent(new URL(v).pathname).replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').indexOf('/') > 0,
  },
  {
    property: 'githubAppEnterpriseBaseUrl',
    owner: 'Owner',
    values: fc.oneof(hostileUrl, hostileText, fc.constantFrom('https://github.example.com/api/v3', 'https://github.example.com/api/v3/', 'http://github.example.com/api/v3')),
    build: (c, v) => creds(c, githubApp({ githubAppEnterpriseBaseUrl: v })),
    read: (d) => plain(d).githubAppEnterpriseBaseUrl,
    valid: goReadsHttpsUrlAsWritten,
  },
  { property: 'server', owner: 'Owner', values: hostileUrl, build: (c, v) => cluster(c, { server: v }), read: (d) => plain(d).server },
  { property: 'clusterName', owner: 'Owner', values: hostileName, build: (c, v) => cluster(c, { clusterName: v }), read: (d) => plain(d).name },
  { property: 'project', owner: 'Owner', values: hostileName, build: (c, v) => cluster(c, { project: v }), read: (d) => plain(d).project },
  { property: 'namespace', owner: 'Owner', values: hostileName, build: (c, v) => cluster(c, { namespace: v }), read: (d) => find(d, 'ExternalSecret').metadata.namespace, valid: DNS_LABEL },
  { property: 'namespaces[0]', owner: 'Owner', values: hostileName, build: (c, v) => cluster(c, { namespaces: [v] }), read: (d) => plain(d).namespaces, valid: DNS_LABEL },
];

describe.each(FIELDS.map((f, i) => [`${f.property} #${i}`, f] as const))('%s', (_name, field) => {
  test('refused with a fix, or read back exactly', () => {
    fc.assert(fc.property(field.values, (value) => {
      const app = Testing.app();
      const chart = new Chart(app, 'argocd');
      let built: Construct | undefined;
      const problems = synthProblems(app, () => {
        field.build(chart, value);
        built = chart.node.tryFindChild(field.owner);
      });
      if (problems.length > 0) {
        const kindName = field.output && problems.find((p) => p.includes(' output '))?.match(/output (\w+ '[^']*') /)?.[1];
        expectUsefulRefusal(problems, `argocd/${field.owner}`, field.property, kindName ? `output ${kindName} ${field.output}` : undefined);
        return;
      }
      expect(built).toBeDefined();
      const docs = readGoYamlDocs(app.synthYaml());
      const landed = field.read(docs);
      if (field.property === 'keys[0]') {
        // The armored text reaches the keyring unchanged but for surrounding blank space.
        expect(String(landed).trim()).toBe(value.trim());
      } else if (landed !== undefined) {
        expect(landed).toEqual(value);
      }
      if (field.valid) expect([value, field.valid(value)]).toEqual([value, true]);
    }), RUNS);
  });
});

test.each(['https://github.com/a\u2028b', 'https://github.com/a\u0000b', 'ftp://x\u0001y', 'http://x\u009b', 'git@github.com:a\u007f'])(
  'a repository URL %j is refused without echoing its control characters', (url) => {
    const app = Testing.app();
    expectUsefulRefusal(synthProblems(app, () => repo(new Chart(app, 'argocd'), { url })), 'argocd/Owner', 'url');
  });
