/**
 * What a server (sandboxed) SQL client may call, checked on DuckDB's own parse of each statement
 * (`json_serialize_sql`) before it is bound: an allow-list of table functions, DuckDB's scalar and aggregate
 * functions without side effects (as DuckDB declares them) less those that disclose the configuration, and
 * tables that are common table expressions in scope or file names (replacement scans) — never catalog views
 * such as `pg_settings`. Nothing a client sends may change state that other clients share or write a file.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { HepqError, type SourceSpan } from '../batch/index.js';

/** DuckDB's table functions a client may call: readers (confined to the data roots by DuckDB) and generators. */
const DUCKDB_TABLE_FUNCTIONS = [
  'range',
  'generate_series',
  'unnest',
  'repeat',
  'repeat_row',
  'read_parquet',
  'parquet_scan',
  'parquet_metadata',
  'parquet_schema',
  'parquet_file_metadata',
  'parquet_kv_metadata',
  'read_csv',
  'read_csv_auto',
  'read_json',
  'read_json_auto',
  'read_ndjson',
  'read_ndjson_auto',
  'read_json_objects',
  'read_json_objects_auto',
  'read_ndjson_objects',
  'json_each',
  'json_tree',
];

/** Functions DuckDB marks as having side effects that are harmless per query (random numbers, ids, errors). */
const HARMLESS_VOLATILE = [
  'random',
  'uuid',
  'uuidv4',
  'uuidv7',
  'gen_random_uuid',
  'error',
  'current_query',
  'current_connection_id',
  'current_query_id',
  'current_transaction_id',
];

/** Pure functions that disclose the server's configuration (allowed directories, variables, the log). */
const DISCLOSING = ['current_setting', 'getvariable', 'parse_duckdb_log_message'];

/** The names a sandboxed statement may call, built once per engine. */
export interface SandboxPolicy {
  /** Table functions and table macros known to the instance, and the allowed ones among them. */
  readonly tableKnown: ReadonlySet<string>;
  readonly tableAllowed: ReadonlySet<string>;
  /** Scalar, aggregate and macro functions known to the instance, and the allowed ones among them. */
  readonly scalarKnown: ReadonlySet<string>;
  readonly scalarAllowed: ReadonlySet<string>;
}

interface FunctionRow {
  readonly name: string;
  readonly type: string;
  readonly sideEffects: boolean;
}

async function functionRows(con: DuckDBConnection): Promise<FunctionRow[]> {
  const reader = await con.runAndReadAll(
    'SELECT DISTINCT lower(function_name), function_type, has_side_effects FROM duckdb_functions()',
  );
  return reader.getRows().map(([name, type, sideEffects]) => ({
    name: String(name),
    type: String(type),
    sideEffects: sideEffects === true,
  }));
}

/** DuckDB's own functions as they are before hepq registers any (call this first). */
export async function builtinFunctions(con: DuckDBConnection): Promise<FunctionRow[]> {
  return functionRows(con);
}

/**
 * The policy: DuckDB's built-ins (`builtins`, read before hepq registered its functions) filtered as above,
 * and every function hepq registered since (its readers confine files to the data roots themselves).
 */
export async function sandboxPolicy(con: DuckDBConnection, builtins: FunctionRow[]): Promise<SandboxPolicy> {
  const builtinNames = new Set(builtins.map((f) => `${f.type}:${f.name}`));
  const isTable = (t: string) => t === 'table' || t === 'table_macro';
  const tableKnown = new Set<string>();
  const tableAllowed = new Set<string>(DUCKDB_TABLE_FUNCTIONS);
  const scalarKnown = new Set<string>();
  const scalarAllowed = new Set<string>(HARMLESS_VOLATILE);
  const scalarRefused = new Set<string>(DISCLOSING);
  for (const f of await functionRows(con)) {
    const own = !builtinNames.has(`${f.type}:${f.name}`);
    if (f.type === 'pragma') continue;
    if (isTable(f.type)) {
      tableKnown.add(f.name);
      if (own) tableAllowed.add(f.name);
    } else {
      scalarKnown.add(f.name);
      if (own || !f.sideEffects) scalarAllowed.add(f.name);
      else if (!HARMLESS_VOLATILE.includes(f.name)) scalarRefused.add(f.name);
    }
  }
  for (const name of scalarRefused) scalarAllowed.delete(name);
  return { tableKnown, tableAllowed, scalarKnown, scalarAllowed };
}

const NO_LOCATION = 2 ** 63;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Node = { [key: string]: Json };

const isNode = (v: Json | undefined): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A refusal, at `location` (an offset in the statement) when DuckDB recorded one. */
function refuse(code: string, message: string, hint: string, location: Json | undefined): never {
  const at = typeof location === 'number' && location < NO_LOCATION ? location : undefined;
  throw new SandboxRefusal(code, message, hint, at);
}

