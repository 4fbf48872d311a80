/**
 * Reading a group call off a demo page: the tiles and their videos, the element's
 * `participants`, and the RTP a leg sends (getStats of the leg to one participant). Works on a
 * playwright page and on a puppeteer page alike (both have `evaluate` and `waitForFunction`).
 */
import type { Participant } from '../../src/events.js';
import type { StatsView } from '../stats-entry.js';

/** The two methods of a page these helpers use (playwright's Page or puppeteer's). */
export interface EvaluatingPage {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  waitForTimeout?(ms: number): Promise<void>;
}

/** The element's `participants`. */
export function participantsOf(page: EvaluatingPage): Promise<Participant[]> {
  return page.evaluate(() => [...document.querySelector('video-call')!.participants], undefined);
}

/** Each tile's `part` attribute, by the participant's name. */
export function tileParts(page: EvaluatingPage): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const el = document.querySelector('video-call')!;
    const out: Record<string, string> = {};
    for (const tile of el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="tile"]')) {
      const who = el.participants.find((p) => p.id === tile.dataset.participantId);
      out[who?.name ?? tile.dataset.participantId ?? '?'] = tile.getAttribute('part') ?? '';
    }
    return out;
  }, undefined);
}

/** Frames shown so far by each tile's video, by name (Chromium: playback quality; Firefox: painted frames). */
export function tileFrames(page: EvaluatingPage): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const el = document.querySelector('video-call')!;
    const out: Record<string, number> = {};
    for (const tile of el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="tile"]')) {
      const video = tile.querySelector<HTMLVideoElement & { mozPaintedFrames?: number }>('[part~="remote-video"]');
      const who = el.participants.find((p) => p.id === tile.dataset.participantId)?.name ?? '?';
      if (!video || video.hidden || video.videoWidth === 0) out[who] = 0;
      else out[who] = video.mozPaintedFrames ?? video.getVideoPlaybackQuality().totalVideoFrames;
    }
    return out;
  }, undefined);
}

/**
 * Asserts-by-throwing that `page` shows exactly the tiles of `names` and that each one's video
 * plays: a picture, and at least 5 new frames within 8 s.
 */
export async function expectTilesPlaying(page: EvaluatingPage, names: string[], timeoutMs = 20_000): Promise<void> {
  const want = [...names].sort();
  const deadline = Date.now() + timeoutMs;
  let first: Record<string, number> = {};
  for (;;) {
    first = await tileFrames(page);
    const have = Object.keys(first).sort();
    if (JSON.stringify(have) === JSON.stringify(want) && want.every((n) => first[n]! > 0)) break;
    if (Date.now() > deadline) throw new Error(`tiles: expected ${want.join(', ')} playing, have ${JSON.stringify(first)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const playDeadline = Date.now() + 8000;
  for (;;) {
    const now = await tileFrames(page);
    if (want.every((n) => (now[n] ?? 0) >= first[n]! + 5)) return;
    if (Date.now() > playDeadline) throw new Error(`tiles not all decoding: ${JSON.stringify(first)} → ${JSON.stringify(now)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * RTP packets our leg to the participant named `name` has sent, by kind (camera and microphone:
 * the first audio and video senders), or null when there is no leg to them.
 */
export function rtpSentTo(page: EvaluatingPage, name: string): Promise<{ audio: number; video: number } | null> {
  return page.evaluate(async (who) => {
    const el = document.querySelector('video-call')!;
    const member = el.participants.find((p) => p.name === who);
    const stats: StatsView | null = member ? await el.getStats(member.id) : null;
    if (!stats) return null;
    const sent = { audio: 0, video: 0 };
    stats.forEach((s) => {
      if (s.type === 'outbound-rtp' && (s.kind === 'audio' || s.kind === 'video')) sent[s.kind] += s.packetsSent ?? 0;
    });
    return sent;
  }, name);
}
