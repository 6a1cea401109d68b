// `SecureArgoCD` `settings`: ordinary argocd-cm / argocd-cmd-params-cm keys next to the ones the
// library manages (Argo CD v3.5.1 util/settings/settings.go, cmd/*/commands).
import { Duration } from 'cdk8s';
import { DeferredChecks } from '../../private/errors';
import { goNumberProblem, quoted, safeTextProblem } from '../../private/validate';
import { ArgoCdSettings } from '../argocd-settings';

/** Keys with a prop of their own: set them there. */
const PROP_FOR_KEY: Record<string, string> = {
  'url': 'url',
  'additionalUrls': 'additionalUrls',
  'dex.config': 'sso',
  'oidc.config': 'sso',
  'admin.enabled': 'enableLocalAdmin',
  'exec.enabled': 'enableExec',
  'statusbadge.enabled': 'enableStatusBadge',
  'application.resourceTrackingMethod': 'resourceTrackingMethod',
  'resource.respectRBAC': 'respectRbac',
  'resource.exclusions': 'resourceExclusions',
  'application.sync.impersonation.enabled': 'syncImpersonation',
  'application.sync.impersonation.enforced': 'syncImpersonation',
  'timeout.reconciliation': 'settings.reconciliationTimeout',
  'timeout.reconciliation.jitter': 'settings.reconciliationJitter',
  'timeout.hard.reconciliation': 'settings.hardReconciliationTimeout',
  'users.session.duration': 'settings.sessionDuration',
  'server.tls.minversion': 'serverTlsMinVersion',
  'reposerver.tls.minversion': 'repoServerTlsMinVersion',
  'server.dex.server.strict.tls': 'dexServerStrictTls',
  'reposerver.client.ca.path': 'repoServerTls',
  'applicationsetcontroller.enable.progressive.syncs': 'SecureApplicationSet progressiveSync',
};

/** Key patterns with a prop of their own. */
const PROP_FOR_PATTERN: [RegExp, string][] = [
  [/^accounts\./, 'accounts'],
  [/^resource\.customizations\.health\./, 'healthChecks'],
  [/\.repo\.server\.(ca\.cert|client\.cert|client\.cert\.key)\.path$/, 'repoServerTls'],
];

/** Keys Argo CD no longer reads, with what replaced them. */
const REMOVED: Record<string, string> = {
  'configManagementPlugins': 'stopped working in 2.8: run the plugin as a repo-server sidecar (e.g. vaultPlugin)',
  'repositories': 'was removed in 3.0: declare repositories as labelled Secrets (ArgoCdRepository)',
  'repository.credentials': 'was removed in 3.0: declare credential templates as labelled Secrets',
  'helm.repositories': 'was removed in 3.0: declare Helm repositories as labelled Secrets',
};

/** argocd-cm keys that weaken security: anonymous access, unverified TLS, remote content, wider permissions. */
const WEAKENING_CM = [
  /^users\.anonymous\.enabled$/, /^oidc\.tls\.insecure\.skip\.verify$/, /^application\.sync\.requireOverridePrivilegeForRevisionSync$/,
  /^helm\.valuesFileSchemes$/, /^kustomize\.buildOptions$/, /^globalProjects$/, /^ui\.cssurl$/,
  /^extension\.config(\.|$)/, /^server\.rbac\.disableApplicationFineGrainedRBACInheritance$/,
];
/** argocd-cmd-params-cm keys that weaken security: plaintext, TLS off or weaker, auth off, wider scope. */
const WEAKENING_CMD_PARAMS = [
  /(^|\.)(plaintext|insecure)$/, /\.disable\.(tls|auth)$/, /\.strict\.tls$/, /\.tls\.(minversion|maxversion|ciphers)$/,
  /^server\.(x\.frame\.options|content\.security\.policy)$/, /^application\.namespaces$/, /^applicationsetcontroller\.(namespaces|policy|enable\.scm\.providers|allowed\.scm\.providers|allow\.any\.namespace)$/,
  /^reposerver\.allow\.oob\.symlinks$/, /^dexserver\.connector\.failure\.continue$/, /^server\.enable\.proxy\.extension$/,
  // CSRF protection of the API (content types) and the SCM token Secret label check.
  /^server\.api\.content\.types$/, /^applicationsetcontroller\.enable\.tokenref\.strict\.mode$/,
];

