// Writes schema/*.schema.json from the zod definitions the CLI validates with (src/config-schema.ts).
// `src/config-schema.test.ts` fails when the committed files differ from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { schemaFileTexts } from '../src/config-schema';

const dir = fileURLToPath(new URL('../schema/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(schemaFileTexts())) {
  writeFileSync(`${dir}${name}`, text);
  process.stdout.write(`wrote schema/${name}\n`);
}
