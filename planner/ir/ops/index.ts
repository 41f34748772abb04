/** The operator vocabulary: one definition per func_adl sequence operator (see definitions.ts). */
export * from './definitions.js';
