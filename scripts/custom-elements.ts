// Writes custom-elements.json (schema 2.1.0) from <overfit-lab>'s source: the class JSDoc tags
// (@tag, @summary, @fires, @csspart, @cssprop), its @property() fields and its public methods.
//   tsx scripts/custom-elements.ts           write the manifest
//   tsx scripts/custom-elements.ts --check   exit 1 when the committed one is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = 'src/ui/overfit-lab/overfit-lab.ts';
export const MANIFEST = 'custom-elements.json';

interface Described {
  name: string;
  description?: string;
}

const clean = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const commentText = (c: string | ts.NodeArray<ts.JSDocComment> | undefined): string =>
  typeof c === 'string' ? c : c ? c.map((x) => ('text' in x ? x.text : '')).join('') : '';

function jsDoc(node: ts.Node): ts.JSDoc | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  return docs?.[docs.length - 1];
}

function description(node: ts.Node): string | undefined {
  const d = clean(commentText(jsDoc(node)?.comment));
  return d || undefined;
}

/** `{type} name - description` or `[name=default] - description` */
function parseTag(text: string): { type?: string; name: string; default?: string; description?: string } {
  let rest = text.trim();
  let type: string | undefined;
  if (rest.startsWith('{')) {
    let depth = 0;
    let i = 0;
    for (; i < rest.length; i++) {
      if (rest[i] === '{') depth++;
      if (rest[i] === '}' && --depth === 0) break;
    }
    type = rest.slice(1, i);
    rest = rest.slice(i + 1).trim();
  }
  const m = /^(\[[^\]]+\]|\S+)\s*(?:-\s*)?([\s\S]*)$/.exec(rest)!;
  let name = m[1];
  let def: string | undefined;
  if (name.startsWith('[')) {
    const inner = name.slice(1, -1);
    const eq = inner.indexOf('=');
    name = eq < 0 ? inner : inner.slice(0, eq);
    def = eq < 0 ? undefined : inner.slice(eq + 1);
  }
  return { type, name, default: def, description: clean(m[2]) || undefined };
}

function propertyOptions(decorator: ts.Decorator, sf: ts.SourceFile): Record<string, string> | null {
  const call = decorator.expression;
  if (!ts.isCallExpression(call) || call.expression.getText(sf) !== 'property') return null;
  const out: Record<string, string> = {};
  const arg = call.arguments[0];
  if (arg && ts.isObjectLiteralExpression(arg))
    for (const p of arg.properties) if (ts.isPropertyAssignment(p)) out[p.name.getText(sf)] = p.initializer.getText(sf).replace(/^'(.*)'$/, '$1');
  return out;
}

const litType = (t: string | undefined) => ({ Number: 'number', Boolean: 'boolean', String: 'string' })[t ?? ''] ?? 'string';

