// What SecureArgoCD's selfManagement emits: the AppProject and Application `argocd-platform`
// and the controller's name-restricted RBAC, all computed from the install's charts at synth
// (the install adds objects while the app is validated).
import { ApiObject, App, Chart, Lazy, Names, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { hasBrand } from './brands';
import { IN_CLUSTER_SERVER } from './names';
import { checkEscalations } from './project-escalation';
import { claimUnique, PROJECT_FIX } from './unique';
import { LABEL_PART_OF, standardLabels } from '../../core/labels';
import { applySyncWave, SyncWave } from '../../core/sync-wave';
import { toJson_ApplicationSpecSource } from '../../imports/argocd-argoproj.io';
import { reasonProblem, recordAcceptedRisk } from '../../private/accepted-risks';
import { ConfigurationError, deferredChecks } from '../../private/errors';
import { registerDerivation, registerLibraryConstruct } from '../../private/stamp';
import { quoted } from '../../private/validate';
import { InstallBinding, InstallObjectRef, InstallRole, SelfManagementRules, selfManagementRules } from '../install/private/self-management-rbac';
import type { ArgoCdSelfManagement } from '../self-management';

/** The name of the AppProject and the Application. */
export const SELF_MANAGEMENT_NAME = 'argocd-platform';
/** The name of the controller's self-management Roles, ClusterRole and their bindings. */
export const SELF_MANAGEMENT_RBAC_NAME = 'argocd-self-management';
const CONTROLLER = 'argocd-application-controller';
const RBAC_API = 'rbac.authorization.k8s.io';

/** Props for {@link SelfManagementResources}. */
export interface SelfManagementResourcesProps {
  readonly selfManagement: ArgoCdSelfManagement;
  /** Argo CD's namespace. */
  readonly namespace: string;
  /** The charts whose files make up the install (SecureArgoCD's and its CRD chart). */
  readonly charts: Chart[];
  /** The constructs whose objects are the install (SecureArgoCD and its CRDs). */
  readonly install: IConstruct[];
}

/**
 * True for an object of Argo CD's self-management (its project and RBAC grant by object name):
 * the access derivations leave them out.
 */
export function isSelfManagementObject(c: IConstruct): boolean {
  return c.node.scopes.some((s) => s instanceof SelfManagementResources);
}

/**
 * The objects that let Argo CD sync its own installation. Problems are reported on `scope`
 * (SecureArgoCD) under `selfManagement`.
 */
export class SelfManagementResources extends Construct {
  private readonly props: SelfManagementResourcesProps;
  private rules?: SelfManagementRules;

  public constructor(scope: Construct, id: string, props: SelfManagementResourcesProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    this.props = props;
    const { selfManagement, namespace } = props;
    const checks = deferredChecks(scope);
    claimUnique(scope, 'selfManagement', `AppProject '${SELF_MANAGEMENT_NAME}' in namespace '${namespace}'`, PROJECT_FIX);
    const reasonOk = checks.check('selfManagement.reason', reasonProblem(selfManagement.reason, 'why Argo CD manages its own installation'));
    const source = toJson_ApplicationSpecSource(selfManagement._source._render(scope, 'selfManagement'))!;

    const project = new ApiObject(this, 'Project', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: SELF_MANAGEMENT_NAME, namespace, labels: standardLabels({ name: SELF_MANAGEMENT_NAME, partOf: 'argocd', component: 'appproject' }) },
      spec: Lazy.any({ produce: () => this.projectSpec() }),
    });
    // The project admits RBAC, Argo CD's own kinds and Argo CD's namespace: the opt-ins the
    // project guards ask for, recorded with the self-management reason.
    if (reasonOk) {
      recordAcceptedRisk(project, 'selfManagement', selfManagement.reason);
      const ack = { reason: selfManagement.reason };
      checkEscalations(this, project, namespace, {
        allowRbacResources: ack, allowArgoCdResources: ack, allowArgoCdNamespaceDestination: ack, destinations: [],
      });
    }
    applySyncWave(project, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);

    const application = new ApiObject(this, 'Application', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      // No resources finalizer: deleting the Application must never delete Argo CD.
      metadata: { name: SELF_MANAGEMENT_NAME, namespace, labels: standardLabels({ name: SELF_MANAGEMENT_NAME, partOf: 'argocd', component: 'application' }) },
      spec: {
        project: SELF_MANAGEMENT_NAME,
        source: { ...source, directory: { include: Lazy.any({ produce: () => this.includedFiles() }) } },
        destination: { server: IN_CLUSTER_SERVER, namespace },
        syncPolicy: {
          // No pruning: the controller may delete nothing (an object the output no longer
          // contains has no name in its RBAC); remove such objects by hand after the diff.
          automated: { prune: false, selfHeal: true },
          syncOptions: ['ServerSideApply=true'],
          retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
        },
      },
    });
    if (reasonOk) recordAcceptedRisk(application, 'selfManagement', selfManagement.reason);
    applySyncWave(application, SyncWave.APPLICATIONS);

    // After the other derivations (the install's Roles, destination clusters' objects), which add what this one reads.
    registerDerivation(this, () => [...this.emitRbac(), ...this.defaultProjectProblems()], { afterOthers: true });
  }

  /**
   * The controller may write Argo CD's namespace (Secrets, ConfigMaps, Applications, projects):
   * a project that reaches it could rewrite Argo CD. Argo CD creates its built-in `default`
   * project with every source, destination and cluster-scoped kind unless one exists.
   */
  private defaultProjectProblems(): string[] {
    const { namespace } = this.props;
    const locked = this.node.root.node.findAll().some((c) => hasBrand(c, 'LockedDownDefaultProject') && (c as unknown as { namespace: string }).namespace === namespace);
    if (locked) return [];
    return [new ConfigurationError(this.node.scope!, 'selfManagement', `Argo CD's built-in project 'default' is not locked down in namespace ${quoted(namespace)}: `
      + 'Argo CD creates it with every repository, destination and cluster-scoped kind, and with selfManagement the controller may write '
      + "Argo CD's own Secrets, ConfigMaps and projects there, so an Application of 'default' could rewrite Argo CD and its RBAC. "
      + `Add new LockedDownDefaultProject(chart, 'DefaultProject', ${quoted(namespace)}) to the app`).message];
  }

  /**
   * Runs after the other derivations (the install's adds its derived Roles), so every namespace
   * the install writes to is known: one Role there, one ClusterRole.
   */
  private emitRbac(): string[] {
    const app = App.of(this);
    const problems: string[] = [];
    const where = `SecureArgoCD '${this.node.scope!.node.path}': selfManagement:`;
    if (app.yamlOutputType !== YamlOutputType.FILE_PER_CHART) {
      problems.push(`${where} the Application reads the committed files of the install's charts: synthesize with yamlOutputType FILE_PER_CHART (the default)`);
    }
    problems.push(...this.foreignObjectProblems(where));
    const derived = selfManagementRules(this.installObjects().map(refOf), [], [], { name: CONTROLLER, namespace: this.props.namespace }, () => false);
    problems.push(...derived.problems.map((p) => `${where} ${p}`));
    const labels = { ...standardLabels({ name: SELF_MANAGEMENT_RBAC_NAME, component: 'self-management' }), [LABEL_PART_OF]: 'argocd' };
    const subjects = [{ kind: 'ServiceAccount', name: CONTROLLER, namespace: this.props.namespace }];
    const namespaces = [...new Set([this.props.namespace, ...derived.namespaces.keys()])].sort();
    for (const namespace of namespaces) {
      const role = new ApiObject(this, `Role-${namespace}`, {
        apiVersion: `${RBAC_API}/v1`,
        kind: 'Role',
        metadata: { name: SELF_MANAGEMENT_RBAC_NAME, namespace, labels },
        rules: Lazy.any({ produce: () => this.computedRules().namespaces.get(namespace) ?? [] }),
      });
      const binding = new ApiObject(this, `RoleBinding-${namespace}`, {
        apiVersion: `${RBAC_API}/v1`,
        kind: 'RoleBinding',
        metadata: { name: SELF_MANAGEMENT_RBAC_NAME, namespace, labels },
        roleRef: { apiGroup: RBAC_API, kind: 'Role', name: SELF_MANAGEMENT_RBAC_NAME },
        subjects,
      });
      applySyncWave(role, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
      applySyncWave(binding, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    }
    const clusterRole = new ApiObject(this, 'ClusterRole', {
      apiVersion: `${RBAC_API}/v1`,
      kind: 'ClusterRole',
      metadata: { name: SELF_MANAGEMENT_RBAC_NAME, labels },
      rules: Lazy.any({ produce: () => this.computedRules().cluster }),
    });
    const clusterBinding = new ApiObject(this, 'ClusterRoleBinding', {
      apiVersion: `${RBAC_API}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: SELF_MANAGEMENT_RBAC_NAME, labels },
      roleRef: { apiGroup: RBAC_API, kind: 'ClusterRole', name: SELF_MANAGEMENT_RBAC_NAME },
      subjects,
    });
    applySyncWave(clusterRole, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    applySyncWave(clusterBinding, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    return problems;
  }

  /** Every object of the install's charts, in a stable order. */
  private chartObjects(): ApiObject[] {
    const charts = this.props.charts;
    return charts.flatMap((chart) => chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart))
      .sort((a, b) => a.node.path.localeCompare(b.node.path));
  }

  /**
   * The objects the Application syncs: the install's own, and the chart's other objects in Argo
   * CD's namespace (its repositories, their Secrets, the locked-down `default` project).
   */
  private installObjects(): ApiObject[] {
    return this.chartObjects().filter((o) => !this.isForeign(o));
  }

  /** True for an object of the charts that is neither the install's nor in Argo CD's namespace. */
  private isForeign(o: ApiObject): boolean {
    return o.metadata.namespace !== this.props.namespace && !this.props.install.some((owner) => o.node.scopes.includes(owner));
  }

  /**
   * The Application syncs the charts' files whole: another product's objects there would be
   * synced by Argo CD with rights granted for them (another install's roles included).
   */
  private foreignObjectProblems(where: string): string[] {
    const foreign = this.chartObjects().filter((o) => this.isForeign(o));
    if (foreign.length === 0) return [];
    const shown = foreign.slice(0, 3).map((o) => `${o.kind} ${quoted(o.metadata.namespace ? `${o.metadata.namespace}/${o.name}` : o.name)} ('${o.node.path}')`);
    return [`${where} the chart holds ${foreign.length} object${foreign.length === 1 ? '' : 's'} outside Argo CD's namespace that are not part of the install `
      + `(${shown.join(', ')}${foreign.length > 3 ? ', ...' : ''}), and the Application would sync them with the controller's rights: `
      + "give SecureArgoCD a chart of its own (objects in Argo CD's namespace, such as repositories and LockedDownDefaultProject, may stay in it)"];
  }

  /** The rules, computed once, when the first self-management role is written. */
  private computedRules(): SelfManagementRules {
    if (this.rules) return this.rules;
    const objects = this.installObjects();
    const own = (o: { kind: string; name: string }) => (o.kind === 'Role' || o.kind === 'ClusterRole') && o.name === SELF_MANAGEMENT_RBAC_NAME;
    const isRbac = (o: ApiObject) => o.apiGroup === RBAC_API;
    const roles: InstallRole[] = objects.filter((o) => isRbac(o) && (o.kind === 'Role' || o.kind === 'ClusterRole') && !own({ kind: o.kind, name: o.name }))
      .map((o) => ({ kind: o.kind, name: o.name, namespace: o.metadata.namespace, rules: o.toJson().rules ?? [] }));
    const bindings: InstallBinding[] = objects.filter((o) => isRbac(o) && (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding'))
      .map((o) => {
        const json = o.toJson();
        return { kind: o.kind, namespace: o.metadata.namespace, roleRef: json.roleRef, subjects: json.subjects ?? [] };
      });
    this.rules = selfManagementRules(objects.map(refOf), roles, bindings, { name: CONTROLLER, namespace: this.props.namespace }, own);
    return this.rules;
  }

  private projectSpec(): unknown {
    const objects = this.installObjects().map(refOf);
    const namespaces = [...new Set(objects.flatMap((o) => (o.namespace === undefined ? [] : [o.namespace])))].sort();
    const kinds = new Map<string, { group: string; kind: string }>();
    for (const o of objects) if (o.namespace !== undefined) kinds.set(`${o.group}/${o.kind}`, { group: o.group, kind: o.kind });
    const clusterObjects = objects.filter((o) => o.namespace === undefined)
      .map((o) => ({ group: o.group, kind: o.kind, name: o.name }))
      .sort((a, b) => `${a.group}/${a.kind}/${a.name}`.localeCompare(`${b.group}/${b.kind}/${b.name}`));
    return {
      description: "Argo CD's own installation (SecureArgoCD selfManagement): only global admins sync it",
      sourceRepos: [this.props.selfManagement.repoUrl],
      destinations: namespaces.map((namespace) => ({ server: IN_CLUSTER_SERVER, namespace })),
      clusterResourceWhitelist: clusterObjects,
      namespaceResourceWhitelist: [...kinds.keys()].sort().map((key) => kinds.get(key)!),
    };
  }

  /** The files cdk8s writes for the install's charts (`NNNN-<chart>.k8s.yaml`: the charts depend on each other, so they are numbered). */
  private includedFiles(): string {
    const app = App.of(this);
    const files = app.charts.flatMap((chart, i) => (this.props.charts.includes(chart)
      ? [`${String(i).padStart(4, '0')}-${Names.toDnsLabel(chart)}${app.outputFileExtension}`] : []));
    return `{${files.join(',')}}`;
  }
}

function refOf(o: ApiObject): InstallObjectRef {
  // cdk8s names the core group 'core'; RBAC and Argo CD write ''.
  return { group: o.apiGroup === 'core' ? '' : o.apiGroup, kind: o.kind, name: o.name, namespace: o.metadata.namespace };
}
