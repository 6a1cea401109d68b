import { ApiObject, App, Chart, ImplicitTokenResolver, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { UPSTREAM_CRDS as ARGO_CD_CRDS } from '../../src/argocd/install/private/upstream-crds';
import { applySyncWave, SyncWave, syncWaveForKind } from '../../src/core/sync-wave';
import { deferredChecks } from '../../src/private/errors';
import { markVendoredBody, registerDerivation, registerLibraryConstruct } from '../../src/private/stamp';
import { embeddedCrd } from '../../src/private/upstream/embedded';
import { UPSTREAM_CRDS as WORKFLOWS_CRDS } from '../../src/workflows/install/private/upstream-crds';
import { synthErrors } from '../support/errors';

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

describe('output text floor', () => {
  class Emitter extends Construct {
    constructor(scope: Construct, id: string, data: Record<string, string>, labels: Record<string, string> = {}) {
      super(scope, id);
      registerLibraryConstruct(this);
      new k8s.KubeConfigMap(this, 'cm', { metadata: { name: 'cm', labels }, data });
    }
  }

  test.each([
    ['\u2028', 'data.policy'], ['\u2029', 'data.policy'], ['\u0085', 'data.policy'], ['\u007f', 'data.policy'],
    ['\u009b', 'data.policy'], ['\ufeff', 'data.policy'], ['\ud800', 'data.policy'], ['\u0001', 'data.policy'],
  ])('%j in any field is refused with the construct path and the field', (ch, field) => {
    const app = Testing.app();
    new Emitter(new Chart(app, 'test'), 'emitter', { policy: `g, viewers${ch}  policy.default: role:admin` });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("Emitter 'test/emitter': output ConfigMap 'cm' ");
    expect(errors[0]).toContain(field);
    expect(errors[0]).toMatch(/contains '\\u[0-9a-f]{4}', an? (line break for YAML readers|control character|invisible byte-order mark)|lone surrogate/);
    expect(errors[0]).toMatch(/remove it/);
    expect(errors[0]).not.toMatch(/[\u0000-\u0008\u007f-\u009f\u2028\u2029]/);
  });

  test('keys and labels are checked too; tabs, line feeds and ordinary Unicode are not refused', () => {
    const app = Testing.app();
    new Emitter(new Chart(app, 'test'), 'emitter', { 'a\u2028b': 'x', 'script': 'line 1\n\tline 2\r\n', 'text': 'café ☕ 日本 😀' }, { x: 'y\u0085' });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/data\['a\\u2028b'\] \(key\)/);
    expect(errors.join('\n')).toMatch(/metadata\.labels\.x:/);
  });

  test.each(['0o17', '+0o17', '-0O1_7', '0o_7'])('%j, which cdk8s writes unquoted and go-yaml reads as a number, is refused', (text) => {
    const app = Testing.app();
    new Emitter(new Chart(app, 'test'), 'emitter', { port: text, ok: '0o8', also: 'x0o17', zero: '017' });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("output ConfigMap 'cm' data.port");
    expect(errors[0]).toMatch(/read as a number by go-yaml/);
  });

  test('the check renders no object, although cdk8s validates the app again per chart', () => {
    const app = Testing.app();
    for (const id of ['a', 'b', 'c']) new Emitter(new Chart(app, id), 'emitter', { ok: 'x' });
    const render = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      app.synthYaml();
      // three ConfigMaps, each rendered once: for the output
      expect(render).toHaveBeenCalledTimes(3);
    } finally {
      render.mockRestore();
    }
  });

  describe('values cdk8s resolves at render', () => {
    class Resolved extends Construct {
      constructor(scope: Construct, id: string, body: Record<string, unknown>, patch?: JsonPatch) {
        super(scope, id);
        registerLibraryConstruct(this);
        const obj = new ApiObject(this, 'obj', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, ...body });
        if (patch) obj.addJsonPatch(patch);
      }
    }
    const refused = (app: App) => synthErrors(app).map((e) => e.replace(/^.*output ConfigMap 'cm' /, ''));

    test('a Lazy, an implicit token and a number/string union are read as they render', () => {
      const app = Testing.app();
      new Resolved(new Chart(app, 'test'), 'r', {
        data: {
          lazy: Lazy.any({ produce: () => ({ inner: 'a\u2028b' }) }),
          token: { resolve: () => ['ok', 'c\u0085d'] },
          union: k8s.IntOrString.fromString('e\u2029f'),
        },
      });
      expect(refused(app)).toEqual([
        expect.stringMatching(/^data\.lazy\.inner: /),
        expect.stringMatching(/^data\.token\[1\]: /),
        expect.stringMatching(/^data\.union\.value: /),
      ]);
    });

    test('an object with a JSON patch is rendered, and each problem reported once', () => {
      const app = Testing.app();
      new Resolved(new Chart(app, 'test'), 'r', { data: { a: 'x\u2028' } }, JsonPatch.add('/data/b', 'y\u0085'));
      expect(refused(app)).toEqual([expect.stringMatching(/^data\.a: /), expect.stringMatching(/^data\.b: /)]);
    });

    test('a union with a string value, a function with a value or resolve, and a toJSON method are read as they are written', () => {
      const app = Testing.app();
      new Resolved(new Chart(app, 'test'), 'r', {
        data: {
          fn: Object.assign(() => 0, { value: 'a\u2028b' }),
          fnToken: Object.assign(() => 0, { resolve: () => 'c\u2029d' }),
          json: { toJSON: () => 'e\u0085f' },
        },
      });
      expect(refused(app)).toEqual([
        expect.stringMatching(/^data\.fn\.value: /),
        expect.stringMatching(/^data\.fnToken: /),
        expect.stringMatching(/^data\.json: /),
      ]);
    });

    test('a subclass that writes more than its props in toJson is rendered', () => {
      class Computed extends k8s.KubeConfigMap {
        public toJson(): any {
          const json = super.toJson();
          return { ...json, data: { ...json.data, note: 'a\u2028b' } };
        }
      }
      class Emits extends Construct {
        constructor(scope: Construct, id: string) {
          super(scope, id);
          registerLibraryConstruct(this);
          new Computed(this, 'cm', { metadata: { name: 'cm' }, data: { a: 'b' } });
        }
      }
      const app = Testing.app();
      new Emits(new Chart(app, 'test'), 'e');
      expect(refused(app)).toEqual([expect.stringMatching(/^data\.note: /)]);
    });

    test('an object given a toJson of its own is rendered', () => {
      class Emits extends Construct {
        constructor(scope: Construct, id: string) {
          super(scope, id);
          registerLibraryConstruct(this);
          const cm = new k8s.KubeConfigMap(this, 'cm', { metadata: { name: 'cm' }, data: { a: 'b' } });
          const render = cm.toJson.bind(cm);
          cm.toJson = () => ({ ...render(), data: { a: 'x\u2028y' } });
        }
      }
      const app = Testing.app();
      new Emits(new Chart(app, 'test'), 'e');
      expect(refused(app)).toEqual([expect.stringMatching(/^data\.a: /)]);
    });

    test("a default resolver replaced by a subclass is the app's own: the object is rendered", () => {
      const app = Testing.app();
      app.resolvers[1] = new (class extends ImplicitTokenResolver {
        public resolve(context: ResolutionContext): void {
          if (context.value === 'plain') context.replaceValue('g\u2028h');
          else super.resolve(context);
        }
      })();
      new Resolved(new Chart(app, 'test'), 'r', { data: { a: 'plain' } });
      expect(refused(app)).toEqual([expect.stringMatching(/^data\.a: /)]);
    });

    test("an app's own resolver is applied: the object is rendered", () => {
      const rewrite: IResolver = {
        resolve: (context: ResolutionContext) => {
          if (context.value === 'plain') context.replaceValue('g\u2028h');
        },
      };
      const app = Testing.app({ resolvers: [rewrite] });
      new Resolved(new Chart(app, 'test'), 'r', { data: { a: 'plain' } });
      expect(refused(app)).toEqual([expect.stringMatching(/^data\.a: /)]);
    });
  });

  test('what a derivation adds or changes is stamped and checked in the same pass, also when one chart is synthesized', () => {
    class Deriving extends Construct {
      constructor(scope: Construct, id: string, change: 'existing' | 'new') {
        super(scope, id);
        registerLibraryConstruct(this);
        const existing = new k8s.KubeConfigMap(this, 'cm', { metadata: { name: 'cm' } });
        registerDerivation(this, () => {
          if (change === 'existing') existing.metadata.addAnnotation('note', 'a\u2028b');
          else new k8s.KubeConfigMap(this, 'derived', { metadata: { name: 'derived' }, data: { x: 'c\u0085d' } });
          return [];
        });
      }
    }
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new Deriving(chart, 'changes', 'existing');
    new Deriving(chart, 'adds', 'new');
    // Testing.synth validates once
    expect(() => Testing.synth(chart)).toThrow(/output ConfigMap 'cm' metadata\.annotations\.note: [^]*output ConfigMap 'derived' data\.x: /);

    const clean = Testing.app();
    class DerivingClean extends Construct {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        registerLibraryConstruct(this, 'outer');
        registerDerivation(this, () => {
          new k8s.KubeConfigMap(this, 'derived', { metadata: { name: 'derived' } });
          return [];
        });
      }
    }
    const cleanChart = new Chart(clean, 'test');
    new DerivingClean(cleanChart, 'deriving');
    const derived = byName(Testing.synth(cleanChart), 'derived');
    expect(derived.metadata.labels['app.kubernetes.io/part-of']).toBe('outer');
    expect(derived.metadata.annotations['argocd.argoproj.io/sync-wave']).toBeDefined();
  });

  test('a derivation runs once, and its problems are reported once, by its construct, in one synth of many charts', () => {
    let runs = 0;
    class Deriving extends Construct {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        registerLibraryConstruct(this);
        registerDerivation(this, () => {
          runs++;
          return [`Deriving '${this.node.path}': projects: cannot be derived`];
        });
      }
    }
    const app = Testing.app();
    new Deriving(new Chart(app, 'a'), 'deriving');
    new Chart(app, 'b');
    new Chart(app, 'c');
    expect(synthErrors(app)).toEqual(["[a/deriving] Deriving 'a/deriving': projects: cannot be derived"]);
    expect(runs).toBe(1);
  });

  test('an object whose body is vendored upstream data is checked by its metadata only', () => {
    class Vendored extends Construct {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        registerLibraryConstruct(this);
        markVendoredBody(new k8s.KubeConfigMap(this, 'cm', { metadata: { name: 'cm', labels: { x: 'y\u0085' } }, data: { policy: 'a\u2028b' } }));
      }
    }
    const app = Testing.app();
    new Vendored(new Chart(app, 'test'), 'vendored');
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/metadata\.labels\.x:/);
  });

  test('the vendored CRD bodies, which synth does not check, pass the check', () => {
    class Crds extends Construct {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        registerLibraryConstruct(this);
        for (const crd of [...ARGO_CD_CRDS, ...WORKFLOWS_CRDS]) {
          for (const minimal of [false, true]) {
            new ApiObject(this, `${crd.kind}-${minimal}`, {
              apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: crd.name }, spec: embeddedCrd(crd, minimal).spec,
            });
          }
        }
      }
    }
    const app = Testing.app();
    new Crds(new Chart(app, 'test'), 'crds');
    expect(synthErrors(app)).toEqual([]);
  });

  test('a construct whose own check refused the value is left to that message', () => {
    class Checked extends Emitter {
      constructor(scope: Construct, id: string) {
        super(scope, id, { description: 'a\u2028b' });
        deferredChecks(this).check('description', 'is bad: fix it');
      }
    }
    const app = Testing.app();
    new Checked(new Chart(app, 'test'), 'checked');
    expect(synthErrors(app)).toEqual(["[test/checked] Checked 'test/checked': description: is bad: fix it"]);
  });
});
