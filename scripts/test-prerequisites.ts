/**
 * Run by `npm test` before vitest: installs the system packages the suite needs when it
 * can, or stops with one line naming them (see prerequisites.ts).
 */
import { ensureTestPrerequisites, hostSystem } from './prerequisites.js';

const outcome = ensureTestPrerequisites(hostSystem(), (line) => console.error(line));
if (!outcome.ok) {
  console.error(outcome.message);
  process.exit(1);
}
