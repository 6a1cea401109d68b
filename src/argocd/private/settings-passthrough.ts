// `SecureArgoCD` `settings`: ordinary argocd-cm / argocd-cmd-params-cm keys next to the ones the
// library manages (Argo CD v3.5.1 util/settings/settings.go, cmd/*/commands).
import { Duration } from 'cdk8s';
import { reasonProblem } from '../../private/accepted-risks';
import { wholeSecondsProblem } from '../../private/duration';
import { DeferredChecks } from '../../private/errors';
import { isDataKey, quoted, safeTextProblem } from '../../private/validate';
import { ArgoCdSettings } from '../argocd-settings';

/** The two raw maps of `settings`. */
type SettingsMap = 'argoCdCm' | 'cmdParams';
const CM: SettingsMap = 'argoCdCm';
const CMD: SettingsMap = 'cmdParams';

/** A key that weakens security: it needs a reason in `weakeningReasons`. */
const WEAKENS = 'weakens';
/** A key passed through as given (unless the library writes it). */
const ORDINARY = 'ordinary';

function managedBy(prop: string): string {
  return `is managed by the library: set it with the ${prop} prop`;
}

const REMOVED_IN_3 = 'was removed in 3.0: declare';
const ADDRESS = "points Argo CD's components at another address: the library connects them to the install's own Services "
  + '(Redis through HAProxy with install.highAvailability): leave it out';
const SECRET = 'names a secret, and no plaintext secret may reach the output: Argo CD reads webhook and other secrets from Secret '
  + 'argocd-secret, so deliver them there as a SealedSecret or ExternalSecret and leave the key out';
const TLS_LINK = "is managed by the library, which keeps the links between Argo CD's components on TLS "
  + '(install.internalTls issues their certificates): leave it out';

/**
 * What happens to each raw key; the first matching row wins. The verdict is a problem (the key has
 * a prop, is gone, or is not read the way it looks), WEAKENS or ORDINARY. Families match the way
 * Argo CD v3.5.1 reads them: util/settings/settings.go takes every key that starts with
 * `kustomize.buildOptions`, `kustomize.version`, `kustomize.path` or `resource.customizations`
 * (split as `resource.customizations.<type>.<group_kind>`), and the install's Deployments read
 * argocd-cmd-params-cm keys as flags.
 */
