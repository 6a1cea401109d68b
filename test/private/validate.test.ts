import { ConfigurationError } from '../../src/private/errors';
import {
  apiGroupProblem, cidrProblem, dns1123LabelProblem, dns1123SubdomainProblem, httpsUrlProblem, ianaTimeZoneProblem,
  isIanaTimeZone, labelKeyProblem, labelValueProblem, oneOfProblem, pemProblem, portProblem, quantityProblem, quoted,
  requireDns1123Label, requireHttpsUrl, requireOneOf, requirePort, safeTextProblem,
} from '../../src/private/validate';

/** A deterministic random string over `alphabet`. */
function randomStrings(count: number, alphabet: string, maxLength: number, seed = 7): string[] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const chars = [...alphabet];
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * maxLength) }, () => chars[Math.floor(next() * chars.length)]).join(''));
}

const HOSTILE = '\u0000\u0007\n\r\t\u001b\u007f\u0080\u0085\u009f\u2028\u2029\ufeff\ud800\udc00 a/%\'"\\';

describe('quoted', () => {
  test('quotes, escapes controls and separators, and truncates', () => {
    expect(quoted('abc')).toBe("'abc'");
    expect(quoted('a\nb\u2028c\u0085\u0000')).toBe("'a\\nb\\u2028c\\u0085\\u0000'");
    expect(quoted('x'.repeat(150))).toBe(`'${'x'.repeat(100)}…'`);
    expect(quoted('\ud83d\ude00')).toBe("'\ud83d\ude00'");
    expect(quoted('\ud83d')).toBe("'\\ud83d'");
    expect(quoted(undefined)).toBe("'undefined'");
    expect(quoted(42)).toBe("'42'");
  });

  test('never lets a raw control or separator through (property)', () => {
    for (const s of randomStrings(300, HOSTILE, 30)) {
      expect(quoted(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/);
    }
  });
});

describe('names, labels, groups, quantities', () => {
  test('DNS-1123 labels and subdomains', () => {
    expect(dns1123LabelProblem('argocd')).toBeUndefined();
    expect(dns1123LabelProblem('a'.repeat(64))).toMatch(/not a DNS-1123 label/);
    expect(dns1123LabelProblem('Argo')).toMatch(/^'Argo' is not a DNS-1123 label: use at most 63/);
    expect(dns1123LabelProblem('a.b')).toBeDefined();
    expect(dns1123SubdomainProblem('a.b-c')).toBeUndefined();
    expect(dns1123SubdomainProblem('-a')).toMatch(/not a DNS-1123 subdomain/);
    expect(() => requireDns1123Label('X', 'name', 'Bad\n')).toThrow(ConfigurationError);
    expect(() => requireDns1123Label('X', 'name', 'Bad\n')).toThrow("X: name: 'Bad\\n' is not a DNS-1123 label");
  });

  test('label keys and values', () => {
    for (const key of ['k8s-app', 'app.kubernetes.io/name', 'example.com/a_b.c']) expect(labelKeyProblem(key)).toBeUndefined();
    for (const key of ['', '/a', 'a/', 'Example.com/a', `${'a'.repeat(64)}`, 'a b', '-a']) expect(labelKeyProblem(key)).toBeDefined();
    for (const value of ['', 'kube-dns', 'A_b.c', 'a'.repeat(63)]) expect(labelValueProblem(value)).toBeUndefined();
    for (const value of ['a'.repeat(64), '-a', 'a b', 'a/b']) expect(labelValueProblem(value)).toBeDefined();
  });

  test('API groups', () => {
    for (const g of ['', 'apps', 'argoproj.io', 'rbac.authorization.k8s.io']) expect(apiGroupProblem(g)).toBeUndefined();
    expect(apiGroupProblem('*')).toMatch(/no '\*'/);
    expect(apiGroupProblem('*', true)).toBeUndefined();
    expect(apiGroupProblem('Apps')).toBeDefined();
  });

  test('quantities', () => {
    for (const q of ['4', '500m', '16Gi', '1.5', '.5', '1e3', '+1', '100M', '2Ki']) expect(quantityProblem(q)).toBeUndefined();
    for (const q of ['-1', 'lots', '', '1 Gi', '1gi', '1.2.3', 'Gi', '1Mi ']) expect(quantityProblem(q)).toMatch(/not a Kubernetes quantity/);
  });
});

describe('networks', () => {
  test('CIDR blocks', () => {
    for (const c of ['10.0.0.0/8', '0.0.0.0/0', 'fd00::/8', '192.168.1.1/32']) expect(cidrProblem(c)).toBeUndefined();
    for (const c of ['10.0.0.0', '10.0.0.0/33', '010.0.0.0/8', 'fd00::/129', 'x/8', '10.0.0.0/8 ']) expect(cidrProblem(c)).toMatch(/not a CIDR/);
  });

  test('ports', () => {
    expect(portProblem(443)).toBeUndefined();
    for (const p of [0, 65536, 1.5, -1, NaN]) expect(portProblem(p)).toMatch(/not a port number/);
    expect(() => requirePort('X', 'port', 0)).toThrow('X: port: 0 is not a port number: use an integer from 1 to 65535');
  });

  test.each([
    'https://argocd.example.com', 'https://argocd.example.com/', 'https://argocd.example.com:8443/api/v1',
    'https://10.0.0.1', 'https://[fd00::1]:6443', 'https://vault.internal.', 'https://Example.COM/Path',
    'https://host/a%20b', 'https://login.microsoftonline.com/tenant-id/v2.0', 'https://my_host.internal',
  ])('accepts the https URL %j', (url) => {
    expect(httpsUrlProblem(url)).toBeUndefined();
  });

  test.each([
    ['http://argocd.example.com', /does not use https/],
    ['HTTPS://argocd.example.com', /upper-case scheme/],
    ['https://argocd.example.com/a b', /whitespace/],
    [' https://argocd.example.com', /whitespace/],
    ['https://argocd.example.com\n', /control/],
    ['https://ｅxample.com', /non-ASCII/],
    ['https://bücher.example', /non-ASCII/],
    ['https://host/%zz', /'%'/],
    ['https://user:pw@host', /credentials/],
    ['https://host?x=1', /query/],
    ['https://host#frag', /fragment/],
    ['https://host:0', /port/],
    ['https://host:65536', /port/],
    ['https://host:0443', /port/],
    ['https://host:', /port/],
    ['https://host\\evil.com', /no valid host/],
    ['https://host/a\\b', /rewrite/],
    ['https://host/{x}', /rewrite/],
    ['https://host/a/../b', /'\.\.'/],
    ['https://', /no valid host/],
    ['https://-host', /no valid host/],
    ['https://010.0.0.1', /no valid host/],
    ['https://[zz::1]', /no valid host/],
    ['https:/host', /not an https/],
    ['host.example.com', /not an https/],
    ['', /not an https/],
  ])('refuses %j', (url, message) => {
    expect(httpsUrlProblem(url)).toMatch(message);
  });

  test('query, fragment and userinfo only when allowed', () => {
    expect(httpsUrlProblem('https://host/p?x=1#f', { allowQuery: true, allowFragment: true })).toBeUndefined();
    expect(httpsUrlProblem('https://u@host', { allowUserinfo: true })).toBeUndefined();
    expect(() => requireHttpsUrl('X', 'url', 'http://a')).toThrow(/X: url: 'http:\/\/a' does not use https/);
  });

  test('hostile strings are never accepted with a raw control character, and messages stay clean (property)', () => {
    for (const s of randomStrings(500, `${HOSTILE}https:/.example`, 40)) {
      const problem = httpsUrlProblem(`https://a.example/${s}`);
      if (/[^\x21-\x7e]/.test(s)) expect(problem).toBeDefined();
      if (problem) expect(problem).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/);
    }
  });
});

