/** Synthetic demo data: the entry points the CLI's `demo` verb (and tests, benchmarks) use. */
export { generateDemo, DEFAULT_DEMO_SEED, type DemoOptions } from './generate.js';
export { ensureDemoOffice, DEMO_OFFICES } from './office.js';
export { planDemo } from './scales.js';
export { DEMO_SCALES, type DemoScale } from './geography.js';
export type { DemoSummary } from './plan.js';
