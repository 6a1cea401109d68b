import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IAppProject } from './app-project';
import { brand } from './private/brands';
import { registerProjectDestinations } from './private/project-matching';
import { claimUnique, PROJECT_FIX } from './private/unique';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import * as l1 from '../imports/argocd-argoproj.io';
import { registerLibraryConstruct } from '../private/stamp';
import { requireDns1123Subdomain } from '../private/validate';

/**
 * Replaces Argo CD's wide-open `default` AppProject (every source, every destination) with one
 * that permits nothing: no sources, no destinations, no resources. Applications must then name
 * a real project.
 */
export class LockedDownDefaultProject extends Construct implements IAppProject {
  /** Always `default`. */
  public readonly projectName = 'default';
  /** The namespace Argo CD runs in. */
  public readonly namespace: string;
  /** Always true: this project permits nothing. */
  public readonly rulesKnown = true;
  /** The synthesized AppProject `default`. */
  public readonly apiObject: ApiObject;

  /**
   * @param namespace the namespace Argo CD runs in
   * @default namespace 'argocd'
   */
  public constructor(scope: Construct, id: string, namespace: string = 'argocd') {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    brand(this, 'AppProject');
    // SecureArgoCD's selfManagement looks for it in Argo CD's namespace.
    brand(this, 'LockedDownDefaultProject');
    this.namespace = requireDns1123Subdomain(this, 'namespace', namespace);
    registerProjectDestinations(this, []);
    claimUnique(this, 'namespace', `AppProject 'default' in namespace '${this.namespace}'`, PROJECT_FIX);
    this.apiObject = new l1.AppProject(this, 'Resource', {
      metadata: {
        name: 'default',
        namespace,
        labels: standardLabels({ name: 'default', partOf: 'argocd', component: 'appproject' }),
      },
      spec: {
        description: 'Locked down: use a dedicated project',
        sourceRepos: [],
        destinations: [],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [],
        // Argo CD writes projects back with `omitempty`: an edit through its API drops the empty
        // whitelists, and an unset namespaced whitelist allows every kind. These survive that.
        clusterResourceBlacklist: [{ group: '*', kind: '*' }],
        namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
      },
    });
    applySyncWave(this.apiObject, SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
  }

  /** Always false: the locked-down project permits no repository. */
  public isSourcePermitted(_repoUrl: string): boolean {
    return false;
  }

  /** Always false: the locked-down project permits no destination. */
  public isDestinationPermitted(_namespace: string, _server?: string, _name?: string): boolean {
    return false;
  }

  /** Always false: the locked-down project permits no cluster-scoped resource. */
  public isClusterResourcePermitted(_group: string, _kind: string, _name: string): boolean {
    return false;
  }

  /** True only for Argo CD's own namespace. */
  public isSourceNamespacePermitted(namespace: string): boolean {
    return namespace === this.namespace;
  }
}
