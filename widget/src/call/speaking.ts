/**
 * Who is speaking, from the audio levels of the participants' microphones (0–1, linear, as
 * `RTCRtpSynchronizationSource.audioLevel` gives them: RFC 6464 levels, 1 = 0 dBov), sampled
 * every {@link SPEAKING_SAMPLE_MS}. Hysteresis keeps the highlight from flickering: a participant
 * starts speaking after {@link SPEAKING_ON_MS} above {@link SPEAKING_ON_LEVEL}, and stops after
 * {@link SPEAKING_OFF_MS} below {@link SPEAKING_OFF_LEVEL} (a pause between words is not the end
 * of speech). Pure, tested in node with made-up levels and times.
 */

/** How often the levels are read while a call is connected, in ms. */
export const SPEAKING_SAMPLE_MS = 150;
/** A level at or above this counts as voice (about -28 dBov). */
export const SPEAKING_ON_LEVEL = 0.04;
/** A level below this counts as silence (about -34 dBov); between the two, nothing changes. */
export const SPEAKING_OFF_LEVEL = 0.02;
/** Voice for this long (ms) starts speaking. */
export const SPEAKING_ON_MS = 250;
/** Silence for this long (ms) ends it. */
export const SPEAKING_OFF_MS = 900;

/** What is known of one participant's voice. */
export interface VoiceTrack {
  speaking: boolean;
  /** Since when (ms) the level has been on the other side of `speaking`'s threshold, or null. */
  changingSince: number | null;
}

/**
 * The voices after a sample at `now` (ms): `levels` by participant id. Participants missing
 * from `levels` are dropped (they left the call).
 */
export function trackVoices(previous: Readonly<Record<string, VoiceTrack>>, levels: Readonly<Record<string, number>>, now: number): Record<string, VoiceTrack> {
  const next: Record<string, VoiceTrack> = {};
  for (const [id, level] of Object.entries(levels)) {
    const voice = previous[id] ?? { speaking: false, changingSince: null };
    const changing = voice.speaking ? level < SPEAKING_OFF_LEVEL : level >= SPEAKING_ON_LEVEL;
    if (!changing) {
      next[id] = { speaking: voice.speaking, changingSince: null };
      continue;
    }
    const since = voice.changingSince ?? now;
    const needed = voice.speaking ? SPEAKING_OFF_MS : SPEAKING_ON_MS;
    next[id] = now - since >= needed ? { speaking: !voice.speaking, changingSince: null } : { speaking: voice.speaking, changingSince: since };
  }
  return next;
}

/**
 * The active speaker: the one who speaks, else whoever spoke last; the current one stays while
 * still speaking, so two people talking over each other do not make the highlight jump.
 */
export function activeSpeaker(current: string | null, voices: Readonly<Record<string, VoiceTrack>>, levels: Readonly<Record<string, number>>): string | null {
  if (current !== null && voices[current]?.speaking) return current;
  let loudest: string | null = null;
  for (const [id, voice] of Object.entries(voices)) {
    if (voice.speaking && (loudest === null || (levels[id] ?? 0) > (levels[loudest] ?? 0))) loudest = id;
  }
  return loudest ?? (current !== null && current in voices ? current : null);
}
