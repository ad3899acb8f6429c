// Types of schema-validate.generated.js (scripts/generate-schema-validator.mjs): ajv's standalone validator.
import type { ValidateFunction } from 'ajv/dist/2020.js';

export declare const validate: ValidateFunction;
export default validate;
