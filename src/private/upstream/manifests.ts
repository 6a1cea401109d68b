// Upstream install manifests as data: each object of a vendored install is either emitted
// (after hardening, as code) or left out with a reason, and nothing goes unaccounted.

/** A Kubernetes object as upstream wrote it (parsed YAML). */
export interface UpstreamObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; [key: string]: any };
  readonly [key: string]: any;
}

/** What became of one upstream object. */
export interface UpstreamDisposition {
  readonly kind: string;
  readonly name: string;
  /** `emitted`, `merged` (one object per name: ours carries its content) or `omitted`. */
  readonly fate: 'emitted' | 'merged' | 'omitted';
  /** Why, for `merged` and `omitted` (the documentation table repeats it). */
  readonly reason?: string;
}

/** `Kind/name`, the key of an upstream object in one namespace. */
export function objectKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

/** The generated data modules' format: objects stored once, variants as lists of indexes. */
interface UpstreamData {
  readonly objects: UpstreamObject[];
  readonly variants: { [variant: string]: number[] };
}

const parsed = new Map<string, UpstreamData>();

/**
 * One variant of a vendored upstream install. Every read hands out a deep copy, so hardening
 * never changes the shared data; `emit`, `merge` and `omit` record each object's fate.
 */
export class UpstreamManifests {
  /**
   * @param json the generated module's JSON text (parsed once per process)
   * @param variant e.g. `standard` or `ha`
   */
  public static load(json: string, variant: string): UpstreamManifests {
    let data = parsed.get(json);
    if (!data) {
      data = JSON.parse(json) as UpstreamData;
      parsed.set(json, data);
    }
    const indexes = data.variants[variant];
    if (!indexes) throw new Error(`no upstream variant '${variant}'`);
    return new UpstreamManifests(indexes.map((i) => data!.objects[i]));
  }

  private readonly byKey = new Map<string, UpstreamObject>();
  private readonly fates = new Map<string, UpstreamDisposition>();

  private constructor(objects: UpstreamObject[]) {
    for (const obj of objects) this.byKey.set(objectKey(obj.kind, obj.metadata.name), obj);
  }

  /** Every object's key, in upstream order. */
  public keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** True when the variant has the object. */
  public has(kind: string, name: string): boolean {
    return this.byKey.has(objectKey(kind, name));
  }

  /** A deep copy of an object; throws when the variant lacks it (a version bump renamed it). */
  public get(kind: string, name: string): UpstreamObject {
    const obj = this.byKey.get(objectKey(kind, name));
    if (!obj) throw new Error(`the upstream install has no ${objectKey(kind, name)}`);
    return clone(obj);
  }

  /** Deep copies of every object of a kind not yet accounted for, in upstream order. */
  public pending(kind: string): UpstreamObject[] {
    return [...this.byKey.entries()]
      .filter(([key, obj]) => obj.kind === kind && !this.fates.has(key))
      .map(([, obj]) => clone(obj));
  }

  /** Records that the object is emitted (hardened) and returns a deep copy to harden. */
  public emit(kind: string, name: string): UpstreamObject {
    const obj = this.get(kind, name);
    this.record({ kind, name, fate: 'emitted' });
    return obj;
  }

  /** Records that another object of the same name carries this one's content. */
  public merge(kind: string, name: string, reason: string): UpstreamObject {
    const obj = this.get(kind, name);
    this.record({ kind, name, fate: 'merged', reason });
    return obj;
  }

  /** Records that the object is deliberately left out, and why. */
  public omit(kind: string, name: string, reason: string): void {
    this.get(kind, name);
    this.record({ kind, name, fate: 'omitted', reason });
  }

  /**
   * Records, after the fact, that an emitted object gave way to another object of the same name
   * (found when the whole app is known).
   */
  public yieldTo(kind: string, name: string, reason: string): void {
    const key = objectKey(kind, name);
    if (this.fates.get(key)?.fate !== 'emitted') throw new Error(`upstream ${key} was not emitted`);
    this.fates.set(key, { kind, name, fate: 'merged', reason });
  }

  /** The fate of every object, in upstream order; objects never accounted for have none. */
  public dispositions(): UpstreamDisposition[] {
    return this.keys().filter((k) => this.fates.has(k)).map((k) => this.fates.get(k)!);
  }

  /** Keys of the objects nobody accounted for (a version bump added them). */
  public unaccounted(): string[] {
    return this.keys().filter((k) => !this.fates.has(k));
  }

  private record(fate: UpstreamDisposition): void {
    const key = objectKey(fate.kind, fate.name);
    if (this.fates.has(key)) throw new Error(`upstream ${key} is accounted for twice`);
    this.fates.set(key, fate);
  }
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