describe('safe text', () => {
  test('one line of plain text by default', () => {
    expect(safeTextProblem('GitHub (corp)')).toBeUndefined();
    expect(safeTextProblem('café ☕ 日本')).toBeUndefined();
    for (const bad of ['', '   ', 'a\nb', 'a\rb', 'a\tb', 'a\u0085b', 'a\u2028b', 'a\u2029b', 'a\u007fb', 'a\u0090b', '\ufeffa', 'a\ud800b', 'a\udc00']) {
      expect(safeTextProblem(bad)).toBeDefined();
    }
  });

  test('a lone line separator is reported as what it is, not as empty (JavaScript trim() removes it)', () => {
    for (const ch of ['\u2028', '\u2029', '\ufeff', '\u0085']) {
      const problem = safeTextProblem(ch);
      expect(problem).not.toMatch(/empty/);
      expect(problem).toMatch(/contains '\\u(2028|2029|feff|0085)', an? (line break for YAML readers|invisible byte-order mark)/);
    }
    expect(safeTextProblem('a\tb')).toMatch(/contains '\\t', a line break or tab/);
    expect(safeTextProblem(' \t ', { multiline: true })).toMatch(/is empty/);
  });

  test('multiline accepts line feeds and tabs, still refuses the rest', () => {
    expect(safeTextProblem('line 1\n\tline 2', { multiline: true })).toBeUndefined();
    expect(safeTextProblem('line 1\r\nline 2', { multiline: true })).toBeDefined();
    expect(safeTextProblem('a\u2028b', { multiline: true })).toBeDefined();
  });

  test('length limit', () => {
    expect(safeTextProblem('a'.repeat(1024))).toBeUndefined();
    expect(safeTextProblem('a'.repeat(1025))).toMatch(/longer than 1024/);
    expect(safeTextProblem('a'.repeat(254), { maxLength: 253 })).toMatch(/longer than 253/);
  });

  test('accepted text never holds a character YAML 1.1 reads as a line break (property)', () => {
    for (const s of randomStrings(1000, `${HOSTILE}abc`, 12)) {
      if (safeTextProblem(s) === undefined) expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/);
    }
  });
});

