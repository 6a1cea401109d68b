// docs/policy.md carries the rules table generated from the rules; the build keeps it current.
import * as fs from 'fs';
import * as path from 'path';
import { PolicyPack } from '../../src';

const DOC = path.join(__dirname, '..', '..', 'docs', 'policy.md');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

function rulesTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = PolicyPack.all().flatMap((p) => p.rules).map((r) => `| \`${r.id}\` | ${r.pack} | ${r.level} | ${cell(r.title)} | ${cell(r.why)} | ${cell(r.fix)} |`);
  return ['| id | pack | level | asks for | why it matters | fix |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

test('docs/policy.md lists every rule as the code defines it (the build regenerates it; commit the result)', () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  const current = `${doc.slice(0, start + START.length)}\n${rulesTable()}\n${doc.slice(end)}`;
  if (current !== doc) fs.writeFileSync(DOC, current);
  expect(doc).toBe(current);
});