/** What the walk found wrong, before the engine places it in the script. */
export class SandboxRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly at: number | undefined,
  ) {
    super(message);
  }

  /** As a HepqError located in `sql` (the statement starts at `offset`; `name` is what was refused). */
  toError(sql: string, offset: number, length: number): HepqError {
    const span: SourceSpan =
      this.at === undefined
        ? { start: offset, end: offset + length }
        : {
            start: offset + this.at,
            end: offset + this.at + (/^[\w."]+/.exec(sql.slice(offset + this.at))?.[0].length ?? 1),
          };
    return new HepqError(this.code, this.message, { kind: 'resource', source: sql, span, hint: this.hint });
  }
}

/** The common table expressions a query node defines (its `cte_map`), in order. */
function cteEntries(node: Node): Array<[string, Json]> {
  const map = node.cte_map;
  if (!isNode(map) || !Array.isArray(map.map)) return [];
  return map.map.filter(isNode).map((e) => [String(e.key).toLowerCase(), e.value ?? null]);
}

/** Check one statement of DuckDB's serialized parse against the policy (throws a SandboxRefusal). */
export function checkStatement(statement: Json, policy: SandboxPolicy): void {
  const walk = (v: Json | undefined, scope: ReadonlySet<string>): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, scope);
      return;
    }
    if (!isNode(v)) return;
    const ctes = cteEntries(v);
    let inner = scope;
    if (ctes.length) {
      // A CTE's body sees the CTEs before it (itself only when recursive, see below); the query sees them all.
      const seen = new Set(scope);
      for (const [name, value] of ctes) {
        walk(value, new Set(seen));
        seen.add(name);
      }
      inner = seen;
    }
    if (v.type === 'RECURSIVE_CTE_NODE' && typeof v.cte_name === 'string')
      inner = new Set([...inner, v.cte_name.toLowerCase()]);
    switch (v.type) {
      case 'TABLE_FUNCTION': {
        const fn = v.function;
        const name = isNode(fn) && typeof fn.function_name === 'string' ? fn.function_name.toLowerCase() : '';
        if (policy.tableKnown.has(name) && !policy.tableAllowed.has(name))
          refuse(
            'sql/forbidden-function',
            `the table function ${name}() is not available on this server`,
            'this server reads files with root(), read_parquet(), read_csv(), read_json() and read_arrow(); functions that change settings, log, profile or list the system are refused',
            v.query_location,
          );
        if (isNode(fn)) for (const [k, x] of Object.entries(fn)) if (k !== 'cte_map') walk(x, inner);
        walk(v.subquery, inner);
        return;
      }
      case 'BASE_TABLE': {
        const name = String(v.table_name ?? '').toLowerCase();
        const qualified = v.schema_name !== '' || v.catalog_name !== '';
        if (!qualified && (inner.has(name) || name.includes('.'))) return;
        refuse(
          'sql/forbidden-table',
          `the table ${qualified ? `${v.schema_name}.` : ''}${v.table_name} is not available on this server`,
          "name a file ('events.parquet'), a table function (root('f.root', 'Events')) or a WITH query",
          v.query_location,
        );
        return;
      }
      case 'SHOW_REF':
        if (!isNode(v.query))
          refuse(
            'sql/forbidden-statement',
            'SHOW of the catalog is not available on this server',
            'DESCRIBE or SUMMARIZE a query or a file instead',
            v.query_location,
          );
        break;
      default:
        break;
    }
    if ((v.class === 'FUNCTION' || v.class === 'WINDOW') && typeof v.function_name === 'string') {
      const name = v.function_name.toLowerCase();
      if (policy.scalarKnown.has(name) && !policy.scalarAllowed.has(name))
        refuse(
          'sql/forbidden-function',
          `the function ${name}() is not available on this server`,
          'functions that read settings, sleep, log or change the session are refused',
          v.query_location,
        );
    }
    for (const [k, x] of Object.entries(v)) if (k !== 'cte_map') walk(x, inner);
  };
  walk(statement, new Set());
}

/** Statements up to this long are checked on their whole parse at once (a few hundred KB of JSON at most). */
const SMALL_TEXT = 4096;
/** Serialized parses up to this size come back with the summary. */
const INLINE_JSON = 64 * 1024;
/** Parses larger than this (with tables to resolve) are not walked on the event loop: the statement is refused. */
const MAX_WALKED_JSON = 4 * 1024 * 1024;

/**
 * What DuckDB's parse of `text` says, summarised in DuckDB (off the event loop): the serialization error,
 * or the function names it calls and whether it names tables — and the parse itself when it is small.
 */
const SUMMARY = `WITH s AS MATERIALIZED (SELECT json_serialize_sql($1::VARCHAR) AS j)
SELECT j->>'$.error' = 'true', j->>'$.error_type', j->>'$.error_message', length(j),
  CASE WHEN length(j) <= $2 THEN j END,
  list_distinct(regexp_extract_all(j, '"function_name":"((?:[^"\\\\]|\\\\.)*)"', 1)),
  regexp_matches(j, '"type":"(BASE_TABLE|SHOW_REF)"')
FROM s`;

