// Operations on Argo Workflows v4.1: secret rotation, the API server audit policy and daily
// compliance checks, built so that they work and are safe.
//
// Choices made on purpose (and how they differ from the usual published examples):
// - images are pinned by digest and contain every tool the scripts call (jq included);
// - each workflow has its own service account with exactly the access its steps need: the
//   compliance checks read (get/list) what they inspect, never Secrets; the rotation may touch
//   only the named Secret, ExternalSecret and Deployments;
// - findings pass as output parameters (no artifact repository needed); the webhook URL and
//   token come from a Secret, and the run fails when a check finds an ERROR;
// - rotation writes Vault-backed values to Vault and lets External Secrets refresh the Secret,
//   instead of patching a Secret that GitOps or an operator would put back;
// - `schedules` (a list) replaces `schedule`, which Argo Workflows v4 removed;
// - the audit policy records Secrets and ConfigMaps at Metadata only, RBAC and Argo writes (not
//   reads) with bodies, and leaves out the Argo controllers' own status churn.
import { createHash } from 'crypto';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  AuditLevel, AuditPolicy, ComplianceCheck, ComplianceCronWorkflow, ContainerImage, PolicySuppressions, SecretKeyRef,
  SecretRotation, SecretRotationCronWorkflow,
} from '../src';

/**
 * An EXAMPLE digest: the sha256 of the text 'example-image-<name>'. It is a well-formed digest so the
 * example synthesizes, but no registry holds an image with it: mirror the image into your registry
 * and pin the digest you reviewed (`crane digest <image>:<tag>`).
 */
function exampleDigest(name: string): string {
  return `sha256:${createHash('sha256').update(`example-image-${name}`).digest('hex')}`;
}
/** sh, kubectl, jq 1.6+ (and curl, openssl, base64 for the opt-in secret checks). */
const KUBECTL_JQ = ContainerImage.fromDigest('registry.example.com/ops/kubectl-jq', exampleDigest('kubectl-jq'), '1.31');
/** sh, jq 1.6+, curl. */
const CURL_JQ = ContainerImage.fromDigest('registry.example.com/ops/curl-jq', exampleDigest('curl-jq'), '8.11');
/** sh, kubectl, jq 1.6+, curl, tr, head, date, sleep. */
const ROTATOR = ContainerImage.fromDigest('registry.example.com/ops/kubectl-curl-jq', exampleDigest('kubectl-curl-jq'), '1.31');

/** The namespace both workflows run in: managed by Argo Workflows, not its controller's own. */
const NAMESPACE = 'ops';

export function build(app: App): void {
  const compliance = new Chart(app, 'operations-compliance');
  new ComplianceCronWorkflow(compliance, 'Compliance', {
    namespace: NAMESPACE,
    clusterName: 'prod-eu-1',
    checkImage: KUBECTL_JQ,
    reportImage: CURL_JQ,
    // Secret `compliance-webhook` (keys url, token) is created outside this app.
    webhookUrl: SecretKeyRef.fromExistingSecret('compliance-webhook', 'url'),
    webhookToken: SecretKeyRef.fromExistingSecret('compliance-webhook', 'token'),
    timeZone: 'Europe/Berlin',
    checks: [
      ...ComplianceCheck.defaults(),
      // A check of your own: Ingresses that serve plain HTTP.
      ComplianceCheck.custom({
        name: 'ingress-tls',
        reads: [{ apiGroup: 'networking.k8s.io', resources: ['ingresses'] }],
        script: `
run_check() {
  fetch ingresses '.items' ingresses.networking.k8s.io --all-namespaces || return 1
  jq -c '.[] | select((.spec.tls // []) | length == 0)
    | {severity: "WARNING", resource: "ingress/\\(.metadata.namespace)/\\(.metadata.name)", message: "serves plain HTTP: add tls"}' \\
    "$work/ingresses.json" || return 1
}`,
      }),
    ],
  });

  const rotation = new Chart(app, 'operations-secret-rotation');
  new SecretRotationCronWorkflow(rotation, 'Rotation', {
    namespace: NAMESPACE,
    image: ROTATOR,
    vault: { address: 'https://vault.example.com:8200', role: 'secret-rotation' },
    rotations: [
      // The web app's cookie-signing key lives in Vault and reaches the cluster via External
      // Secrets; only the app uses it. Write it to Vault, refresh the ExternalSecret, restart the
      // app. (Not a database password: that must also change in the database, which this does
      // not do; use Vault's database secrets engine for those.)
      SecretRotation.vaultExternalSecret('web-cookie-key', {
        namespace: 'team-a',
        externalSecretName: 'web-cookie',
        vaultPath: 'apps/web/cookie',
        vaultProperty: 'signing-key',
        restartDeployments: ['web'],
      }),
      // A session-signing key that only the app uses and nothing manages: patch it in place.
      SecretRotation.kubernetesSecret('web-session-key', {
        secret: SecretKeyRef.fromExistingSecret('web-session', 'signing-key', { namespace: 'team-a' }),
        length: 64,
        restartDeployments: ['web'],
      }),
    ],
  });

  // Findings accepted on purpose; the reasons land in the objects' suppressions annotation.
  for (const chart of [compliance, rotation]) {
    PolicySuppressions.add(chart, 'POD-SERVICE-ACCOUNT-TOKEN', 'the checks and the rotation steps call the API server, with their own least-privilege accounts',
      { kind: 'WorkflowTemplate' });
    PolicySuppressions.add(chart, 'NET-DEFAULT-DENY', 'namespace ops and its NetworkPolicies come from HardenedWorkflowNamespace (see examples/platform.ts)',
      { kind: 'WorkflowTemplate' });
  }

  // A file for kube-apiserver --audit-policy-file, in its own folder: it is not a Kubernetes
  // object, and a folder of manifests that Argo CD applies must not contain it.
  const audit = new AuditPolicy({
    additionalRules: [
      // Your own rule: keep request bodies of Deployment changes in team-a.
      { level: AuditLevel.REQUEST, verbs: ['create', 'patch', 'update'], resources: [{ group: 'apps', resources: ['deployments'] }], namespaces: ['team-a'] },
    ],
  });
  audit.writeTo(path.join(app.outdir, 'apiserver'));
}
