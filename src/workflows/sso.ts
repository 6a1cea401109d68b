import { Duration } from 'cdk8s';
import { WorkflowsAccessRole } from './enums';
import { SecretKeyRef } from '../secrets';
import { OidcSso } from '../sso';

/** Maps one IdP group list to one access role through SSO RBAC. */
export interface WorkflowsSsoRoleMapping {
  /** The role members of these groups get. */
  readonly role: WorkflowsAccessRole;
  /**
   * IdP group names (`groups` claim), as the provider sends them (spaces and non-ASCII letters
   * included). They are quoted into the rbac-rule expression, so quotes, backslashes and line
   * breaks are refused.
   */
  readonly groups: string[];
  /**
   * The rbac-rule precedence; when several rules match, argo-server uses the highest.
   * @default 30 for ADMIN, 20 for SUBMITTER, 10 for VIEWER
   */
  readonly precedence?: number;
}

/** Single sign-on for argo-server (the `sso` key of the controller ConfigMap). */
export interface WorkflowsSsoOptions {
  /**
   * The OIDC provider. Argo Workflows speaks OIDC directly: a Dex-kind provider is refused (use
   * Argo CD's Dex as a plain OIDC issuer, `https://<argocd>/api/dex`, with `OidcSso.oidc`).
   */
  readonly provider: OidcSso;
  /** The browser-facing https URL of argo-server; the redirect URL is `<serverUrl>/oauth2/callback`. */
  readonly serverUrl: string;
  /**
   * The provider's client ID (`provider.clientId`), stored in a Secret of the install namespace:
   * argo-server reads the client ID only from a Secret.
   */
  readonly clientIdRef: SecretKeyRef;
  /**
   * How long a login lasts.
   * @default Duration.hours(8)
   */
  readonly sessionExpiry?: Duration;
  /**
   * Which IdP groups get which role. A user matching no rule is denied.
   * @default - nobody is allowed in through SSO
   */
  readonly roles?: WorkflowsSsoRoleMapping[];
}

/** An SSO RBAC service account of an install: argo-server maps users in its groups to it. */
export interface WorkflowsSsoAccount {
  /** The role the account carries. */
  readonly role: WorkflowsAccessRole;
  /** The service account name (`argo-sso-<role>`). */
  readonly serviceAccountName: string;
  /** The IdP groups mapped to it, sorted. */
  readonly groups: string[];
  /** Its rbac-rule precedence. */
  readonly precedence: number;
}
