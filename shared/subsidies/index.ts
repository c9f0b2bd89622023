export * from './period.js';
export * from './proration.js';
export * from './rules.js';
export * from './format.js';