type Parsed =
  | { readonly error: string; readonly type: string }
  | { readonly statements: Json[] }
  | { readonly passed: true }
  | { readonly refusedName: string }
  | { readonly tooLarge: number };

/** Whether calling `name` is allowed wherever it stands (as a table function and as a function). */
function allowedAnywhere(name: string, policy: SandboxPolicy): boolean {
  const n = name.toLowerCase();
  return (
    !(policy.tableKnown.has(n) && !policy.tableAllowed.has(n)) &&
    !(policy.scalarKnown.has(n) && !policy.scalarAllowed.has(n))
  );
}

/**
 * DuckDB's parse of `text`: the reason it cannot be serialized (non-SELECT, syntax), `passed` when it names
 * no table and calls only functions allowed anywhere (decided without bringing the parse over), else the
 * statements to walk (or `tooLarge` where walking them would hold the event loop).
 */
export async function serializedStatements(
  con: DuckDBConnection,
  text: string,
  policy: SandboxPolicy,
): Promise<Parsed> {
  if (text.length <= SMALL_TEXT) {
    // Small statements have small parses: bring it over and walk it (one light query).
    const r = await con.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [text]);
    const out = JSON.parse(String(r.getRows()[0]![0])) as {
      error: boolean;
      error_type?: string;
      error_message?: string;
      statements?: Json[];
    };
    if (out.error) return { error: out.error_message ?? 'cannot serialize', type: out.error_type ?? '' };
    return { statements: out.statements ?? [] };
  }
  const reader = await con.runAndReadAll(SUMMARY, [text, INLINE_JSON]);
  const [error, type, message, size, inline, names, tables] = reader.getRows()[0]!;
  if (error === true) return { error: String(message ?? 'cannot serialize'), type: String(type ?? '') };
  const called = ((names as { items?: unknown[] } | null)?.items ?? []).map(String);
  if (tables !== true && called.every((n) => allowedAnywhere(n, policy))) return { passed: true };
  let json = inline === null ? undefined : String(inline);
  if (json === undefined) {
    if (Number(size) > MAX_WALKED_JSON) {
      // Too large to walk: a name refused in some position is refused here in every position.
      const refused = called.find((n) => !allowedAnywhere(n, policy));
      if (refused !== undefined) return { refusedName: refused.toLowerCase() };
      return { tooLarge: Number(size) };
    }
    const full = await con.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [text]);
    json = String(full.getRows()[0]![0]);
  }
  return { statements: (JSON.parse(json) as { statements?: Json[] }).statements ?? [] };
}

/**
 * Refuse a statement (or, where our split disagrees with DuckDB's, the whole script) that is not a SELECT
 * or calls what the policy refuses; `part.start` is its offset in `sql`. Syntax errors pass: preparing the
 * statement reports them, located, before anything is bound.
 */
export async function checkSandboxed(
  con: DuckDBConnection,
  part: { readonly text: string; readonly start: number },
  sql: string,
  policy: SandboxPolicy,
): Promise<void> {
  const parsed = await serializedStatements(con, part.text, policy);
  if ('passed' in parsed) return;
  if ('refusedName' in parsed) {
    const name = parsed.refusedName;
    const at = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\(`, 'i').exec(
      part.text,
    )?.index;
    throw new SandboxRefusal(
      'sql/forbidden-function',
      `the function ${name}() is not available on this server`,
      'functions that change settings, log, profile, sleep or list the system are refused',
      at,
    ).toError(sql, part.start, part.text.length);
  }
  if ('tooLarge' in parsed)
    throw new HepqError(
      'sql/too-complex',
      `this statement's parse is ${parsed.tooLarge} bytes and names tables: too large to check here`,
      {
        kind: 'resource',
        source: sql,
        span: { start: part.start, end: part.start + part.text.length },
        hint: "put long value lists in a file and join it (read_csv('ids.csv')), or read files with read_parquet(…) rather than naming them as tables",
      },
    );
  if ('error' in parsed) {
    if (parsed.type === 'parser') return;
    const lead = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*/.exec(part.text)![0].length;
    const keyword = /^[A-Za-z]+/.exec(part.text.slice(lead))?.[0].toUpperCase();
    throw new HepqError(
      'sql/forbidden-statement',
      `only SELECT queries may run here${keyword && keyword !== 'SELECT' ? `, not ${keyword}` : ''}`,
      {
        source: sql,
        span: { start: part.start + lead, end: part.start + part.text.trimEnd().length },
        hint: 'statements that write, attach, install, configure or expand into several statements are refused by this server',
      },
    );
  }
  for (const statement of parsed.statements) {
    try {
      checkStatement(statement, policy);
    } catch (e) {
      if (e instanceof SandboxRefusal) throw e.toError(sql, part.start, part.text.length);
      throw e;
    }
  }
}