describe('PEM', () => {
  const body = Buffer.from('not really a certificate, but base64 all the same').toString('base64');
  const cert = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;

  test('accepts certificate blocks', () => {
    expect(pemProblem(cert, { type: 'CERTIFICATE' })).toBeUndefined();
    expect(pemProblem(`${cert}\n${cert}`, { type: 'CERTIFICATE' })).toBeUndefined();
    expect(pemProblem(`${cert}${cert}`, { type: 'CERTIFICATE', multiple: false })).toMatch(/exactly one/);
  });

  test.each([
    ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', /private key/],
    ['-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----', /private key/],
    ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', /PUBLIC KEY block/],
    ['-----BEGIN CERTIFICATE-----\nAAA*\n-----END CERTIFICATE-----', /not base64/],
    ['-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END CERTIFICATE-----', /headers/],
    ['-----BEGIN CERTIFICATE-----\nAAAA\n', /not closed/],
    ['-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----', /malformed/],
    ['-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----', /malformed/],
    ['junk\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', /line 1/],
    ['', /not a PEM/],
  ])('refuses %j', (pem, message) => {
    expect(pemProblem(pem, { type: 'CERTIFICATE' })).toMatch(message);
  });
});

describe('enums and time zones', () => {
  test('oneOf', () => {
    expect(oneOfProblem('Strict', ['Strict', 'Secure'])).toBeUndefined();
    expect(oneOfProblem('strict', ['Strict', 'Secure'])).toBe("'strict' is not one of 'Strict', 'Secure': use one of them");
    expect(() => requireOneOf('X', 'mode', 'x' as string, ['a', 'b'])).toThrow(/X: mode: 'x' is not one of/);
  });

  test('IANA time zones as Go loads them (case-sensitive)', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Etc/UTC', 'US/Eastern', 'Asia/Calcutta', 'Europe/Kyiv']) {
      expect(isIanaTimeZone(zone)).toBe(true);
    }
    // Aliases in the wrong case too: Intl resolves 'Etc/Utc' to UTC, Go opens the file 'Etc/Utc' and fails.
    for (const zone of ['europe/berlin', 'Etc/Utc', 'Us/Eastern', 'ETC/UTC', 'Mars/Olympus', '', 'UTC\n', '../etc/passwd']) {
      expect(ianaTimeZoneProblem(zone)).toMatch(/not an IANA time zone/);
    }
  });
});
