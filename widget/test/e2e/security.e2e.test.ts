/**
 * Who gets in, seen from real pages: ALLOWED_ORIGINS decides which sites may load the widget and
 * connect, room tickets (JWT from the host's backend) decide who may join which room.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { mintRoomTicket } from '../../../signal-service/examples/mint-ticket.mjs';
import { errorCodes, freeTcpPort, launchBrowser, openDemo, startService, waitForState, type ServiceProcess } from './harness.js';

const SECRET = 'an-hs256-secret-of-at-least-32-characters!';

/** A host site on its own origin: one script tag and the element, as in the README. */
async function startHostSite(serviceUrl: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><meta charset="utf-8"><title>host</title>
      <script type="module" src="${serviceUrl}/video-call.js"></script>
      <video-call room="embedded"></video-call>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const startWithTicket = (page: Page, ticket: string) =>
  page.evaluate((t) => {
    const el = document.querySelector('video-call')!;
    el.ticket = t;
    return el.start();
  }, ticket);

describe('security settings', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let allowedHost: { origin: string; server: Server };
  let otherHost: { origin: string; server: Server };

  before(async () => {
    // The service's own origin and one host site are allowed; the other host site is not.
    const port = await freeTcpPort();
    const serviceUrl = `http://127.0.0.1:${port}`;
    allowedHost = await startHostSite(serviceUrl);
    otherHost = await startHostSite(serviceUrl);
    service = await startService({
      PORT: String(port),
      ALLOWED_ORIGINS: `${serviceUrl},${allowedHost.origin}`,
      ROOM_TICKET_SECRET: SECRET,
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await service?.stop();
    allowedHost?.server.close();
    otherHost?.server.close();
  });

  test('an allowed host site embeds the widget cross-origin; another site cannot even load it', async () => {
    const context = await browser.newContext();
    const allowed = await context.newPage();
    await allowed.goto(allowedHost.origin);
    await allowed.waitForFunction(() => customElements.get('video-call') !== undefined, undefined, { timeout: 10_000 });
    const ticket = await mintRoomTicket(SECRET, 'embedded', { name: 'Host user' });
    await allowed.evaluate(async (t) => {
      const el = document.querySelector('video-call')!;
      el.ticket = t;
      await el.start();
    }, ticket);
    assert.equal(await allowed.evaluate(() => document.querySelector('video-call')!.state), 'waiting');

    const other = await context.newPage();
    await other.goto(otherHost.origin);
    await other.waitForTimeout(1500);
    // The module is refused by CORS: the element is never defined on that site.
    assert.equal(await other.evaluate(() => customElements.get('video-call') === undefined), true);
    await context.close();
  });

  test('a page on a refused origin cannot connect (WebSocket Origin check)', async () => {
    // Same server, other origin: "localhost" is not "127.0.0.1" for the browser.
    const page = await openDemo(browser, `http://localhost:${service.port}/?room=origin-test`);
    await page.evaluate(() => document.querySelector('video-call')!.start());
    await waitForState(page, 'error');
    assert.deepEqual(await errorCodes(page), ['signaling-unreachable']);
    await page.context().close();
  });

  test('tickets: valid ones join and set the name shown to the peer; missing, wrong-room and expired are refused', async () => {
    const url = `${service.url}/?room=tickets&name=Mallory`;
    const alice = await openDemo(browser, url);
    const bob = await openDemo(browser, url);
    await startWithTicket(alice, await mintRoomTicket(SECRET, 'tickets', { name: 'Alice (verified)' }));
    await waitForState(alice, 'waiting');
    await startWithTicket(bob, await mintRoomTicket(SECRET, 'tickets', { name: 'Bob (verified)' }));
    await waitForState(bob, 'ready');
    await waitForState(alice, 'ready');
    // The ticket's name, not the "Mallory" the page asked for.
    assert.equal(await alice.evaluate(() => document.querySelector('video-call')!.peer?.name), 'Bob (verified)');
    assert.equal(await bob.evaluate(() => document.querySelector('video-call')!.peer?.name), 'Alice (verified)');

    const cases: [string, string, string][] = [
      ['missing', '', 'ticket-required'],
      ['wrong room', await mintRoomTicket(SECRET, 'another-room'), 'ticket-wrong-room'],
      ['expired', await mintRoomTicket(SECRET, 'tickets-2', { ttlSeconds: -60 }), 'ticket-expired'],
      ['forged', await mintRoomTicket('some-other-secret-of-at-least-32-chars', 'tickets-2'), 'ticket-invalid'],
    ];
    for (const [what, ticket, code] of cases) {
      const page = await openDemo(browser, `${service.url}/?room=tickets-2`);
      await startWithTicket(page, ticket);
      await waitForState(page, 'error');
      assert.deepEqual(await errorCodes(page), [code], what);
      await page.context().close();
    }
    await alice.context().close();
    await bob.context().close();
  });
});
