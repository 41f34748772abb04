/**
 * The time a finished output becomes visible, as the results listing reports it (`created_at`): strictly
 * increasing microseconds, stamped when the file record turns `done` — not when the file was written — so a
 * client polling `results?later_than=<the newest it has seen>` never misses a file that became visible late
 * (a job repaired after a restart, a completion folded in after a Redis outage).
 */

/** An ISO time as microseconds since the epoch: any number of fraction digits, `Z`, `±hh:mm` or none (UTC). */
export function isoToMicros(raw: string): number | null {
  // A zone's `+` that a client left unencoded in a query string arrives as a space.
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+ -]\d{2}:?\d{2})?$/i.exec(
    raw.trim(),
  );
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Number.isNaN(ms)) return null;
  const frac = Number(`${m[7] ?? ''}000000`.slice(0, 6));
  let offset = 0;
  const z = m[8];
  if (z && z.toUpperCase() !== 'Z') {
    const d = z.replace(':', '');
    offset = (d[0] === '-' ? -1 : 1) * (Number(d.slice(1, 3)) * 60 + Number(d.slice(3, 5)));
  }
  return (ms - offset * 60_000) * 1000 + frac;
}

/** Microseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function microsToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const frac = String(us - ms * 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace(/Z$/, `${frac}Z`);
}

/** Hands out strictly increasing visibility times (never two equal, never going back within a process). */
export class VisibleClock {
  private last = 0;

  /** Never hand out a time at or before one already stored (a restarted server continues after its records). */
  observe(iso: string | undefined): void {
    const us = iso ? isoToMicros(iso) : null;
    if (us !== null && us > this.last) this.last = us;
  }

  next(): string {
    this.last = Math.max(Date.now() * 1000, this.last + 1);
    return microsToIso(this.last);
  }
}