const KEY_RULES: readonly [SettingsMap, RegExp, string][] = [
  // argocd-cm keys with a prop of their own.
  // Before every other row: webhook.github.secret, *.password, *.token, *.clientSecret and the like are secrets wherever they are written.
  [CM, /^webhook\.[a-z]+\.(uuid|username)$|(^|\.)(secret|password|token|clientsecret|privatekey|apikey)$/i, SECRET],
  [CMD, /(^|\.)(secret|password|token|clientsecret|privatekey|apikey)$/i, SECRET],
  [CM, /^url$/, managedBy('url')],
  [CM, /^additionalUrls$/, managedBy('additionalUrls')],
  [CM, /^(dex|oidc)\.config$/, managedBy('sso')],
  [CM, /^admin\.enabled$/, managedBy('enableLocalAdmin')],
  [CM, /^exec\.enabled$/, managedBy('enableExec')],
  [CM, /^statusbadge\.enabled$/, managedBy('enableStatusBadge')],
  [CM, /^application\.resourceTrackingMethod$/, managedBy('resourceTrackingMethod')],
  [CM, /^resource\.respectRBAC$/, managedBy('respectRbac')],
  [CM, /^resource\.exclusions$/, managedBy('resourceExclusions')],
  [CM, /^application\.sync\.impersonation\.(enabled|enforced)$/, managedBy('syncImpersonation')],
  [CM, /^timeout\.reconciliation$/, managedBy('settings.reconciliationTimeout')],
  [CM, /^timeout\.reconciliation\.jitter$/, managedBy('settings.reconciliationJitter')],
  [CM, /^timeout\.hard\.reconciliation$/, managedBy('settings.hardReconciliationTimeout')],
  [CM, /^users\.session\.duration$/, managedBy('settings.sessionDuration')],
  [CM, /^accounts\./, managedBy('accounts')],
  [CM, /^(policy\.|scopes$)/, 'belongs to argocd-rbac-cm, which the library writes from rbac: use the rbac prop'],
  // Keys Argo CD no longer reads.
  [CM, /^configManagementPlugins$/, 'stopped working in 2.8: run the plugin as a repo-server sidecar (e.g. vaultPlugin)'],
  [CM, /^repositories$/, `${REMOVED_IN_3} repositories as labelled Secrets (ArgoCdRepository)`],
  [CM, /^repository\.credentials$/, `${REMOVED_IN_3} credential templates as labelled Secrets`],
  [CM, /^helm\.repositories$/, `${REMOVED_IN_3} Helm repositories as labelled Secrets`],
  // Resource customizations.
  [CM, /^resource\.customizations$/, 'is the old single-key form, which would bypass the checks on each customization: write one key per '
    + 'customization (resource.customizations.<type>.<group_kind>) and health checks with the healthChecks prop'],
  [CM, /^resource\.customizations\.health\./, managedBy('healthChecks')],
  // Lua with the os and io libraries; actions that change or create live resources outside Git.
  [CM, /^resource\.customizations\.(useOpenLibs|actions)\.([^_]+_)?[^_]+$/, WEAKENS],
  // Hides drift of every resource.
  [CM, /^resource\.customizations\.ignoreDifferences\.all$/, WEAKENS],
  [CM, /^resource\.customizations\.(ignoreDifferences|ignoreResourceUpdates|knownTypeFields)\.([^_]+_)?[^_]+$/, ORDINARY],
  [CM, /^resource\.customizations/, 'is not one resource customization: write resource.customizations.<type>.<group_kind> (or .<kind>) with '
    + 'a type Argo CD reads (useOpenLibs, actions, ignoreDifferences, ignoreResourceUpdates, knownTypeFields; health through healthChecks). '
    + 'Argo CD ignores such a key or, for an unknown type or group kind, loads no customization at all'],
  // argocd-cm keys that weaken security: remote content and binaries, anonymous access, unverified TLS, wider permissions.
  [CM, /^kustomize\.(buildOptions|version|path)/, WEAKENS],
  [CM, /^(users\.anonymous\.enabled|oidc\.tls\.insecure\.skip\.verify|application\.sync\.requireOverridePrivilegeForRevisionSync)$/, WEAKENS],
  [CM, /^(helm\.valuesFileSchemes|globalProjects|ui\.cssurl|server\.rbac\.disableApplicationFineGrainedRBACInheritance)$/, WEAKENS],
  [CM, /^extension\.config(\.|$)/, WEAKENS],
  // argocd-cmd-params-cm keys with a prop of their own.
  [CMD, /^server\.tls\.minversion$/, managedBy('serverTlsMinVersion')],
  [CMD, /^reposerver\.tls\.minversion$/, managedBy('repoServerTlsMinVersion')],
  [CMD, /^server\.dex\.server\.strict\.tls$/, managedBy('dexServerStrictTls')],
  [CMD, /^reposerver\.client\.ca\.path$/, managedBy('repoServerTls')],
  [CMD, /\.repo\.server\.(ca\.cert|client\.cert|client\.cert\.key)\.path$/, managedBy('repoServerTls')],
  [CMD, /\.repo\.server\.strict\.tls$/, `is deprecated in 3.5 and ${managedBy('repoServerTls')} (verifyCertificate)`],
  [CMD, /^applicationsetcontroller\.enable\.progressive\.syncs$/, managedBy('SecureApplicationSet progressiveSync')],
  // Where the components find each other, and TLS between them.
  [CMD, /(^|\.)(repo|redis|commit|dex)\.server$/, ADDRESS],
  [CMD, /(^|\.)plaintext$|\.disable\.tls$/, TLS_LINK],
  // argocd-cmd-params-cm keys that weaken security: plain HTTP, weaker TLS, auth off, wider scope, fewer limits.
  [CMD, /(^|\.)insecure$/, WEAKENS],
  [CMD, /\.disable\.auth$/, WEAKENS],
  [CMD, /\.tls\.(maxversion|ciphers)$/, WEAKENS],
  // CSRF protection of the API (content types), framing and CSP, proxy extensions.
  [CMD, /^server\.(x\.frame\.options|content\.security\.policy|enable\.proxy\.extension|api\.content\.types)$/, WEAKENS],
  [CMD, /^application\.namespaces$/, WEAKENS],
  // ApplicationSets in other namespaces, SCM providers, the policy, and the SCM token Secret label check.
  [CMD, /^applicationsetcontroller\.(namespaces|policy|enable\.scm\.providers|allowed\.scm\.providers|allow\.any\.namespace)$/, WEAKENS],
  [CMD, /^applicationsetcontroller\.enable\.tokenref\.strict\.mode$/, WEAKENS],
  // Symlinks out of the repository, and no limit on the size of an extracted chart.
  [CMD, /^reposerver\.(allow\.oob\.symlinks|disable\.(helm|oci)\.manifest\.max\.extracted\.size)$/, WEAKENS],
  [CMD, /^dexserver\.connector\.failure\.continue$/, WEAKENS],
];

