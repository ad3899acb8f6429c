export { loadConfigOrThrow, type LoadedConfig } from '../pipeline/find.js';
export { parseParameterOverrides } from './parameter-overrides.js';
