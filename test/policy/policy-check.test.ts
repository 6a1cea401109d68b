// Running the packs over an app in a test, and suppressions with reasons.
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PolicyCheck, PolicyLevel, PolicyPack, PolicySuppressions } from '../../src';

function appWithPrivilegedPod(): { app: App; chart: Chart; raw: ApiObject; plus: kplus.Deployment } {
  const app = Testing.app();
  const chart = new Chart(app, 'user', { namespace: 'shop' });
  const raw = new ApiObject(chart, 'Raw', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'raw' },
    spec: {
      selector: { matchLabels: { app: 'raw' } },
      template: { metadata: { labels: { app: 'raw' } }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } },
    },
  });
  const plus = new kplus.Deployment(chart, 'Plus', {
    metadata: { name: 'plus' },
    containers: [{ image: 'nginx:1.27', portNumber: 8080 }],
  });
  return { app, chart, raw, plus };
}

describe('PolicyCheck', () => {
  test('checks user objects (a raw ApiObject and a cdk8s-plus Deployment) and names object, construct, rule and fix', () => {
    const { app } = appWithPrivilegedPod();
    const check = PolicyCheck.ofApp(app);
    const privileged = check.errors.find((f) => f.ruleId === 'POD-PRIVILEGED')!;
    expect(privileged).toMatchObject({
      level: PolicyLevel.ERROR,
      pack: 'pod-security',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'raw',
      object: 'Deployment shop/raw',
      constructPath: 'user/Raw',
      location: 'spec.template.spec.containers[0].securityContext.privileged',
      message: 'must not be true',
      suppressed: false,
    });
    expect(privileged.fix).toMatch(/privileged/);
    expect(check.errors.some((f) => f.object === 'Deployment shop/plus' && f.ruleId === 'IMG-NO-LATEST')).toBe(false);
    expect(check.warnings.some((f) => f.object === 'Deployment shop/plus' && f.ruleId === 'IMG-DIGEST')).toBe(true);
    expect(check.errors.some((f) => f.object === 'Deployment shop/raw' && f.ruleId === 'IMG-NO-LATEST')).toBe(true);
    expect(check.errors.some((f) => f.ruleId === 'NET-DEFAULT-DENY')).toBe(true);
  });

  test('assertNoErrors throws one readable error listing every finding', () => {
    const { app } = appWithPrivilegedPod();
    const check = PolicyCheck.ofApp(app);
    expect(() => check.assertNoErrors()).toThrow(/^\d+ policy finding\(s\):\n\[error\] POD-PRIVILEGE-ESCALATION Deployment shop\/raw \(user\/Raw\)\n  at spec\.template\.spec\.containers\[0\]\.securityContext\.allowPrivilegeEscalation: must be false\n  why: .+\n  fix: /);
    expect(() => PolicyCheck.ofManifests([]).assertNoFindings()).not.toThrow();
  });

  test('packs can be chosen', () => {
    const { app } = appWithPrivilegedPod();
    const check = PolicyCheck.ofApp(app, { packs: [PolicyPack.images()] });
    expect(new Set(check.findings.map((f) => f.pack))).toEqual(new Set(['images']));
    expect(PolicyPack.named('rbac').rules.map((r) => r.id)).toContain('RBAC-WILDCARD');
    expect(() => PolicyPack.named('nope')).toThrow(/use one of pod-security, images/);
  });

  test('the same manifests give the same findings in the same order', () => {
    const a = PolicyCheck.ofApp(appWithPrivilegedPod().app).toText();
    const b = PolicyCheck.ofApp(appWithPrivilegedPod().app).toText();
    expect(a).toBe(b);
  });
});

