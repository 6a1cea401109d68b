import { Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ContainerImage } from '../core/container-image';
import { ContainerResources } from '../core/container-resources';
import { CronSchedule } from '../core/cron-schedule';
import { standardLabels } from '../core/labels';
import { bindFactoryProblems, invalid, recordFactoryProblem } from '../private/errors';
import { boundRole, grantRules, ReadGrant } from '../private/kube';
import { registerLibraryConstruct } from '../private/stamp';
import { dns1123LabelProblem, dns1123SubdomainProblem, goNumberProblem, httpsUrlProblem, integerProblem, quoted, requireDns1123Label } from '../private/validate';
import { SecretKeyRef, SecretOrigin } from '../secrets';
import { IArgoWorkflowsInstall } from '../workflows/argo-workflows-install';
import {
  cronSchedules, grantTaskResults, operationsCronWorkflow, refuseUnmanagedNamespace, requireCronWorkflowName, requireTimeZone,
  scriptTemplateContainer, secretEnv,
} from './private/cron-workflow';
import { ROTATE_SCRIPT } from './private/secret-rotation-scripts';

/** How the rotation workflow reaches Vault (KV v2, Kubernetes auth). */
export interface VaultConnection {
  /** Vault's address, e.g. `https://vault.example.com:8200` (https only). */
  readonly address: string;
  /**
   * The Vault role of the Kubernetes auth method, bound to the rotation service account. The
   * rotation logs in with a service account token for the audience `vault` (not the API
   * server's), so the role must set `audience=vault`.
   */
  readonly role: string;
  /**
   * Where the Kubernetes auth method is mounted.
   * @default 'kubernetes'
   */
  readonly authMountPath?: string;
  /**
   * Where the KV version 2 engine is mounted.
   * @default 'secret'
   */
  readonly kvMountPath?: string;
  /**
   * The CA certificate (PEM) Vault's TLS certificate chains to, from a Secret key in the
   * workflow's namespace.
   * @default - the image's trust store
   */
  readonly caCertificate?: SecretKeyRef;
}

/** Options for {@link SecretRotation.vaultExternalSecret}. */
export interface VaultExternalSecretRotationOptions {
  /** The namespace of the ExternalSecret (and of the deployments to restart). */
  readonly namespace: string;
  /** The ExternalSecret that reads the value from Vault. */
  readonly externalSecretName: string;
  /** The secret's path inside the KV v2 mount, e.g. `apps/web/db`. */
  readonly vaultPath: string;
  /** The property (field) of the Vault secret to replace, e.g. `password`. */
  readonly vaultProperty: string;
  /**
   * Length of the new value, in characters from [A-Za-z0-9].
   * @default 32
   */
  readonly length?: number;
  /**
   * Deployments in `namespace` restarted once the new value is in the Kubernetes Secret.
   * @default - none
   */
  readonly restartDeployments?: string[];
}

/** Options for {@link SecretRotation.kubernetesSecret}. */
export interface KubernetesSecretRotationOptions {
  /**
   * The Secret key to replace. It must be a Secret nothing else manages (not sealed, not
   * external, not tracked by Argo CD, not from Helm); its namespace defaults to the workflow's.
   */
  readonly secret: SecretKeyRef;
  /**
   * Length of the new value, in characters from [A-Za-z0-9].
   * @default 32
   */
  readonly length?: number;
  /**
   * Deployments in the Secret's namespace restarted after the change.
   * @default - none
   */
  readonly restartDeployments?: string[];
}

/** Where the Vault login token is mounted, and its volume: audience `vault`, ten minutes (the shortest Kubernetes issues). */
const VAULT_TOKEN_DIR = '/var/run/secrets/vault';
const VAULT_TOKEN_VOLUME = {
  name: 'vault-token',
  projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 600 } }] },
};

const VAULT_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
const PROPERTY = /^[-._a-zA-Z0-9]+$/;
const NAME_MAX = 40;

/** Problems a factory found, recorded on the rotation it returns. */
type Problems = [property: string, problem: string | undefined][];

