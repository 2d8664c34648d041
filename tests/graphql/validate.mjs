// Every GraphQL document okdf sends (data/graphql/*.graphql, bulk queries and
// mutations included) must validate against Shopify's Admin schema 2026-10,
// copied into tests/fixtures/shopify/. A bulk query (data/graphql/bulk/) is
// the inner query of bulkOperationRunQuery: it validates as a document of its
// own, and must not use pagination arguments Shopify ignores there.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  TypeInfo, buildClientSchema, getNamedType, parse, validate, visit, visitWithTypeInfo,
} from 'graphql';

const src = process.env.OKDF_SRC;
const gz = fs.readFileSync(path.join(src, 'tests/fixtures/shopify/admin_schema_2026-10.json.gz'));
const intro = JSON.parse(zlib.gunzipSync(gz).toString('utf8'));
const schema = buildClientSchema(intro.data ?? intro);

function list(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort()
    .map((f) => path.join(dir, f));
}
const dir = path.join(src, 'data/graphql');
const files = [...list(dir), ...list(path.join(dir, 'bulk'))];
// Shopify's limits on a bulk query: one root connection, at most five
// connections, nested at most two deep, and no top-level node/nodes.
function bulkErrors(doc) {
  const errs = [];
  const info = new TypeInfo(schema);
  let depth = 0, connections = 0, roots = 0;
  const stack = [];
  visit(doc, visitWithTypeInfo(info, {
    Field: {
      enter(node) {
        const t = getNamedType(info.getType());
        const conn = t && t.name.endsWith('Connection');
        if (stack.length === 0) {
          roots++;
          if (node.name.value === 'node' || node.name.value === 'nodes')
            errs.push(new Error(`bulk: top-level ${node.name.value} is not allowed`));
          if (!conn) errs.push(new Error(`bulk: root field ${node.name.value} is not a connection`));
        }
        if (conn) {
          connections++;
          depth++;
          if (depth > 3) errs.push(new Error(`bulk: ${node.name.value} nests connections deeper than 2`));
        }
        stack.push(conn);
      },
      leave() { if (stack.pop()) depth--; },
    },
  }));
  if (roots !== 1) errs.push(new Error(`bulk: ${roots} root fields, want 1`));
  if (connections > 5) errs.push(new Error(`bulk: ${connections} connections, at most 5`));
  return errs;
}

let failed = 0;
for (const file of files) {
  const f = path.relative(dir, file);
  const text = fs.readFileSync(file, 'utf8');
  let errors;
  try {
    const doc = parse(text);
    errors = validate(schema, doc);
    if (!errors.length && file.includes('/bulk/')) errors = bulkErrors(doc);
  } catch (err) {
    errors = [err];
  }
  for (const err of errors) console.log(`not ok ${f}: ${err.message}`);
  if (errors.length) failed++;
  else console.log(`ok ${f}`);
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : (files.length ? 0 : 1));
