import { App, Chart } from 'cdk8s';
import { ArgoCdVaultPlugin, ContainerImage } from '../../src';
import { factoryProblemsOf } from '../../src/private/errors';
import { expectSynthErrors } from '../support/errors';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('ContainerImage', () => {
  test('a pinned reference parses into repository, tag and digest', () => {
    const image = ContainerImage.fromReference(`quay.io/argoproj/argocd:v3.5.1@${DIGEST}`);
    expect([image.repository, image.tag, image.digest]).toEqual(['quay.io/argoproj/argocd', 'v3.5.1', DIGEST]);
    expect(image.reference).toBe(`quay.io/argoproj/argocd:v3.5.1@${DIGEST}`);
    expect(factoryProblemsOf(image)).toEqual([]);
  });

  test.each([
    ['no digest', () => ContainerImage.fromReference('alpine:3.20'), 'reference', /'alpine:3\.20' is not pinned by digest: append '@sha256:<digest>'/],
    ['all-zero digest', () => ContainerImage.fromDigest('alpine', `sha256:${'0'.repeat(64)}`), 'digest', /all-zero placeholder/],
    ['one repeated character', () => ContainerImage.fromDigest('alpine', `sha256:${'a'.repeat(64)}`), 'digest', /placeholder digest \(one character repeated\)/],
    ['60 leading zeros', () => ContainerImage.fromDigest('alpine', `sha256:${'0'.repeat(60)}1234`), 'digest', /placeholder digest \(16 or more identical characters in a row\)/],
    ['not a digest', () => ContainerImage.fromDigest('alpine', 'sha256:abc'), 'digest', /'sha256:abc' is not a digest/],
    ['bad repository', () => ContainerImage.fromDigest('Alpine Linux', DIGEST), 'repository', /'Alpine Linux' is not a valid image repository/],
    ['latest tag', () => ContainerImage.fromDigest('alpine', DIGEST, 'latest'), 'tag', /never 'latest'/],
  ])('%s: the factory records the problem instead of throwing', (_, make, property, problem) => {
    const image = make();
    const problems = factoryProblemsOf(image);
    expect(problems.map((p) => p.property)).toEqual([property]);
    expect(problems[0].problem).toMatch(problem);
  });

  test('the construct that receives the image reports its problems with its path', () => {
    const app = new App();
    const chart = new Chart(app, 'chart');
    new ArgoCdVaultPlugin(chart, 'avp', {
      namespace: 'argocd',
      image: ContainerImage.fromReference('registry.example.com/argocd-vault-plugin:1.18.1'),
      vaultAddress: 'https://vault.example.com:8200',
      vaultRole: 'argocd-repo-server',
    });
    expectSynthErrors(app, [/^\[chart\/avp\] .*'chart\/avp': image\.reference: '.*:1\.18\.1' is not pinned by digest/]);
  });

  test('isContainerImage: a brand check that also holds for another copy of the library', () => {
    expect(ContainerImage.isContainerImage(ContainerImage.fromDigest('alpine', DIGEST))).toBe(true);
    expect(ContainerImage.isContainerImage({ repository: 'alpine', digest: DIGEST, reference: `alpine@${DIGEST}` })).toBe(false);
    expect(ContainerImage.isContainerImage(undefined)).toBe(false);
    const otherCopy = { reference: `alpine@${DIGEST}`, [Symbol.for('cdk8s-secure-argo.ContainerImage')]: true };
    expect(ContainerImage.isContainerImage(otherCopy)).toBe(true);
  });
});
