// Every object the library creates carries the standard labels and a sync wave, in every
// example. Objects an example creates itself (directly in its chart) are the user's: they are
// listed, not judged.
import { ApiObject, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { exampleApps, exampleNames } from '../../examples/synth';
import * as lib from '../../src';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../../src/core/labels';
import { SYNC_WAVE_ANNOTATION, SyncWave, syncWaveForKind } from '../../src/core/sync-wave';

// Every app of every example (an example's variants are apps of their own), as the main job builds them.
const EXAMPLES = exampleNames().flatMap(exampleApps);
const LIBRARY_CLASSES = new Set<unknown>(Object.values(lib).filter((v) => typeof v === 'function'));

/** The innermost library construct an object was created in, if any. */
function libraryOwner(obj: IConstruct): IConstruct | undefined {
  return [...obj.node.scopes].reverse().find((s) => s !== obj && LIBRARY_CLASSES.has(s.constructor));
}

describe.each(EXAMPLES)('example %s', (_name, build) => {
  const app = Testing.app();
  build(app);
  // Synthesize every chart as `cdk8s synth` would: the validation hooks (and the stamper) run first.
  app.charts.forEach((chart: Chart) => Testing.synth(chart));
  const rendered = new Map<ApiObject, any>(app.node.findAll().filter(ApiObject.isApiObject).map((obj) => [obj, obj.toJson()]));
  const library = [...rendered.entries()].filter(([obj]) => libraryOwner(obj) !== undefined);

  test('creates objects', () => {
    expect(library.length).toBeGreaterThan(0);
  });

  test('every library object carries the standard labels and a sync wave', () => {
    const missing = library
      .filter(([, json]) => json.metadata?.labels?.[LABEL_MANAGED_BY] !== MANAGED_BY
        || json.metadata?.annotations?.[SYNC_WAVE_ANNOTATION] === undefined)
      .map(([obj, json]) => `${obj.node.path} (${json.kind})`);
    expect(missing).toEqual([]);
  });

  test('sync waves follow the kind table unless a construct chose one', () => {
    const waves = library.map(([, json]) => Number(json.metadata.annotations[SYNC_WAVE_ANNOTATION]));
    for (const wave of waves) expect(Object.values(SyncWave)).toContain(wave);
    // Namespaces always come first, Applications and CronWorkflows last.
    for (const [, json] of library) {
      if (['Namespace', 'Application', 'ApplicationSet', 'CronWorkflow'].includes(json.kind)) {
        expect(`${json.kind} ${json.metadata.annotations[SYNC_WAVE_ANNOTATION]}`).toBe(`${json.kind} ${syncWaveForKind(json.kind)}`);
      }
    }
  });

  test('objects the example creates itself are few and named', () => {
    const own = [...rendered.keys()].filter((obj) => libraryOwner(obj) === undefined).map((obj) => obj.node.path);
    expect(own.length).toBeLessThanOrEqual(5);
  });
});
