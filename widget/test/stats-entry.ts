/**
 * RTCStatsReport entries as the tests read them. The DOM lib types a report's values as `any`; a
 * test views a report as a {@link StatsView} (a type assertion: nothing happens at run time), which
 * works inside page.evaluate callbacks too (types are gone before a function is sent to a page).
 *
 * Every field but `id`, `type` and `timestamp` is optional: which ones an entry has depends on its
 * `type` (W3C Identifiers for WebRTC's Statistics API). Counts are totals since the stream began,
 * sizes in pixels.
 */
export interface StatsEntry {
  id: string;
  type: RTCStatsType;
  timestamp: number;
  /** inbound-rtp, outbound-rtp, media-source. */
  kind?: 'audio' | 'video';
  mid?: string;
  codecId?: string;
  /** codec: `video/VP8`, `audio/opus`, … */
  mimeType?: string;
  mediaSourceId?: string;
  /** media-source: the id of the MediaStreamTrack it reads. */
  trackIdentifier?: string;
  packetsSent?: number;
  packetsReceived?: number;
  packetsLost?: number;
  framesDecoded?: number;
  framesEncoded?: number;
  keyFramesDecoded?: number;
  keyFramesEncoded?: number;
  pliCount?: number;
  frameWidth?: number;
  frameHeight?: number;
  /** data-channel. */
  messagesSent?: number;
  messagesReceived?: number;
  /** transport. */
  dtlsState?: RTCDtlsTransportState;
  selectedCandidatePairId?: string;
  /** candidate-pair. */
  localCandidateId?: string;
  remoteCandidateId?: string;
  state?: RTCStatsIceCandidatePairState;
  /** local-candidate, remote-candidate. */
  candidateType?: RTCIceCandidateType;
  address?: string;
  port?: number;
}

/** An RTCStatsReport with typed entries: `report as StatsView`. */
export type StatsView = ReadonlyMap<string, StatsEntry>;
