// Every ```ts block in README.md and docs/*.md type-checks against the library's public API
// (`cdk8s-secure-argo` resolves to src/index.ts). Excerpts may use the names the library, cdk8s
// and constructs export, `fs`, `path`, `app` and `chart` without importing or declaring them;
// other free names are declared in a `<!-- sample-context: ... -->` comment right before the
// block. Full programs import what they use, as users copy them.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { CodeBlock, codeBlocks } from '../support/docs';

const ROOT = path.resolve(__dirname, '..', '..');
const DOCS = [path.join(ROOT, 'README.md'), ...fs.readdirSync(path.join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md')).sort().map((f) => path.join(ROOT, 'docs', f))];

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  skipLibCheck: true,
  types: ['node', 'jest'],
  baseUrl: ROOT,
  paths: { 'cdk8s-secure-argo': ['src/index.ts'] },
};

/** Names an excerpt may use unimported, by module. */
const IMPLICIT_MODULES: Record<string, string[]> = {
  cdk8s: ['ApiObject', 'App', 'Chart', 'Cron', 'Duration', 'Size', 'Testing', 'YamlOutputType'],
  constructs: ['Construct'],
};
const IMPLICIT_NAMESPACES: Record<string, string> = { fs: 'fs', path: 'path' };
const IMPLICIT_VALUES: Record<string, string> = { app: 'App', chart: 'Chart' };

function libraryExports(host: ts.CompilerHost): string[] {
  const index = path.join(ROOT, 'src', 'index.ts');
  const program = ts.createProgram([index], OPTIONS, host);
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  return checker.getExportsOfModule(module).map((s) => s.name);
}

/** The names a block declares or imports itself. */
function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/\b(?:const|let|var|class|function|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of code.matchAll(/^import\s+(?:\*\s+as\s+(\w+)|\{([^}]*)\}|(\w+))/gm)) {
    for (const name of (m[2] ?? m[1] ?? m[3]).split(',')) {
      const local = name.trim().split(/\s+as\s+/).pop();
      if (local) names.add(local);
    }
  }
  return names;
}

/** The prelude that imports and declares what an excerpt uses without defining it. */
function prelude(block: CodeBlock, library: string[]): string {
  const text = `${block.context}\n${block.code}`;
  const declared = declaredNames(text);
  const used = (name: string) => !declared.has(name) && new RegExp(`(?<![\\w$.])${name.replace('$', '\\$')}\\b`).test(text);
  const lines: string[] = [];
  const importFrom = (module: string, names: string[]) => {
    const wanted = names.filter(used);
    if (wanted.length) lines.push(`import { ${wanted.join(', ')} } from '${module}';`);
  };
  const values = Object.entries(IMPLICIT_VALUES).filter(([name]) => used(name));
  const typesForValues = values.map(([, type]) => type).filter((t) => !declared.has(t));
  const cdk8s = [...new Set([...IMPLICIT_MODULES.cdk8s.filter(used), ...typesForValues])];
  if (cdk8s.length) lines.push(`import { ${cdk8s.join(', ')} } from 'cdk8s';`);
  importFrom('constructs', IMPLICIT_MODULES.constructs);
  importFrom('cdk8s-secure-argo', library);
  for (const [name, module] of Object.entries(IMPLICIT_NAMESPACES)) if (used(name)) lines.push(`import * as ${name} from '${module}';`);
  for (const [name, type] of values) lines.push(`declare const ${name}: ${type};`);
  if (block.context) lines.push(block.context);
  lines.push('export {};');
  return lines.join('\n') + '\n';
}

describe('code samples in the documentation', () => {
  const host = ts.createCompilerHost(OPTIONS);
  const blocks = DOCS.flatMap(codeBlocks);
  let diagnostics: Map<string, string[]>;

  beforeAll(() => {
    const library = libraryExports(host);
    const virtual = new Map<string, { block: CodeBlock; offset: number; text: string }>();
    blocks.forEach((block, i) => {
      const head = prelude(block, library);
      const name = path.join(ROOT, 'test', 'docs', `sample-${i}.ts`);
      virtual.set(name, { block, offset: head.split('\n').length - 1, text: head + block.code });
    });
    const samplesHost: ts.CompilerHost = {
      ...host,
      fileExists: (f) => virtual.has(f) || host.fileExists(f),
      readFile: (f) => virtual.get(f)?.text ?? host.readFile(f),
      getSourceFile: (f, language, onError) => {
        const v = virtual.get(f);
        return v ? ts.createSourceFile(f, v.text, language) : host.getSourceFile(f, language, onError);
      },
    };
    const program = ts.createProgram([...virtual.keys()], OPTIONS, samplesHost);
    diagnostics = new Map(DOCS.map((d) => [d, []]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const v = d.file && virtual.get(d.file.fileName);
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!v) {
        diagnostics.get(DOCS[0])!.push(`${d.file?.fileName ?? ''}: ${message}`);
        continue;
      }
      const line = d.file!.getLineAndCharacterOfPosition(d.start!).line - v.offset;
      const where = line < 0 ? `(prelude of the block at line ${v.block.line})` : `${v.block.line + 1 + line}`;
      diagnostics.get(v.block.file)!.push(`${path.relative(ROOT, v.block.file)}:${where}: ${message}`);
    }
  }, 120_000);

  test('README.md has samples', () => {
    expect(blocks.filter((b) => b.file === DOCS[0]).length).toBeGreaterThan(0);
  });

  test.each(DOCS.map((d) => [path.relative(ROOT, d), d]))('%s type-checks', (_, file) => {
    expect(diagnostics.get(file)).toEqual([]);
  });
});
