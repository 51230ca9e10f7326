// Functions longer than N lines (default 80) in src/, longest first: where a reader may want a
// name for a part (issue 18). Usage: node scripts/long-functions.cjs [N]
const ts = require('typescript');
const fs = require('node:fs');
const path = require('node:path');

const limit = Number(process.argv[2] ?? 80);
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.ts') && !e.name.includes('.generated.') ? [path.join(d, e.name)] : []));
const found = [];
for (const file of walk('src')) {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (n) => {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n)) {
      const from = sf.getLineAndCharacterOfPosition(n.getStart()).line;
      const lines = sf.getLineAndCharacterOfPosition(n.getEnd()).line - from + 1;
      const name = n.name ? n.name.getText() : ts.isVariableDeclaration(n.parent) ? n.parent.name.getText() : '(anonymous)';
      if (lines > limit) found.push({ lines, where: `${file}:${from + 1}`, name });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
for (const f of found.sort((a, b) => b.lines - a.lines)) console.log(`${String(f.lines).padStart(4)}  ${f.where}  ${f.name}`);
