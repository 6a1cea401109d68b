import {
  ArgoCdCluster, ArgoCdClusterProps, ArgoCdRepository, ArgoCdRepositoryCredentials, ArgoCdRepositoryProps,
  ExternalDataFrom, RepositoryAuth, RepositoryType, SealedValue, SecretSource, SecretStoreRef,
} from '../../src';
import { findObject, Manifest, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const STORE = SecretStoreRef.existingCluster('vault');
/** A well-formed sealed value (2-byte length, 256-byte RSA block, AES-GCM ciphertext). */
const SEALED = (() => {
  const raw = Buffer.alloc(2 + 256 + 32, 7);
  raw.writeUInt16BE(256, 0);
  return raw.toString('base64');
})();

function external(...keys: string[]): SecretSource {
  const data: { [key: string]: { key: string; property: string } } = {};
  for (const key of keys) data[key] = { key: 'argocd/repos/gitops', property: key };
  return SecretSource.external({ store: STORE, data });
}

const REPO: ArgoCdRepositoryProps = {
  namespace: 'argocd',
  url: 'https://github.com/myorg/gitops-config.git',
  auth: RepositoryAuth.USERNAME_PASSWORD,
  source: external('username', 'password'),
};

function repository(props: Partial<ArgoCdRepositoryProps> = {}, id = 'GitopsConfig'): Manifest[] {
  const chart = testChart();
  new ArgoCdRepository(chart, id, { ...REPO, ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  return manifests;
}

describe('ArgoCdRepository', () => {
  test('an ExternalSecret producing a labelled repository Secret; url and type are public values', () => {
    const manifests = repository({ displayName: 'GitOps config', project: 'production' });
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ExternalSecret/gitops-config']);
    const es = manifests[0];
    expect(es.metadata.namespace).toBe('argocd');
    expect(es.spec.target.template.metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 'argocd',
      'argocd.argoproj.io/secret-type': 'repository',
    });
    expect(es.spec.target.template.data).toEqual({
      name: 'GitOps config',
      project: 'production',
      type: 'git',
      url: 'https://github.com/myorg/gitops-config.git',
    });
    expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(['password', 'username']);
  });

  test('a SealedSecret source', () => {
    const manifests = repository({
      url: 'git@github.com:myorg/gitops-config.git',
      auth: RepositoryAuth.SSH_PRIVATE_KEY,
      source: SecretSource.sealed({ values: { sshPrivateKey: SealedValue.preSealed(SEALED) } }),
      secretName: 'repo-gitops-config',
    });
    const sealed = findObject(manifests, 'SealedSecret', 'repo-gitops-config');
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(['sshPrivateKey']);
    expect(sealed.spec.template.metadata.labels['argocd.argoproj.io/secret-type']).toBe('repository');
    expect(sealed.spec.template.data).toEqual({ type: 'git', url: 'git@github.com:myorg/gitops-config.git' });
  });

  test.each([
    ['ssh://git@github.com/myorg/gitops-config.git', RepositoryAuth.SSH_PRIVATE_KEY, RepositoryType.GIT, ['sshPrivateKey']],
    ['https://charts.example.com', RepositoryAuth.USERNAME_PASSWORD, RepositoryType.HELM, ['username', 'password']],
    ['oci://registry.example.com/charts', RepositoryAuth.USERNAME_PASSWORD, RepositoryType.OCI, ['username', 'password']],
    ['https://bitbucket.example.com/scm/team/repo.git', RepositoryAuth.BEARER_TOKEN, RepositoryType.GIT, ['bearerToken']],
    ['https://git.example.com/team/repo.git', RepositoryAuth.USERNAME_PASSWORD, RepositoryType.GIT, ['username', 'password', 'tlsClientCertData', 'tlsClientCertKey']],
  ])('accepts %s with %s', (url, auth, type, keys) => {
    const manifests = repository({ url, auth, type, source: external(...keys) });
    expect(manifests[0].spec.target.template.data).toEqual({ type, url });
  });

  test('a GitHub App: the IDs are public values, the private key comes from the source', () => {
    const manifests = repository({
      auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: '123456', githubAppInstallationId: '7890',
    });
    expect(manifests[0].spec.target.template.data).toEqual({
      githubAppID: '123456', githubAppInstallationID: '7890', type: 'git', url: 'https://github.com/myorg/gitops-config.git',
    });
    expect(manifests[0].spec.data.map((d: any) => d.secretKey)).toEqual(['githubAppPrivateKey']);
  });

  test('a GitHub App without an installation ID: Argo CD finds it by the URL\'s owner, also on GitHub Enterprise', () => {
    const manifests = repository({ auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: '123456' });
    expect(manifests[0].spec.target.template.data).toEqual({ githubAppID: '123456', type: 'git', url: 'https://github.com/myorg/gitops-config.git' });
    const enterprise = repository({
      url: 'https://github.example.com/platform/gitops.git',
      auth: RepositoryAuth.GITHUB_APP,
      source: external('githubAppPrivateKey'),
      githubAppId: '42',
      githubAppEnterpriseBaseUrl: 'https://github.example.com/api/v3',
    });
    expect(enterprise[0].spec.target.template.data).toEqual({
      githubAppEnterpriseBaseUrl: 'https://github.example.com/api/v3', githubAppID: '42', type: 'git', url: 'https://github.example.com/platform/gitops.git',
    });
    expect(enterprise[0].spec.data.map((d: any) => d.secretKey)).toEqual(['githubAppPrivateKey']);
  });

  test('keys from dataFrom count when declared in expectedKeys', () => {
    const source = SecretSource.external({
      store: STORE,
      dataFrom: [ExternalDataFrom.extract({ key: 'argocd/repos/gitops' })],
      expectedKeys: ['password', 'username'],
    });
    expect(() => repository({ source })).not.toThrow();
  });

  test('no credential value appears in the output', () => {
    const json = JSON.stringify(repository({ auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: '1', githubAppInstallationId: '2' }));
    expect(json).not.toMatch(/stringData|BEGIN .*PRIVATE KEY/);
    expect(JSON.stringify(repository())).not.toContain('"kind":"Secret"');
  });

  describe('errors', () => {
    // Format problems are reported at synth.
    const build = (props: Partial<ArgoCdRepositoryProps>) => () => {
      const chart = testChart();
      new ArgoCdRepository(chart, 'Repo', { ...REPO, ...props });
      synth(chart);
    };

    test.each([
      ['http://github.com/myorg/repo.git', RepositoryAuth.USERNAME_PASSWORD, /url: 'http:\/\/github.com\/myorg\/repo.git' uses http/],
      ['https://user:token@github.com/myorg/repo.git', RepositoryAuth.USERNAME_PASSWORD, /embeds credentials/],
      ['https://token@github.com/myorg/repo.git', RepositoryAuth.USERNAME_PASSWORD, /embeds credentials/],
      ['ssh://git:secret@github.com/myorg/repo.git', RepositoryAuth.SSH_PRIVATE_KEY, /embeds credentials/],
      ['git@github.com:myorg/repo.git', RepositoryAuth.USERNAME_PASSWORD, /is an SSH URL: use RepositoryAuth.SSH_PRIVATE_KEY/],
      ['https://github.com/myorg/repo.git', RepositoryAuth.SSH_PRIVATE_KEY, /must use ssh:\/\//],
      ['ftp://example.com/repo', RepositoryAuth.USERNAME_PASSWORD, /must use https:\/\//],
      ['github.com/myorg/repo', RepositoryAuth.USERNAME_PASSWORD, /is not a URL/],
      ['https://github.com/my org/repo', RepositoryAuth.USERNAME_PASSWORD, /contains whitespace/],
      ['https://github.com/myorg/repo.git?ref=main', RepositoryAuth.USERNAME_PASSWORD, /query or fragment/],
      ['', RepositoryAuth.USERNAME_PASSWORD, /url: '' is empty/],
    ])('refuses the URL %s (%s)', (url, auth, message) => {
      const keys = auth === RepositoryAuth.SSH_PRIVATE_KEY ? ['sshPrivateKey'] : ['username', 'password'];
      expect(build({ url, auth, source: external(...keys) })).toThrow(message);
    });

    test('SSH only for Git; OCI needs oci://', () => {
      expect(build({ url: 'git@github.com:myorg/charts', type: RepositoryType.HELM, auth: RepositoryAuth.SSH_PRIVATE_KEY, source: external('sshPrivateKey') }))
        .toThrow(/only Git repositories are reached over SSH/);
      expect(build({ url: 'https://registry.example.com/charts', type: RepositoryType.OCI })).toThrow(/must use oci:\/\//);
    });

    test('insecure: true is refused', () => {
      expect(build({ source: external('username', 'password', 'insecure') }))
        .toThrow(/ArgoCdRepository 'test\/Repo': source: provides 'insecure': turning off TLS verification or host key checking is refused/);
      expect(build({ url: 'git@github.com:o/r.git', auth: RepositoryAuth.SSH_PRIVATE_KEY, source: external('sshPrivateKey', 'insecureIgnoreHostKey') }))
        .toThrow(/provides 'insecureIgnoreHostKey'/);
    });

    test('the source must provide the keys Argo CD reads', () => {
      expect(build({ source: external('password') })).toThrow(/source: lacks 'username', which Argo CD reads for username-password authentication/);
      expect(build({ source: external('user', 'pass') })).toThrow(/lacks 'password', 'username'/);
      expect(build({ source: external('username', 'password', 'token') }))
        .toThrow(/source: provides 'token', which Argo CD does not read for username-password authentication: the keys are password, username, tlsClientCertData, tlsClientCertKey/);
      expect(build({ source: external('username', 'password', 'tlsClientCertData') })).toThrow(/provides 'tlsClientCertData' alone/);
      expect(build({ source: external('username', 'password', 'url') })).toThrow(/'url' is also a secret key/);
    });

    test('a GitHub App needs its app ID; the IDs need a GitHub App', () => {
      expect(build({ auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppInstallationId: '1' }))
        .toThrow(/githubAppId: is required for a GitHub App/);
      expect(build({ auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: 'abc', githubAppInstallationId: '1' }))
        .toThrow(/githubAppId: 'abc' is not a GitHub ID/);
      expect(build({ githubAppId: '1' })).toThrow(/githubAppId: applies only with RepositoryAuth.GITHUB_APP/);
      expect(build({ githubAppEnterpriseBaseUrl: 'https://github.example.com/api/v3' })).toThrow(/githubAppEnterpriseBaseUrl: applies only with RepositoryAuth.GITHUB_APP/);
    });

    test('without an installation ID, the repository URL must name the owner Argo CD finds the installation by', () => {
      const app = (url: string) => build({ url, auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: '1' });
      for (const url of ['https://github.com/myorg', 'https://github.com/myorg/', 'https://github.com/myorg.git', 'https://github.com/', 'https://github.com']) {
        expect(app(url)).toThrow(/url: '.*' names no owner, by which Argo CD finds the GitHub App's installation .*: give the repository's full URL, or set githubAppInstallationId/);
      }
      for (const url of ['https://github.com/myorg/repo', 'https://github.com/myorg/repo.git', 'https://github.com/myorg/repo/', 'https://github.com/myorg%2Frepo']) {
        expect(app(url)).not.toThrow();
      }
      // With the ID, from the prop or the source, the URL is not read for an owner.
      expect(() => repository({ url: 'https://github.com/myorg', auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: '1', githubAppInstallationId: '2' }))
        .not.toThrow();
      expect(() => repository({ url: 'https://github.com/myorg', auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey', 'githubAppInstallationID'), githubAppId: '1' }))
        .not.toThrow();
    });

    test('GitHub IDs are what strconv.ParseInt(10, 64) reads as a set ID: positive, no sign or leading zeros, within int64', () => {
      const app = (ids: object) => build({ auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: '1', githubAppInstallationId: '1', ...ids });
      for (const id of ['0', '007', '+5', '-1', '1e21', '9223372036854775808', '99999999999999999999', ' 1', '1\u2028']) {
        expect(app({ githubAppId: id })).toThrow(/githubAppId: .* is not a GitHub ID: give the number GitHub shows/);
        expect(app({ githubAppInstallationId: id })).toThrow(/githubAppInstallationId: .* is not a GitHub ID/);
      }
      expect(app({ githubAppId: '9223372036854775807' })).not.toThrow();
    });

    test('a GitHub Enterprise API URL is written as githubAppEnterpriseBaseUrl, checked as Go reads URLs', () => {
      const chart = testChart();
      new ArgoCdRepository(chart, 'Repo', {
        ...REPO,
        auth: RepositoryAuth.GITHUB_APP,
        source: external('githubAppPrivateKey'),
        githubAppId: '1',
        githubAppInstallationId: '2',
        githubAppEnterpriseBaseUrl: 'https://github.example.com/api/v3',
      });
      expect(synth(chart)[0].spec.target.template.data.githubAppEnterpriseBaseUrl).toBe('https://github.example.com/api/v3');
      expect(build({ auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: '1', githubAppInstallationId: '2', githubAppEnterpriseBaseUrl: 'http://github.example.com' }))
        .toThrow(/githubAppEnterpriseBaseUrl: 'http:\/\/github.example.com'/);
    });

    test('bad type, auth, project and display name', () => {
      expect(build({ type: 'svn' as RepositoryType })).toThrow(/type: 'svn' is not a repository type/);
      expect(build({ auth: 'anonymous' as RepositoryAuth })).toThrow(/auth: 'anonymous' is not an authentication method/);
      expect(build({ project: 'Prod' })).toThrow(/project: 'Prod' is not a DNS-1123 subdomain/);
      expect(build({ displayName: 'a\nb' })).toThrow(/displayName: 'a\\nb' contains '\\n', a line break/);
    });
  });
});

describe('ArgoCdRepositoryCredentials', () => {
  test('a repo-creds Secret for a URL prefix', () => {
    const chart = testChart();
    new ArgoCdRepositoryCredentials(chart, 'MyorgCreds', {
      namespace: 'argocd', url: 'git@github.com:myorg', auth: RepositoryAuth.SSH_PRIVATE_KEY, source: external('sshPrivateKey'),
    });
    const manifests = synth(chart);
    expectValid(manifests);
    const es = findObject(manifests, 'ExternalSecret', 'myorg-creds');
    expect(es.spec.target.template.metadata.labels['argocd.argoproj.io/secret-type']).toBe('repo-creds');
    expect(es.spec.target.template.data).toEqual({ type: 'git', url: 'git@github.com:myorg' });
  });

  test('a GitHub App without an installation ID for a prefix: Argo CD finds it by each matched repository\'s owner', () => {
    for (const url of ['https://github.com/myorg', 'https://github.com/']) {
      const chart = testChart();
      new ArgoCdRepositoryCredentials(chart, 'GithubApp', {
        namespace: 'argocd', url, auth: RepositoryAuth.GITHUB_APP, source: external('githubAppPrivateKey'), githubAppId: '123456',
      });
      const manifests = synth(chart);
      expectValid(manifests);
      expect(findObject(manifests, 'ExternalSecret', 'github-app').spec.target.template.data).toEqual({ githubAppID: '123456', type: 'git', url });
    }
  });

  test('refuses http and missing keys', () => {
    expect(() => new ArgoCdRepositoryCredentials(testChart(), 'Creds', {
      namespace: 'argocd', url: 'http://github.com/myorg', auth: RepositoryAuth.USERNAME_PASSWORD, source: external('username', 'password'),
    })).toThrow(/ArgoCdRepositoryCredentials 'test\/Creds': url: .* uses http/);
    expect(() => new ArgoCdRepositoryCredentials(testChart(), 'Creds', {
      namespace: 'argocd', url: 'https://github.com/myorg', auth: RepositoryAuth.BEARER_TOKEN, source: external('token'),
    })).toThrow(/source: lacks 'bearerToken'/);
  });
});

describe('ArgoCdCluster', () => {
  const CLUSTER: ArgoCdClusterProps = {
    namespace: 'argocd', server: 'https://prod.k8s.example.com:6443', clusterName: 'production', source: external('config'),
  };
  const cluster = (props: Partial<ArgoCdClusterProps> = {}) => {
    const chart = testChart();
    new ArgoCdCluster(chart, 'ProductionCluster', { ...CLUSTER, ...props });
    const manifests = synth(chart);
    expectValid(manifests);
    return manifests;
  };

  test('a cluster Secret whose config comes from the source', () => {
    const [es] = cluster({ namespaces: ['team-a', 'team-b'], project: 'production' });
    expect(es.kind).toBe('ExternalSecret');
    expect(es.metadata.name).toBe('production-cluster');
    expect(es.spec.target.template.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'argocd', 'argocd.argoproj.io/secret-type': 'cluster' });
    expect(es.spec.target.template.data).toEqual({
      clusterResources: 'false', name: 'production', namespaces: 'team-a,team-b', project: 'production', server: 'https://prod.k8s.example.com:6443',
    });
    expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(['config']);
  });

  test('without namespaces, no namespace restriction keys', () => {
    expect(cluster()[0].spec.target.template.data).toEqual({ name: 'production', server: 'https://prod.k8s.example.com:6443' });
    expect(cluster({ namespaces: ['a'], clusterResources: true })[0].spec.target.template.data.clusterResources).toBe('true');
  });

  describe('errors', () => {
    const build = (props: Partial<ArgoCdClusterProps>) => () => {
      const chart = testChart();
      new ArgoCdCluster(chart, 'Cluster', { ...CLUSTER, ...props });
      synth(chart);
    };
    test('https only, no credentials in the URL', () => {
      expect(build({ server: 'http://prod.k8s.example.com' })).toThrow(/ArgoCdCluster 'test\/Cluster': server: 'http:\/\/prod.k8s.example.com' does not use https/);
      expect(build({ server: 'https://admin:pw@prod.k8s.example.com' })).toThrow(/server: .* contains credentials/);
      expect(build({ server: 'prod.k8s.example.com' })).toThrow(/server: .* is not an https:\/\/ URL/);
    });
    test('config must come from the source, and only config', () => {
      expect(build({ source: external('bearerToken') })).toThrow(/source: provides no 'config' key: the cluster's credentials JSON must come from the secret source/);
      expect(build({ source: external('config', 'server') })).toThrow(/'server' is also a secret key/);
      expect(build({ source: external('config', 'token') })).toThrow(/source: provides 'token': a cluster's only secret key is 'config'/);
    });
    test('namespaces and names', () => {
      expect(build({ namespaces: [] })).toThrow(/namespaces: is empty/);
      expect(build({ namespaces: ['Team A'] })).toThrow(/namespaces\[0\]: 'Team A' is not a DNS-1123 label/);
      expect(build({ clusterResources: true })).toThrow(/clusterResources: applies only together with namespaces/);
      expect(build({ clusterName: '' })).toThrow(/clusterName: '' is empty/);
    });
  });
});
