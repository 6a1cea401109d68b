// A throwaway npm registry that serves the packages this project's `npm ci` installed, so a
// fresh app can be installed with ordinary version ranges and no network. npm resolves the
// ranges against exactly the versions in package-lock.json (every version of a package the
// lock holds, nested ones included) and downloads tarballs packed on demand from node_modules/.
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import * as zlib from 'zlib';

/** The manifest fields npm reads from a packument version. */
const MANIFEST_FIELDS = [
  'name', 'version', 'dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta',
  'bundleDependencies', 'bundledDependencies', 'bin', 'directories', 'engines', 'os', 'cpu', 'license',
];

export class LocalRegistry {
  /** Starts a registry on a free port of 127.0.0.1 for the packages installed in `projectDir`. */
  public static async start(projectDir: string): Promise<LocalRegistry> {
    const registry = new LocalRegistry(projectDir);
    await new Promise<void>((resolve) => registry.server.listen(0, '127.0.0.1', resolve));
    return registry;
  }

  /** Package name → version → directory of that version under node_modules/. */
  private readonly packages = new Map<string, Map<string, string>>();
  /** Directories of packages that travel inside another package's tarball. */
  private readonly bundled = new Set<string>();
  private readonly server: http.Server;
  private readonly requested = new Set<string>();

  private constructor(private readonly projectDir: string) {
    const lock = JSON.parse(fs.readFileSync(path.join(projectDir, 'package-lock.json'), 'utf8'));
    for (const [key, entry] of Object.entries<any>(lock.packages)) {
      if (entry.inBundle) this.bundled.add(key);
      // Bundled packages travel inside their parent's tarball; links have no tarball.
      if (!key.includes('node_modules/') || entry.inBundle || entry.link) continue;
      const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
      if (!this.packages.has(name)) this.packages.set(name, new Map());
      this.packages.get(name)!.set(entry.version, key);
    }
    this.server = http.createServer((req, res) => {
      this.handle(req.url ?? '/').then(({ status, type, body }) => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      }, (err) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err?.stack ?? err));
      });
    });
  }

  /** The registry URL, with a trailing slash. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Names of the packages npm asked for, sorted. */
  public get requestedPackages(): string[] {
    return [...this.requested].sort();
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(url: string): Promise<{ status: number; type: string; body: Buffer | string }> {
    const tarball = url.match(/^\/-\/tarball\/(.+)\.tgz$/);
    if (tarball) {
      const dir = decodeURIComponent(tarball[1]);
      if (![...this.packages.values()].some((versions) => [...versions.values()].includes(dir))) {
        return { status: 404, type: 'text/plain', body: 'not found' };
      }
      return { status: 200, type: 'application/octet-stream', body: packDirectory(this.projectDir, dir, this.bundled) };
    }
    const name = decodeURIComponent(url.slice(1).split('?')[0]);
    const versions = this.packages.get(name);
    if (!versions) return { status: 404, type: 'application/json', body: JSON.stringify({ error: 'not found' }) };
    this.requested.add(name);
    const doc: any = { 'name': name, 'dist-tags': {}, 'versions': {} };
    let latest: string | undefined;
    for (const [version, dir] of versions) {
      const manifest = JSON.parse(fs.readFileSync(path.join(this.projectDir, dir, 'package.json'), 'utf8'));
      const entry: any = {};
      for (const field of MANIFEST_FIELDS) if (manifest[field] !== undefined) entry[field] = manifest[field];
      entry.dist = { tarball: `${this.url}-/tarball/${encodeURIComponent(dir)}.tgz` };
      doc.versions[version] = entry;
      if (!version.includes('-') && (!latest || compareVersions(version, latest) > 0)) latest = version;
    }
    doc['dist-tags'].latest = latest ?? [...versions.keys()][0];
    return { status: 200, type: 'application/json', body: JSON.stringify(doc) };
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/**
 * An installed package directory as an npm tarball (gzipped ustar, entries under `package/`).
 * Of its node_modules/, only the packages the lock marks as bundled go along; anything else
 * there was installed next to it, not published with it.
 */
function packDirectory(projectDir: string, dir: string, bundled: Set<string>): Buffer {
  const blocks: Buffer[] = [];
  const walk = (key: string, rel: string) => {
    const abs = path.join(projectDir, key);
    for (const entry of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const childKey = `${key}/${entry.name}`;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules') {
          for (const dep of packagesIn(path.join(projectDir, childKey))) {
            if (bundled.has(`${childKey}/${dep}`)) walk(`${childKey}/${dep}`, `${childRel}/${dep}`);
          }
        } else {
          walk(childKey, childRel);
        }
      } else if (entry.isFile()) {
        const data = fs.readFileSync(path.join(projectDir, childKey));
        // npm makes the files named in `bin` executable itself.
        blocks.push(tarHeader(`package/${childRel}`, data.length, 0o644), data, Buffer.alloc((512 - (data.length % 512)) % 512));
      }
    }
  };
  walk(dir, '');
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks), { level: 1 });
}

/** Package names in a node_modules directory (`name` or `@scope/name`). */
function packagesIn(nodeModules: string): string[] {
  return fs.readdirSync(nodeModules).filter((n) => !n.startsWith('.')).flatMap((n) =>
    n.startsWith('@') ? fs.readdirSync(path.join(nodeModules, n)).map((m) => `${n}/${m}`) : [n]);
}

function tarHeader(name: string, size: number, mode: number): Buffer {
  const header = Buffer.alloc(512);
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    // ustar splits a long path at a slash: up to 155 bytes of prefix, up to 100 of name.
    let at = name.indexOf('/');
    while (at >= 0 && Buffer.byteLength(name.slice(at + 1)) > 100) at = name.indexOf('/', at + 1);
    if (at < 0 || Buffer.byteLength(name.slice(0, at)) > 155) throw new Error(`path too long for ustar: ${name}`);
    prefix = name.slice(0, at);
    name = name.slice(at + 1);
  }
  const field = (value: string, offset: number, length: number) => header.write(value, offset, length, 'utf8');
  const octal = (value: number, offset: number, length: number) => field(value.toString(8).padStart(length - 1, '0') + '\0', offset, length);
  field(name, 0, 100);
  octal(mode, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(0, 136, 12);
  header.fill(' ', 148, 156);
  field('0', 156, 1);
  field('ustar\0', 257, 6);
  field('00', 263, 2);
  field(prefix, 345, 155);
  let sum = 0;
  for (const byte of header) sum += byte;
  field(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return header;
}
