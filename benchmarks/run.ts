// Synth benchmark (issue 7): builds the reference platform (benchmarks/platform.ts) with the
// library and the same objects as raw ApiObjects (benchmarks/baseline.ts), each run in a fresh
// child process so that peak RSS is per run, and prints a Markdown table of medians.
//
//   ts-node --transpile-only -P benchmarks/tsconfig.json benchmarks/run.ts [options]
//     --scales 0.1,1,10   scales to run (default 0.1,1,10)
//     --runs 5,5,3        runs per scale, one number per scale or one for all (default 5,5,3)
//     --projects-per-chart 100   tenant chart size (default 100: the chart count grows with the scale)
//     --profile 1         instead: CPU-profile one library build at this scale and list hot spots
//     --top 15            rows of the hot spot lists (default 15)
//
// Every measurement is also written to benchmarks/out/results-latest.json.
//
// Timed: creating the App and its constructs (or ApiObjects) and `app.synthYaml()`. Not timed:
// loading modules, reading the baseline JSON, writing files. The first library run of each
// scale writes the synthesized JSON to benchmarks/out/ for the baseline runs, which then
// compare their YAML with the library's (sha256).
//
// The children run plain JavaScript: src/ and benchmarks/ are transpiled once into
// benchmarks/out/js (transpile only, as ts-node --transpile-only would), so that neither the
// TypeScript compiler nor transpiling the 160k lines of src/imports counts in a child's memory.
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';

/** benchmarks/out, also when running as transpiled JS from benchmarks/out/js/benchmarks. */
const OUT_DIR = process.env.BENCH_OUT_DIR ?? path.join(__dirname, 'out');
const ROOT = path.resolve(OUT_DIR, '..', '..');
const JS_DIR = path.join(OUT_DIR, 'js');

type Variant = 'library' | 'baseline';

interface Measurement {
  readonly variant: Variant;
  readonly scale: number;
  readonly objects: number;
  readonly charts: number;
  /** Creating the App and its constructs or ApiObjects. */
  readonly buildMs: number;
  /** `app.synthYaml()`: validation, dependency resolution, resolve, YAML. */
  readonly synthMs: number;
  readonly totalMs: number;
  /** User + system CPU time of the timed part (less sensitive to other load than wall time). */
  readonly cpuMs: number;
  /** Peak RSS of the whole child process. */
  readonly maxRssMb: number;
  /** RSS after loading modules, before the timed part. */
  readonly importRssMb: number;
  readonly yamlSha256: string;
}

function baselineFile(scale: number, projectsPerChart: number): string {
  return path.join(OUT_DIR, `platform-${scale}x-${projectsPerChart}.json`);
}

// ---------------------------------------------------------------------------------------------
// Child process side
// ---------------------------------------------------------------------------------------------

/** One measured run, in this (fresh) process; prints its Measurement as JSON. */
async function worker(variant: Variant, scale: number, projectsPerChart: number, emit: boolean, profile: boolean): Promise<void> {
  // Modules and input are loaded before the clock starts.
  const { App, ApiObject } = await import('cdk8s');
  // Each child loads only what its variant needs (the baseline never loads the library).
  const platform = variant === 'library' ? await import('./platform.js') : undefined;
  const baseline = variant === 'baseline' ? await import('./baseline.js') : undefined;
  const input = variant === 'baseline' ? JSON.parse(fs.readFileSync(baselineFile(scale, projectsPerChart), 'utf-8')) : undefined;
  const importRssMb = process.memoryUsage().rss / 2 ** 20;
  const profiler = profile ? await startProfiler() : undefined;

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App();
  if (platform) platform.buildPlatform(app, scale, projectsPerChart);
  else baseline!.buildBaseline(app, input);
  const t1 = performance.now();
  const yaml = app.synthYaml();
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;

  if (profiler) await profiler.stop(path.join(OUT_DIR, `${variant}-${scale}x-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`));
  const m: Measurement = {
    variant,
    scale,
    objects: app.node.findAll().filter((c) => c instanceof ApiObject).length,
    charts: app.charts.length,
    buildMs: t1 - t0,
    synthMs: t2 - t1,
    totalMs: t2 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb,
    importRssMb,
    yamlSha256: createHash('sha256').update(yaml).digest('hex'),
  };
  if (emit && platform) {
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(baselineFile(scale, projectsPerChart), JSON.stringify(platform.synthCharts(app)));
  }
  process.stdout.write(`MEASUREMENT ${JSON.stringify(m)}\n`);
}

interface Profiler { stop(file: string): Promise<void> }

