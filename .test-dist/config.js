/**
 * The gateway's configuration: loadConfig parses the environment into one frozen section per
 * subsystem (src/config/types.ts), every default and derived value named in src/config/.
 * The reference, docs/configuration.md, is printed from the same definitions
 * (`npm run config:docs`).
 */
export { knownVariables, loadConfig } from './config/load.js';
export { ConfigError } from './config/problems.js';
export { withOverrides } from './config/overrides.js';
