// Secrets that never appear in plain text in Git: sealed (Bitnami Sealed Secrets) and
// external (External Secrets Operator), and the references other constructs take.
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration } from 'cdk8s';
import {
  ExternalDataFrom, SealedOrExternalSecret, SealedValue, SealingCertificate, SecretSource, SecretStore,
  SecretStoreProvider, SecretStoreRef,
} from '../src';

const INPUTS = path.join(__dirname, 'secrets');

export function build(app: App): void {
  buildSealed(new Chart(app, 'secrets-sealed'));
  buildExternal(new Chart(app, 'secrets-external'));
}

function buildSealed(chart: Chart): void {
  // Values sealed beforehand with `kubeseal --raw --namespace argocd --name repo-example-org`.
  const preSealed = JSON.parse(fs.readFileSync(path.join(INPUTS, 'repo-example-org.sealed.json'), 'utf8'));
  const repository = new SealedOrExternalSecret(chart, 'RepoExampleOrg', {
    namespace: 'argocd',
    source: SecretSource.sealed({
      values: {
        username: SealedValue.preSealed(preSealed.username),
        password: SealedValue.preSealed(preSealed.password),
      },
    }),
    // A declarative Argo CD repository: the labels and the non-secret fields Argo CD reads.
    labels: { 'argocd.argoproj.io/secret-type': 'repository', 'app.kubernetes.io/part-of': 'argocd' },
    publicData: { type: 'git', url: 'https://github.com/example-org/deployments.git', project: 'default' },
  });

  // Sealed at synth from an environment variable; the committed lock file keeps the output
  // stable, and lets the synth run where the variable is not set (CI, a fresh clone).
  const database = new SealedOrExternalSecret(chart, 'AppDatabase', {
    namespace: 'apps',
    source: SecretSource.sealed({
      values: { password: SealedValue.fromEnv('EXAMPLE_APP_DB_PASSWORD') },
      certificate: SealingCertificate.fromFile(path.join(INPUTS, 'sealing-cert.pem')),
      lockFile: path.join(INPUTS, 'sealed-secrets.lock.json'),
    }),
    publicData: { username: 'app' },
  });

  // Other constructs take references, never values, e.g. a database password prop:
  // `passwordSecret: database.keyRef('password')`.
  database.keyRef('password');
  repository.keyRef('password');
}

function buildExternal(chart: Chart): void {
  // A namespaced Vault store with Kubernetes auth; its service account is the Vault identity.
  const vault = new SecretStore(chart, 'AppsVault', {
    namespace: 'apps',
    provider: SecretStoreProvider.vault({
      server: 'https://vault.example.com:8200',
      path: 'secret',
      role: 'apps-external-secrets',
    }),
  });
  new SealedOrExternalSecret(chart, 'PaymentsApi', {
    namespace: 'apps',
    source: SecretSource.external({
      store: vault,
      data: {
        'api-key': { key: 'apps/payments', property: 'api-key' },
        'webhook-secret': { key: 'apps/payments', property: 'webhook-secret' },
      },
      refreshInterval: Duration.minutes(15),
    }),
  });

  // AWS Secrets Manager through IRSA; dataFrom copies every property of one secret, and the
  // keys other constructs reference are declared.
  const aws = new SecretStore(chart, 'WorkflowsAws', {
    namespace: 'argo-workflows',
    provider: SecretStoreProvider.awsSecretsManager({
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::111122223333:role/argo-workflows-external-secrets',
    }),
  });
  const artifacts = new SealedOrExternalSecret(chart, 'ArtifactRepository', {
    namespace: 'argo-workflows',
    source: SecretSource.external({
      store: aws,
      dataFrom: [ExternalDataFrom.extract({ key: 'argo-workflows/artifact-repository' })],
      expectedKeys: ['accesskey', 'secretkey'],
    }),
  });
  artifacts.keyRef('secretkey');

  // A ClusterSecretStore run by the platform team: Argo CD repository credentials by URL prefix.
  new SealedOrExternalSecret(chart, 'RepoCredsExampleOrg', {
    namespace: 'argocd',
    source: SecretSource.external({
      store: SecretStoreRef.existingCluster('platform-vault'),
      data: { githubAppPrivateKey: { key: 'argocd/github-app', property: 'private-key' } },
    }),
    labels: { 'argocd.argoproj.io/secret-type': 'repo-creds', 'app.kubernetes.io/part-of': 'argocd' },
    publicData: { type: 'git', url: 'https://github.com/example-org', githubAppID: '123456', githubAppInstallationID: '7890123' },
  });
}
