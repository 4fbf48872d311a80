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
  await Promise.all(
    transceiversOf(pc, slot).map(({ sender, receiver }) => {
      const track = tracks.find((candidate) => candidate.kind === receiver.track.kind) ?? null;
      return sender.track === track ? undefined : sender.replaceTrack(track);
    }),
  );
}

/** A stream of the remote tracks of `slot` (audio and video of the camera, or of the screen). */
export function remoteStreamOf(pc: RTCPeerConnection, slot: Slot): MediaStream {
  return new MediaStream(transceiversOf(pc, slot).map(({ receiver }) => receiver.track));
}

/** The sender of `slot` for `kind`, or null. */
export const senderOf = (pc: RTCPeerConnection, slot: Slot, kind: 'audio' | 'video'): RTCRtpSender | null =>
  transceiversOf(pc, slot).find(({ receiver }) => receiver.track.kind === kind)?.sender ?? null;