/** The weakening keys written with their reasons, by ConfigMap: `[opt-in property, reason]`. */
export interface AcceptedSettings {
  readonly argoCdCm: [string, string][];
  readonly cmdParams: [string, string][];
}

/**
 * Adds `settings` to the rendered argocd-cm (`cm`) and argocd-cmd-params-cm (`cmdParams`) data,
 * reporting problems through `checks` under `settings.*`. `exposed`: SecureArgoCD has an exposure.
 */
export function applySettings(checks: DeferredChecks, settings: ArgoCdSettings, cm: Record<string, string>, cmdParams: Record<string, string>,
  exposed: boolean): AcceptedSettings {
  const typed: [keyof ArgoCdSettings, string, Duration | undefined][] = [
    ['reconciliationTimeout', 'timeout.reconciliation', settings.reconciliationTimeout],
    ['reconciliationJitter', 'timeout.reconciliation.jitter', settings.reconciliationJitter],
    ['hardReconciliationTimeout', 'timeout.hard.reconciliation', settings.hardReconciliationTimeout],
    ['sessionDuration', 'users.session.duration', settings.sessionDuration],
  ];
  for (const [property, key, duration] of typed) {
    if (duration === undefined) continue;
    // Argo CD reads these as Go durations; the library writes whole seconds.
    if (checks.check(`settings.${property}`, wholeSecondsProblem(duration, property === 'sessionDuration' ? 1 : 0))) {
      cm[key] = `${duration.toSeconds({ integral: false })}s`;
    }
  }
  const reasons = settings.weakeningReasons ?? {};
  const used = new Set<string>();
  const weakened: [SettingsMap, string][] = [];
  const raw = (map: SettingsMap, data: Record<string, string>, extra: Record<string, string>) => {
    for (const key of Object.keys(extra).sort()) {
      const value = extra[key];
      const where = `settings.${map}[${quoted(key)}]`;
      const rule = ruleFor(map, key);
      if (rule === WEAKENS) used.add(key);
      const valueProblem = typeof value !== 'string' ? 'is not a string: give the value as Argo CD reads it, e.g. "true" or "5m"'
        : safeTextProblem(value, { multiline: true, maxLength: 65536 })
          ?? (value.startsWith('$') ? "starts with '$', which Argo CD reads as a secret reference: secrets do not belong in this map" : undefined);
      if (checks.check(where, keyProblem(map, key, rule, data, reasons, exposed)) && checks.check(where, valueProblem)) {
        data[key] = value;
        if (rule === WEAKENS) weakened.push([map, key]);
      }
    }
  };
  raw(CM, cm, settings.argoCdCm ?? {});
  raw(CMD, cmdParams, settings.cmdParams ?? {});
  const sound = new Set<string>();
  for (const [key, reason] of Object.entries(reasons)) {
    if (checks.check(`settings.weakeningReasons[${quoted(key)}]`, !used.has(key)
      ? 'names no weakening key of argoCdCm or cmdParams: remove it' : reasonProblem(reason, `why ${quoted(key)} is acceptable here`))) sound.add(key);
  }
  // A weakening key written with a sound reason is an accepted risk.
  const accepted: AcceptedSettings = { argoCdCm: [], cmdParams: [] };
  for (const [map, key] of weakened) {
    if (sound.has(key)) accepted[map].push([`settings.weakeningReasons[${quoted(key)}]`, reasons[key]]);
  }
  return accepted;
}

/** The verdict of the first row of KEY_RULES that matches, else ORDINARY. */
function ruleFor(map: SettingsMap, key: string): string {
  return KEY_RULES.find(([m, pattern]) => m === map && pattern.test(key))?.[2] ?? ORDINARY;
}

/** Why the library cannot pass `key` through, or undefined. */
function keyProblem(map: SettingsMap, key: string, rule: string, data: Record<string, string>, reasons: Record<string, string>,
  exposed: boolean): string | undefined {
  if (!isDataKey(key)) return "is not a ConfigMap key: use letters, digits, '-', '_' and '.'";
  if (rule === WEAKENS) {
    if (exposed && map === CMD && key === 'server.insecure') {
      return 'cannot work with exposure, which always speaks TLS to argocd-server (passthrough, or re-encryption that verifies its certificate): '
        + 'a plain-HTTP server fails every request. Leave it out; the exposure terminates the public TLS';
    }
    return reasons[key] === undefined
      ? `weakens security: give the reason it is acceptable here in settings.weakeningReasons[${quoted(key)}], or leave it out` : undefined;
  }
  if (rule !== ORDINARY) return rule;
  if (data[key] !== undefined) return `is managed by the library (it writes ${quoted(data[key])}): leave it out`;
  return undefined;
}
