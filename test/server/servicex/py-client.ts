/**
 * Running the unmodified python ServiceX client from the Debian trixie chroot that
 * scripts/servicex-client-setup.sh builds: where it is, why a test must skip, and the driver (`py/deliver.py`).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROOT = process.env.HEPQ_TRIXIE ?? '/var/cache/hepq-trixie';
/** The main client release (3.3.1). */
export const SITE = '/opt/hepq-sx/site';
const DRIVER = fileURLToPath(new URL('./py/deliver.py', import.meta.url));

/** Why the client cannot run here, or undefined when it can. */
export function clientMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'running the client in its chroot needs root';
  if (!existsSync(join(CHROOT, SITE, '.hepq-ready')))
    return `the client environment ${CHROOT}${SITE} is not built (HEPQ_SX_PY_SRC=… bash scripts/servicex-client-setup.sh)`;
  return undefined;
}

/** Other client releases installed beside the main one (`HEPQ_SX_SITE=site-3.2.2` in the setup script). */
export function otherSites(): string[] {
  if (clientMissing()) return [];
  return readdirSync(join(CHROOT, '/opt/hepq-sx'))
    .filter((d) => d.startsWith('site-') && existsSync(join(CHROOT, '/opt/hepq-sx', d, '.hepq-ready')))
    .map((d) => `/opt/hepq-sx/${d}`);
}

export type Json = Record<string, unknown>;

export interface ClientRun {
  readonly code: number | null;
  readonly out: string;
  /** The driver's last line, when it is JSON. */
  readonly json?: Json;
}

/** A scratch folder inside the chroot with the driver in it. */
export class PyClient {
  /** Host path of the scratch folder. */
  readonly scratch: string;
  private readonly driver: string;

  constructor() {
    mkdirSync(join(CHROOT, 'tmp'), { recursive: true });
    this.scratch = mkdtempSync(join(CHROOT, 'tmp', 'hepq-sx-'));
    copyFileSync(DRIVER, join(this.scratch, 'deliver.py'));
    this.driver = this.inChroot(join(this.scratch, 'deliver.py'));
  }

  /** Remove the scratch folder (downloads included). */
  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }

  /** A host path under the chroot as the chroot sees it. */
  inChroot(hostPath: string): string {
    return hostPath.slice(CHROOT.length);
  }

  /** Run the driver (`extra`: its cli / download modes); resolves when it exits (no time limit). */
  run(args: Json, extra: string[] = [], site = SITE): Promise<ClientRun> {
    return new Promise((resolve, reject) => {
      const argv = [CHROOT, 'env', `PYTHONPATH=${site}`, 'HOME=/tmp', 'COLUMNS=200', 'python3', this.driver];
      const child = spawn('chroot', [...argv, JSON.stringify(args), ...extra]);
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        const last = out.trim().split('\n').at(-1) ?? '';
        let json: Json | undefined;
        try {
          json = last.startsWith('{') ? (JSON.parse(last) as Json) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ code, out, ...(json ? { json } : {}) });
      });
    });
  }
}
