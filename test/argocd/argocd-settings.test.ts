import { App, Duration } from 'cdk8s';
import { ArgoCdExposure, ArgoCdServerTls, OidcSso, SecretKeyRef, SecureArgoCD, SecureArgoCDProps } from '../../src';
import { expectSynthErrors } from '../support/errors';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const NETWORK = { kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [6443] } };
const SSO = OidcSso.keycloak({
  issuer: 'https://keycloak.example.com/realms/argo',
  clientId: 'argocd',
  clientSecret: SecretKeyRef.fromExistingSecret('argocd-secret', 'oidc.keycloak.clientSecret'),
});

function build(props: SecureArgoCDProps) {
  const chart = testChart();
  new SecureArgoCD(chart, 'argocd', { url: 'https://argocd.example.com', sso: SSO, networkPolicies: NETWORK, ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  return (name: string) => findObject(manifests, 'ConfigMap', name).data as Record<string, string>;
}

function errors(props: SecureArgoCDProps, patterns: RegExp[]): string[] {
  const chart = testChart();
  new SecureArgoCD(chart, 'argocd', { url: 'https://argocd.example.com', sso: SSO, networkPolicies: NETWORK, ...props });
  return expectSynthErrors(App.of(chart) as App, patterns);
}

describe('SecureArgoCD settings', () => {
  test('typed durations and ordinary raw keys', () => {
    const data = build({
      settings: {
        reconciliationTimeout: Duration.minutes(5),
        reconciliationJitter: Duration.seconds(0),
        hardReconciliationTimeout: Duration.hours(1),
        sessionDuration: Duration.hours(8),
        argoCdCm: { 'ui.bannercontent': 'Maintenance on Friday', 'resource.compareoptions': 'ignoreAggregatedRoles: true\n', 'ui.bannerpermanent': 'yes' },
        cmdParams: { 'controller.status.processors': '50', 'server.enable.gzip': 'true' },
      },
    });
    expect(data('argocd-cm')).toMatchObject({
      'timeout.reconciliation': '300s',
      'timeout.reconciliation.jitter': '0s',
      'timeout.hard.reconciliation': '3600s',
      'users.session.duration': '28800s',
      'ui.bannercontent': 'Maintenance on Friday',
      'resource.compareoptions': 'ignoreAggregatedRoles: true\n',
      'ui.bannerpermanent': 'yes',
    });
    expect(data('argocd-cmd-params-cm')).toMatchObject({ 'controller.status.processors': '50', 'server.enable.gzip': 'true' });
  });

  test('keys the library manages are refused, naming the prop', () => {
    errors({
      settings: {
        argoCdCm: {
          'url': 'https://evil.example.com',
          'exec.enabled': 'true',
          'statusbadge.enabled': 'true',
          'admin.enabled': 'true',
          'dex.config': 'connectors: []',
          'accounts.ci': 'apiKey',
          'policy.csv': 'p, role:x, *, *, *, allow',
          'timeout.reconciliation': '10s',
          'repositories': '- url: https://github.com/x/y',
          'resource.customizations.ignoreResourceUpdates.all': 'jsonPointers: []',
        },
        cmdParams: { 'server.repo.server.ca.cert.path': '/tmp/ca.crt', 'server.tls.minversion': '1.0' },
      },
    }, [
      /settings.argoCdCm\['url'\]: is managed by the library: set it with the url prop/,
      /settings.argoCdCm\['exec.enabled'\]: is managed by the library: set it with the enableExec prop/,
      /settings.argoCdCm\['statusbadge.enabled'\]: .*enableStatusBadge prop/,
      /settings.argoCdCm\['admin.enabled'\]: .*enableLocalAdmin prop/,
      /settings.argoCdCm\['dex.config'\]: .*sso prop/,
      /settings.argoCdCm\['accounts.ci'\]: .*accounts prop/,
      /settings.argoCdCm\['policy.csv'\]: belongs to argocd-rbac-cm/,
      /settings.argoCdCm\['timeout.reconciliation'\]: .*settings.reconciliationTimeout prop/,
      /settings.argoCdCm\['repositories'\]: was removed in 3.0/,
      /settings.argoCdCm\['resource.customizations.ignoreResourceUpdates.all'\]: is managed by the library \(it writes/,
      /settings.cmdParams\['server.repo.server.ca.cert.path'\]: .*repoServerTls prop/,
      /settings.cmdParams\['server.tls.minversion'\]: .*serverTlsMinVersion prop/,
    ]);
  });

  test('keys that weaken security need a reason; with one they override', () => {
    errors({
      settings: {
        argoCdCm: { 'users.anonymous.enabled': 'true', 'kustomize.buildOptions': '--enable-alpha-plugins --enable-exec', 'oidc.tls.insecure.skip.verify': 'true' },
        cmdParams: {
          'server.insecure': 'true',
          'application.namespaces': '*',
          'server.api.content.types': '',
        },
        weakeningReasons: { 'ui.bannercontent': 'not weakening' },
      },
    }, [
      /settings.argoCdCm\['users.anonymous.enabled'\]: weakens security: give the reason .* in settings.weakeningReasons\['users.anonymous.enabled'\]/,
      /settings.argoCdCm\['kustomize.buildOptions'\]: weakens security/,
      /settings.argoCdCm\['oidc.tls.insecure.skip.verify'\]: weakens security/,
      /settings.cmdParams\['server.insecure'\]: weakens security/,
      /settings.cmdParams\['application.namespaces'\]: weakens security/,
      /settings.cmdParams\['server.api.content.types'\]: weakens security/,
      /settings.weakeningReasons\['ui.bannercontent'\]: names no weakening key/,
    ]);
    const data = build({
      settings: {
        cmdParams: { 'server.insecure': 'true' },
        weakeningReasons: { 'server.insecure': 'the ingress controller terminates TLS and talks to argocd-server over a meshed mTLS link' },
      },
    });
    expect(data('argocd-cmd-params-cm')['server.insecure']).toBe('true');
  });

  test('key families match the way Argo CD reads them: prefixes, resource customizations, addresses, TLS between components', () => {
    errors({
      settings: {
        argoCdCm: {
          'kustomize.buildOptions.v5.4.3': '--enable-helm --load-restrictor LoadRestrictionsNone',
          'kustomize.version.v5.4.3': '/usr/local/bin/kustomize',
          'kustomize.path.v5.4.3': '/tmp/kustomize',
          'resource.customizations': 'apps/Deployment:\n  health.lua: |\n    return {status="Healthy"}\n',
          'resource.customizations.useOpenLibs.apps_Deployment': 'true',
          'resource.customizations.actions.apps_Deployment': 'discovery.lua: return {}\n',
          'resource.customizations.ignoreDifferences.all': 'jsonPointers:\n- /spec\n',
          'resource.customizations.health.cert-manager.io_Certificate': 'return {}',
          'resource.customizationsX.health.apps_Deployment': 'return {}',
          'resource.customizations.unknown.apps_Deployment': 'x',
          'resource.customizations.ignoreDifferences.a_b_c': 'jsonPointers: []',
        },
        cmdParams: {
          'repo.server': 'evil.example.com:8081',
          'controller.repo.server': 'evil.example.com:8081',
          'redis.server': 'evil.example.com:6379',
          'server.dex.server': 'http://evil:5556',
          'commit.server': 'evil:8086',
          'server.repo.server.plaintext': 'true',
          'server.dex.server.plaintext': 'true',
          'reposerver.disable.tls': 'true',
          'dexserver.disable.tls': 'true',
          'controller.repo.server.strict.tls': 'true',
          'reposerver.disable.helm.manifest.max.extracted.size': 'true',
        },
      },
    }, [
      /settings.argoCdCm\['kustomize.buildOptions.v5.4.3'\]: weakens security/,
      /settings.argoCdCm\['kustomize.version.v5.4.3'\]: weakens security/,
      /settings.argoCdCm\['kustomize.path.v5.4.3'\]: weakens security/,
      /settings.argoCdCm\['resource.customizations'\]: is the old single-key form, .*healthChecks prop/,
      /settings.argoCdCm\['resource.customizations.useOpenLibs.apps_Deployment'\]: weakens security/,
      /settings.argoCdCm\['resource.customizations.actions.apps_Deployment'\]: weakens security/,
      /settings.argoCdCm\['resource.customizations.ignoreDifferences.all'\]: weakens security/,
      /settings.argoCdCm\['resource.customizations.health.cert-manager.io_Certificate'\]: .*healthChecks prop/,
      /settings.argoCdCm\['resource.customizationsX.health.apps_Deployment'\]: is not one resource customization/,
      /settings.argoCdCm\['resource.customizations.unknown.apps_Deployment'\]: is not one resource customization/,
      /settings.argoCdCm\['resource.customizations.ignoreDifferences.a_b_c'\]: is not one resource customization/,
      /settings.cmdParams\['repo.server'\]: points Argo CD's components at another address/,
      /settings.cmdParams\['controller.repo.server'\]: points Argo CD's components at another address/,
      /settings.cmdParams\['redis.server'\]: points Argo CD's components at another address/,
      /settings.cmdParams\['server.dex.server'\]: points Argo CD's components at another address/,
      /settings.cmdParams\['commit.server'\]: points Argo CD's components at another address/,
      /settings.cmdParams\['server.repo.server.plaintext'\]: .*keeps the links between Argo CD's components on TLS/,
      /settings.cmdParams\['server.dex.server.plaintext'\]: .*on TLS/,
      /settings.cmdParams\['reposerver.disable.tls'\]: .*on TLS/,
      /settings.cmdParams\['dexserver.disable.tls'\]: .*on TLS/,
      /settings.cmdParams\['controller.repo.server.strict.tls'\]: is deprecated in 3.5 .*repoServerTls prop/,
      /settings.cmdParams\['reposerver.disable.helm.manifest.max.extracted.size'\]: weakens security/,
    ]);
    // Ordinary customizations of one kind pass; a reason admits a weakening family key.
    const data = build({
      settings: {
        argoCdCm: {
          'resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration': 'jqPathExpressions:\n- .webhooks[].clientConfig.caBundle\n',
          'resource.customizations.knownTypeFields.apps_Deployment': '- field: spec.template.spec\n  type: core/v1/PodSpec\n',
          'kustomize.buildOptions.v5.4.3': '--enable-helm',
        },
        weakeningReasons: { 'kustomize.buildOptions.v5.4.3': 'charts are inflated from the reviewed platform repository only' },
      },
    })('argocd-cm');
    expect(data['kustomize.buildOptions.v5.4.3']).toBe('--enable-helm');
    expect(data['resource.customizations.knownTypeFields.apps_Deployment']).toBeDefined();
  });

  test('server.insecure cannot be combined with an exposure, which speaks TLS to argocd-server', () => {
    const settings = { cmdParams: { 'server.insecure': 'true' }, weakeningReasons: { 'server.insecure': 'TLS terminates at the gateway' } };
    for (const exposure of [
      ArgoCdExposure.gatewayRoute({ host: 'argocd.example.com', gateway: { name: 'public', namespace: 'gateway' } }),
      ArgoCdExposure.ingressNginx({ host: 'argocd.example.com', tls: ArgoCdServerTls.fromClusterIssuer('letsencrypt') }),
    ]) {
      errors({ exposure, settings }, [/settings.cmdParams\['server.insecure'\]: cannot work with exposure, which always speaks TLS to argocd-server/]);
    }
  });

  test('values: safe text, no secret references, no Go octal; keys: ConfigMap keys; durations in whole seconds', () => {
    errors({
      settings: {
        sessionDuration: Duration.seconds(0),
        reconciliationTimeout: Duration.millis(1500),
        argoCdCm: { 'ui.bannercontent': 'a\u2028b', 'webhook.github.secret': '$webhook:secret', 'ui.bannerurl': '0o17', 'bad key': 'x' },
      },
    }, [
      /settings.sessionDuration: must be a positive whole number of seconds up to 9223372036 \(got 0\)/,
      /settings.reconciliationTimeout: must be a whole number of seconds from 0 up to 9223372036 \(got 1.5\)/,
      /settings.argoCdCm\['ui.bannercontent'\]: /,
      /settings.argoCdCm\['webhook.github.secret'\]: names a secret, and no plaintext secret may reach the output: .*argocd-secret/,
      /settings.argoCdCm\['ui.bannerurl'\]: '0o17' is read as a number/,
      /settings.argoCdCm\['bad key'\]: is not a ConfigMap key/,
    ]);
  });

  test('keys that name secrets are refused whatever their value: Argo CD reads them from argocd-secret', () => {
    errors({
      settings: {
        argoCdCm: { 'webhook.gitlab.secret': 'hunter2', 'webhook.bitbucket.uuid': 'x', 'webhook.azuredevops.password': 'p', 'oidc.clientSecret': 's' },
        cmdParams: { 'otlp.apiKey': 'k' },
      },
    }, [
      /settings.argoCdCm\['oidc.clientSecret'\]: names a secret/,
      /settings.argoCdCm\['webhook.azuredevops.password'\]: names a secret/,
      /settings.argoCdCm\['webhook.bitbucket.uuid'\]: names a secret/,
      /settings.argoCdCm\['webhook.gitlab.secret'\]: names a secret/,
      /settings.cmdParams\['otlp.apiKey'\]: names a secret/,
    ]);
    expect(build({ settings: { argoCdCm: { 'webhook.maxPayloadSizeMB': '50' } } })('argocd-cm')['webhook.maxPayloadSizeMB']).toBe('50');
  });
});
