import { ApiObject, Chart, IResolver, JsonPatch, Lazy, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { exampleApps, exampleNames } from '../../examples/synth';
import { resolvedProps } from '../../src/private/resolved-props';

describe('resolvedProps', () => {
  const object = (body: Record<string, unknown>, app = Testing.app()) =>
    new ApiObject(new Chart(app, 'test'), 'obj', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, ...body });

  test('reads Lazy values, implicit tokens and number/string unions as cdk8s resolves them, in arrays and maps', () => {
    const obj = object({
      data: { lazy: Lazy.any({ produce: () => ({ inner: Lazy.any({ produce: () => 'x' }) }) }), token: { resolve: () => ['a', 'b'] } },
      list: [k8s.IntOrString.fromNumber(8080), k8s.Quantity.fromString('1Gi'), 'plain'],
    });
    // as cdk8s's resolve gives them to the L1 classes, which unwrap the value
    expect(resolvedProps(obj)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: obj.metadata.toJson(),
      data: { lazy: { inner: 'x' }, token: ['a', 'b'] },
      list: [{ value: 8080 }, { value: '1Gi' }, 'plain'],
    });
  });

  test('map entries that are null or undefined are dropped, as cdk8s drops them; array entries are kept', () => {
    const obj = object({ spec: { blacklist: [{ group: 'g', kind: 'K', name: null }], other: undefined, list: ['a', null] } });
    expect(resolvedProps(obj)!.spec).toEqual({ blacklist: [{ group: 'g', kind: 'K' }], list: ['a', null] });
    expect(Object.keys((resolvedProps(obj)!.spec as any).blacklist[0])).toEqual(['group', 'kind']);
  });

  test('subtrees without such values are the props\' own', () => {
    const spec = { rules: [{ a: 'b' }] };
    expect(resolvedProps(object({ spec }))!.spec).toBe(spec);
  });

  test('undefined, to render instead, for JSON patches, an app resolver of its own, a class of its own that overrides toJson, or a function or a value no default resolver reads', () => {
    const patched = object({ data: { a: 'b' } });
    patched.addJsonPatch(JsonPatch.add('/data/c', 'd'));
    const resolver: IResolver = { resolve: () => undefined };
    class Opaque { public readonly x = 'y'; }
    class Computed extends ApiObject {
      public toJson(): any {
        return super.toJson();
      }
    }
    expect(resolvedProps(patched)).toBeUndefined();
    expect(resolvedProps(new Computed(new Chart(Testing.app(), 'test'), 'obj', { apiVersion: 'v1', kind: 'ConfigMap' }))).toBeUndefined();
    expect(resolvedProps(object({ data: { a: () => 'b' } }))).toBeUndefined();
    expect(resolvedProps(new k8s.KubeConfigMap(new Chart(Testing.app(), 'test'), 'cm', { data: { a: 'b' } }))).toBeDefined();
    expect(resolvedProps(object({ data: { a: 'b' } }, Testing.app({ resolvers: [resolver] })))).toBeUndefined();
    expect(resolvedProps(object({ data: { a: new Opaque() } }))).toBeUndefined();
  });
});

const RENAMED_SCHEMA_KEYS = new Set<string>(['isCA', 'repoURL']);

describe.each(exampleNames().flatMap(exampleApps))('example %s', (_name, build) => {
  test('every string and key an object renders is among those read from its props', () => {
    const app = Testing.app();
    build(app);
    app.synthYaml();
    const objects = app.node.findAll().filter(ApiObject.isApiObject);
    let fallbacks = 0;
    for (const obj of objects) {
      const props = resolvedProps(obj);
      if (props === undefined) {
        fallbacks++;
        continue;
      }
      const read = new Set([...textsOf(props).values, ...textsOf(props).keys]);
      const rendered = textsOf(obj.toJson());
      // schema field names the L1 classes write differently from their props (repoUrl -> repoURL)
      const missing = [...rendered.values, ...rendered.keys.filter((k) => !RENAMED_SCHEMA_KEYS.has(k))].filter((text) => !read.has(text));
      expect({ object: obj.node.path, missing }).toEqual({ object: obj.node.path, missing: [] });
    }
    // objects with JSON patches (a few workloads) are rendered instead
    expect(fallbacks).toBeLessThan(objects.length / 10);
  });

  test('the fields the access derivation reads are named and valued alike in props and output', () => {
    const app = Testing.app();
    build(app);
    app.synthYaml();
    const fields = ['destination', 'destinations', 'namespaceResourceWhitelist', 'namespaceResourceBlacklist', 'clusterResourceWhitelist', 'clusterResourceBlacklist'];
    for (const obj of app.node.findAll().filter(ApiObject.isApiObject).filter((o) => o.apiGroup === 'argoproj.io')) {
      const props: any = resolvedProps(obj);
      if (props === undefined) continue;
      const json = obj.toJson();
      for (const field of fields) expect(defined(props.spec?.[field])).toEqual(defined(json.spec?.[field]));
      expect(props.metadata).toEqual(json.metadata);
    }
  });
});

/** The string values and the object keys of a rendered object. */
function textsOf(value: unknown, texts: { values: string[]; keys: string[] } = { values: [], keys: [] }): { values: string[]; keys: string[] } {
  if (typeof value === 'string') {
    texts.values.push(value);
  } else if (Array.isArray(value)) {
    value.forEach((v) => textsOf(v, texts));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      texts.keys.push(k);
      textsOf(v, texts);
    }
  }
  return texts;
}

/** Without the keys whose value is undefined (cdk8s drops them when it renders). */
function defined(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
}
