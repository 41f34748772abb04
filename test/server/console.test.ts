/**
 * The web console at `GET /` of the HTTP server, driven in a real headless Chromium (Debian's package, through
 * puppeteer-core): branch-name completion, a func_adl count and a histogram drawn by the server's plotting, explain,
 * SQL as a table, an error with its caret, and the HistFactory panel. Expected numbers come from jsroot's reading of
 * the file, the ADL benchmark's reference histogram and pyhf's reference CLs; screenshots are checked pixel by pixel.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type HepqServer } from '../../server/http/app.js';
import { openJsrootTree } from '../helpers/jsroot-reference.js';
import { SHARED } from '../helpers/shared-data.js';

const DATA = `${SHARED}conformance-data/func_adl_uproot/`;
const FILE = 'Run2012B_SingleMu_1000.root';
const STATS = `${SHARED}data/stats/`;
const WS = `${STATS}workspaces/pyhf_examples/2-bin_1-channel.json`;
const REF_Q2 = `${SHARED}conformance-data/adl-benchmark/sql_ref_q2.csv`;
const CHROMIUM = process.env.HEPQ_CHROMIUM ?? '/usr/bin/chromium';
/** Screenshots are kept here for a person to look at (the test checks their pixels itself). */
const SHOTS = join(tmpdir(), 'hepq-console-screenshots');
const HAVE_DATA = existsSync(join(DATA, FILE)) && existsSync(WS);

// The browser's globals used inside page callbacks (the project compiles without the DOM library).
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  createElement(tag: 'canvas'): {
    width: number;
    height: number;
    getContext(kind: '2d'): {
      drawImage(img: unknown, x: number, y: number): void;
      getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
    } | null;
  };
};
declare class Image {
  src: string;
  width: number;
  height: number;
  decode(): Promise<void>;
}
type HTMLTextAreaElement = { value: string };
type HTMLInputElement = { value: string };
type HTMLElement = { hidden: boolean };

let server: HepqServer;
let base: string;

beforeAll(async () => {
  server = await buildServer({ dataRoots: HAVE_DATA ? [DATA, STATS] : [tmpdir()] });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = server.app.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await server?.app.close();
});