export function buildManifest(): unknown {
  const text = readFileSync(resolve(ROOT, SOURCE), 'utf8');
  const sf = ts.createSourceFile(SOURCE, text, ts.ScriptTarget.ES2022, true);
  const cls = sf.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && !!jsDoc(s)?.tags?.some((t) => t.tagName.text === 'tag'));
  if (!cls?.name) throw new Error(`${SOURCE}: no class with a @tag JSDoc`);
  const doc = jsDoc(cls)!;
  const tags = (name: string) => (doc.tags ?? []).filter((t) => t.tagName.text === name).map((t) => commentText(t.comment));
  const tagName = clean(tags('tag')[0]);
  const attributes: object[] = [];
  const members: object[] = [];
  for (const m of cls.members) {
    const mods = (ts.canHaveModifiers(m) ? ts.getModifiers(m) : undefined) ?? [];
    if (mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword || x.kind === ts.SyntaxKind.StaticKeyword))
      continue;
    if (!m.name || !ts.isIdentifier(m.name)) continue;
    const name = m.name.text;
    if (ts.isPropertyDeclaration(m)) {
      const decorators = ts.getDecorators(m) ?? [];
      const opts = decorators.map((d) => propertyOptions(d, sf)).find((o) => o !== null);
      if (!opts) continue; // @state() and plain fields are internal
      const type = m.type?.getText(sf) ?? litType(opts.type);
      const def = m.initializer?.getText(sf);
      const attr = opts.attribute === 'false' ? undefined : (opts.attribute ?? name.toLowerCase());
      const desc = description(m);
      members.push({
        kind: 'field',
        name,
        type: { text: type },
        ...(def !== undefined && { default: def }),
        ...(desc && { description: desc }),
        ...(attr && { attribute: attr }),
        ...(opts.reflect === 'true' && { reflects: true }),
      });
      if (attr)
        attributes.push({ name: attr, type: { text: type }, ...(def !== undefined && { default: def }), ...(desc && { description: desc }), fieldName: name });
    } else if (ts.isGetAccessorDeclaration(m)) {
      const desc = description(m);
      // a getter with @property() (and its own setter, noAccessor): a property and its attribute
      const opts = (ts.getDecorators(m) ?? []).map((d) => propertyOptions(d, sf)).find((o) => o !== null);
      const attr = opts && opts.attribute !== 'false' ? (opts.attribute ?? name.toLowerCase()) : undefined;
      const type = m.type?.getText(sf) ?? 'unknown';
      members.push({
        kind: 'field',
        name,
        type: { text: type },
        ...(opts ? {} : { readonly: true }),
        ...(desc && { description: desc }),
        ...(attr && { attribute: attr }),
      });
      if (attr) attributes.push({ name: attr, type: { text: 'string' }, ...(desc && { description: desc }), fieldName: name });
    } else if (ts.isMethodDeclaration(m)) {
      const desc = description(m);
      members.push({
        kind: 'method',
        name,
        ...(m.parameters.length && { parameters: m.parameters.map((p) => ({ name: p.name.getText(sf), type: { text: p.type?.getText(sf) ?? 'unknown' } })) }),
        return: { type: { text: m.type?.getText(sf) ?? 'void' } },
        ...(desc && { description: desc }),
      });
    }
  }
  const described = (list: string[], withDefault = false) =>
    list.map((t) => {
      const p = parseTag(t);
      return {
        name: p.name,
        ...(withDefault && p.default !== undefined && { default: p.default }),
        ...(p.description && { description: p.description }),
      } as Described;
    });
  const events = tags('fires').map((t) => {
    const p = parseTag(t);
    return { name: p.name, ...(p.type && { type: { text: p.type } }), ...(p.description && { description: p.description }) };
  });
  const declaration = {
    kind: 'class',
    name: cls.name.text,
    tagName,
    customElement: true,
    description: clean(commentText(doc.comment)),
    summary: clean(tags('summary')[0]),
    superclass: { name: 'LitElement', package: 'lit' },
    attributes,
    members,
    events,
    cssParts: described(tags('csspart')),
    cssProperties: described(tags('cssprop'), true),
  };
  const ref = { name: cls.name.text, module: SOURCE };
  return {
    schemaVersion: '2.1.0',
    readme: 'README.md',
    modules: [
      {
        kind: 'javascript-module',
        path: SOURCE,
        declarations: [declaration],
        exports: [
          { kind: 'js', name: cls.name.text, declaration: ref },
          { kind: 'custom-element-definition', name: tagName, declaration: ref },
        ],
      },
    ],
  };
}

export const manifestText = () => `${JSON.stringify(buildManifest(), null, 2)}\n`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(ROOT, MANIFEST);
  const text = manifestText();
  if (process.argv.includes('--check')) {
    const current = (() => {
      try {
        return readFileSync(out, 'utf8');
      } catch {
        return '';
      }
    })();
    if (current !== text) {
      console.error(`${MANIFEST} is out of date: run npm run manifest`);
      process.exit(1);
    }
    console.log(`${MANIFEST} is up to date`);
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${MANIFEST}`);
  }
}