/** ConfigMap keys. */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Adds `settings` to the rendered argocd-cm (`cm`) and argocd-cmd-params-cm (`cmdParams`) data,
 * reporting problems through `checks` under `settings.*`.
 */
export function applySettings(checks: DeferredChecks, settings: ArgoCdSettings, cm: Record<string, string>, cmdParams: Record<string, string>): void {
  const typed: [keyof ArgoCdSettings, string, Duration | undefined][] = [
    ['reconciliationTimeout', 'timeout.reconciliation', settings.reconciliationTimeout],
    ['reconciliationJitter', 'timeout.reconciliation.jitter', settings.reconciliationJitter],
    ['hardReconciliationTimeout', 'timeout.hard.reconciliation', settings.hardReconciliationTimeout],
    ['sessionDuration', 'users.session.duration', settings.sessionDuration],
  ];
  for (const [property, key, duration] of typed) {
    if (duration === undefined) continue;
    // Argo CD reads these as Go durations and keeps whole seconds.
    const seconds = duration.toMilliseconds() / 1000;
    const minimum = property === 'sessionDuration' ? 1 : 0;
    if (checks.check(`settings.${property}`, Number.isSafeInteger(seconds) && seconds >= minimum ? undefined
      : `${quoted(seconds)} seconds is not a whole number of seconds${minimum ? ' above zero' : ''}: use e.g. Duration.minutes(5)`)) {
      cm[key] = `${seconds}s`;
    }
  }
  const reasons = settings.weakeningReasons ?? {};
  const used = new Set<string>();
  const raw = (property: string, data: Record<string, string>, extra: Record<string, string>, weakening: RegExp[]) => {
    for (const key of Object.keys(extra).sort()) {
      const value = extra[key];
      const where = `settings.${property}[${quoted(key)}]`;
      const problem = keyProblem(key, property === 'argoCdCm', data, weakening, reasons);
      if (weakening.some((w) => w.test(key))) used.add(key);
      const valueProblem = typeof value !== 'string' ? 'is not a string: give the value as Argo CD reads it, e.g. "true" or "5m"'
        : safeTextProblem(value, { multiline: true, maxLength: 65536 }) ?? goNumberProblem(value)
          ?? (value.startsWith('$') ? "starts with '$', which Argo CD reads as a secret reference: secrets do not belong in this map" : undefined);
      if (checks.check(where, problem) && checks.check(where, valueProblem)) data[key] = value;
    }
  };
  raw('argoCdCm', cm, settings.argoCdCm ?? {}, WEAKENING_CM);
  raw('cmdParams', cmdParams, settings.cmdParams ?? {}, WEAKENING_CMD_PARAMS);
  for (const [key, reason] of Object.entries(reasons)) {
    checks.check(`settings.weakeningReasons[${quoted(key)}]`, !used.has(key)
      ? 'names no weakening key of argoCdCm or cmdParams: remove it' : safeTextProblem(reason));
  }
}

/** Why the library cannot pass `key` through, or undefined. */
function keyProblem(key: string, argoCdCm: boolean, data: Record<string, string>, weakening: RegExp[],
  reasons: Record<string, string>): string | undefined {
  if (!CONFIG_MAP_KEY.test(key) || key.length > 253) return "is not a ConfigMap key: use letters, digits, '-', '_' and '.'";
  if (REMOVED[key] !== undefined) return `${REMOVED[key]}`;
  if (argoCdCm && (/^policy\./.test(key) || key === 'scopes')) return 'belongs to argocd-rbac-cm, which the library writes from rbac: use the rbac prop';
  const prop = PROP_FOR_KEY[key] ?? PROP_FOR_PATTERN.find(([pattern]) => pattern.test(key))?.[1];
  if (prop !== undefined) return `is managed by the library: set it with the ${prop} prop`;
  if (weakening.some((w) => w.test(key))) {
    return reasons[key] === undefined
      ? `weakens security: give the reason it is acceptable here in settings.weakeningReasons[${quoted(key)}], or leave it out` : undefined;
  }
  if (data[key] !== undefined) return `is managed by the library (it writes ${quoted(data[key])}): leave it out`;
  return undefined;
}
