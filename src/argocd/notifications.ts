import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import { deferredChecks, invalid } from '../private/errors';
import { sortedRecord, toYaml } from '../private/render';
import { registerLibraryConstruct } from '../private/stamp';
import { httpsUrlProblem, quoted, requireDns1123Label } from '../private/validate';
import { SecretKeyRef } from '../secrets';

/** The Secret the notifications controller reads `$<key>` references from. */
const NOTIFICATIONS_SECRET_NAME = 'argocd-notifications-secret';

/** Application events the audit trail records. */
export enum AuditTrigger {
  /** A sync finished successfully (`trigger.on-sync-succeeded`). */
  SYNC_SUCCEEDED = 'on-sync-succeeded',
  /** A sync failed or errored (`trigger.on-sync-failed`). */
  SYNC_FAILED = 'on-sync-failed',
  /** The application's health became Degraded (`trigger.on-health-degraded`). */
  HEALTH_DEGRADED = 'on-health-degraded',
  /** An application was created (`trigger.on-created`). */
  CREATED = 'on-created',
  /**
   * An application's deletion started (`trigger.on-deleted`). The controller sees it only while
   * a finalizer holds the object, as the resources finalizer that `SecureApplication` sets does.
   */
  DELETED = 'on-deleted',
}

// Each trigger fires when its condition turns true; `oncePer` tells the controller which value
// identifies one event, so that two operations in quick succession yield two records. The
// upstream catalog keys sync triggers by revision; an audit trail wants every operation, so
// they are keyed by the operation's finish time, and created/deleted by the object's uid (a
// re-created application with the same name is a new event).
const TRIGGERS: Record<AuditTrigger, { description: string; when: string; oncePer: string }> = {
  [AuditTrigger.SYNC_SUCCEEDED]: {
    description: 'Application syncing has succeeded',
    when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded']",
    oncePer: 'app.status.operationState?.finishedAt',
  },
  [AuditTrigger.SYNC_FAILED]: {
    description: 'Application syncing has failed',
    when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
    oncePer: 'app.status.operationState?.finishedAt',
  },
  [AuditTrigger.HEALTH_DEGRADED]: {
    description: 'Application has degraded',
    when: "app.status.health.status == 'Degraded'",
    oncePer: 'app.status.health?.lastTransitionTime',
  },
  [AuditTrigger.CREATED]: {
    description: 'Application is created.',
    when: 'true',
    oncePer: 'app.metadata.uid',
  },
  [AuditTrigger.DELETED]: {
    description: 'Application is deleted.',
    when: 'app.metadata.deletionTimestamp != nil',
    oncePer: 'app.metadata.uid',
  },
};

/**
 * The fields of the audit record and where in the Application they come from. Each becomes
 * `{{ dig ... .app | toJson }}`: `dig` tolerates missing fields (no template error before the
 * first sync) and `toJson` quotes and escapes the value, so a sync message containing quotes
 * or newlines cannot break (or inject into) the JSON body.
 */
const AUDIT_FIELDS: Array<[string, string[]]> = [
  ['timestamp', ['status', 'operationState', 'finishedAt']],
  ['application', ['metadata', 'name']],
  ['namespace', ['metadata', 'namespace']],
  ['project', ['spec', 'project']],
  ['syncPhase', ['status', 'operationState', 'phase']],
  ['syncStatus', ['status', 'sync', 'status']],
  ['healthStatus', ['status', 'health', 'status']],
  ['revision', ['status', 'sync', 'revision']],
  ['initiatedBy', ['status', 'operationState', 'operation', 'initiatedBy', 'username']],
  ['automated', ['status', 'operationState', 'operation', 'initiatedBy', 'automated']],
  ['message', ['status', 'operationState', 'message']],
];

/** Settings for the audit notifications of {@link ArgoCdAuditNotifications}. */
export interface ArgoCdAuditNotificationsOptions {
  /** The audit collector's base URL (`https://` only, no query: `path` is appended to it). */
  readonly webhookUrl: string;
  /**
   * The request path, appended to `webhookUrl`.
   * @default '/audit'
   */
  readonly path?: string;
  /**
   * The bearer token sent in `Authorization`, as a reference to a key of
   * `argocd-notifications-secret` (the only Secret the notifications controller reads; key of
   * letters, digits, `-` and `_`).
   * @default - no Authorization header
   */
  readonly bearerToken?: SecretKeyRef;
  /**
   * The events recorded.
   * @default - every AuditTrigger: sync succeeded, sync failed, health degraded, created, deleted
   */
  readonly triggers?: AuditTrigger[];
  /**
   * The webhook service name (`service.webhook.<name>`): up to 34 lowercase letters, digits and
   * `-`, so that the subscription annotations that name it are valid.
   * @default 'audit'
   */
  readonly serviceName?: string;
  /**
   * Record every Application (a global subscription). Without it, Applications opt in with the
   * annotation `notifications.argoproj.io/subscribe.<trigger>.<serviceName>: ""`.
   * @default true
   */
  readonly subscribeAllApplications?: boolean;
}

/** Props for {@link ArgoCdAuditNotifications}. */
export interface ArgoCdAuditNotificationsProps extends ArgoCdAuditNotificationsOptions {
  /** The namespace Argo CD runs in. */
  readonly namespace: string;
  /**
   * Argo CD's external URL, offered to templates as `{{.context.argocdUrl}}`.
   * @default - not set
   */
  readonly argoCdUrl?: string;
}

const TEMPLATE_NAME = 'audit-log';
const NOTIFICATION_SECRET_KEY = /^[A-Za-z0-9_-]+$/;
/** 63 (an annotation name part) less `subscribe.on-health-degraded.`, the longest subscription annotation prefix. */
const MAX_SERVICE_NAME = 63 - `subscribe.${AuditTrigger.HEALTH_DEGRADED}.`.length;

