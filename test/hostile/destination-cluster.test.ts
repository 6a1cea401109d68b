// Hostile input through ArgoCdDestinationCluster and ClusterCredentials: each value is refused
// (construct path, property, fix) or reaches the cluster Secret meaning exactly what was asked,
// as Argo CD reads it (go-yaml, then encoding/json of `config`).
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { expectUsefulRefusal, hostileText, hostileUrl, readAsGoYaml, RUNS, synthProblems } from './readers';
import { ArgoCdDestinationCluster, ClusterCredentials, ProjectWithRoles } from '../../src';

const CA = `-----BEGIN CERTIFICATE-----
MIIBdzCCAR2gAwIBAgIUJ0tT8Q3mJ9kY0vY2w8u6cQ2Z5ZQwCgYIKoZIzj0EAwIw
-----END CERTIFICATE-----`;
const EKS = { clusterName: 'prod', roleArn: 'arn:aws:iam::123456789012:role/argocd', caCertificate: CA };

interface Field {
  readonly property: string;
  readonly props: (v: string) => { server?: string; clusterName?: string; credentials?: ClusterCredentials };
  /** Where Argo CD finds the value: the Secret's stringData parsed as go-yaml, `config` as JSON. */
  readonly read: (data: any, config: any, docs: any[]) => unknown;
}

const FIELDS: Field[] = [
  { property: 'server', props: (v) => ({ server: v }), read: (d) => d.server },
  { property: 'clusterName', props: (v) => ({ clusterName: v }), read: (d) => d.name },
  { property: 'credentials.clusterName', props: (v) => ({ credentials: ClusterCredentials.eksIam({ ...EKS, clusterName: v }) }), read: (_, c) => c.awsAuthConfig.clusterName },
  { property: 'credentials.roleArn', props: (v) => ({ credentials: ClusterCredentials.eksIam({ ...EKS, roleArn: v }) }), read: (_, c) => c.awsAuthConfig.roleARN },
  // Lands on the service accounts of the install (not in this app): refused unless an IAM role ARN.
  { property: 'credentials.irsaRoleArn', props: (v) => ({ credentials: ClusterCredentials.eksIam({ ...EKS, irsaRoleArn: v }) }), read: () => undefined },
  {
    property: 'credentials.username',
    props: (v) => ({ credentials: ClusterCredentials.eksIam({ ...EKS, username: v }) }),
    read: (_, __, docs) => docs.find((d: any) => d?.kind === 'RoleBinding').subjects[0].name,
  },
  {
    property: 'credentials.serviceAccountEmail',
    props: (v) => ({ credentials: ClusterCredentials.gkeWorkloadIdentity({ serviceAccountEmail: v, caCertificate: CA }) }),
    read: () => undefined,
  },
  {
    property: 'credentials.clientId',
    props: (v) => ({ credentials: ClusterCredentials.aksWorkloadIdentity({ clientId: v, tenantId: '00000000-0000-4000-8000-000000000002', objectId: '00000000-0000-4000-8000-000000000003', caCertificate: CA }) }),
    read: (_, c) => c.execProviderConfig.env.AZURE_CLIENT_ID,
  },
  { property: 'credentials.caCertificate', props: (v) => ({ credentials: ClusterCredentials.eksIam({ ...EKS, caCertificate: v }) }), read: () => undefined },
];

describe.each(FIELDS)('$property', (field) => {
  test('refused with a fix, or read back exactly', () => {
    fc.assert(fc.property(field.property === 'server' ? hostileUrl : hostileText, (value) => {
      const app = Testing.app();
      const chart = new Chart(app, 'argocd');
      const problems = synthProblems(app, () => {
        const cluster = new ArgoCdDestinationCluster(chart, 'Prod', {
          remoteChart: new Chart(app, 'remote'),
          server: 'https://prod.example.com',
          clusterName: 'prod',
          credentials: ClusterCredentials.eksIam(EKS),
          ...field.props(value),
        });
        // The project names the cluster by the prop under test's other half, so only the cluster reports.
        const destination = field.property === 'server' ? { name: 'prod', namespace: 'web' } : cluster.destination('web');
        new ProjectWithRoles(chart, 'P', { name: 'p', sourceRepos: ['https://github.com/o/p.git'], destinations: [destination] });
      });
      if (problems.length > 0) {
        expectUsefulRefusal(problems, 'argocd/Prod', field.property);
        return;
      }
      const docs = YAMLDocs(app.synthYaml());
      const data = docs.find((d: any) => d?.kind === 'Secret' && d.metadata.namespace === 'argocd').stringData;
      const read = field.read(data, JSON.parse(data.config), docs);
      if (read !== undefined) expect(read).toBe(value);
    }), RUNS);
  });
});

/** Each YAML document of a multi-document stream, read as go-yaml reads it. */
function YAMLDocs(text: string): any[] {
  return text.split(/^---$/m).map((d) => readAsGoYaml(d)).filter((d) => d);
}
