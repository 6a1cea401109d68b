// Runs the certificate-watch scripts, exactly as the pods get them, against a certificate in a
// directory laid out as the kubelet writes Secret volumes (files behind a `..data` symlink that
// is swapped atomically) and dummy processes standing in for argocd-server and rundex with Dex.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CERTIFICATE_RECORDED_SCRIPT, CERTIFICATE_WATCH_SCRIPT } from '../../src/argocd/install/private/certificate-watch-script';

// The Argo CD image's sh is dash; busybox ash is checked too where it is installed.
const SHELLS = [['dash'], ['busybox', 'sh']].filter(([shell, ...args]) => spawnSync(shell, [...args, '-c', 'exit 0']).status === 0);

// Looking for the process to stop reads every /proc/<pid>/cmdline: a handful in a pod, the whole machine here.
jest.setTimeout(120000);

const LEAF_A = '-----BEGIN CERTIFICATE-----\nMIIBaaaa\n-----END CERTIFICATE-----\n';
const LEAF_B = '-----BEGIN CERTIFICATE-----\nMIIBbbbb\n-----END CERTIFICATE-----\n';

/** A Secret volume as the kubelet's atomic writer keeps it. */
class SecretVolume {
  private generation = 0;
  constructor(public readonly dir: string) {
    fs.mkdirSync(dir);
  }

  get certificate(): string {
    return path.join(this.dir, 'tls.crt');
  }

  /** Writes a new timestamped directory and swaps `..data` to it in one rename (or empties the volume). */
  write(content: string | undefined): void {
    const generation = path.join(this.dir, `..2026_12_01_00_00_0${++this.generation}`);
    fs.mkdirSync(generation);
    if (content !== undefined) fs.writeFileSync(path.join(generation, 'tls.crt'), content);
    fs.symlinkSync(path.basename(generation), path.join(this.dir, '..data_tmp'));
    fs.renameSync(path.join(this.dir, '..data_tmp'), path.join(this.dir, '..data'));
    if (!fs.lstatSync(this.certificate, { throwIfNoEntry: false })) fs.symlinkSync('..data/tls.crt', this.certificate);
  }
}

/** A running process with a unique command line, optionally with a child (rundex and Dex). */
class Dummy {
  public readonly process: ChildProcess;
  public readonly commandLine: string;
  private exited = false;

  constructor(withChild: boolean) {
    const marker = 900000 + Math.floor(Math.random() * 99999);
    const stdio = 'ignore';
    this.process = withChild ? spawn('sh', ['-c', `sleep ${marker} & wait`], { stdio }) : spawn('sleep', [String(marker)], { stdio });
    this.commandLine = withChild ? `sh -c sleep ${marker} & wait` : `sleep ${marker}`;
    this.process.on('exit', () => { this.exited = true; });
  }

