import { ApiObject, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { applySyncWave, SyncWave, syncWaveForKind } from '../../src/core/sync-wave';
import { registerLibraryConstruct } from '../../src/private/stamp';

class Outer extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    registerLibraryConstruct(this, 'outer');
    new k8s.KubeConfigMap(this, 'cm', { metadata: { name: 'cm' } });
    const sa = new k8s.KubeServiceAccount(this, 'sa', { metadata: { name: 'sa', labels: { 'app.kubernetes.io/part-of': 'mine' } } });
    applySyncWave(sa, SyncWave.WORKLOADS);
    new Inner(this, 'inner');
  }

  public addLater(): ApiObject {
    return new k8s.KubeNamespace(this, 'later', { metadata: { name: 'later' } });
  }
}

class Inner extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    registerLibraryConstruct(this, 'inner');
    new ApiObject(this, 'app', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'app' } });
  }
}

function byName(objects: any[], name: string): any {
  return objects.find((o) => o.metadata.name === name);
}

describe('registerLibraryConstruct', () => {
  const chart = new Chart(Testing.app(), 'test');
  const outer = new Outer(chart, 'outer');
  outer.addLater();
  new k8s.KubeConfigMap(chart, 'user', { metadata: { name: 'user' } });
  const objects = Testing.synth(chart);

  test('labels and a wave by kind on every object of a library construct', () => {
    expect(byName(objects, 'cm').metadata).toMatchObject({
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s-secure-argo', 'app.kubernetes.io/part-of': 'outer' },
      annotations: { 'argocd.argoproj.io/sync-wave': '2' },
    });
  });

  test('labels and waves a construct set itself win', () => {
    expect(byName(objects, 'sa').metadata.labels['app.kubernetes.io/part-of']).toBe('mine');
    expect(byName(objects, 'sa').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('3');
  });

  test('the innermost library construct gives part-of', () => {
    expect(byName(objects, 'app').metadata.labels['app.kubernetes.io/part-of']).toBe('inner');
    expect(byName(objects, 'app').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
  });

  test('objects added after the constructor are stamped too', () => {
    expect(byName(objects, 'later').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
  });

  test("the user's own objects are left alone", () => {
    expect(byName(objects, 'user').metadata.labels).toBeUndefined();
    expect(byName(objects, 'user').metadata.annotations).toBeUndefined();
  });

  test('a second synth gives the same output', () => {
    expect(Testing.synth(chart)).toEqual(objects);
  });

  test('the kind table', () => {
    expect(syncWaveForKind('Namespace')).toBe(SyncWave.NAMESPACES_AND_CRDS);
    expect(syncWaveForKind('NetworkPolicy')).toBe(SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    expect(syncWaveForKind('AppProject')).toBe(SyncWave.SERVICE_ACCOUNTS_AND_RBAC);
    expect(syncWaveForKind('ExternalSecret')).toBe(SyncWave.STORAGE_AND_SECRETS);
    expect(syncWaveForKind('Certificate')).toBe(SyncWave.STORAGE_AND_SECRETS);
    expect(syncWaveForKind('Ingress')).toBe(SyncWave.WORKLOADS);
    expect(syncWaveForKind('SomethingNew')).toBe(SyncWave.WORKLOADS);
    expect(syncWaveForKind('CronWorkflow')).toBe(SyncWave.APPLICATIONS);
  });
});
