// Every GraphQL document okdf sends (data/graphql/*.graphql) must validate
// against Shopify's published Admin schema. Exit 77 (skip) only without node.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildClientSchema, parse, validate } from 'graphql';

const src = process.env.OKDF_SRC;
const shared = process.env.OKDF_SHARED;
const gz = fs.readFileSync(path.join(shared, 'fixtures/shopify/admin_schema_2025-01.json.gz'));
const intro = JSON.parse(zlib.gunzipSync(gz).toString('utf8'));
const schema = buildClientSchema(intro.data ?? intro);
const dir = path.join(src, 'data/graphql');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort();
let failed = 0;
for (const f of files) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
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
