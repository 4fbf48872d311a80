/**
 * The transceivers of a call and what their senders carry, in the same order on both sides (the
 * m-line order): the camera's audio and video from the caller's first offer, then, once someone
 * first shares a screen, the screen's video and audio (one renegotiation per call: measured, two
 * more m-lines from the start slowed every call's set-up by ~30 ms). All are `sendrecv`, so
 * otherwise a sender only gets a track with `replaceTrack`, or loses it. Before consent no sender
 * carries anything (no RTP at all).
 */

/** Kinds of the camera's transceivers, created with the call. */
export const CAMERA_KINDS = ['audio', 'video'] as const;
/** Kinds of the screen's transceivers, added at the first share. */
export const SCREEN_KINDS = ['video', 'audio'] as const;
/** Which transceivers carry what. */
const SLOTS = { camera: [0, 1], screen: [2, 3] } as const;
export type Slot = keyof typeof SLOTS;

const transceiversOf = (pc: RTCPeerConnection, slot: Slot) =>
  SLOTS[slot].map((index) => pc.getTransceivers()[index]).filter((t): t is RTCRtpTransceiver => t !== undefined);

/**
 * Puts `stream`'s tracks on the senders of `slot`, one per kind (`replaceTrack`: no
 * renegotiation); null takes them off.
 */
export async function sendTracks(pc: RTCPeerConnection, stream: MediaStream | null, slot: Slot = 'camera'): Promise<void> {
  const tracks = stream?.getTracks() ?? [];
  const changes = transceiversOf(pc, slot).flatMap(({ sender, receiver }) => {
    const track = tracks.find((candidate) => candidate.kind === receiver.track.kind) ?? null;
    return sender.track === track ? [] : [sender.replaceTrack(track)];
  });
  await Promise.all(changes);
}

/** Adds the screen's transceivers (`sendrecv`, in SCREEN_KINDS order) unless `pc` has them; true when it added them. */
export function addScreenTransceivers(pc: RTCPeerConnection): boolean {
  if (pc.getTransceivers().length >= CAMERA_KINDS.length + SCREEN_KINDS.length) return false;
  for (const kind of SCREEN_KINDS) pc.addTransceiver(kind, { direction: 'sendrecv' });
  return true;
}

/** A stream of the remote tracks of `slot` (audio and video of the camera, or of the screen). */
export function remoteStreamOf(pc: RTCPeerConnection, slot: Slot): MediaStream {
  return new MediaStream(transceiversOf(pc, slot).map(({ receiver }) => receiver.track));
}

/** The sender of `slot` for `kind`, or null. */
export const senderOf = (pc: RTCPeerConnection, slot: Slot, kind: 'audio' | 'video'): RTCRtpSender | null =>
  transceiversOf(pc, slot).find(({ receiver }) => receiver.track.kind === kind)?.sender ?? null;

/**
 * Caps the camera's video sender of `pc` (W3C WebRTC 1.0 §5.2 `RTCRtpSender.setParameters`):
 * `maxBitrate` (bits per second; null removes the cap) and `scaleResolutionDownBy` of its one
 * encoding. Senders without an encoding yet (before negotiation) are skipped; the cap is applied
 * again with the tracks.
 */
export async function applyVideoCap(
  pc: RTCPeerConnection,
  cap: { maxBitrateBps: number | null; scaleResolutionDownBy: number },
): Promise<void> {
  const sender = senderOf(pc, 'camera', 'video');
  if (!sender) return;
  const parameters = sender.getParameters();
  const encoding = parameters.encodings?.[0];
  if (!encoding) return;
  const maxBitrate = cap.maxBitrateBps ?? undefined;
  if (encoding.maxBitrate === maxBitrate && (encoding.scaleResolutionDownBy ?? 1) === cap.scaleResolutionDownBy) return;
  if (maxBitrate === undefined) delete encoding.maxBitrate;
  else encoding.maxBitrate = maxBitrate;
  encoding.scaleResolutionDownBy = cap.scaleResolutionDownBy;
  await sender.setParameters(parameters);
}

/**
 * The recent audio level of the remote microphone of `pc`, 0–1 (RFC 6464 client-to-mixer levels,
 * as `RTCRtpReceiver.getSynchronizationSources()` gives them, W3C WebRTC 1.0 §5.4), from the
 * packets of the last 500 ms; 0 when none arrived (a receiver reports levels only while its audio
 * plays out). Cheap: no getStats.
 */
export function remoteAudioLevel(pc: RTCPeerConnection): number {
  const receiver = transceiversOf(pc, 'camera').find((t) => t.receiver.track.kind === 'audio')?.receiver;
  // `timestamp` is on the page's absolute clock (performance.timeOrigin + performance.now(), as
  // Chromium gives it); a browser that counts from the page's start is read correctly too.
  const now = performance.now();
  let level = 0;
  for (const source of receiver?.getSynchronizationSources?.() ?? []) {
    const age = Math.min(Math.abs(performance.timeOrigin + now - source.timestamp), Math.abs(now - source.timestamp));
    if (age < 500) level = Math.max(level, source.audioLevel ?? 0);
  }
  return level;
}