describe('GET /', () => {
  it('answers 200 with the console page, without a token even where the API needs one', async () => {
    const r = await fetch(`${base}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await r.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>hepq console</title>');
    for (const id of ['funcadl', 'sql', 'workspace', 'run', 'explain-btn'])
      expect(html).toContain(`id="${id}"`);
    const locked = await buildServer({ dataRoots: [tmpdir()], token: 's3cret' });
    try {
      expect((await locked.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
      expect((await locked.app.inject({ method: 'GET', url: '/console/files' })).statusCode).toBe(401);
    } finally {
      await locked.app.close();
    }
  });

  it('the API description lets /docs send SQL: /sql has a request body (JSON or text)', async () => {
    const spec = (await server.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const content = spec.paths['/sql'].post.requestBody.content;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'text/plain']);
    expect(content['application/json'].schema.properties.sql.type).toBe('string');
    expect(spec.paths['/query'].post.requestBody.content['application/json'].schema.required).toEqual([
      'query',
    ]);
  });

  it.skipIf(!HAVE_DATA)(
    '/query takes the files the query names when "files" is empty, still confined',
    async () => {
      const ok = await server.app.inject({
        method: 'POST',
        url: '/query',
        payload: { query: `EventDataset('${FILE}').Count()`, files: [] },
      });
      expect(ok.statusCode).toBe(200);
      expect(JSON.parse(ok.body)).toBe(1000);
      const outside = await server.app.inject({
        method: 'POST',
        url: '/query',
        payload: { query: "EventDataset('/etc/passwd').Count()" },
      });
      expect(outside.statusCode).toBe(403);
      expect(JSON.parse(outside.body).error.code).toBe('sql/file-refused');
    },
  );
});

let puppeteer: { launch: typeof import('puppeteer-core')['launch'] } | undefined;
try {
  puppeteer = await import('puppeteer-core');
} catch {
  puppeteer = undefined;
}
const HAVE_BROWSER = existsSync(CHROMIUM) && puppeteer !== undefined;
if (!HAVE_BROWSER)
  console.warn(
    `SKIPPED: the console's browser tests need ${CHROMIUM} (apt-get install chromium) and puppeteer-core`,
  );

/** Count the pixels of a screenshot near an RGB colour, inside a box (the page decodes its own PNG). */
async function pixelsNear(
  page: Page,
  png: Uint8Array,
  rgb: readonly [number, number, number],
  box: { x: number; y: number; width: number; height: number },
): Promise<number> {
  const b64 = Buffer.from(png).toString('base64');
  return page.evaluate(
    async (b64, rgb, box) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(box.x, box.y, box.width, box.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4)
        if (Math.abs(d[i]! - rgb[0]) + Math.abs(d[i + 1]! - rgb[1]) + Math.abs(d[i + 2]! - rgb[2]) < 30) n++;
      return n;
    },
    b64,
    rgb,
    box,
  );
}

describe.skipIf(!HAVE_BROWSER || !HAVE_DATA)('the console in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let nMuon: number[];

  beforeAll(async () => {
    nMuon = (await (await openJsrootTree(join(DATA, FILE), 'Events')).read('nMuon')) as number[];
    mkdirSync(SHOTS, { recursive: true });
    browser = await puppeteer!.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${base}/?file=${FILE}&workspace=${encodeURIComponent(WS)}`);
    await page.waitForFunction(() => document.body.dataset.schema === 'Events');
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Put `text` in an editor, run it, and wait for the answer. */
  async function runIn(editor: 'funcadl' | 'sql', text: string): Promise<string> {
    await page.click(`.tab[data-tab="${editor}"]`);
    await page.$eval(
      `#${editor}`,
      (e, t) => {
        (e as HTMLTextAreaElement).value = t;
      },
      text,
    );
    await page.click('#run');
    await page.waitForFunction(() => !document.body.dataset.busy);
    return page.$eval('#status', (e) => e.textContent ?? '');
  }

  it('lists the branches and completes a branch name with Tab', async () => {
    const names = await page.$$eval('#branches .name', (es) => es.map((e) => e.textContent));
    expect(names).toContain('nMuon');
    expect(names).toContain('Muon_charge');
    await page.click('.tab[data-tab="funcadl"]');
    await page.$eval('#funcadl', (e) => {
      (e as HTMLTextAreaElement).value = '';
    });
    await page.focus('#funcadl');
    await page.keyboard.type('Select(lambda e: e.Muon_ch');
    await page.waitForSelector('#complete:not([hidden]) li');
    expect(await page.$$eval('#complete li', (es) => es.map((e) => e.textContent))).toEqual(['Muon_charge']);
    // the list opens under the caret, inside the editor's width, and shows its first entry picked
    const editorBox = (await (await page.$('#funcadl'))!.boundingBox())!;
    const listBox = (await (await page.$('#complete'))!.boundingBox())!;
    expect(listBox.x).toBeGreaterThan(editorBox.x + 100);
    expect(listBox.x + listBox.width).toBeLessThan(editorBox.x + editorBox.width);
    expect(listBox.y).toBeGreaterThan(editorBox.y);
    expect(listBox.y).toBeLessThan(editorBox.y + 60);
    const shot = await page.screenshot({ path: join(SHOTS, 'completion.png') });
    const picked = await pixelsNear(page, shot, [0x2b, 0x6c, 0xb0], {
      x: Math.round(listBox.x),
      y: Math.round(listBox.y),
      width: Math.round(listBox.width),
      height: Math.round(listBox.height),
    });
    expect(picked).toBeGreaterThan(0.3 * listBox.width * listBox.height);
    await page.keyboard.press('Tab');
    await page.keyboard.type(').Count()');
    expect(await page.$eval('#funcadl', (e) => (e as HTMLTextAreaElement).value)).toBe(
      'Select(lambda e: e.Muon_charge).Count()',
    );
    // after `e.Muon.` the collection's members are offered
    await page.$eval('#funcadl', (e) => {
      (e as HTMLTextAreaElement).value = '';
    });
    await page.keyboard.type('Select(lambda e: e.Muon.');
    await page.waitForSelector('#complete:not([hidden]) li');
    expect(await page.$$eval('#complete li', (es) => es.map((e) => e.textContent))).toEqual(
      expect.arrayContaining(['charge', 'pt', 'eta']),
    );
  });

  it('runs func_adl: a count as a table, and a histogram drawn as SVG with the reference entries', async () => {
    const status = await runIn('funcadl', 'Select(lambda e: e.nMuon).Where(lambda n: n >= 2).Count()');
    expect(status).toBe('1 row, 1 column');
    expect(await page.$eval('#table tbody td:not(.idx)', (e) => e.textContent)).toBe(
      String(nMuon.filter((n) => n >= 2).length),
    );
    const ref = readFileSync(REF_Q2, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    const inRange = ref.filter(([x]) => x! > 15 && x! < 60).reduce((a, [, y]) => a + y!, 0);
    await page.$eval('#xlabel', (e) => {
      (e as HTMLInputElement).value = 'jet pT [GeV]';
    });
    const hist = await runIn(
      'funcadl',
      'SelectMany(lambda e: e.Jet_pt).Hist(lambda pt: pt, bins=45, range=(15, 60))',
    );
    expect(hist).toContain(`45 bins, ${inRange} entries`);
    await page.waitForSelector('#plot svg');
    expect(await page.$$eval('#plot svg [aria-roledescription="rect mark"]', (es) => es.length)).toBe(45);
    expect(await page.$eval('#plot svg', (e) => e.textContent)).toContain('jet pT [GeV]');
    const box = await (await page.$('#plot svg'))!.boundingBox();
    const png = await page.screenshot({ path: join(SHOTS, 'histogram.png') });
    // the bars are the plotting's fill colour (#4c78a8), and they cover a good part of the plot
    const blue = await pixelsNear(page, png, [0x4c, 0x78, 0xa8], {
      x: Math.round(box!.x),
      y: Math.round(box!.y),
      width: Math.round(box!.width),
      height: Math.round(box!.height),
    });
    expect(blue).toBeGreaterThan(0.05 * box!.width * box!.height);
  });

  it('explains a func_adl query: the plan and the one column it reads', async () => {
    await page.click('.tab[data-tab="funcadl"]');
    await page.$eval('#funcadl', (e) => {
      (e as HTMLTextAreaElement).value = 'Select(lambda e: e.MET_pt).Where(lambda m: m > 50).Count()';
    });
    await page.click('#explain-btn');
    await page.waitForSelector('#explain:not([hidden])');
    const text = await page.$eval('#explain', (e) => e.textContent ?? '');
    expect(text).toMatch(/columns read: 1 of \d+/);
    expect(text).toMatch(/MET_pt/);
  });

  it('runs SQL: group counts as a table, matching jsroot', async () => {
    const status = await runIn(
      'sql',
      `SELECT nMuon, count(*) AS n FROM root('${FILE}', 'Events') GROUP BY nMuon ORDER BY nMuon`,
    );
    const counts = new Map<number, number>();
    for (const n of nMuon) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect(status).toBe(`${counts.size} rows, 2 columns`);
    const rows = await page.$$eval('#table tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td:not(.idx)')].map((td) => Number(td.textContent))),
    );
    expect(rows).toEqual([...counts].sort((a, b) => a[0] - b[0]));
  });

  it('shows a mistake with a caret under it and the hint', async () => {
    await runIn('funcadl', 'Select(lambda e: e.nMuonn).Count()');
    const error = await page.$eval('#error', (e) => ({
      hidden: (e as HTMLElement).hidden,
      text: e.textContent,
    }));
    expect(error.hidden).toBe(false);
    expect(error.text).toContain('nMuonn');
    expect(error.text).toContain('did you mean');
    const caret = await page.$eval('#error pre.caret', (e) => e.textContent ?? '');
    const [line, marks] = caret.split('\n');
    expect(line!.slice(marks!.indexOf('^')).startsWith('e.nMuonn')).toBe(true);
    const png = await page.screenshot({ path: join(SHOTS, 'error.png') });
    const box = await (await page.$('#error'))!.boundingBox();
    const red = await pixelsNear(page, png, [0xb4, 0x23, 0x18], {
      x: Math.round(box!.x),
      y: Math.round(box!.y),
      width: Math.round(box!.width),
      height: Math.round(box!.height),
    });
    expect(red).toBeGreaterThan(50); // the message is drawn in the error colour
  });

  it("computes CLs at μ = 1 in the Fit / CLs panel: pyhf's reference value", async () => {
    const ref = JSON.parse(readFileSync(`${STATS}expected_values.json`, 'utf8')).cases.pyhf_2bin_1channel.cls;
    await page.click('.tab[data-tab="stats"]');
    expect(await page.$eval('#workspace', (e) => (e as HTMLInputElement).value)).toBe(WS);
    await page.click('#cls');
    await page.waitForFunction(() => !document.body.dataset.busy);
    const cells = await page.$$eval('#table th', (es) => es.map((e) => e.textContent));
    const values = await page.$$eval('#table tbody td', (es) => es.map((e) => e.textContent));
    const obs = Number(values[cells.indexOf('cls_obs')]);
    expect(Math.abs(obs - ref.CLs_obs)).toBeLessThan(1e-4 * ref.CLs_obs + 1e-6);
    await page.click('#fit');
    await page.waitForFunction(() => !document.body.dataset.busy);
    expect(await page.$eval('#status', (e) => e.textContent)).toMatch(/^3 rows/); // mu and two shapesys γ
    await page.screenshot({ path: join(SHOTS, 'fit.png'), fullPage: true });
    writeFileSync(join(SHOTS, 'README.txt'), 'screenshots of test/server/console.test.ts\n');
  });
});