/**
 * `argocd-notifications-cm` with an audit trail: triggers on sync succeeded, sync
 * failed, health degraded, application created and application deleted send a JSON record to
 * a webhook, once per operation (`oncePer`). The JSON body is generated from a
 * structure, each value escaped by the template itself; the bearer token is a
 * `$<key>` reference into `argocd-notifications-secret`.
 */
export class ArgoCdAuditNotifications extends Construct {
  /** The ConfigMap's data. */
  public readonly data: { [key: string]: string };

  constructor(scope: Construct, id: string, props: ArgoCdAuditNotificationsProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    const namespace = requireDns1123Label(this, 'namespace', props.namespace);
    const checks = deferredChecks(this);
    // The engine appends the path to the URL as text (URL, '/', path): with a query the path
    // would land inside it.
    checks.check('webhookUrl', httpsUrlProblem(props.webhookUrl));
    if (props.webhookUrl.includes('$')) {
      // In service.* strings the controller replaces `$<key>` anywhere with a secret value.
      invalid(this, 'webhookUrl', `${quoted(props.webhookUrl)} contains '$', which the notifications controller would replace with a value of ${NOTIFICATIONS_SECRET_NAME}: remove it (give a bearer token with bearerToken)`);
    }
    const path = props.path ?? '/audit';
    if (!/^\/[A-Za-z0-9._~\/-]*$/.test(path) || /\/\.\.?(\/|$)/.test(path)) {
      invalid(this, 'path', `${quoted(path)} is not a plain URL path: start with '/' and use letters, digits and . _ ~ / - (no '.' or '..' segments)`);
    }
    const service = props.serviceName ?? 'audit';
    // Applications opt in with the annotation `notifications.argoproj.io/subscribe.<trigger>.<service>`, whose name part has at most 63 characters.
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(service) || service.length > MAX_SERVICE_NAME) {
      invalid(this, 'serviceName', `${quoted(service)} is not a valid service name: use at most ${MAX_SERVICE_NAME} lowercase letters, digits and '-'`);
    }
    const triggers = [...new Set(props.triggers ?? Object.values(AuditTrigger))];
    if (triggers.length === 0) invalid(this, 'triggers', 'is empty: record at least one event');
    for (const t of triggers) {
      if (!TRIGGERS[t]) invalid(this, 'triggers', `unknown trigger ${quoted(t)}: use AuditTrigger`);
    }

    const headers: Array<{ name: string; value: string }> = [{ name: 'Content-Type', value: 'application/json' }];
    if (props.bearerToken !== undefined) {
      headers.unshift({ name: 'Authorization', value: `Bearer ${this.tokenReference(props.bearerToken)}` });
    }

    const data: Record<string, string> = {
      [`service.webhook.${service}`]: toYaml({ url: props.webhookUrl, headers }),
      [`template.${TEMPLATE_NAME}`]: toYaml({ webhook: { [service]: { method: 'POST', path, body: auditBody() } } }),
    };
    for (const t of triggers) {
      data[`trigger.${t}`] = toYaml([{ description: TRIGGERS[t].description, oncePer: TRIGGERS[t].oncePer, send: [TEMPLATE_NAME], when: TRIGGERS[t].when }]);
    }
    if (props.subscribeAllApplications ?? true) {
      data.subscriptions = toYaml([{ recipients: [service], triggers: [...triggers].sort() }]);
    }
    if (props.argoCdUrl !== undefined) {
      checks.check('argoCdUrl', httpsUrlProblem(props.argoCdUrl));
      data.context = toYaml({ argocdUrl: props.argoCdUrl });
    }
    this.data = sortedRecord(data);

    const configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: 'argocd-notifications-cm',
        namespace,
        labels: standardLabels({ name: 'argocd-notifications-cm', partOf: 'argocd' }),
      },
      data: this.data,
    });
    applySyncWave(configMap, SyncWave.STORAGE_AND_SECRETS);
  }

  private tokenReference(ref: SecretKeyRef): string {
    SecretKeyRef._require(this, 'bearerToken', ref);
    if (ref.secretName !== NOTIFICATIONS_SECRET_NAME) {
      invalid(this, 'bearerToken', `refers to Secret ${quoted(ref.secretName)}, but the notifications controller resolves $<key> only from '${NOTIFICATIONS_SECRET_NAME}': store the token there`);
    }
    if (!NOTIFICATION_SECRET_KEY.test(ref.key)) {
      invalid(this, 'bearerToken', `key ${quoted(ref.key)} would not resolve: use a key of ${NOTIFICATIONS_SECRET_NAME} with only letters, digits, '-' and '_' (no dots), which $<key> can name`);
    }
    return `$${ref.key}`;
  }
}

/**
 * The webhook body: a JSON object generated with JSON.stringify, whose values are then
 * replaced by template actions that print JSON themselves (`toJson`).
 */
function auditBody(): string {
  const actions: string[] = [];
  const record: Record<string, string> = {};
  for (const [field, path] of AUDIT_FIELDS) {
    actions.push(`{{ dig ${path.map((p) => JSON.stringify(p)).join(' ')} "" .app | toJson }}`);
    record[field] = `\u0000${actions.length - 1}\u0000`;
  }
  // JSON.stringify writes each marker as the quoted string "\u0000<n>\u0000".
  return `${JSON.stringify(record, undefined, 2).replace(/"\\u0000(\d+)\\u0000"/g, (_, i) => actions[Number(i)])}\n`;
}
