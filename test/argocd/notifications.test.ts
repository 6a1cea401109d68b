import * as YAML from 'yaml';
import { ArgoCdAuditNotifications, ArgoCdAuditNotificationsProps, AuditTrigger, SecretKeyRef } from '../../src';
import { findObject, synth, testChart } from '../support/synth';
import { expectValid } from '../support/validate';

const TOKEN = SecretKeyRef.fromExistingSecret('argocd-notifications-secret', 'audit-token');

function build(props: Partial<ArgoCdAuditNotificationsProps> = {}) {
  const chart = testChart();
  new ArgoCdAuditNotifications(chart, 'audit', { namespace: 'argocd', webhookUrl: 'https://audit.example.com', bearerToken: TOKEN, ...props });
  const manifests = synth(chart);
  expectValid(manifests);
  return findObject(manifests, 'ConfigMap', 'argocd-notifications-cm');
}

/** What the notifications controller does with a body action: dig the path, print it as JSON. */
function renderBody(body: string, app: any): string {
  return body.replace(/\{\{ dig ((?:"[A-Za-z]+" )+)"" \.app \| toJson \}\}/g, (_, path: string) => {
    const keys = path.trim().split(' ').map((k) => JSON.parse(k));
    const value = keys.reduce((o: any, k: string) => (o && typeof o === 'object' ? o[k] : undefined), app);
    return JSON.stringify(value ?? '');
  });
}

describe('ArgoCdAuditNotifications', () => {
  const cm = build();
  const data = cm.data as Record<string, string>;

  test('upstream name and labels', () => {
    expect(cm.metadata.namespace).toBe('argocd');
    expect(cm.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'argocd', 'app.kubernetes.io/name': 'argocd-notifications-cm' });
  });

  test('triggers on sync succeeded, sync failed, health degraded, created and deleted', () => {
    expect(YAML.parse(data['trigger.on-sync-succeeded'])).toEqual([{
      description: 'Application syncing has succeeded',
      oncePer: 'app.status.operationState?.finishedAt',
      send: ['audit-log'],
      when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded']",
    }]);
    expect(YAML.parse(data['trigger.on-sync-failed'])[0].when).toContain("['Error', 'Failed']");
    expect(YAML.parse(data['trigger.on-health-degraded'])[0].when).toBe("app.status.health.status == 'Degraded'");
    // upstream catalog's conditions for created and deleted
    expect(YAML.parse(data['trigger.on-created'])[0]).toMatchObject({ when: 'true', oncePer: 'app.metadata.uid' });
    expect(YAML.parse(data['trigger.on-deleted'])[0]).toMatchObject({ when: 'app.metadata.deletionTimestamp != nil', oncePer: 'app.metadata.uid' });
    expect(YAML.parse(data.subscriptions)).toEqual([{ recipients: ['audit'], triggers: ['on-created', 'on-deleted', 'on-health-degraded', 'on-sync-failed', 'on-sync-succeeded'] }]);
  });

  test('every trigger has oncePer: two quick operations give two records', () => {
    const triggers = Object.keys(data).filter((k) => k.startsWith('trigger.'));
    expect(triggers).toHaveLength(5);
    for (const key of triggers) expect(YAML.parse(data[key])[0].oncePer).toMatch(/^app\./);
    expect(YAML.parse(data['trigger.on-sync-failed'])[0].oncePer).toBe('app.status.operationState?.finishedAt');
  });

  test('the webhook service sends the bearer token as a $key reference', () => {
    expect(YAML.parse(data['service.webhook.audit'])).toEqual({
      url: 'https://audit.example.com',
      headers: [{ name: 'Authorization', value: 'Bearer $audit-token' }, { name: 'Content-Type', value: 'application/json' }],
    });
  });

  test('the JSON body stays valid whatever the application contains', () => {
    const template = YAML.parse(data['template.audit-log']);
    expect(template.webhook.audit).toMatchObject({ method: 'POST', path: '/audit' });
    const hostile = 'x", "initiatedBy": "admin"}\n{{ .secret }}';
    const app = {
      metadata: { name: 'guestbook', namespace: 'argocd' },
      spec: { project: 'default' },
      status: { operationState: { phase: 'Failed', message: hostile, finishedAt: '2026-01-01T00:00:00Z', operation: { initiatedBy: { username: 'alice', automated: false } } }, sync: { revision: 'abc' } },
    };
    const record = JSON.parse(renderBody(template.webhook.audit.body, app));
    expect(record).toMatchObject({ application: 'guestbook', project: 'default', syncPhase: 'Failed', message: hostile, initiatedBy: 'alice', automated: false, revision: 'abc', healthStatus: '' });
    // Before the first sync there is no operationState: dig yields "", not a template error.
    expect(JSON.parse(renderBody(template.webhook.audit.body, { metadata: { name: 'a' } })).syncPhase).toBe('');
  });

  test('triggers, service name and path can be chosen', () => {
    const d = build({ triggers: [AuditTrigger.SYNC_FAILED], serviceName: 'siem', path: '/v1/events', subscribeAllApplications: false }).data;
    expect(Object.keys(d).sort()).toEqual(['service.webhook.siem', 'template.audit-log', 'trigger.on-sync-failed']);
    expect(YAML.parse(d['template.audit-log']).webhook.siem.path).toBe('/v1/events');
  });

  test('errors', () => {
    expect(() => build({ webhookUrl: 'http://audit.example.com' })).toThrow(/webhookUrl: .* does not use https/);
    expect(() => build({ bearerToken: SecretKeyRef.fromExistingSecret('argocd-secret', 'audit-token') })).toThrow(/bearerToken: refers to Secret 'argocd-secret'/);
    expect(() => build({ bearerToken: SecretKeyRef.fromExistingSecret('argocd-notifications-secret', 'audit.token') })).toThrow(/bearerToken: key 'audit.token' would not resolve/);
    expect(() => build({ bearerToken: 'Bearer abc' as any })).toThrow(/bearerToken: is not a SecretKeyRef/);
    expect(() => build({ path: '/audit?x={{.app}}' })).toThrow(/path/);
  });

  test('a webhook URL containing $, which the controller would replace with a secret, is refused', () => {
    expect(() => build({ webhookUrl: 'https://audit.example.com/$audit-token' }))
      .toThrow(/ArgoCdAuditNotifications 'test\/audit': webhookUrl: .* contains '\$'.*: remove it/);
  });
});
