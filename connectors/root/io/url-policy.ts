/**
 * Which URLs an http(s) source may be sent to by a redirect. A policy is plain data (a list of prefixes), so it
 * crosses worker threads and queue jobs as it is.
 */

/** How many redirects one request follows before it gives up. */
export const MAX_REDIRECTS = 5;

/** `url` lies under `prefix`: same origin, no user info, and its normalised path starts with the prefix's. */
export function urlUnder(url: string, prefix: string): boolean {
  let u: URL;
  let p: URL;
  try {
    u = new URL(url);
    p = new URL(prefix);
  } catch {
    return false;
  }
  if (u.username || u.password || u.origin !== p.origin) return false;
  return u.pathname.startsWith(p.pathname);
}

/**
 * A redirect to `target` is allowed: with no prefixes (the library's default) any http(s) target is, with
 * prefixes only a target under one of them.
 */
export function redirectAllowed(target: string, prefixes: readonly string[] | undefined): boolean {
  if (!/^https?:\/\//i.test(target)) return false;
  return prefixes === undefined || prefixes.some((p) => urlUnder(target, p));
}
