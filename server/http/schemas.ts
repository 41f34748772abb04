/** JSON schemas of the HTTP routes, for validation-free documentation in the OpenAPI description (/docs). */
const error = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        location: { type: 'object', additionalProperties: true },
        hint: { type: 'string' },
      },
    },
  },
};
const errors = Object.fromEntries(
  ['400', '401', '403', '404', '406', '408', '413', '415', '429'].map((s) => [
    s,
    { description: 'error', ...error },
  ]),
);
const rows = {
  description:
    'the rows (JSON array of row objects), or Arrow IPC stream, CSV, JSON lines or Parquet by Accept or format',
  content: {
    'application/json': { schema: { type: 'array', items: { type: 'object', additionalProperties: true } } },
    'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
    'text/csv': { schema: { type: 'string' } },
    'application/x-ndjson': { schema: { type: 'string' } },
    'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
  },
};
const format = { type: 'string', enum: ['json', 'jsonl', 'csv', 'arrow', 'parquet'] };

export const ROUTE_SCHEMAS = {
  sql: {
    summary: 'Run SQL (DuckDB) over files under the data roots; read-only statements only',
    description:
      'The body is JSON {"sql": "SELECT …", "format": "arrow"} or the SQL as text/plain. root(\'f.root\', \'Events\') reads a ROOT tree, \'f.parquet\' a Parquet file; func_adl(query, file), hypotest(ws, mu := 1.0) and the HEP functions are available.',
    querystring: { type: 'object', properties: { format } },
    body: {
      content: {
        'application/json': {
          schema: {
            // (no `required`: the route answers a missing "sql" with its own located message)
            type: 'object',
            properties: {
              sql: {
                type: 'string',
                description: "e.g. SELECT count(*) AS n FROM root('events.root', 'Events')",
              },
              format,
            },
          },
        },
        'text/plain': { schema: { type: 'string' } },
      },
    },
    response: { 200: rows, ...errors },
  },
  query: {
    summary: 'Run a func_adl or qastle query over files under the data roots',
    body: {
      type: 'object',
      required: ['query'],
      properties: {
        query: { type: 'string' },
        files: {
          type: 'array',
          items: { type: 'string' },
          description:
            "files under the data roots; absent or empty: those the query names (EventDataset('f.root'))",
        },
        tree: { type: 'string' },
        device: {
          type: 'string',
          enum: ['cpu', 'gpu', 'auto', 'duckdb'],
          description:
            "where the query runs: the server's choice (auto) by default; duckdb: as one SQL statement on DuckDB where it translates",
        },
        format,
      },
    },
    response: { 200: rows, ...errors },
  },
  health: {
    summary: 'Liveness',
    response: {
      200: { type: 'object', properties: { status: { type: 'string' }, inFlight: { type: 'number' } } },
    },
  },
  metrics: { summary: 'Prometheus metrics (text format)', response: { 200: { type: 'string' } } },
} as const;
