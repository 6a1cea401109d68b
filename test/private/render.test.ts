import * as YAML from 'yaml';
import { needsQuotesForYaml11, sortedRecord, toYaml } from '../../src/private/render';

/** Strings a YAML 1.1 reader (go-yaml) takes for something else when written plain. */
const TRICKY = [
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'FALSE', 'yEs',
  '~', 'null', 'Null', 'NULL', '', '0o17', '0O17', '017', '0x1F', '0b101', '1_000', '+1', '-1', '12', '1.5', '.5', '1e3', '1.', '.', '+.', '._', '6.8523015e+5',
  '1:20', '190:20:30.15', '-1:30', '.inf', '-.Inf', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5',
  '=', '<<',
  'a\u2028b', 'a\u2029b', 'a\u0085b', 'a\u007fb', 'a\u0090b', '\ufeffbom', 'multi\nline\u2028mixed',
];

describe('toYaml for YAML 1.1 readers', () => {
  test.each(TRICKY)('%j round-trips as a string', (value) => {
    const text = toYaml({ value, [value || 'empty']: 'key' });
    const back = YAML.parse(text, { version: '1.1' });
    expect(back.value).toBe(value);
    expect(back[value || 'empty']).toBe('key');
    // The string is quoted (or a block scalar) in the text, never written plain.
    expect(text).not.toMatch(new RegExp(`^value: ${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

  test('characters YAML 1.1 reads as line breaks or refuses never appear raw', () => {
    const text = toYaml({ a: 'x\u2028y', b: ['\u0085', '\u009f\u007f'], c: { 'k\u2029': 'v' }, d: 'line1\nline2\u2028' });
    expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufeff]/);
    expect(YAML.parse(text, { version: '1.1' })).toEqual({ a: 'x\u2028y', b: ['\u0085', '\u009f\u007f'], c: { 'k\u2029': 'v' }, d: 'line1\nline2\u2028' });
  });

  test('ordinary values are written as before (block YAML, no folding)', () => {
    const value = {
      url: 'https://argocd.example.com',
      version: 'v3.5.1',
      list: ['a', 'b c', 'x: y'],
      count: 3,
      flag: true,
      long: 'x'.repeat(200),
      multi: 'line 1\nline 2',
      quotedNumber: '123',
      nested: { empty: '', dotted: '1.28', semver: '12.5.3' },
    };
    expect(toYaml(value)).toBe(YAML.stringify(value, { lineWidth: 0 }));
  });

  test('non-strings keep their types', () => {
    expect(YAML.parse(toYaml({ a: 1, b: true, c: null, d: 1.5 }), { version: '1.1' })).toEqual({ a: 1, b: true, c: null, d: 1.5 });
  });

  test('random strings round-trip through a YAML 1.1 reader (property)', () => {
    let state = 11;
    const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = [...'yesnotrufalYNO0123456789._:-+ex~=<#\'"\n\t \u2028\u0085\u007f'];
    for (let i = 0; i < 1000; i++) {
      const s = Array.from({ length: Math.floor(next() * 8) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const back = YAML.parse(toYaml({ s }), { version: '1.1' });
      expect(back.s).toBe(s);
      if (needsQuotesForYaml11(s)) expect(toYaml({ s })).toMatch(/^s: "/);
    }
  });
});

describe('sortedRecord', () => {
  test('sorts keys', () => {
    expect(Object.keys(sortedRecord({ b: 1, a: 2, c: 3 }))).toEqual(['a', 'b', 'c']);
  });
});
