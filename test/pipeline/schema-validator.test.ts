/**
 * The pipeline schema's validator is compiled ahead of time (scripts/generate-schema-validator.mjs): the
 * committed module must be what the script writes from today's schema.json, or a schema edit would not
 * reach the checks. The loader's own tests (loader, malformed, compat) show the checks themselves.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { GENERATED, schemaValidatorSource } from '../../scripts/generate-schema-validator.mjs';

describe('the precompiled pipeline schema validator', () => {
  it('is what scripts/generate-schema-validator.mjs writes from schema.json (run it after editing the schema)', async () => {
    expect(await readFile(GENERATED as string, 'utf8')).toBe((schemaValidatorSource as () => string)());
  });
});
