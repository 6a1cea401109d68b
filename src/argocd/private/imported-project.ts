import { Construct } from 'constructs';
import { brand } from './brands';
import { requireDns1123Subdomain } from '../../private/validate';
import type { IAppProject } from '../app-project';

/** An AppProject that lives elsewhere (`ProjectWithRoles.fromProjectName`): its rules are unknown here. */
export class ImportedAppProject extends Construct implements IAppProject {
  public readonly projectName: string;
  public readonly namespace: string;
  public readonly rulesKnown = false;

  public constructor(scope: Construct, id: string, name: string, namespace: string) {
    super(scope, id);
    brand(this, 'AppProject');
    this.projectName = requireDns1123Subdomain(this, 'name', name);
    this.namespace = requireDns1123Subdomain(this, 'namespace', namespace);
  }

  public isSourcePermitted(): boolean {
    return true;
  }

  public isDestinationPermitted(): boolean {
    return true;
  }

  public isClusterResourcePermitted(): boolean {
    return true;
  }

  public isSourceNamespacePermitted(): boolean {
    return true;
  }
}
