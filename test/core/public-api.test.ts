// The package entry point exports the public jsii API only: classes and enums at run time
// (interfaces vanish), never a helper function, a constant or anything defined in a private/ folder.
import * as fs from 'fs';
import * as path from 'path';
import * as lib from '../../src';

const SRC = path.join(__dirname, '..', '..', 'src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every name exported by a file under any src/**\/private/ folder. */
function privateNames(): Set<string> {
  const names = new Set<string>();
  for (const file of filesUnder(SRC).filter((f) => f.split(path.sep).includes('private'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|interface|enum|type)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
    for (const m of text.matchAll(/^export\s*\{([^}]*)\}/gm)) {
      for (const part of m[1].split(',')) {
        const name = part.trim().split(/\s+as\s+/).pop();
        if (name) names.add(name);
      }
    }
  }
  return names;
}

function isClass(value: unknown): boolean {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** A TypeScript enum at run time: an object of string and number members (numeric ones map back). */
function isEnum(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([k, v]) => typeof v === 'string' || (typeof v === 'number' && (value as any)[v] === k));
}

describe('public API (src/index.ts)', () => {
  const exported = Object.entries(lib);

  test('exports something', () => {
    expect(exported.length).toBeGreaterThan(10);
  });

  test('every export is a class or an enum: no plain function, constant or object', () => {
    const offending = exported.filter(([, value]) => !isClass(value) && !isEnum(value)).map(([name, value]) => `${name} (${typeof value})`);
    expect(offending).toEqual([]);
  });

  test('no name defined under a private/ folder is exported', () => {
    const hidden = privateNames();
    expect(hidden.size).toBeGreaterThan(10);
    expect(exported.map(([name]) => name).filter((name) => hidden.has(name)).sort()).toEqual([]);
  });
});