/** The V8 CPU profiler over the timed part only (`--cpu-prof` would also record module loading). */
async function startProfiler(): Promise<Profiler> {
  const inspector = await import('inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) =>
    session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = await post('Profiler.stop');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      process.stderr.write(`profile: ${path.relative(process.cwd(), file)}\n`);
      session.disconnect();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Parent side
// ---------------------------------------------------------------------------------------------

/** Transpiles src/ and benchmarks/ into JS_DIR (files whose output is older than the source). */
async function transpile(): Promise<void> {
  const ts = await import('typescript');
  const configFile = path.join(ROOT, 'benchmarks', 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, path.dirname(configFile));
  const compilerOptions = { ...config.options, noEmit: false, declaration: false, sourceMap: false, inlineSourceMap: false };
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return full === OUT_DIR ? [] : walk(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
  for (const file of [...walk(path.join(ROOT, 'src')), ...walk(path.join(ROOT, 'benchmarks'))]) {
    const out = path.join(JS_DIR, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(file).mtimeMs) continue;
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf-8'), { compilerOptions, fileName: file });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, outputText);
  }
}

function runChild(variant: Variant, scale: number, projectsPerChart: number, extra: string[] = []): Measurement {
  const script = path.join(JS_DIR, 'benchmarks', 'run.js');
  const args = [script, '--worker', variant, '--scale', String(scale), '--projects-per-chart', String(projectsPerChart), ...extra];
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, BENCH_OUT_DIR: OUT_DIR },
    encoding: 'utf-8',
    maxBuffer: 64 * 2 ** 20,
  });
  const line = (result.stdout ?? '').split('\n').find((l) => l.startsWith('MEASUREMENT '));
  if (result.status !== 0 || !line) {
    throw new Error(`${variant} run at scale ${scale} failed (exit ${result.status}):\n${result.stderr}`);
  }
  if (result.stderr) process.stderr.write(result.stderr);
  return JSON.parse(line.slice('MEASUREMENT '.length));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

interface ScaleResult {
  readonly scale: number;
  readonly library: Measurement[];
  readonly baseline: Measurement[];
}

function benchmark(scales: number[], runs: number[], projectsPerChart: number): ScaleResult[] {
  const results: ScaleResult[] = [];
  scales.forEach((scale, i) => {
    const library: Measurement[] = [];
    const baseline: Measurement[] = [];
    // Alternate the variants so that changing background load hits both alike.
    for (let r = 0; r < runs[i]; r++) {
      library.push(runChild('library', scale, projectsPerChart, r === 0 ? ['--emit'] : []));
      baseline.push(runChild('baseline', scale, projectsPerChart));
      const l = library[r];
      const b = baseline[r];
      process.stderr.write(`scale ${scale} run ${r + 1}/${runs[i]}: library ${l.totalMs.toFixed(0)} ms ${l.maxRssMb.toFixed(0)} MB, `
        + `baseline ${b.totalMs.toFixed(0)} ms ${b.maxRssMb.toFixed(0)} MB\n`);
    }
    results.push({ scale, library, baseline });
  });
  return results;
}

function table(results: ScaleResult[]): string {
  const f0 = (n: number) => n.toFixed(0);
  const f2 = (n: number) => n.toFixed(2);
  const rows: string[] = [
    '| scale | objects | charts | runs | library median ms (build + synth) | baseline median ms (build + synth) | ratio | library CPU ms | baseline CPU ms | CPU ratio | library peak RSS MB | baseline peak RSS MB | same YAML |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const med = (list: Measurement[], key: keyof Measurement) => median(list.map((m) => m[key] as number));
    const lib = med(r.library, 'totalMs');
    const base = med(r.baseline, 'totalMs');
    const same = [...r.library, ...r.baseline].every((m) => m.yamlSha256 === r.library[0].yamlSha256);
    rows.push(`| ${r.scale}x | ${r.library[0].objects} | ${r.library[0].charts} | ${r.library.length} | `
      + `${f0(lib)} (${f0(med(r.library, 'buildMs'))} + ${f0(med(r.library, 'synthMs'))}) | `
      + `${f0(base)} (${f0(med(r.baseline, 'buildMs'))} + ${f0(med(r.baseline, 'synthMs'))}) | ${f2(lib / base)} | `
      + `${f0(med(r.library, 'cpuMs'))} | ${f0(med(r.baseline, 'cpuMs'))} | ${f2(med(r.library, 'cpuMs') / med(r.baseline, 'cpuMs'))} | `
      + `${f0(med(r.library, 'maxRssMb'))} | ${f0(med(r.baseline, 'maxRssMb'))} | ${same ? 'yes' : 'NO'} |`);
  }
  if (results.length > 1) {
    rows.push('', '| growth | objects | library time | baseline time | library CPU | baseline CPU |', '|---|---|---|---|---|---|');
    for (let i = 1; i < results.length; i++) {
      const [a, b] = [results[i - 1], results[i]];
      const g = (key: keyof Measurement, v: Variant) => median(b[v].map((m) => m[key] as number)) / median(a[v].map((m) => m[key] as number));
      rows.push(`| ${b.scale}x / ${a.scale}x | ${f2(b.library[0].objects / a.library[0].objects)} | ${f2(g('totalMs', 'library'))} | `
        + `${f2(g('totalMs', 'baseline'))} | ${f2(g('cpuMs', 'library'))} | ${f2(g('cpuMs', 'baseline'))} |`);
    }
  }
  return rows.join('\n');
}

// -- profile summary ---------------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self and total (inclusive, each function counted once per stack) time per function. */
function summarizeProfile(file: string, top: number): string {
  const profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const where = (n: ProfileNode) => {
    const url = n.callFrame.url.replace(/^file:\/\//, '');
    const rel = url.startsWith(JS_DIR) ? path.relative(JS_DIR, url) : url.startsWith(ROOT) ? path.relative(ROOT, url) : url;
    return rel ? `${rel.replace(/^node_modules\//, '')}:${n.callFrame.lineNumber + 1}` : '';
  };
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${where(n)}`.trim();
  const area = (n: ProfileNode) => {
    const url = n.callFrame.url;
    if (url.includes('/node_modules/')) return url.replace(/^.*\/node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1');
    if (url.includes(`${path.sep}src${path.sep}imports${path.sep}`)) return 'src/imports (L1)';
    if (url.includes(`${path.sep}src${path.sep}`)) return 'src (library)';
    if (url.includes(`${path.sep}benchmarks${path.sep}`)) return 'benchmarks';
    if (url.startsWith('node:') || url === '') return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : 'node internals';
    return 'other';
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let sum = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    sum += dt;
    const leaf = byId.get(id)!;
    self.set(key(leaf), (self.get(key(leaf)) ?? 0) + dt);
    areas.set(area(leaf), (areas.get(area(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n; n = byId.get(parent.get(n.id) ?? -1)) {
      const k = key(n);
      if (!seen.has(k)) {
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + dt);
      }
    }
  });
  const pct = (ms: number) => `${((100 * ms) / sum).toFixed(1)}%`;
  const list = (title: string, m: Map<string, number>, filter: (k: string) => boolean) => [
    `### ${title}`, '', '| function (file:line of the transpiled JS) | self ms | total ms |', '|---|---|---|',
    ...[...m.entries()].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, top)
      .map(([k, v]) => `| \`${k}\` | ${(self.get(k) ?? 0).toFixed(0)} (${pct(self.get(k) ?? 0)}) | ${(total.get(k) ?? v).toFixed(0)} (${pct(total.get(k) ?? v)}) |`),
    '',
  ];
  const notRoot = (k: string) => !k.startsWith('(root)') && !k.startsWith('(program)');
  return [
    `Profile ${path.relative(ROOT, file)}: ${sum.toFixed(0)} ms sampled.`, '',
    '### Self time by area', '', '| area | self ms |', '|---|---|',
    ...[...areas.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `| ${k} | ${v.toFixed(0)} (${pct(v)}) |`), '',
    ...list('Top self time', self, notRoot),
    ...list('Top total time, library code (src/)', total, (k) => / src\//.test(k)),
    ...list('Top total time, everything', total, (k) => notRoot(k) && !/^(worker|__awaiter|step|fulfilled|rejected|\(anonymous\)) /.test(k)),
  ].join('\n');
}

// -- main --------------------------------------------------------------------------------------

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function numbers(text: string, what: string): number[] {
  const list = text.split(',').map(Number);
  if (list.some((n) => !(n > 0))) throw new Error(`--${what}: '${text}' is not a list of positive numbers`);
  return list;
}

async function main(): Promise<void> {
  const workerVariant = arg('worker');
  if (workerVariant) {
    if (workerVariant !== 'library' && workerVariant !== 'baseline') throw new Error(`unknown worker '${workerVariant}'`);
    await worker(workerVariant, Number(arg('scale')), Number(arg('projects-per-chart')), process.argv.includes('--emit'), process.argv.includes('--profile'));
    return;
  }
  const top = Number(arg('top') ?? 15);
  const projectsPerChart = numbers(arg('projects-per-chart') ?? '100', 'projects-per-chart')[0];
  await transpile();
  const profileScale = arg('profile');
  if (profileScale) {
    const before = new Set(fs.existsSync(OUT_DIR) ? fs.readdirSync(OUT_DIR) : []);
    const m = runChild('library', numbers(profileScale, 'profile')[0], projectsPerChart, ['--profile']);
    const file = fs.readdirSync(OUT_DIR).find((f) => f.endsWith('.cpuprofile') && !before.has(f))!;
    console.log(`Library build at ${m.scale}x: ${m.objects} objects, ${m.totalMs.toFixed(0)} ms (build ${m.buildMs.toFixed(0)} + synth ${m.synthMs.toFixed(0)}), peak RSS ${m.maxRssMb.toFixed(0)} MB (profiler on).\n`);
    console.log(summarizeProfile(path.join(OUT_DIR, file), top));
    return;
  }
  const scales = numbers(arg('scales') ?? '0.1,1,10', 'scales');
  let runs = numbers(arg('runs') ?? (scales.length === 3 ? '5,5,3' : '5'), 'runs');
  if (runs.length === 1) runs = scales.map(() => runs[0]);
  if (runs.length !== scales.length) throw new Error('--runs: give one number, or one per scale');

  const started = performance.now();
  const results = benchmark(scales, runs, projectsPerChart);
  fs.writeFileSync(path.join(OUT_DIR, 'results-latest.json'), JSON.stringify(results, undefined, 1));
  console.log(table(results));
  console.log(`\n${new Date().toISOString()}, node ${process.version}, ${projectsPerChart} projects per tenant chart, `
    + `${((performance.now() - started) / 1000).toFixed(0)} s in all`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