describe('PolicySuppressions', () => {
  test('a suppression with a reason is written as an annotation and turns the finding into a suppressed one', () => {
    const { app, chart, raw } = appWithPrivilegedPod();
    PolicySuppressions.add(raw, 'POD-PRIVILEGED', 'the CNI agent needs the host network stack');
    PolicySuppressions.add(raw, 'IMG-NO-LATEST', 'mirrored and scanned nightly by the registry');
    const [manifest] = Testing.synth(chart).filter((m) => m.metadata.name === 'raw');
    expect(manifest.metadata.annotations[PolicySuppressions.ANNOTATION]).toBe(
      'IMG-NO-LATEST: mirrored and scanned nightly by the registry\nPOD-PRIVILEGED: the CNI agent needs the host network stack');
    const check = PolicyCheck.ofApp(app);
    expect(check.errors.some((f) => f.object === 'Deployment shop/raw' && f.ruleId === 'POD-PRIVILEGED')).toBe(false);
    expect(check.suppressed.find((f) => f.ruleId === 'POD-PRIVILEGED')).toMatchObject({
      suppressed: true, suppressionReason: 'the CNI agent needs the host network stack', object: 'Deployment shop/raw',
    });
  });

  test('a cdk8s-plus construct is suppressed through its ApiObject; kind and name narrow the scope', () => {
    const { app, chart, plus } = appWithPrivilegedPod();
    PolicySuppressions.add(plus, 'IMG-DIGEST', 'a vendor image that is only published by tag');
    PolicySuppressions.add(chart, 'NET-DEFAULT-DENY', 'the namespace is created and isolated by the platform team', { kind: 'Deployment', name: 'raw' });
    const objects = Testing.synth(chart);
    expect(objects.find((m) => m.metadata.name === 'plus')!.metadata.annotations[PolicySuppressions.ANNOTATION]).toBe('IMG-DIGEST: a vendor image that is only published by tag');
    expect(objects.find((m) => m.metadata.name === 'raw')!.metadata.annotations[PolicySuppressions.ANNOTATION]).toMatch(/^NET-DEFAULT-DENY: /);
    const check = PolicyCheck.ofApp(app);
    expect(check.warnings.filter((f) => f.ruleId === 'IMG-DIGEST').map((f) => f.name)).toEqual(['raw']);
    expect(check.errors.filter((f) => f.ruleId === 'NET-DEFAULT-DENY').map((f) => f.name)).toEqual(['plus']);
  });

  test('a suppression needs a known rule, a real reason and an object to land on', () => {
    const { chart, raw } = appWithPrivilegedPod();
    expect(() => PolicySuppressions.add(raw, 'POD-PRIVILEGD', 'typo in the id here')).toThrow(/ruleId: 'POD-PRIVILEGD' is not a rule/);
    expect(() => PolicySuppressions.add(raw, 'POD-PRIVILEGED', 'ok')).toThrow(/reason: give a reason of at least 10 characters/);
    expect(() => PolicySuppressions.add(raw, 'POD-PRIVILEGED', 'two\u2028lines of reason')).toThrow(/reason: the reason must be one line/);
    expect(() => PolicySuppressions.add(chart, 'POD-PRIVILEGED', 'a reason that is long', { kind: 'StatefulSet' })).toThrow(/no Kubernetes objects \(StatefulSet\) under 'user'/);
  });

  test('hand-written annotations are checked too: unknown rules and missing reasons are errors', () => {
    const secret = (annotation: string) => ({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop', annotations: { [PolicySuppressions.ANNOTATION]: annotation } }, stringData: { a: 'b' },
    });
    const check = PolicyCheck.ofManifests([secret('SEC-LITERAL-DATA:\nNOT-A-RULE: because reasons')]);
    expect(check.errors.map((f) => `${f.ruleId} ${f.message}`)).toEqual([
      "POLICY-SUPPRESSION 'SEC-LITERAL-DATA:' is not 'RULE-ID: reason'",
      'POLICY-SUPPRESSION suppresses NOT-A-RULE, which is not a rule',
      'SEC-LITERAL-DATA literal secret values (a): use SealedOrExternalSecret or SecretKeyRef.fromExistingSecret',
    ]);
    expect(PolicyCheck.ofManifests([secret('SEC-LITERAL-DATA: test fixture, not a real credential')]).errors).toEqual([]);
  });
});
