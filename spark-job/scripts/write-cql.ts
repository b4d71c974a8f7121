// Regenerates cql/*.cql from spark-job/src/schema.ts with the default names.
import { writeFileSync } from 'node:fs';
import { cqlFileText, renderSchema } from '../src/schema.js';

const dir = new URL('../../cql/', import.meta.url);
for (const statement of renderSchema()) {
  writeFileSync(new URL(statement.file, dir), cqlFileText(statement));
  console.log(`wrote cql/${statement.file}`);
}
