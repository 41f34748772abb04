/**
 * Options shared by the commands that open inputs or serve them: `--allow-url-prefix P` (the redirect policy of
 * http(s) inputs, connectors/root/io/url-policy.ts) and old option spellings kept as deprecated aliases.
 */
import { HepqError } from '../../exec/batch/index.js';
import type { CliIO } from './command.js';

export const URL_POLICY_OPTIONS = { 'allow-url-prefix': { type: 'string', multiple: true } } as const;

/** The help line of the local commands (query, dump, sql): without the option, any URL and redirect. */
export const URL_POLICY_HELP = `  --allow-url-prefix P  http(s) inputs must lie under P (same origin, path prefix) and redirects are followed
                        only to URLs under P (repeatable; default: any http(s) URL and redirect target)`;

/** `--allow-url-prefix` values, each an http(s) URL with a path (as the transformer requires); undefined when none. */
export function urlPrefixes(values: { 'allow-url-prefix'?: string[] | undefined }): string[] | undefined {
  const given = values['allow-url-prefix'];
  if (!given?.length) return undefined;
  for (const p of given)
    if (!/^https?:\/\/[^/]+\//i.test(p))
      throw new HepqError('cli/usage', `the URL prefix '${p}' is not an http(s) URL with a path`, {
        hint: 'e.g. --allow-url-prefix https://data.example.org/open/',
      });
  return given;
}

const warned = new Set<string>();

/**
 * Old option spellings as deprecated aliases: each old value moves to its new name (the two merged where the
 * option repeats; both given once is an error) with one warning per old name and process.
 */
export function applyAliases(
  command: string,
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  aliases: Readonly<Record<string, string>>,
  io: CliIO,
): void {
  for (const [old, now] of Object.entries(aliases)) {
    const v = values[old];
    if (v === undefined) continue;
    if (!warned.has(`${command} ${old}`)) {
      warned.add(`${command} ${old}`);
      io.err(`hepq ${command}: warning: --${old} is deprecated, use --${now}\n`);
    }
    const cur = values[now];
    if (Array.isArray(v)) values[now] = [...(Array.isArray(cur) ? cur : []), ...v];
    else if (cur !== undefined)
      throw new HepqError(
        'cli/duplicate-option',
        `--${old} and --${now} are the same option: give --${now} only`,
      );
    else values[now] = v;
    delete values[old];
  }
}
