// Argo Workflows configuration (v4.1): the controller ConfigMap, argo-server's flags and
// workflow specs.
import * as YAML from 'yaml';
import { PolicyLevel } from '../policy-rule';
import { isObj, Obj, podsOf, strings, stringMap, WORKFLOW_KINDS } from '../private/kube';
import { rule, RuleDefinition, Violation, violation } from '../private/rule';

const PACK = 'argo-workflows';

/** The controller configuration: one `config` key, or one key per top-level field (YAML text). */
function controllerConfig(m: Obj): Obj | undefined {
  if (m.kind !== 'ConfigMap' || m.apiVersion !== 'v1' || m.metadata?.name !== 'workflow-controller-configmap') return undefined;
  const data = stringMap(m.data);
  const parse = (text: string): unknown => {
    try {
      return YAML.parse(text, { version: '1.1' });
    } catch {
      return undefined;
    }
  };
  if (data.config !== undefined) {
    const config = parse(data.config);
    return isObj(config) ? config : {};
  }
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, parse(v)]));
}

/** The arguments of argo-server containers (image argoproj/argocli, or first argument `server`). */
function argoServerArgs(m: Obj): { args: string[]; path: string }[] {
  if (WORKFLOW_KINDS.has(m.kind)) return [];
  return podsOf(m).containers
    .filter((c) => (typeof c.container.image === 'string' && c.container.image.includes('argoproj/argocli'))
      || (m.metadata?.name === 'argo-server' && strings(c.container.args)[0] === 'server'))
    .map((c) => ({ args: strings(c.container.args), path: `${c.path}.args` }));
}

/** The values of a repeatable flag: `--flag=value` or `--flag value`. */
function flagValues(args: string[], flag: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
    else if (a === flag && i + 1 < args.length) out.push(args[i + 1]);
  });
  return out;
}

export const WF_TEMPLATE_REFERENCING = rule(PACK, {
  id: 'WF-TEMPLATE-REFERENCING',
  level: PolicyLevel.WARNING,
  title: 'Workflows may only run reviewed WorkflowTemplates',
  why: 'Otherwise anyone who may create a workflow runs any pod spec with any service account of the namespace and mounts any of its Secrets.',
  fix: 'Set workflowRestrictions.templateReferencing: Secure (or Strict) in workflow-controller-configmap.',
  check: (m) => {
    const config = controllerConfig(m);
    if (!config) return [];
    const mode = config.workflowRestrictions?.templateReferencing;
    return mode === 'Strict' || mode === 'Secure' ? [] : [violation('data.workflowRestrictions', 'templateReferencing is not Strict or Secure')];
  },
});

export const WF_SSO_INSECURE = rule(PACK, {
  id: 'WF-SSO-INSECURE',
  title: 'argo-server verifies the identity provider\'s certificate',
  why: 'Without verification, anyone on the path can impersonate the identity provider and sign in as anyone.',
  fix: 'Remove sso.insecureSkipVerify; give the provider\'s CA as sso.rootCA.',
  check: (m) => (controllerConfig(m)?.sso?.insecureSkipVerify === true ? [violation('data.sso', 'insecureSkipVerify is true')] : []),
});

export const WF_SERVER_AUTH_MODE = rule(PACK, {
  id: 'WF-SERVER-AUTH-MODE',
  title: 'argo-server does not run in server auth mode',
  why: '--auth-mode=server makes every request use the server\'s own service account: anyone who reaches the UI can do what argo-server can.',
  fix: 'Use --auth-mode=sso (and client for the CLI); SecureArgoWorkflows writes these flags.',
  check: (m) => argoServerArgs(m).filter(({ args }) => flagValues(args, '--auth-mode').includes('server'))
    .map(({ path }) => violation(path, '--auth-mode=server')),
});

export const WF_SERVER_INSECURE = rule(PACK, {
  id: 'WF-SERVER-INSECURE',
  title: 'argo-server serves TLS',
  why: 'With --secure=false, tokens and workflow logs travel in clear text.',
  fix: 'Remove --secure=false; give a certificate with --tls-certificate-secret-name.',
  check: (m) => argoServerArgs(m).filter(({ args }) => flagValues(args, '--secure').includes('false') || args.includes('--secure=false'))
    .map(({ path }) => violation(path, '--secure=false')),
});

function podSpecPatches(value: unknown, path: string, out: Violation[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => podSpecPatches(v, `${path}[${i}]`, out));
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'podSpecPatch') out.push(violation(`${path}.${k}`, 'podSpecPatch is not allowed: it can undo the pod hardening'));
      else podSpecPatches(v, `${path}.${k}`, out);
    }
  }
}

export const WF_POD_SPEC_PATCH = rule(PACK, {
  id: 'WF-POD-SPEC-PATCH',
  title: 'Workflows do not patch their pod specs',
  why: 'podSpecPatch is applied after everything else and can undo any hardening (privileged, hostPath, another service account).',
  fix: 'Express the change with template fields (securityContext, volumes, resources) that the other rules can check.',
  check: (m) => {
    if (!WORKFLOW_KINDS.has(m.kind)) return [];
    const out: Violation[] = [];
    podSpecPatches(m.spec, 'spec', out);
    return out;
  },
});

export const WF_RULES: RuleDefinition[] = [WF_TEMPLATE_REFERENCING, WF_SSO_INSECURE, WF_SERVER_AUTH_MODE, WF_SERVER_INSECURE, WF_POD_SPEC_PATCH];
