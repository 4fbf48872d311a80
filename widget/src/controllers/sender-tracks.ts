/**
 * What the call's senders carry: nothing before consent (no camera or microphone RTP at all),
 * the local camera and microphone after it.
 */

/**
 * Puts `stream`'s tracks on the connection's senders, one per kind (`replaceTrack`: no
 * renegotiation); null takes them off.
 */
export async function sendTracks(pc: RTCPeerConnection, stream: MediaStream | null): Promise<void> {
  const tracks = stream?.getTracks() ?? [];
  await Promise.all(
    pc.getTransceivers().map(({ sender, receiver }) => {
      const track = tracks.find((candidate) => candidate.kind === receiver.track.kind) ?? null;
      return sender.track === track ? undefined : sender.replaceTrack(track);
    }),
  );
}
