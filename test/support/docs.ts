// Code samples in the Markdown documentation, for the tests that compile and run them.
import * as fs from 'fs';

/** One fenced ```ts block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The code, without the fences. */
  readonly code: string;
  /**
   * Declarations for names the excerpt uses without defining them, from an HTML comment
   * `<!-- sample-context: ... -->` right before the fence (invisible when rendered).
   */
  readonly context: string;
}

/** The ```ts (or ```typescript) blocks of a Markdown file, in order. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`${file}:${i + 1}: unterminated code block`);
    const context = lines[i - 1]?.match(/^<!-- sample-context: (.*) -->$/)?.[1] ?? '';
    blocks.push({ file, line: i + 1, code: lines.slice(i + 1, end).join('\n') + '\n', context });
    i = end;
  }
  return blocks;
}
