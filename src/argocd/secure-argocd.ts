import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AccountCapability, ResourceTrackingMethod, RespectRbac, TlsVersion } from './argocd-settings';
import { ArgoCdServerExposure } from './exposure';
import { ArgoCdGpgKeys } from './gpg-keys';
import { ArgoCdInstall } from './install/argocd-install';
import { ArgoCdCrds } from './install/crds';
import { ArgoCdNetworkPolicies } from './network-policies';
import { ArgoCdAuditNotifications } from './notifications';
import { renderArgoCdRbac } from './private/rbac-render';
import { renderResourceExclusions } from './private/resource-exclusions';
import { SELF_MANAGEMENT_NAME, SelfManagementResources } from './private/self-management-resources';
import { applySettings } from './private/settings-passthrough';
import { claimUnique } from './private/unique';
import { UPSTREAM_IGNORE_RESOURCE_UPDATES } from './private/upstream-config';
import { ArgoCdRbacOptions } from './rbac';
import { ArgoCdRbac } from './rbac-simulator';
import { SecureArgoCDProps } from './secure-argocd-props';
import { ArgoCdSelfManagement } from './self-management';
import { ArgoCdVaultPlugin } from './vault-plugin';
import { LABEL_PART_OF, standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import { bindFactoryRisks, reasonProblem, recordAcceptedRisk } from '../private/accepted-risks';
import { deferredChecks, invalid } from '../private/errors';
import { registerInstallNamespace } from '../private/install-namespaces';
import { restrictedNamespace } from '../private/kube';
import { sortedRecord, toYaml } from '../private/render';
import { registerLibraryConstruct } from '../private/stamp';
import { apiGroupProblem, configMapKeyProblem, httpsUrlProblem, quoted, requireDns1123Label, requireHttpsUrl } from '../private/validate';
import { SealedOrExternalSecret, SecretKeyRef, SecretSource } from '../secrets';
import { DexConnector, OidcSso, SsoKind } from '../sso';

/** The keys of Secret `argocd-repo-server-mtls` that install.yaml mounts. */
const MTLS_KEYS = ['client-ca.crt', 'client.crt', 'client.key'];

/** A subject no policy names, for questions about groups and the default role. */
const SYNC_PROBE = 'cdk8s-secure-argo:self-management-probe';
/** An Application or ApplicationSet name no policy names, for grants on any name in the self-management project. */
const SELF_MANAGEMENT_PROBE_NAME = 'cdk8s-secure-argo-probe';
/**
 * What applies Argo CD's own RBAC through the self-management project: syncing, changing what an
 * Application deploys (update, override of its revision or parameters), or creating an
 * Application or ApplicationSet in it.
 */
const SELF_MANAGEMENT_GRANTS: [string, string][] = [
  ['applications', 'sync'], ['applications', 'create'], ['applications', 'update'], ['applications', 'override'],
  ['applicationsets', 'create'], ['applicationsets', 'update'],
];

/** Argo CD's own Secret: `$<key>` references in argocd-cm read it. */
const ARGOCD_SECRET_NAME = 'argocd-secret';

/** Whether `hostname` is `host`, or one label in place of the `*` of a wildcard host. */
function hostMatches(host: string, hostname: string): boolean {
  if (!host.startsWith('*.')) return hostname === host;
  const dot = hostname.indexOf('.');
  return dot > 0 && hostname.slice(dot) === host.slice(1);
}

/** Argo CD splits `accounts.<name>[.<suffix>]` on dots: a name with a dot is ignored or misread. */
const ACCOUNT_NAME = /^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/;
/** Health check keys are ConfigMap keys (`[-._a-zA-Z0-9]+`): no `*`. */
const HEALTH_CHECK_KIND = /^[A-Za-z0-9]+$/;

/**
 * Argo CD, installed and configured, typed and hardened: the v3.5.1 install (its namespace, CRDs
 * in a chart of their own, every component hardened, RBAC derived from the projects, NetworkPolicies, internal
 * TLS), `argocd-cm` (login, SSO, features, resource settings), `argocd-rbac-cm` (roles and group
 * mappings), `argocd-cmd-params-cm` (TLS and component flags) and optionally
 * `argocd-notifications-cm` (audit trail). The install is always part of the output.
 */
export class SecureArgoCD extends Construct {
  /** The namespace Argo CD runs in. */
  public readonly namespace: string;
  /** Argo CD's external URL. */
  public readonly url?: string;
  /** Single sign-on, if configured. */
  public readonly sso?: OidcSso;
  /**
   * The redirect URI to register at the OIDC provider for PKCE logins (`<url>/auth/callback`),
   * when PKCE is enabled.
   */
  public readonly pkceRedirectUri?: string;
  /** The audit notifications, if configured. */
  public readonly auditNotifications?: ArgoCdAuditNotifications;
  /** The NetworkPolicies, unless disabled. */
  public readonly networkPolicies?: ArgoCdNetworkPolicies;
  /** The Ingress or Gateway API routes for argocd-server, if configured. */
  public readonly exposure?: ArgoCdServerExposure;
  /** The vault plugin, if configured. */
  public readonly vaultPlugin?: ArgoCdVaultPlugin;
  /** Argo CD's GnuPG keyring, if `gpgKeys` is set. */
  public readonly gpgKeys?: ArgoCdGpgKeys;
  /** The Argo CD CRDs, in their own chart `<chart id>-crds` (applied first, server-side). */
  public readonly crds: ArgoCdCrds;

  private readonly install: ArgoCdInstall;
  private readonly cmData: Record<string, string>;
  private readonly rbacData: Record<string, string>;
  private readonly cmdParamsData: Record<string, string>;
  /** The reasons given for broad `resourceExclusions`, recorded on argocd-cm. */
  private exclusionRisks: [string, string][] = [];

  constructor(scope: Construct, id: string, props: SecureArgoCDProps = {}) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    this.namespace = requireDns1123Label(this, 'namespace', props.namespace ?? 'argocd');
    // Two in one app would write the same ConfigMaps and Deployments; installs for different clusters are apps of their own.
    claimUnique(this, 'namespace', `Argo CD in namespace '${this.namespace}'`,
      'install each Argo CD in its own namespace, configure one SecureArgoCD, or put alternative installs (e.g. one per cluster) into apps of their own');
    registerInstallNamespace(this, 'Argo CD', this.namespace);
    // The install's namespace, first: every other object lives in it. Restricted Pod Security, as every component runs.
    const namespace = restrictedNamespace(this, 'Namespace', this.namespace, standardLabels({ name: this.namespace, partOf: 'argocd', component: 'namespace' }));
    const noPolicies = props.disableNetworkPolicies;
    if (noPolicies !== undefined
      && deferredChecks(this).check('disableNetworkPolicies.reason', reasonProblem(noPolicies?.reason, 'why Argo CD runs without NetworkPolicies'))) {
      recordAcceptedRisk(namespace, 'disableNetworkPolicies', noPolicies.reason);
    }
    if (props.url !== undefined) this.url = requireHttpsUrl(this, 'url', props.url).replace(/\/+$/, '');
    if (props.exposure) {
      this.exposure = new ArgoCdServerExposure(this, 'Exposure', {
        exposure: props.exposure, namespace: this.namespace, networkPolicies: props.disableNetworkPolicies === undefined,
      });
      const host = this.exposure.host;
      if (!this.url) {
        if (host.startsWith('*.')) invalid(this, 'url', `is required with the wildcard host ${quoted(host)}: give the one URL users reach Argo CD at`);
        this.url = `https://${host}`;
      } else if (!hostMatches(host, new URL(this.url).hostname)) {
        invalid(this, 'url', `${quoted(this.url)} is not served by the exposure's host ${quoted(host)}: SSO callbacks are built from url, so use https://${host}`);
      }
    }
    if (props.sso !== undefined && !OidcSso.isOidcSso(props.sso)) {
      invalid(this, 'sso', 'is not an OidcSso: use OidcSso.oidc(), .keycloak(), .okta() or .dex()');
    }
    props.sso?._bind(this, 'sso');
    this.sso = props.sso;
    if (this.sso && !this.url) {
      invalid(this, 'url', 'is required with SSO, as Argo CD builds its callback URLs from it: set url (https://...) or exposure');
    }
    if (this.sso?.kind === SsoKind.OIDC && this.sso.enablePkce) this.pkceRedirectUri = `${this.url}/auth/callback`;

    // The install first: the ConfigMaps below carry what it needs (Redis address, internal TLS).
    this.install = new ArgoCdInstall(this, 'Install', {
      ...props.install,
      namespace: this.namespace,
      dex: this.sso?.kind === SsoKind.DEX,
      dexServerStrictTls: props.dexServerStrictTls,
      notificationsConfigured: props.auditNotifications !== undefined,
      gpgKeysConfigured: props.gpgKeys !== undefined,
      networkPolicies: props.disableNetworkPolicies === undefined ? props.networkPolicies : undefined,
      // The install's solver policy admits the ingress controller; Gateway exposure writes its own.
      serverCertificateFromIssuer: this.exposure?.certificate !== undefined && this.exposure.ingress !== undefined,
      serverCertificateFromInternalCa: this.exposure?.verifiesServerCertificate ?? false,
      selfManaged: props.selfManagement !== undefined,
    });
    this.crds = this.install.crds;

    const rbac = renderArgoCdRbac(this, props.rbac ?? {}, props.enableExec !== undefined);
    this.rbacData = rbac.data;
    this.checkGroupsReachRbac(props.rbac ?? {});
    this.warnBareGithubGroups(props.rbac ?? {});
    this.cmData = this.renderArgoCdCm(props);
    this.cmdParamsData = this.renderCmdParams(props);
    const accepted = props.settings
      ? applySettings(deferredChecks(this), props.settings, this.cmData, this.cmdParamsData, this.exposure !== undefined) : undefined;

    // Each weakening opt-in's reason is recorded on the ConfigMap it weakens.
    const risks = (configMap: ApiObject, entries: [string, string][] = []) => {
      for (const [optIn, reason] of entries) recordAcceptedRisk(configMap, optIn, reason);
    };
    const argoCdCm = this.configMap('argocd-cm', this.cmData);
    risks(argoCdCm, accepted?.argoCdCm);
    risks(argoCdCm, this.exclusionRisks);
    const exec = props.enableExec;
    if (exec !== undefined && deferredChecks(this).check('enableExec.reason', reasonProblem(exec?.reason, 'why users need a shell in pods'))) {
      recordAcceptedRisk(argoCdCm, 'enableExec', exec.reason);
    }
    const noLogin = props.allowNoInteractiveLogin;
    if (noLogin !== undefined && deferredChecks(this).check('allowNoInteractiveLogin.reason', reasonProblem(noLogin?.reason, 'why nobody logs in interactively'))) {
      recordAcceptedRisk(argoCdCm, 'allowNoInteractiveLogin', noLogin.reason);
    }
    bindFactoryRisks(argoCdCm, 'sso', this.sso);
    risks(this.configMap('argocd-rbac-cm', this.rbacData), rbac.acceptedRisks);
    risks(this.configMap('argocd-cmd-params-cm', this.cmdParamsData, () => this.install.appDependentCmdParams()), accepted?.cmdParams);

    if (props.repoServerTls?.mtlsSecret) {
      const mtls = new SealedOrExternalSecret(this, 'RepoServerMtls', {
        namespace: this.namespace,
        name: 'argocd-repo-server-mtls',
        source: props.repoServerTls.mtlsSecret,
        labels: { [LABEL_PART_OF]: 'argocd' },
      });
      // install.yaml mounts these keys optionally: a missing one would only show as a TLS failure.
      const missing = MTLS_KEYS.filter((k) => !mtls.keys.includes(k));
      if (missing.length > 0) {
        invalid(this, 'repoServerTls.mtlsSecret', `lacks ${missing.map((k) => `'${k}'`).join(', ')}: provide ${MTLS_KEYS.join(', ')} (a dataFrom key must be declared in expectedKeys)`);
      }
    }
    if (props.disableNetworkPolicies !== undefined) {
      if (props.networkPolicies) invalid(this, 'disableNetworkPolicies', 'is set together with networkPolicies: choose one');
    } else {
      if (!props.networkPolicies) {
        invalid(this, 'networkPolicies', 'is required (NetworkPolicies are on by default and need the Kubernetes API address): give networkPolicies: { kubernetesApi: { cidrs, ports } }, or set disableNetworkPolicies with a reason');
      }
      this.networkPolicies = new ArgoCdNetworkPolicies(this, 'NetworkPolicies', {
        ...props.networkPolicies,
        namespace: this.namespace,
        ingressControllerReachesServer: this.exposure?.route === undefined,
      });
    }
    if (props.vaultPlugin) {
      this.vaultPlugin = new ArgoCdVaultPlugin(this, 'VaultPlugin', { ...props.vaultPlugin, namespace: this.namespace });
      this.install.addRepoServerSidecar(this.vaultPlugin._repoServerSidecar());
    }
    if (props.gpgKeys !== undefined) {
      this.gpgKeys = new ArgoCdGpgKeys(this, 'GpgKeys', { namespace: this.namespace, keys: props.gpgKeys });
    }
    if (props.selfManagement !== undefined) this.selfManagement(props);
    if (props.auditNotifications) {
      this.auditNotifications = new ArgoCdAuditNotifications(this, 'AuditNotifications', {
        ...props.auditNotifications,
        namespace: this.namespace,
        argoCdUrl: this.url,
      });
    }
  }

  /** The data of `argocd-cm`, as synthesized. */
  public argoCdConfigData(): { [key: string]: string } {
    return { ...this.cmData };
  }

  /** The data of `argocd-rbac-cm`, as synthesized (e.g. for an RBAC simulator). */
  public rbacConfigData(): { [key: string]: string } {
    return { ...this.rbacData };
  }

  /** The data of `argocd-cmd-params-cm`, as synthesized (with the entries read from the rest of the app). */
  public cmdParamsConfigData(): { [key: string]: string } {
    return { ...this.cmdParamsData, ...this.install.appDependentCmdParams() };
  }

  private selfManagement(props: SecureArgoCDProps): void {
    if (!ArgoCdSelfManagement.isArgoCdSelfManagement(props.selfManagement)) {
      invalid(this, 'selfManagement', 'is not an ArgoCdSelfManagement: use ArgoCdSelfManagement.fromGit({ repoUrl, revision, path, reason })');
    }
    if (props.syncImpersonation) {
      // Enforced impersonation would sync the install with a destination service account, which would need all of these grants.
      invalid(this, 'selfManagement', 'cannot be combined with syncImpersonation: upgrade the install from CI, or turn impersonation off');
    }
    new SelfManagementResources(this, 'SelfManagement', {
      selfManagement: props.selfManagement,
      namespace: this.namespace,
      charts: [Chart.of(this), Chart.of(this.crds)],
      install: [this, this.crds],
    });
    this.warnSelfManagementSyncers(props.rbac ?? {});
  }

  /**
   * Syncing `argocd-platform` applies Argo CD's own RBAC, and so does an Application or
   * ApplicationSet of its project, or changing what the Application deploys (update, override):
   * only those who may already rewrite Argo CD's projects (global admins) should be able to. A
   * warning, since such a grant may be deliberate. Checked at synth, with Argo CD's own policy
   * evaluation.
   */
  private warnSelfManagementSyncers(rbac: ArgoCdRbacOptions): void {
    this.warnAtSynth(() => {
      const simulator = ArgoCdRbac.fromConfig({ rbacConfigMapData: this.rbacData });
      // The Application itself, and any other name in its project (create).
      const objects = [SELF_MANAGEMENT_NAME, SELF_MANAGEMENT_PROBE_NAME].map((name) => `${SELF_MANAGEMENT_NAME}/${name}`);
      const grantsWithoutAdmin = (groups: string[]) => (simulator.can(SYNC_PROBE, 'projects', 'update', SELF_MANAGEMENT_NAME, groups) ? []
        : SELF_MANAGEMENT_GRANTS.filter(([resource, action]) => objects.some((object) => simulator.can(SYNC_PROBE, resource, action, object, groups)))
          .map(([resource, action]) => `${action} ${resource}`));
      const warn = (who: string, grants: string[]) => this.node.addMetadata('warning', `SecureArgoCD '${this.node.path}': ${who} may `
          + `${grants.join(', ')} in the project '${SELF_MANAGEMENT_NAME}' (e.g. sync the Application '${SELF_MANAGEMENT_NAME}'), `
          + "which applies Argo CD's own RBAC and so grants what the install grants: keep these to global admins");
      const everyone = grantsWithoutAdmin([]);
      if (everyone.length > 0) warn('everyone (rbac.defaultRole)', everyone);
      (rbac.groupMappings ?? []).forEach((m, i) => {
        const grants = typeof m.group === 'string' ? grantsWithoutAdmin([m.group]) : [];
        if (grants.length > 0) warn(`rbac.groupMappings[${i}] (group ${quoted(m.group)})`, grants);
      });
    });
  }

  /** Runs `warn` when the app is first validated: each chart's synthesis validates the whole app again. */
  private warnAtSynth(warn: () => void): void {
    let warned = false;
    this.node.addValidation({
      validate: () => {
        if (!warned) {
          warned = true;
          warn();
        }
        return [];
      },
    });
  }

  /** `appDependent` entries are read at synth, so that constructs added after this one count. */
  private configMap(name: string, data: Record<string, string>, appDependent?: () => Record<string, string>): ApiObject {
    const configMap = new k8s.KubeConfigMap(this, name, {
      metadata: { name, namespace: this.namespace, labels: standardLabels({ name, partOf: 'argocd' }) },
      data: appDependent
        ? Lazy.any({ produce: () => sortedRecord({ ...data, ...appDependent() }) }) as unknown as Record<string, string>
        : sortedRecord(data),
    });
    applySyncWave(configMap, SyncWave.STORAGE_AND_SECRETS);
    return configMap;
  }

  private renderArgoCdCm(props: SecureArgoCDProps): Record<string, string> {
    const data: Record<string, string> = {};
    if (this.url) data.url = this.url;
    const checks = deferredChecks(this);
    if (props.additionalUrls && props.additionalUrls.length > 0) {
      props.additionalUrls.forEach((u, i) => checks.check(`additionalUrls[${i}]`, httpsUrlProblem(u)));
      data.additionalUrls = toYaml([...props.additionalUrls]);
    }

    const adminEnabled = props.enableLocalAdmin ?? false;
    const accounts = props.accounts ?? [];
    const canLogIn = adminEnabled || this.sso !== undefined
      || accounts.some((a) => a.enabled !== false && a.capabilities.includes(AccountCapability.LOGIN));
    if (!canLogIn && props.allowNoInteractiveLogin === undefined) {
      invalid(this, 'sso', 'no SSO, local admin disabled and no account with login: nobody could log in. Configure sso, set enableLocalAdmin: true, add an account with AccountCapability.LOGIN, or set allowNoInteractiveLogin with a reason');
    }
    data['admin.enabled'] = String(adminEnabled);
    data['users.anonymous.enabled'] = 'false';
    data['exec.enabled'] = String(props.enableExec !== undefined);
    data['statusbadge.enabled'] = String(props.enableStatusBadge ?? false);
    data['oidc.tls.insecure.skip.verify'] = 'false';
    data['application.sync.requireOverridePrivilegeForRevisionSync'] = 'true';

    const names = new Set<string>();
    accounts.forEach((account, i) => {
      if (!ACCOUNT_NAME.test(account.name ?? '') || account.name === 'admin') {
        invalid(this, `accounts[${i}].name`, `${quoted(account.name)} is not a valid account name: use lowercase letters, digits, '-' and '_' (no '.', which Argo CD reads as a key separator; not 'admin': use enableLocalAdmin)`);
      }
      // Argo CD keeps the account's password change time in argocd-secret under the longest key it writes.
      const longestKey = `accounts.${account.name}.passwordMtime`;
      const keyProblem = configMapKeyProblem(longestKey, `the key 'accounts.<name>.passwordMtime' Argo CD writes for ${quoted(account.name)}`);
      if (keyProblem) invalid(this, `accounts[${i}].name`, keyProblem);
      if (names.has(account.name)) invalid(this, `accounts[${i}].name`, `${quoted(account.name)} is defined twice: define each account once`);
      names.add(account.name);
      const capabilities = [...new Set(account.capabilities ?? [])];
      if (capabilities.length === 0) invalid(this, `accounts[${i}].capabilities`, 'is empty: give apiKey, login or both');
      for (const c of capabilities) {
        if (!Object.values(AccountCapability).includes(c)) invalid(this, `accounts[${i}].capabilities`, `unknown capability ${quoted(c)}: use AccountCapability`);
      }
      data[`accounts.${account.name}`] = capabilities.sort().join(', ');
      if (account.enabled === false) data[`accounts.${account.name}.enabled`] = 'false';
    });

    if (this.sso) {
      const key = this.sso.kind === SsoKind.DEX ? 'dex.config' : 'oidc.config';
      // Argo CD replaces every string value of these configs that starts with `$` by a secret:
      // references are rendered as markers first, so that free text starting with `$` (a name,
      // an LDAP filter, ...) is refused instead of being turned into a secret lookup.
      const references: string[] = [];
      const config = this.sso._argoCdConfig((ref, property) => {
        references.push(this.argoCdSecretReference(ref, property));
        return `\u0000${references.length - 1}\u0000`;
      });
      data[key] = toYaml(this.resolveReferences(config, references, 'sso'));
    }

    const tracking = props.resourceTrackingMethod ?? ResourceTrackingMethod.ANNOTATION;
    if (!Object.values(ResourceTrackingMethod).includes(tracking)) {
      invalid(this, 'resourceTrackingMethod', `unknown method '${tracking}': use ResourceTrackingMethod`);
    }
    data['application.resourceTrackingMethod'] = tracking;
    if (props.respectRbac !== undefined) {
      if (!Object.values(RespectRbac).includes(props.respectRbac)) invalid(this, 'respectRbac', `unknown value '${props.respectRbac}': use RespectRbac`);
      data['resource.respectRBAC'] = props.respectRbac;
    } else {
      // The controller may list only the kinds the projects allow: it must skip the others.
      data['resource.respectRBAC'] = RespectRbac.NORMAL;
    }
    if (props.syncImpersonation) {
      data['application.sync.impersonation.enabled'] = 'true';
      data['application.sync.impersonation.enforced'] = 'true';
    }

    (props.healthChecks ?? []).forEach((check, i) => {
      const property = `healthChecks[${i}]`;
      // Group and kind become part of a ConfigMap key, where globs are not allowed.
      const groupOk = checks.check(`${property}.group`, apiGroupProblem(check.group));
      const kindOk = checks.check(`${property}.kind`, typeof check.kind === 'string' && HEALTH_CHECK_KIND.test(check.kind)
        ? undefined : `${quoted(check.kind)} is not a kind (globs cannot be part of a ConfigMap key): e.g. 'Certificate'`);
      if (typeof check.script !== 'string' || !/\breturn\b/.test(check.script)) {
        invalid(this, `${property}.script`, 'is not a Lua health check: write a script that returns a table with status and message (hs = {} ... return hs)');
      }
      const key = `resource.customizations.health.${check.group ? `${check.group}_` : ''}${check.kind}`;
      if (groupOk && kindOk) checks.check(property, configMapKeyProblem(key, `the key ${quoted(key)} built from group and kind`));
      if (data[key] !== undefined) invalid(this, `${property}`, `a health check for ${quoted(`${check.group}/${check.kind}`)} is defined twice: keep one`);
      data[key] = check.script.endsWith('\n') ? check.script : `${check.script}\n`;
    });

    // This argocd-cm replaces the install's, so keep what upstream install.yaml puts there.
    const exclusions = renderResourceExclusions(checks, props.resourceExclusions ?? []);
    this.exclusionRisks = exclusions.acceptedRisks;
    data['resource.exclusions'] = toYaml(exclusions.entries);
    for (const [groupKind, ignore] of Object.entries(UPSTREAM_IGNORE_RESOURCE_UPDATES)) {
      data[`resource.customizations.ignoreResourceUpdates.${groupKind}`] = toYaml(ignore);
    }
    return data;
  }

  private renderCmdParams(props: SecureArgoCDProps): Record<string, string> {
    const data: Record<string, string> = {
      // The server and the components' links stay on TLS; auth stays on.
      'server.insecure': 'false',
      'server.disable.auth': 'false',
      'server.tls.minversion': this.tlsVersion('serverTlsMinVersion', props.serverTlsMinVersion),
      'reposerver.disable.tls': 'false',
      'reposerver.tls.minversion': this.tlsVersion('repoServerTlsMinVersion', props.repoServerTlsMinVersion),
      'server.repo.server.plaintext': 'false',
      'controller.repo.server.plaintext': 'false',
      'applicationsetcontroller.repo.server.plaintext': 'false',
      'notificationscontroller.repo.server.plaintext': 'false',
      'server.dex.server.plaintext': 'false',
      'dexserver.disable.tls': 'false',
      // Dex 2.45 (Argo CD 3.4) skips failing connectors by default: fail the login instead.
      'dexserver.connector.failure.continue': 'false',
    };
    const tls = props.repoServerTls ?? {};
    if (tls.mtlsSecret !== undefined && !SecretSource.isSecretSource(tls.mtlsSecret)) {
      invalid(this, 'repoServerTls.mtlsSecret', 'is not a SecretSource: use SecretSource.sealed() or SecretSource.external()');
    }
    const dexCertificate = this.sso?.kind === SsoKind.DEX && this.install.internalTls;
    if (props.dexServerStrictTls && !dexCertificate) {
      invalid(this, 'dexServerStrictTls', 'needs Dex (OidcSso.dex()) and internal TLS, which issues its certificate: without tls.crt in Secret argocd-dex-server-tls argocd-server exits at startup; remove the setting');
    }
    if (this.install.dexStrictTls) data['server.dex.server.strict.tls'] = 'true';
    Object.assign(data, this.install.cmdParams());
    if (tls.verifyCertificate || tls.mtlsSecret || this.install.internalTls) {
      // Where upstream install.yaml mounts argocd-repo-server-tls in each client.
      data['server.repo.server.ca.cert.path'] = '/app/config/server/tls/ca.crt';
      data['controller.repo.server.ca.cert.path'] = '/app/config/controller/tls/ca.crt';
      data['applicationsetcontroller.repo.server.ca.cert.path'] = '/app/config/reposerver/tls/ca.crt';
      data['notificationscontroller.repo.server.ca.cert.path'] = '/app/config/reposerver/tls/ca.crt';
    }
    if (tls.mtlsSecret) {
      // Where upstream install.yaml mounts argocd-repo-server-mtls.
      for (const client of ['server', 'controller', 'applicationsetcontroller', 'notificationscontroller']) {
        data[`${client}.repo.server.client.cert.path`] = '/app/config/reposerver/mtls/client.crt';
        data[`${client}.repo.server.client.cert.key.path`] = '/app/config/reposerver/mtls/client.key';
      }
      data['reposerver.client.ca.path'] = '/app/config/reposerver/mtls/client-ca.crt';
    }
    return data;
  }

  private tlsVersion(property: string, version: TlsVersion | undefined): string {
    const value = version ?? TlsVersion.TLS_1_2;
    if (!Object.values(TlsVersion).includes(value)) {
      invalid(this, property, `'${value}' is not allowed: TLS below 1.2 is broken or deprecated; use TlsVersion.TLS_1_2 or TlsVersion.TLS_1_3`);
    }
    return value;
  }

  /**
   * `$key` (argocd-secret) or `$<secret>:<key>` (a Secret labelled part-of argocd) in the Argo CD
   * namespace. Argo CD leaves a reference it cannot resolve as the literal string, so check here.
   */
  private argoCdSecretReference(ref: SecretKeyRef, property: string): string {
    SecretKeyRef._require(this, property, ref);
    if (ref.namespace !== undefined && ref.namespace !== this.namespace) {
      invalid(this, property, `Secret '${ref}' is in namespace '${ref.namespace}', but Argo CD reads references only from its own namespace: use a Secret in '${this.namespace}'`);
    }
    if (ref.secretName === ARGOCD_SECRET_NAME) return `$${ref.key}`;
    if (ref.labels[LABEL_PART_OF] !== 'argocd') {
      invalid(this, property, `Secret '${ref.secretName}' is not known to carry the label ${LABEL_PART_OF}: argocd, without which Argo CD does not resolve $${ref.secretName}:${ref.key}: add the label (SealedOrExternalSecret labels, or the labels option of SecretKeyRef.fromExistingSecret) or store the key in ${ARGOCD_SECRET_NAME}`);
    }
    return `$${ref.secretName}:${ref.key}`;
  }

  /** Replaces reference markers by the references; refuses any other string starting with `$`. */
  private resolveReferences(value: unknown, references: string[], property: string): unknown {
    if (typeof value === 'string') {
      const marker = /^\u0000(\d+)\u0000$/.exec(value);
      if (marker) return references[Number(marker[1])];
      if (value.startsWith('$')) {
        invalid(this, property, `'${value}' starts with '$', which Argo CD would replace with a secret value: remove the '$' (secrets enter only as SecretKeyRef)`);
      }
      return value;
    }
    if (Array.isArray(value)) return value.map((v, i) => this.resolveReferences(v, references, `${property}[${i}]`));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.resolveReferences(v, references, `${property}.${k}`);
      return out;
    }
    return value;
  }

  /**
   * Dex's GitHub connector sends only teams of the listed organizations, as `<org>:<team>` (the
   * team's display name unless `teamNameField` says slug), and only the listed teams when an
   * organization lists some: a mapping that cannot be such a group never matches, and those users
   * fall through to the default role. A warning, since a bare value may also be a user (Dex's
   * GitHub user id is numeric) or an e-mail from another claim. Checked at synth.
   */
  private warnBareGithubGroups(rbac: ArgoCdRbacOptions): void {
    const connectors = this.sso?.kind === SsoKind.DEX ? this.sso.connectors : [];
    this.warnAtSynth(() => {
      (rbac.groupMappings ?? []).forEach((m, i) => {
        const problem = typeof m.group === 'string' ? DexConnector._githubGroupProblem(m.group, connectors) : undefined;
        if (problem === undefined) return;
        this.node.addMetadata('warning', `SecureArgoCD '${this.node.path}': rbac.groupMappings[${i}].group ${quoted(m.group)} never matches, `
          + `so these users get only the default role: ${problem}`);
      });
    });
  }

  /** With direct OIDC, group mappings are useless unless the groups claim is requested. */
  private checkGroupsReachRbac(rbac: ArgoCdRbacOptions): void {
    const sso = this.sso;
    if (!sso || sso.kind !== SsoKind.OIDC || (rbac.groupMappings ?? []).length === 0) return;
    const scopes = rbac.scopes ?? ['groups'];
    if (scopes.includes('groups') && !sso.requestedScopes.includes('groups') && !('groups' in sso.requestedIdTokenClaims)) {
      invalid(this, 'rbac.groupMappings', "map groups, but the OIDC provider is never asked for the 'groups' claim: add 'groups' to requestedScopes or requestedIdTokenClaims");
    }
  }
}