/**
 * One secret to rotate: where its value lives and what to restart afterwards. Problems with a
 * factory's options are reported when the app is synthesized, with the path of the workflow and
 * the property (e.g. `rotations[0].vaultPath`).
 */
export class SecretRotation {
  /**
   * A secret that External Secrets Operator syncs from Vault KV v2: the new value is written to
   * Vault (the source of truth, so GitOps and ESO agree with it), then the ExternalSecret is
   * annotated `force-sync` and the workflow waits until ESO has refreshed the Secret.
   *
   * Only for values that the restarted workloads alone check (signing keys, cookie secrets):
   * nothing here changes a password in a database or another service, so rotating one of those
   * would lock the app out. Use Vault's database secrets engine for database credentials.
   * @param name names the DAG task (DNS-1123 label, at most 40 characters)
   */
  public static vaultExternalSecret(name: string, options: VaultExternalSecretRotationOptions): SecretRotation {
    const namespace = options.namespace;
    const externalSecret = options.externalSecretName;
    const problems: Problems = [
      ['namespace', dns1123LabelProblem(namespace)],
      ['externalSecretName', dns1123SubdomainProblem(externalSecret)],
      ['vaultPath', !VAULT_PATH.test(options.vaultPath) || options.vaultPath.split('/').includes('..')
        ? `${quoted(options.vaultPath)} is not a Vault path: use segments of letters, digits, '.', '_' and '-', e.g. 'apps/web/db'` : goNumberProblem(options.vaultPath)],
      ['vaultProperty', PROPERTY.test(options.vaultProperty)
        ? goNumberProblem(options.vaultProperty) : `${quoted(options.vaultProperty)} is not a property name: use letters, digits, '-', '_' and '.'`],
    ];
    const deployments = restartList(options.restartDeployments, problems);
    return new SecretRotation(name, 'vault', namespace, length(options.length, problems), deployments, {
      EXTERNAL_SECRET: externalSecret,
      VAULT_PATH: options.vaultPath,
      VAULT_PROPERTY: options.vaultProperty,
    }, [
      { apiGroup: 'external-secrets.io', resources: ['externalsecrets'], namespace, resourceNames: [externalSecret], verbs: ['get', 'patch'] },
    ], problems);
  }

  /**
   * A Kubernetes Secret that nothing else manages: the workflow patches the key directly. At
   * run time it refuses Secrets that Argo CD tracks or applies, that a SealedSecret or
   * ExternalSecret owns, or that Helm or Flux manage, because they would put the old value back.
   * @param name names the DAG task (DNS-1123 label, at most 40 characters)
   */
  public static kubernetesSecret(name: string, options: KubernetesSecretRotationOptions): SecretRotation {
    const ref = options.secret;
    const problems: Problems = [];
    if (ref.origin !== SecretOrigin.EXISTING) {
      problems.push(['secret', `${ref} is produced by a ${ref.origin === SecretOrigin.SEALED ? 'SealedSecret' : 'ExternalSecret'}, which would restore the old value: rotate it at its source (use SecretRotation.vaultExternalSecret for Vault)`]);
    }
    const deployments = restartList(options.restartDeployments, problems);
    return new SecretRotation(name, 'secret', ref.namespace, length(options.length, problems), deployments, {
      SECRET_KEY: ref.key,
      SECRET_NAME: ref.secretName,
    }, [
      { apiGroup: '', resources: ['secrets'], namespace: ref.namespace, resourceNames: [ref.secretName], verbs: ['get', 'patch'] },
    ], problems, ref);
  }

  /** The rotation's name. */
  public readonly name: string;
  /** @internal */
  public readonly _kind: 'vault' | 'secret';
  /** @internal */
  public readonly _namespace: string | undefined;
  /** @internal */
  public readonly _length: number;
  /** @internal */
  public readonly _restartDeployments: string[];
  /** @internal */
  public readonly _env: Record<string, string>;
  /** @internal */
  public readonly _grants: ReadGrant[];
  /** The rotated Secret key, reported by the CronWorkflow that binds it. @internal */
  public readonly _secret: SecretKeyRef | undefined;

