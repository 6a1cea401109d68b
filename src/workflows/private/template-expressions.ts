// Where Argo's `{{...}}` expressions may appear in a container's command line. Argo substitutes them
// into the container spec before the container starts, so a value lands verbatim in the argument.
// One argument stays one argument (no word splitting) unless a program reads it as code or as a
// command line: an interpreter (`sh -c`, `python3 -c`, `perl -e`, `awk`), or a program that runs
// another program named in its arguments (`env`, `timeout`, `busybox`, `xargs`, `su -c`). Deciding
// which of their arguments is code would mean parsing every option syntax of every such program,
// and wrappers nest (`env timeout 60 busybox sh -c`), so the rule is by presence: a command line
// that runs one of them anywhere takes no expression at all; values go through env instead.

/** Programs that read an argument as code or as a command line. */
const INTERPRETERS = [
  // shells
  'sh', 'ash', 'bash', 'dash', 'ksh', 'mksh', 'pdksh', 'rbash', 'yash', 'posh', 'zsh', 'csh', 'tcsh', 'fish', 'nu', 'xonsh',
  // script languages and stream editors with an exec or eval feature
  'python', 'pypy', 'perl', 'ruby', 'irb', 'node', 'nodejs', 'deno', 'bun', 'php', 'lua', 'luajit', 'tclsh', 'wish', 'expect',
  'rscript', 'julia', 'pwsh', 'powershell', 'cmd', 'groovy', 'jshell', 'osascript', 'awk', 'gawk', 'mawk', 'nawk', 'busybox', 'sed',
  'ipython', 'jruby', 'jython', 'scala', 'kotlin', 'elixir', 'iex', 'erl', 'escript', 'racket', 'guile', 'sbcl', 'clisp',
  'runghc', 'runhaskell', 'm4', 'vi', 'vim', 'nvim', 'ex', 'emacs',
  // programs that run a program or command line taken from their arguments
  'env', 'timeout', 'nice', 'nohup', 'exec', 'command', 'builtin', 'eval', 'time', 'stdbuf', 'setsid', 'ionice', 'chrt',
  'taskset', 'sudo', 'doas', 'su', 'runuser', 'chroot', 'unshare', 'nsenter', 'setpriv', 'capsh', 'tini', 'dumb-init',
  'xargs', 'find', 'parallel', 'watch', 'flock', 'script', 'ssh', 'strace', 'ltrace', 'gdb', 'valgrind', 'entr', 'make',
];
/** A name, optionally followed by a version (`python3.12`, `perl5.36`, `node-20`) and `.exe`. */
const INTERPRETER = new RegExp(`^(?:${INTERPRETERS.map((n) => n.replace(/-/g, '\\-')).join('|')})(?:[0-9][0-9.]*|-[0-9][0-9.]*)?(?:\\.exe)?$`);

/** Whether the text holds an Argo expression (`{{workflow.parameters.x}}`, `{{inputs...}}`, `{{=expr}}`). */
export function hasTemplateExpression(text: string): boolean {
  return text.includes('{{');
}

/** The program a command-line word names: its last path segment (`/usr/bin/env` -> `env`), lower case. */
function programName(word: string): string {
  return (word.split('/').pop() ?? '').toLowerCase();
}

/**
 * The interpreter or launcher an argument names, if any: the argument itself, or the first word of
 * a glued command line (`'sh -c'`, `env -S 'A=1 sh -c ...'`, after `NAME=value` words).
 */
export function interpreterIn(argument: string): string | undefined {
  const words = argument.trim().split(/\s+/).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  for (const word of [argument, words[0] ?? '']) {
    const name = programName(word.replace(/^['"]+|['"]+$/g, ''));
    if (INTERPRETER.test(name)) return name;
  }
  return undefined;
}

/** Where an expression sits that it must not, and why. */
export interface TemplateExpressionProblem {
  /** `command` or `args`. */
  readonly property: 'command' | 'args';
  /** What is wrong and the fix. */
  readonly problem: string;
}

/**
 * Checks a container's command and args for `{{...}}` expressions that a submitter's value could
 * turn into code or into the program run. `command` absent means the image's entrypoint runs
 * `args`; the first of them may then be the program itself.
 */
export function templateExpressionProblem(command: string[] | undefined, args: string[] | undefined): TemplateExpressionProblem | undefined {
  const argv = [...command ?? [], ...args ?? []];
  const located = (index: number): 'command' | 'args' => (index < (command?.length ?? 0) ? 'command' : 'args');
  const first = argv.findIndex(hasTemplateExpression);
  if (first < 0) return undefined;
  if (first === 0) {
    return {
      property: located(0),
      problem: 'starts with a {{...}} expression, so whoever sets the value chooses the program: name the program in command and pass the value as an argument or through env',
    };
  }
  const runner = argv.map(interpreterIn).find((name) => name !== undefined);
  if (runner === undefined) return undefined;
  return {
    property: located(first),
    problem: `a {{...}} expression in the command line of '${runner}', which runs code or another program from its arguments: whoever sets the value could run anything with the step's identity. Pass it through env (env: { NAME: '{{workflow.parameters.name}}' }) and use "$NAME" (os.environ['NAME'], $ENV{NAME}, process.env.NAME) in the script`,
  };
}
