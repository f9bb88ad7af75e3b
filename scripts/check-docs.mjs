// `npm run docs:check`: the docs may not drift from the tree. In README.md, web/README.md and
// docs/**/*.md it checks that every relative link points at a file (and its #anchor at a
// heading), that every `npm run <script>` names a script in package.json, and that every
// folder, file and command a Mermaid diagram names exists. Plain Node, no dependencies.
// Usage: node scripts/check-docs.mjs [root]   (exit 1 with one line per problem)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? '.');
const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts ?? {};

function markdownFiles() {
  const files = ['README.md', 'web/README.md'].filter((file) => existsSync(path.join(root, file)));
  const walk = (dir) => {
    if (!existsSync(path.join(root, dir))) return;
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.md')) files.push(relative);
    }
  };
  walk('docs');
  return files;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(text) {
  const anchors = new Set();
  const seen = new Map();
  for (const line of withoutCode(text).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The text with fenced blocks blanked out (links and headings in code are not links). */
function withoutCode(text) {
  return text.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ''));
}

function fencedBlocks(text, language) {
  const blocks = [];
  const fence = new RegExp(`^\`\`\`${language}\\s*\\n([\\s\\S]*?)^\`\`\``, 'gm');
  for (const match of text.matchAll(fence)) blocks.push(match[1]);
  return blocks;
}

const problems = [];
const anchorCache = new Map();
const anchorsIn = (file) => {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(path.join(root, file), 'utf8')));
  return anchorCache.get(file);
};

function checkLinks(file, text) {
  for (const match of withoutCode(text).matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [pathPart, anchor] = target.split('#');
    const linked = pathPart ? path.normalize(path.join(path.dirname(file), decodeURI(pathPart))) : file;
    if (!existsSync(path.join(root, linked))) {
      problems.push(`${file}: link to ${target}: ${linked} does not exist`);
      continue;
    }
    if (anchor && linked.endsWith('.md') && !anchorsIn(linked).has(anchor.toLowerCase())) {
      problems.push(`${file}: link to ${target}: ${linked} has no heading #${anchor}`);
    }
  }
}

function checkScripts(file, text, where = '') {
  for (const match of text.matchAll(/npm run ([\w:.-]+)/g)) {
    if (!(match[1] in scripts)) problems.push(`${file}${where}: npm run ${match[1]} is not a script in package.json`);
  }
}

// In a diagram, `word/` and `a/b/` name folders, `a/b.ts` names a file; /paths are HTTP routes.
const PATH_IN_DIAGRAM =
  /(?<![\w/.:-])((?:[\w.-]+\/)+(?:[\w.-]+\.(?:ts|tsx|mjs|cjs|json|yml|md|sql|graphql))?)(?![\w/])/g;

function checkDiagrams(file, text) {
  fencedBlocks(text, 'mermaid').forEach((diagram, index) => {
    const where = ` (mermaid diagram ${index + 1})`;
    checkScripts(file, diagram, where);
    for (const match of diagram.matchAll(PATH_IN_DIAGRAM)) {
      const named = match[1];
      if (named.startsWith('http') || named.startsWith('.data/')) continue;
      const full = path.join(root, named);
      const ok = named.endsWith('/') ? existsSync(full) && statSync(full).isDirectory() : existsSync(full);
      if (!ok) problems.push(`${file}${where}: names ${named}, which does not exist`);
    }
  });
}

for (const file of markdownFiles()) {
  const text = readFileSync(path.join(root, file), 'utf8');
  checkLinks(file, text);
  checkScripts(file, text);
  checkDiagrams(file, text);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} problem(s) in the docs`);
  process.exit(1);
}
console.log('docs: every link, npm script and diagram name resolves');