  private constructor(name: string, kind: 'vault' | 'secret', namespace: string | undefined, valueLength: number,
    restartDeployments: string[], env: Record<string, string>, grants: ReadGrant[], problems: Problems, secret?: SecretKeyRef) {
    this.name = name;
    this._kind = kind;
    this._namespace = namespace;
    this._length = valueLength;
    this._restartDeployments = restartDeployments;
    this._env = env;
    this._grants = grants;
    this._secret = secret;
    const nameProblem = dns1123LabelProblem(name) ?? (name.length > NAME_MAX ? `${quoted(name)} is longer than ${NAME_MAX} characters` : undefined);
    for (const [property, problem] of [['name', nameProblem] as const, ...problems]) {
      if (problem !== undefined) recordFactoryProblem(this, property, problem);
    }
  }
}

/** Properties of a {@link SecretRotationCronWorkflow}. */
export interface SecretRotationCronWorkflowProps {
  /** The namespace the CronWorkflow, its service account and pods live in (managed by Argo Workflows). */
  readonly namespace: string;
  /**
   * The Argo Workflows install whose controller runs this CronWorkflow. At synth, `namespace` is
   * refused when it is the install namespace or not one of the install's
   * HardenedWorkflowNamespaces (the CronWorkflow would never run).
   * @default - every SecureArgoWorkflows of the app (none: not checked)
   */
  readonly workflows?: IArgoWorkflowsInstall;
  /**
   * The CronWorkflow's name (at most 52 characters).
   * @default 'secret-rotation'
   */
  readonly name?: string;
  /**
   * The image, pinned by digest. It must contain sh, kubectl, jq 1.6+, curl, tr, head, date,
   * sleep, mktemp and rm (the vault CLI is not needed: Vault is called over its HTTP API).
   */
  readonly image: ContainerImage;
  /** The secrets to rotate, in parallel. */
  readonly rotations: SecretRotation[];
  /**
   * How to reach Vault; required when a rotation writes to Vault.
   * @default - no Vault
   */
  readonly vault?: VaultConnection;
  /**
   * When the rotation runs.
   * @default [CronSchedule.monthly(1, 3)] - 03:00 on the first day of each month
   */
  readonly schedules?: CronSchedule[];
  /**
   * IANA time zone of the schedules, e.g. `Europe/Berlin`.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * How late a missed run may still start (whole seconds).
   * @default Duration.minutes(10)
   */
  readonly startingDeadline?: Duration;
  /**
   * Completed workflows kept.
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed workflows kept.
   * @default 3
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * CPU and memory of each step.
   * @default 50m/250m CPU, 32Mi/128Mi memory
   */
  readonly resources?: ContainerResources;
}

/**
 * Rotates secrets on a schedule without fighting GitOps: values from Vault are changed in
 * Vault and pulled in by External Secrets Operator; plain Secrets that nothing manages are
 * patched. Named deployments are restarted afterwards.
 *
 * New values are generated in the pod and never logged. The service account may touch only
 * the named Secrets, ExternalSecrets and Deployments (`resourceNames`), in their namespaces.
 */
export class SecretRotationCronWorkflow extends Construct {
  /** The CronWorkflow's name. */
  public readonly name: string;
  /** The namespace it runs in. */
  public readonly namespace: string;
  /** The service account the rotation pods run as. */
  public readonly serviceAccountName: string;

