import * as fc from 'fast-check';
import { interpreterIn, templateExpressionProblem } from '../../src/workflows/private/template-expressions';

const RUNS = { seed: 1313, numRuns: 300 };

/** Programs that run another program from their arguments, each with options it takes. */
const WRAPPERS: string[][] = [
  ['env'], ['env', '-i'], ['env', 'FOO=1'], ['env', '-u', 'HOME'], ['env', '--'],
  ['timeout', '60'], ['timeout', '-s', 'KILL', '60s'], ['timeout', '--preserve-status', '5m'],
  ['nice'], ['nice', '-n', '10'], ['nohup'], ['exec'], ['stdbuf', '-oL'], ['setsid'], ['ionice', '-c3'],
  ['busybox'], ['sudo', '-u', 'app'], ['su', 'app', '-s'], ['tini', '--'], ['dumb-init'], ['xargs', '-0'],
  ['taskset', '-c', '0'], ['chrt', '-b', '0'], ['flock', '/tmp/lock'], ['time'],
];
/** Interpreters with the option that makes their next argument code. */
const INTERPRETERS: string[][] = [
  ['sh', '-c'], ['sh', '-c', '--'], ['sh', '-ec'], ['sh', '-euxc'], ['bash', '-lc'], ['bash', '-c'], ['dash', '-c'], ['ash', '-c'],
  ['zsh', '-c'], ['ksh', '-c'], ['python3', '-c'], ['python3.12', '-c'], ['python', '-c'], ['perl', '-e'], ['perl', '-E'],
  ['node', '-e'], ['node', '--eval'], ['nodejs', '-p'], ['ruby', '-e'], ['php', '-r'], ['lua', '-e'], ['pwsh', '-Command'],
  ['awk'], ['gawk', '-f', '/dev/stdin', '-v'], ['sed', '-e'], ['deno', 'eval'], ['Rscript', '-e'],
];
const PATHS = ['', '/bin/', '/usr/bin/', '/usr/local/bin/', './', '/opt/tools/bin/'];
const EXPRESSIONS = [
  '{{workflow.parameters.target}}', '{{inputs.parameters.env}}', '{{ workflow.parameters.x }}', '{{=sprig.trim(inputs.parameters.y)}}',
  '{{item}}', '{{steps.build.outputs.result}}',
];
const TEXT = fc.stringMatching(/^[a-z0-9 ;$"'|&>-]{0,12}$/);

const withPath = (words: string[]) => fc.constantFrom(...PATHS).map((p) => [`${p}${words[0]}`, ...words.slice(1)]);

/** A command line that runs an interpreter (behind any wrappers) with an expression in its code. */
const hostileArgv = fc.tuple(
  fc.array(fc.constantFrom(...WRAPPERS).chain(withPath), { maxLength: 4 }),
  fc.constantFrom(...INTERPRETERS).chain(withPath),
  TEXT, fc.constantFrom(...EXPRESSIONS), TEXT,
  fc.array(fc.constantFrom('arg', '--', '{{workflow.parameters.a}}'), { maxLength: 2 }),
).map(([wrappers, interpreter, before, expression, after, rest]) => [...wrappers.flat(), ...interpreter, `${before}${expression}${after}`, ...rest]);

/** A split of the command line into command and args (the command keeps at least the program). */
const split = (argv: string[]) => fc.integer({ min: 1, max: argv.length }).map((n) => ({ command: argv.slice(0, n), args: argv.slice(n) }));

describe('template expressions in a step command line', () => {
  test('refused whenever an interpreter runs, behind any wrappers, with any path and split', () => {
    fc.assert(fc.property(hostileArgv.chain(split), ({ command, args }) => {
      const found = templateExpressionProblem(command, args.length > 0 ? args : undefined);
      expect(found).toBeDefined();
      expect(found!.problem).toMatch(/pass it through env/i);
    }), RUNS);
  });

  test('refused when the command line is one glued string (env -S, su -c, a single "sh -c ..." element)', () => {
    for (const argv of [
      ['env', '-S', 'sh -c "deploy {{workflow.parameters.target}}"'],
      ['/usr/bin/env', '-S', 'A=1 B=2 python3 -c "print({{inputs.parameters.x}})"'],
      ['su', 'app', '-c', 'deploy {{workflow.parameters.target}}'],
      ['watch', '-n1', 'echo {{workflow.parameters.target}}'],
      ['ssh', 'host', 'deploy {{workflow.parameters.target}}'],
      ['sh -c', 'deploy {{workflow.parameters.target}}'],
    ]) {
      expect(templateExpressionProblem(argv, undefined)).toBeDefined();
    }
  });

  test('refused in the program position, where the value chooses what runs', () => {
    expect(templateExpressionProblem(['{{workflow.parameters.tool}}'], ['--version'])?.property).toBe('command');
    // without a command the image's entrypoint runs args; with none, args[0] is the program
    expect(templateExpressionProblem(undefined, ['{{workflow.parameters.tool}}'])?.property).toBe('args');
    expect(templateExpressionProblem(['/usr/bin/{{workflow.parameters.tool}}'], undefined)?.problem).toMatch(/chooses the program/);
  });

  test('names the property that holds the expression', () => {
    expect(templateExpressionProblem(['sh', '-c', 'echo {{item}}'], undefined)?.property).toBe('command');
    expect(templateExpressionProblem(['sh', '-c'], ['echo {{item}}'])?.property).toBe('args');
    // a positional parameter of the script is refused too: which argument is data depends on each interpreter
    expect(templateExpressionProblem(['sh', '-c', 'echo "$1"', 'sh'], ['{{workflow.parameters.target}}'])?.property).toBe('args');
  });

  test('accepted as a plain argument of a program that is not an interpreter', () => {
    const program = fc.constantFrom('echo', 'kubectl', 'curl', 'git', 'deploy-tool', '/usr/local/bin/report', 'shellcheck', 'python-lint', 'nodeinfo');
    const data = fc.oneof(fc.constantFrom(...EXPRESSIONS), fc.stringMatching(/^-{0,2}[a-z][a-z0-9=.]{0,10}$/).filter((w) => interpreterIn(w) === undefined));
    fc.assert(fc.property(program, fc.array(data, { maxLength: 5 }), fc.constantFrom(...EXPRESSIONS), (p, rest, expression) => {
      expect(templateExpressionProblem([p], [...rest, expression])).toBeUndefined();
      expect(templateExpressionProblem([p, ...rest], [expression])).toBeUndefined();
    }), RUNS);
  });

  test('a script without expressions is fine; values reach it through env', () => {
    expect(templateExpressionProblem(['sh', '-c'], ['deploy "$TARGET"'])).toBeUndefined();
    expect(templateExpressionProblem(['env', 'timeout', '60', 'python3', '-c', 'import os; print(os.environ["T"])'], undefined)).toBeUndefined();
  });

  test('recognises interpreters by name, path and version, not by prefix', () => {
    for (const name of ['sh', '/bin/sh', 'BASH', 'python3.11', '/usr/bin/perl5.36', 'node-20', "'sh", 'sh -c', 'FOO=1 sh -c x', '/bin/busybox', 'cmd.exe', 'powershell.exe']) {
      expect(interpreterIn(name)).toBeDefined();
    }
    for (const name of ['shellcheck', 'shasum', 'python-lint', 'nodeinfo', 'envsubst', 'echo', 'deploy sh']) {
      expect(interpreterIn(name)).toBeUndefined();
    }
  });
});
