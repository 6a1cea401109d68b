// Fails the build when it changed a tracked file (a stale API.md, snapshot or binding):
// `record` notes the state of the work tree before the build, `check` compares after it.
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const stateFile = path.join('node_modules', '.cache', 'tree-state');

function treeState() {
  const git = (...args) => execFileSync('git', args, { maxBuffer: 1 << 30 });
  const hash = crypto.createHash('sha256');
  hash.update(git('diff', 'HEAD', '--binary'));
  hash.update(git('ls-files', '--others', '--exclude-standard'));
  return hash.digest('hex');
}

function isGitCheckout() {
  try {
    execFileSync('git', ['rev-parse', 'HEAD'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const mode = process.argv[2];
if (!isGitCheckout()) {
  console.log('tree-state: not a git checkout with commits, skipping');
} else if (mode === 'record') {
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  fs.writeFileSync(stateFile, treeState());
} else if (mode === 'check') {
  const before = fs.existsSync(stateFile) ? fs.readFileSync(stateFile, 'utf8') : undefined;
  fs.rmSync(stateFile, { force: true });
  if (before !== undefined && before !== treeState()) {
    console.error('The build changed tracked files (for example a stale API.md or generated bindings).');
    console.error(execFileSync('git', ['status', '--short']).toString());
    console.error('Review and commit them, then build again.');
    process.exit(1);
  }
} else {
  console.error('usage: node scripts/tree-state.js record|check');
  process.exit(2);
}
