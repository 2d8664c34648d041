// Every GraphQL document okdf sends (data/graphql/*.graphql, bulk queries and
// mutations included) must validate against Shopify's Admin schema 2026-10,
// copied into tests/fixtures/shopify/. A bulk query (data/graphql/bulk/) is
// the inner query of bulkOperationRunQuery: it validates as a document of its
// own, and must not use pagination arguments Shopify ignores there.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildClientSchema, parse, validate } from 'graphql';

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
let failed = 0;
for (const file of files) {
  const f = path.relative(dir, file);
  const text = fs.readFileSync(file, 'utf8');
  let errors;
  try {
    errors = validate(schema, parse(text));
  } catch (err) {
    errors = [err];
  }
  for (const err of errors) console.log(`not ok ${f}: ${err.message}`);
  if (errors.length) failed++;
  else console.log(`ok ${f}`);
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : (files.length ? 0 : 1));