  public constructor(scope: Construct, id: string, props: SecretRotationCronWorkflowProps) {
    super(scope, id);
    registerLibraryConstruct(this);
    this.namespace = requireDns1123Label(this, 'namespace', props.namespace);
    refuseUnmanagedNamespace(this, this.namespace, props.workflows);
    this.name = requireCronWorkflowName(this, props.name ?? 'secret-rotation');
    if (props.rotations.length === 0) invalid(this, 'rotations', 'is empty: give at least one SecretRotation');
    const names = new Set<string>();
    props.rotations.forEach((rotation, i) => {
      if (names.has(rotation.name)) invalid(this, 'rotations', `two rotations are named '${rotation.name}': names must be unique`);
      names.add(rotation.name);
      bindFactoryProblems(this, `rotations[${i}]`, rotation);
      if (rotation._secret) SecretKeyRef._require(this, `rotations[${i}].secret`, rotation._secret);
    });
    const vault = props.vault ? vaultEnv(this, props.vault, this.namespace) : undefined;
    if (!vault && props.rotations.some((r) => r._kind === 'vault')) {
      invalid(this, 'vault', 'is missing: a rotation writes to Vault, so give the Vault address and role');
    }
    const schedules = cronSchedules(this, props.schedules ?? [CronSchedule.monthly(1, 3)]);
    const timeZone = requireTimeZone(this, props.timeZone ?? 'UTC');
    bindFactoryProblems(this, 'image', props.image);
    const resources = props.resources ?? {
      cpuRequest: Cpu.millis(50),
      cpuLimit: Cpu.millis(250),
      memoryRequest: Size.mebibytes(32),
      memoryLimit: Size.mebibytes(128),
    };
    const labels = standardLabels({ name: this.name, component: 'secret-rotation' });
    this.serviceAccountName = this.name;

    const targets = props.rotations.map((rotation) => ({ rotation, namespace: rotation._namespace ?? this.namespace }));
    this.createRbac(targets, labels);

    const templates = targets.map(({ rotation, namespace }) => {
      const toVault = rotation._kind === 'vault';
      return {
        name: `rotate-${rotation.name}`,
        script: scriptTemplateContainer(this, {
          image: props.image,
          source: ROTATE_SCRIPT,
          env: [
            ...Object.entries({
              ...rotation._env,
              ...(toVault ? { ...vault!.values, VAULT_TOKEN_FILE: `${VAULT_TOKEN_DIR}/token` } : {}),
              RESTART_DEPLOYMENTS: rotation._restartDeployments.join(' '),
              ROTATION_KIND: rotation._kind,
              ROTATION_NAME: rotation.name,
              TARGET_NAMESPACE: namespace,
              VALUE_LENGTH: String(rotation._length),
            }).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value })),
            ...(toVault && vault!.caCertificate ? [vault!.caCertificate] : []),
          ],
          resources,
          volume: 'tmp',
          extraMounts: toVault ? [{ name: VAULT_TOKEN_VOLUME.name, mountPath: VAULT_TOKEN_DIR, readOnly: true }] : [],
        }),
      };
    });

    operationsCronWorkflow(this, this.name, this.namespace, labels, { ...props, schedules, timeZone }, {
      entrypoint: 'rotate',
      // Every step calls the API server with kubectl, which reads the API-audience token at its
      // in-cluster path: mounted. Set explicitly, with the executor's identity: a
      // controller-wide workflowDefaults (SecureArgoWorkflows sets automountServiceAccountToken
      // false and its own executor service account) would otherwise leave the steps without one.
      serviceAccountName: this.serviceAccountName,
      automountServiceAccountToken: true,
      executor: { serviceAccountName: this.serviceAccountName },
      volumes: [
        // Memory-backed: the Vault token passes through a file here.
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
        // Vault logs in with a token only Vault accepts (audience 'vault'), never with the
        // API-audience token kubectl uses: Vault (or anyone who reads what it receives) could
        // replay that one against the API server. Argo adds a workflow volume only to the pods
        // that mount it: the Vault steps.
        ...(vault ? [VAULT_TOKEN_VOLUME] : []),
      ],
      templates: [
        { name: 'rotate', dag: { tasks: props.rotations.map((r) => ({ name: r.name, template: `rotate-${r.name}` })) } },
        ...templates,
      ],
    });
  }

  private createRbac(targets: { rotation: SecretRotation; namespace: string }[], labels: Record<string, string>): void {
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.serviceAccountName, namespace: this.namespace, labels } });
    grantTaskResults(this, this.serviceAccountName, this.namespace, labels);
    const grants: ReadGrant[] = targets.flatMap(({ rotation, namespace }) => [
      ...rotation._grants.map((g) => ({ ...g, namespace })),
      ...(rotation._restartDeployments.length > 0
        // list and watch (with resourceNames, only as a metadata.name field selector) for rollout status.
        ? [{ apiGroup: 'apps', resources: ['deployments'], namespace, resourceNames: rotation._restartDeployments, verbs: ['get', 'list', 'patch', 'watch'] }]
        : []),
    ]);
    const namespaces = [...new Set(grants.map((g) => g.namespace!))].sort();
    for (const namespace of namespaces) {
      // Prefixed with our namespace: two workflows may rotate in the same namespace.
      const roleName = `${this.namespace}-${this.name}`;
      const inNamespace = grants.filter((g) => g.namespace === namespace);
      // One rule per resource, with every name it may touch.
      const merged = [...new Set(inNamespace.map((g) => `${g.apiGroup}|${g.resources[0]}`))].map((key) => {
        const same = inNamespace.filter((g) => `${g.apiGroup}|${g.resources[0]}` === key);
        return { ...same[0], resourceNames: same.flatMap((g) => g.resourceNames ?? []) };
      });
      boundRole(this, {
        roleId: `Role-${namespace}`,
        bindingId: `RoleBinding-${namespace}`,
        name: roleName,
        namespace,
        labels,
        rules: grantRules(merged),
        subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace }],
      });
    }
  }
}

