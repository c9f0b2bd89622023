export * from './activityTypes.js';
export * from './engine.js';
export * from './explain.js';
export * from './period.js';
export * from './points.js';
export * from './presets.js';
export * from './rules.js';
