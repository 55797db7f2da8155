#!/usr/bin/env node
// The repository files a change to one path of the code has to read: the runtime import closure of the given entry
// files (type-only imports and node_modules left out), resolved as tsconfig.json resolves them.
//   node scripts/import-closure.mjs 'app/api/oauth/[providerId]/token/route.ts' components/console/workbench.tsx
// Prints the files in import order and their count; `--count` prints the count alone.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const countOnly = args.includes('--count');
const entries = args.filter((arg) => arg !== '--count');
if (entries.length === 0) {
  console.error('usage: node scripts/import-closure.mjs [--count] <entry file>…');
  process.exit(2);
}

const root = process.cwd();
const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
if (!config) throw new Error('tsconfig.json could not be read');
const host = ts.createCompilerHost(config.options);

/** The specifiers a file imports at run time: `import type` and imports of types alone are skipped. */
function runtimeImports(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers = [];
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        if (clause?.isTypeOnly) continue;
        const named = clause?.namedBindings;
        const onlyTypes = clause && !clause.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
        if (onlyTypes) continue;
      } else if (statement.isTypeOnly) {
        continue;
      }
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

const seen = new Set();
const order = [];
const queue = entries.map((entry) => resolve(root, entry));
while (queue.length > 0) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  seen.add(file);
  order.push(relative(root, file));
  for (const specifier of runtimeImports(file)) {
    const resolved = ts.resolveModuleName(specifier, file, config.options, host).resolvedModule;
    const target = resolved?.resolvedFileName;
    if (!target || resolved.isExternalLibraryImport || target.includes('/node_modules/') || target.endsWith('.d.ts')) continue;
    queue.push(target);
  }
}

if (countOnly) console.log(order.length);
else console.log(`${order.join('\n')}\n${order.length} files`);
