// The chunk linker of scripts/build-cli.mjs (issue 18: start-up), apart so that test/link-chunk.test.ts can run it.
import ts from 'typescript';

/**
 * An ES module chunk of esbuild's linked as CommonJS with plain values: each import of another
 * chunk becomes `var{a,b:c}=require("./chunk.cjs")`, read once, and each export an assignment to
 * `exports` after the module's code has run. esbuild's own ESM → CommonJS turns every export into
 * a getter, copied behind a second getter (`__export`, `__toCommonJS`), and every use of an
 * import into a property read through both: a quarter of translate's pack, a fifth of its code
 * cache, and 0.7 ms of its start (201 interleaved rounds, in-process timing, start to exit: 5.74
 * -> 5.04 ms median). Node's modules (`import{readFileSync}from"node:fs"`) are left to esbuild,
 * which reads them through the module object, as Node's own CommonJS would.
 *
 * A value read once is the ES module's value only if it never changes and is set before anyone
 * reads it: the build stops if an exported binding is assigned anywhere but in its declaration
 * (an `export let` that changes: export a function that returns it instead), and writePacks stops
 * it if chunks import each other in a cycle. The chunk is read with TypeScript's parser (a build
 * dependency already), not with patterns. The build also stops at what this cannot hand out
 * faithfully: an import or export form it does not know, an export of something the chunk does not
 * declare itself (a Node module's import, which esbuild renames), a top-level `module`, `exports`
 * or `require` (esbuild renames those too), a direct `eval` (which could assign anything); and
 * checkLinked stops it if esbuild's output no longer declares an exported name. A `default` export
 * marks the exports `__esModule`, as esbuild does, so that an `import()` of the chunk reads it.
 */
/** Names a CommonJS module's wrapper gives: esbuild renames a top-level declaration of one of them. */
const WRAPPER = new Set(['module', 'exports', 'require', '__filename', '__dirname']);

/** The names a binding (a name, or an array or object pattern) declares. */
function bindingNames(name, out) {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
  return out;
}

/** The names the statements of a file declare at their top level (variables, functions, classes). */
function topLevelNames(source) {
  const names = new Set();
  for (const st of source.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) for (const n of bindingNames(d.name, [])) names.add(n);
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.add(st.name.text);
  }
  return names;
}

/** `exports.name=local;`, or `exports["a-b"]=local;` for a name that is no identifier. */
const assignment = (as, local) => `exports${/^[A-Za-z_$][\w$]*$/.test(as) ? `.${as}` : `[${JSON.stringify(as)}]`}=${local};`;

export function linkChunk(text, file) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits = []; // [start, end, replacement]
  const exports = []; // [local, exported]
  const own = topLevelNames(source);
  const declared = new Set(own); // and below, the imports of other chunks (plain variables once linked)
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st)) {
      const from = st.moduleSpecifier.text;
      if (!from.startsWith('./') && !from.startsWith('../')) continue; // node:fs ...: esbuild's
      const clause = st.importClause;
      let code;
      if (!clause) code = `require(${JSON.stringify(from)});`;
      else if (!clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        for (const el of clause.namedBindings.elements) declared.add(el.name.text);
        code = `var{${clause.namedBindings.elements.map((el) => (el.propertyName ? `${JSON.stringify(el.propertyName.text)}:${el.name.text}` : el.name.text)).join(',')}}=require(${JSON.stringify(from)});`;
      } else throw new Error(`${file}: an import the chunk linker does not know: ${st.getText().slice(0, 80)}`);
      edits.push([st.getStart(), st.end, code]);
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause) && !st.isTypeOnly) {
      for (const el of st.exportClause.elements) exports.push([(el.propertyName ?? el.name).text, el.name.text]);
      edits.push([st.getStart(), st.end, '']);
    } else if (ts.isExportDeclaration(st) || ts.isExportAssignment(st) || ts.getModifiers?.(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      throw new Error(`${file}: an export the chunk linker does not know: ${st.getText().slice(0, 80)}`);
    }
  }
  for (const n of own) if (WRAPPER.has(n)) throw new Error(`${file}: declares \`${n}\` at its top level, a name of the CommonJS wrapper that esbuild would rename under the chunk linker`);
  for (const [local, as] of exports) if (!declared.has(local)) throw new Error(`${file}: exports ${as}, which the chunk does not declare itself (an import of Node's re-exported?); the chunk linker cannot hand it out`);
  const locals = new Set(exports.map(([local]) => local));
  const assignedTo = (target, out) => {
    if (ts.isIdentifier(target)) out.push(target.text);
    else if (ts.isParenthesizedExpression(target)) assignedTo(target.expression, out);
    else if (ts.isArrayLiteralExpression(target)) for (const el of target.elements) assignedTo(ts.isSpreadElement(el) ? el.expression : el, out);
    else if (ts.isObjectLiteralExpression(target))
      for (const p of target.properties) {
        if (ts.isShorthandPropertyAssignment(p)) out.push(p.name.text);
        else if (ts.isPropertyAssignment(p)) assignedTo(p.initializer, out);
        else if (ts.isSpreadAssignment(p)) assignedTo(p.expression, out);
      }
    else if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken) assignedTo(target.left, out); // a default in a pattern
    return out;
  };
  const visit = (node) => {
    let names = [];
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) names = assignedTo(node.left, []);
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) names = assignedTo(node.operand, []);
    else if ((ts.isForInStatement(node) || ts.isForOfStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) names = assignedTo(node.initializer, []);
    else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'eval') throw new Error(`${file}: a direct eval, which could assign anything; the chunk linker cannot vouch for its exports`);
    for (const n of names) if (locals.has(n)) throw new Error(`${file}: ${n} is exported and assigned after its declaration (${node.getText().slice(0, 60)}); the chunk linker hands out values, not live bindings`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = text;
  for (const [start, end, code] of edits.sort((x, y) => y[0] - x[0])) out = out.slice(0, start) + code + out.slice(end);
  const esModule = exports.some(([, as]) => as === 'default') ? 'Object.defineProperty(exports,"__esModule",{value:true});' : '';
  return { text: out, exported: esModule + exports.map(([local, as]) => assignment(as, local)).join(''), locals: [...locals] };
}

/** Stops the build if esbuild's CommonJS of a linked chunk no longer declares, at its top level, a name the chunk exports (esbuild renamed it). */
export function checkLinked(code, locals, file) {
  const names = topLevelNames(ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS));
  for (const local of locals) if (!names.has(local)) throw new Error(`${file}: esbuild's CommonJS no longer declares ${local} at its top level (renamed?); the chunk linker's exports would miss it`);
}