  /** The pids of the process's children (the shell's sleep). */
  children(): number[] {
    return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === this.process.pid;
      } catch {
        return false;
      }
    }).map(Number);
  }

  async running(): Promise<boolean> {
    await new Promise((r) => setTimeout(r, 150));
    return !this.exited;
  }

  stop(): void {
    for (const child of this.children()) process.kill(child, 'SIGKILL');
    if (!this.exited) this.process.kill('SIGKILL');
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

describe.each(SHELLS.map((s) => [s.join(' '), s]))('certificate watch under %s', (_, shell) => {
  let dir: string;
  let volume: SecretVolume;
  let state: string;
  const dummies: Dummy[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certificate-watch-'));
    volume = new SecretVolume(path.join(dir, 'tls'));
    state = path.join(dir, 'state');
    fs.mkdirSync(state);
  });
  afterEach(() => {
    dummies.splice(0).forEach((d) => d.stop());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function dummy(withChild = false): Dummy {
    const d = new Dummy(withChild);
    dummies.push(d);
    return d;
  }

  function script(mode: string, target: string): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(shell[0], [...shell.slice(1), '-c', CERTIFICATE_WATCH_SCRIPT, 'certificate-watch', mode, volume.certificate, state, target],
      { encoding: 'utf8', timeout: 60000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  const record = () => fs.readFileSync(path.join(state, 'loaded'), 'utf8');

  test('the script parses', () => {
    for (const source of [CERTIFICATE_WATCH_SCRIPT, CERTIFICATE_RECORDED_SCRIPT]) {
      expect(spawnSync(shell[0], [...shell.slice(1), '-n', '-c', source], { encoding: 'utf8' }).status).toBe(0);
    }
  });

  test('snapshot records the certificate, or nothing when it is absent, and never replaces a record', () => {
    volume.write(LEAF_A);
    expect(script('snapshot', 'none').status).toBe(0);
    expect(record()).toBe(LEAF_A);
    // This container restarted while the process kept running: the record stays what it loaded.
    volume.write(LEAF_B);
    expect(script('snapshot', 'none').status).toBe(0);
    expect(record()).toBe(LEAF_A);

    fs.rmSync(path.join(state, 'loaded'));
    fs.rmSync(volume.certificate);
    expect(script('snapshot', 'none').status).toBe(0);
    expect(record()).toBe('');
  });

  test('no change, or a rewrite with the same content: nothing is stopped, however often it looks', async () => {
    const server = dummy();
    volume.write(LEAF_A);
    script('snapshot', server.commandLine);
    for (let i = 0; i < 3; i++) {
      volume.write(LEAF_A);
      expect(script('check', server.commandLine)).toEqual({ status: 0, stdout: '', stderr: '' });
    }
    expect(await server.running()).toBe(true);
    expect(record()).toBe(LEAF_A);
  });

  test('a renewal stops the process and its children, once, after two equal looks; other processes stay', async () => {
    const dex = dummy(true);
    const decoy = dummy();
    volume.write(LEAF_A);
    script('snapshot', dex.commandLine);
    expect(await until(() => dex.children().length === 1, 2000)).toBe(true);
    const child = dex.children()[0];

    volume.write(LEAF_B);
    // First look: seen once, nothing stopped yet.
    expect(script('check', dex.commandLine).stdout).toBe('');
    expect(await dex.running()).toBe(true);
    // Second look, same content: the record moves on first, then the process and its child get SIGTERM.
    const second = script('check', dex.commandLine);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`tls.crt changed: stopping '${dex.commandLine}' \\(pids ${dex.process.pid} ${child}\\)`));
    expect(record()).toBe(LEAF_B);
    expect(await dex.running()).toBe(false);
    expect(await until(() => !alive(child), 2000)).toBe(true);
    expect(await decoy.running()).toBe(true);

    // The restarted process loads LEAF_B: no further stop (no restart loop).
    const restarted = dummy(true);
    for (let i = 0; i < 3; i++) expect(script('check', restarted.commandLine).stdout).toBe('');
    expect(await restarted.running()).toBe(true);
  });

  test('a file that is absent for a while (a deleted Secret) or read half-written changes nothing', async () => {
    const server = dummy();
    volume.write(LEAF_A);
    script('snapshot', server.commandLine);
    volume.write(undefined);
    expect(fs.existsSync(volume.certificate)).toBe(false);
    for (let i = 0; i < 3; i++) expect(script('check', server.commandLine).stdout).toBe('');
    volume.write(LEAF_A);
    expect(script('check', server.commandLine).stdout).toBe('');

    // A writer that is not atomic: each look sees other bytes, so nothing happens until they settle.
    const partial = LEAF_B.slice(0, 20);
    fs.writeFileSync(path.join(dir, 'plain.crt'), partial);
    fs.rmSync(volume.certificate);
    fs.symlinkSync(path.join(dir, 'plain.crt'), volume.certificate);
    expect(script('check', server.commandLine).stdout).toBe('');
    fs.writeFileSync(path.join(dir, 'plain.crt'), LEAF_B.slice(0, 40));
    expect(script('check', server.commandLine).stdout).toBe('');
    expect(await server.running()).toBe(true);
    expect(record()).toBe(LEAF_A);
    fs.writeFileSync(path.join(dir, 'plain.crt'), LEAF_B);
    expect(script('check', server.commandLine).stdout).toBe('');
    expect(script('check', server.commandLine).stdout).toMatch(/changed: stopping/);
    expect(await server.running()).toBe(false);
  });

  test('a certificate issued after the pod started (Dex fell back to a self-signed one) restarts the process', async () => {
    const dex = dummy();
    script('snapshot', dex.commandLine);
    expect(record()).toBe('');
    volume.write(LEAF_A);
    script('check', dex.commandLine);
    expect(script('check', dex.commandLine).stdout).toMatch(/changed: stopping/);
    expect(await dex.running()).toBe(false);
  });

  test('a process that is not running (crash-looping argocd-server) is not looked for again: it loads the new file itself', () => {
    volume.write(LEAF_A);
    script('snapshot', 'sleep 1234567 not running');
    volume.write(LEAF_B);
    script('check', 'sleep 1234567 not running');
    const r = script('check', 'sleep 1234567 not running');
    expect(r).toEqual({ status: 0, stdout: expect.stringMatching(/is not running and loads it when it starts/), stderr: '' });
    expect(record()).toBe(LEAF_B);
    expect(script('check', 'sleep 1234567 not running').stdout).toBe('');
  });

  test('watch: the postStart hook returns once the record exists, and a renewal stops the process', async () => {
    const server = dummy();
    volume.write(LEAF_A);
    const watch = spawn(shell[0], [...shell.slice(1), '-c', CERTIFICATE_WATCH_SCRIPT, 'certificate-watch', 'watch', volume.certificate, state, server.commandLine, '0.2'],
      { stdio: 'ignore' });
    try {
      const hook = spawnSync(shell[0], [...shell.slice(1), '-c', CERTIFICATE_RECORDED_SCRIPT, 'certificate-watch', path.join(state, 'loaded')], { timeout: 10000 });
      expect(hook.status).toBe(0);
      expect(record()).toBe(LEAF_A);
      expect(await server.running()).toBe(true);
      volume.write(LEAF_B);
      expect(await until(() => server.process.exitCode !== null || server.process.signalCode !== null, 60000)).toBe(true);
      expect(server.process.signalCode).toBe('SIGTERM');
      expect(record()).toBe(LEAF_B);
      expect(watch.exitCode).toBeNull();
    } finally {
      watch.kill('SIGTERM');
    }
  });
});