function vaultEnv(scope: Construct, vault: VaultConnection, namespace: string): { values: Record<string, string>; caCertificate?: object } {
  const addressProblem = httpsUrlProblem(vault.address);
  if (addressProblem !== undefined || !/^https:\/\/[^/]+\/?$/.test(vault.address)) {
    invalid(scope, 'vault.address', addressProblem ?? `${quoted(vault.address)} has a path: give Vault's address only, e.g. https://vault.example.com:8200`);
  }
  const url = new URL(vault.address);
  const mount = (prop: string, value: string) => {
    const problem = VAULT_PATH.test(value) ? goNumberProblem(value) : undefined;
    if (problem) invalid(scope, `vault.${prop}`, problem);
    if (!VAULT_PATH.test(value)) invalid(scope, `vault.${prop}`, `${quoted(value)} is not a mount path: use segments of letters, digits, '.', '_' and '-'`);
    return value;
  };
  const roleProblem = PROPERTY.test(vault.role) ? goNumberProblem(vault.role) : undefined;
  if (roleProblem) invalid(scope, 'vault.role', roleProblem);
  if (!PROPERTY.test(vault.role)) invalid(scope, 'vault.role', `${quoted(vault.role)} is not a Vault role name: use letters, digits, '-', '_' and '.'`);
  const ca = vault.caCertificate;
  if (ca !== undefined) SecretKeyRef._require(scope, 'vault.caCertificate', ca);
  if (ca?.namespace !== undefined && ca.namespace !== namespace) {
    invalid(scope, 'vault.caCertificate', `Secret ${ca} is in another namespace: the rotation pods can only read Secrets in '${namespace}'`);
  }
  return {
    values: {
      VAULT_ADDR: url.origin,
      VAULT_AUTH_PATH: mount('authMountPath', vault.authMountPath ?? 'kubernetes'),
      VAULT_KV_MOUNT: mount('kvMountPath', vault.kvMountPath ?? 'secret'),
      VAULT_ROLE: vault.role,
    },
    caCertificate: secretEnv('VAULT_CACERT_PEM', ca),
  };
}

function restartList(deployments: string[] | undefined, problems: Problems): string[] {
  (deployments ?? []).forEach((d, i) => problems.push([`restartDeployments[${i}]`, dns1123SubdomainProblem(d)]));
  return [...new Set(deployments ?? [])].sort();
}

function length(value: number | undefined, problems: Problems): number {
  const n = value ?? 32;
  problems.push(['length', integerProblem(n, 16, 4096)]);
  return n;
}
