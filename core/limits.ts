// The bounds that make "what `vexil validate` accepts evaluates in bounded time" true. They are
// checked where the input first arrives (parsing, validation) and documented in docs/limits.md;
// a test reads each one, so changing a number here without the docs fails the suite.

/** Largest manifest file read (bytes); a bigger file is a problem, never read into memory. */
export const MAX_MANIFEST_FILE_BYTES = 16 * 1024 * 1024;

/** YAML aliases (`*name`) allowed in one document. */
export const MAX_YAML_ALIASES = 1000;

/**
 * Values (scalars, mappings, sequences) a YAML document may hold once its aliases are expanded,
 * beyond its own length in characters. Every value written out takes at least one character,
 * so a file without aliases never reaches this; a "billion laughs" file does at once.
 */
export const YAML_EXPANSION_ALLOWANCE = 10_000;

/** Longest chain of prerequisites (a needs b needs c … : edges) validation accepts. */
export const MAX_PREREQUISITE_DEPTH = 16;

/** Largest RE2 program (re2js programSize(): roughly instructions) a regex condition may compile to. */
export const MAX_REGEX_PROGRAM_SIZE = 200;

/**
 * Characters of an attribute a regex condition reads. A longer string, or an array whose strings
 * add up to more, does not match: RE2 is linear, but the constant is the program size.
 */
export const MAX_REGEX_INPUT_LENGTH = 1024;

/**
 * Evaluation cost budget per flag, in cost units (core/validate/cost.ts): one unit is one
 * condition value compared, or one RE2 instruction run over one character (the slowest unit
 * measured: ~100 ns). Prerequisites count once each, with their own costs.
 */
export const FLAG_COST_BUDGET = 1_000_000;
