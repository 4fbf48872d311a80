/**
 * Who is speaking, from the audio levels of the participants' microphones (0–1, linear, as
 * `RTCRtpSynchronizationSource.audioLevel` gives them: RFC 6464 levels of the latest packet,
 * 1 = 0 dBov), sampled every {@link SPEAKING_SAMPLE_MS}.
 *
 * Speech comes in bursts (syllables, words) with short gaps, so a level above
 * {@link SPEAKING_ON_LEVEL} counts as voice for {@link VOICE_HOLD_MS} after it was heard (a peak
 * hold). Hysteresis keeps the highlight from flickering: a participant starts speaking once a run
 * of voice has lasted {@link SPEAKING_ON_MS} from its first level to its latest (a lone click or
 * cough is not speech), and stops once no voice was heard for the hold plus
 * {@link SPEAKING_OFF_MS}; while they speak, the lower {@link SPEAKING_OFF_LEVEL} keeps the voice
 * going. Pure, tested in node with made-up levels and times.
 */

/** How often the levels are read while media flows, in ms (a syllable lasts 100–300 ms). */
export const SPEAKING_SAMPLE_MS = 50;
/**
 * The first read waits this long (ms) after media starts to flow: the first frames of the call
 * come first, and nobody can have spoken for {@link SPEAKING_ON_MS} by then anyway.
 */
export const SPEAKING_FIRST_SAMPLE_MS = 1_000;
/** A level at or above this starts voice (about -30 dBov). */
export const SPEAKING_ON_LEVEL = 0.03;
/** While speaking, a level at or above this keeps the voice going (about -36 dBov). */
export const SPEAKING_OFF_LEVEL = 0.015;
/** A level heard counts as voice for this long after it (ms): it bridges the gaps between words. */
export const VOICE_HOLD_MS = 700;
/** Voice for this long (ms) starts speaking. */
export const SPEAKING_ON_MS = 250;
/** No voice for this long (ms) after the hold ends it. */
export const SPEAKING_OFF_MS = 300;

/** What is known of one participant's voice. */
export interface VoiceTrack {
  speaking: boolean;
  /** When a level above the threshold was last heard (ms), or null. */
  heardAt: number | null;
  /** When the current run of voice began (its first level, ms), or null when there is none. */
  voiceSince: number | null;
}

const SILENT: VoiceTrack = { speaking: false, heardAt: null, voiceSince: null };

/**
 * The voices after a sample at `now` (ms): `levels` by participant id. Participants missing
 * from `levels` are dropped (they left the call).
 */
export function trackVoices(
  previous: Readonly<Record<string, VoiceTrack>>,
  levels: Readonly<Record<string, number>>,
  now: number,
): Record<string, VoiceTrack> {
  const next: Record<string, VoiceTrack> = {};
  for (const [id, level] of Object.entries(levels)) {
    const voice = previous[id] ?? SILENT;
    const heard = level >= (voice.speaking ? SPEAKING_OFF_LEVEL : SPEAKING_ON_LEVEL);
    const heardAt = heard ? now : voice.heardAt;
    const held = heardAt !== null && now - heardAt <= VOICE_HOLD_MS;
    const voiceSince = held ? (voice.voiceSince ?? now) : null;
    let speaking = voice.speaking;
    if (!speaking && voiceSince !== null && heardAt! - voiceSince >= SPEAKING_ON_MS) speaking = true;
    if (speaking && (heardAt === null || now - heardAt > VOICE_HOLD_MS + SPEAKING_OFF_MS)) speaking = false;
    next[id] = { speaking, heardAt, voiceSince };
  }
  return next;
}

/**
 * The active speaker: the one who speaks, else whoever spoke last; the current one stays while
 * still speaking, so two people talking over each other do not make the highlight jump.
 */
export function activeSpeaker(
  current: string | null,
  voices: Readonly<Record<string, VoiceTrack>>,
  levels: Readonly<Record<string, number>>,
): string | null {
  if (current !== null && voices[current]?.speaking) return current;
  let loudest: string | null = null;
  for (const [id, voice] of Object.entries(voices)) {
    if (voice.speaking && (loudest === null || (levels[id] ?? 0) > (levels[loudest] ?? 0))) loudest = id;
  }
  return loudest ?? (current !== null && current in voices ? current : null);
}
