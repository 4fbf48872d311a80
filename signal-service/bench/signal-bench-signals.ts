/**
 * The signals the signal service benchmark relays (`npm run bench`): an ICE candidate as a browser
 * trickles it, and a Chrome-like SDP offer of a chosen size. Used by the clients' worker thread
 * (signal-bench-clients.ts); pure data, no side effects.
 */
import type { Signal } from 'video-call-protocol';

/** An ICE candidate as a browser trickles it (`RTCIceCandidate.toJSON()`). */
export const CANDIDATE_SIGNAL: Signal = {
  kind: 'candidate',
  call: 'bench-call-0001',
  candidate: {
    candidate:
      'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXsv network-cost 999',
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: 'sXsv',
  },
};

/** The transport attributes every m-line of the offer repeats (JSEP, RFC 9429 §5.2.1: one bundled ICE and DTLS transport). */
const transport = [
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:sXsv',
  'a=ice-pwd:Qv6Yk1n3Cw0z8yJr5HtXe2Lm',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  'a=setup:actpass',
];

/** A realistic SDP offer (audio + video, Chrome-like) of about `bytes` characters, CRLF line ends. */
export function sdpOffer(bytes: number): string {
  const lines = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS 7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
    ...transport,
    'a=mid:0',
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendrecv',
    'a=msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 0f4a6a51-9b0e-4c55-8d1f-6b2a3c4d5e6f',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=rtcp-fb:111 transport-cc',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:63 red/48000/2',
    'a=fmtp:63 111/111',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:13 CN/8000',
    'a=rtpmap:110 telephone-event/48000',
    'a=rtpmap:126 telephone-event/8000',
    'a=ssrc:3570614608 cname:4TOk42mSjXCkVIa6',
    'a=ssrc:3570614608 msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 0f4a6a51-9b0e-4c55-8d1f-6b2a3c4d5e6f',
  ];
  const trailer = [
    'a=ssrc-group:FID 2231627014 632943048',
    'a=ssrc:2231627014 cname:4TOk42mSjXCkVIa6',
    'a=ssrc:2231627014 msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 3b7e2d90-1c4f-4a8e-b6d2-9e0f1a2b3c4d',
    'a=ssrc:632943048 cname:4TOk42mSjXCkVIa6',
    'a=ssrc:632943048 msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 3b7e2d90-1c4f-4a8e-b6d2-9e0f1a2b3c4d',
  ];
  const codecs = ['VP8/90000', 'VP9/90000', 'H264/90000', 'AV1/90000', 'H265/90000'];
  const video: string[] = [
    ...transport,
    'a=mid:1',
    'a=extmap:14 urn:ietf:params:rtp-hdrext:toffset',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:13 urn:3gpp:video-orientation',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendrecv',
    'a=msid:7d6c1f0e-3f5b-4f0a-9f3c-2b7c9d1e8a41 3b7e2d90-1c4f-4a8e-b6d2-9e0f1a2b3c4d',
    'a=rtcp-mux',
    'a=rtcp-rsize',
  ];
  const payloadTypes: number[] = [];
  const size = (parts: string[]) => parts.reduce((sum, line) => sum + line.length + 2, 0);
  // Video codecs in pairs (codec, its rtx) until the offer reaches the size asked for.
  for (let pt = 96, n = 0; pt < 128; pt += 2, n++) {
    const codec = codecs[n % codecs.length] ?? 'VP8/90000';
    const block = [
      `a=rtpmap:${pt} ${codec}`,
      `a=rtcp-fb:${pt} goog-remb`,
      `a=rtcp-fb:${pt} transport-cc`,
      `a=rtcp-fb:${pt} ccm fir`,
      `a=rtcp-fb:${pt} nack`,
      `a=rtcp-fb:${pt} nack pli`,
      ...(codec.startsWith('H264')
        ? [`a=fmtp:${pt} level-asymmetry-allowed=1;packetization-mode=${n % 2};profile-level-id=42e01f`]
        : codec.startsWith('VP9')
          ? [`a=fmtp:${pt} profile-id=${n % 3}`]
          : []),
      `a=rtpmap:${pt + 1} rtx/90000`,
      `a=fmtp:${pt + 1} apt=${pt}`,
    ];
    const mLine = `m=video 9 UDP/TLS/RTP/SAVPF ${[...payloadTypes, pt, pt + 1].join(' ')}`;
    if (size([...lines, mLine, ...video, ...block, ...trailer]) > bytes) break;
    payloadTypes.push(pt, pt + 1);
    video.push(...block);
  }
  const sdp = [...lines, `m=video 9 UDP/TLS/RTP/SAVPF ${payloadTypes.join(' ')}`, ...video, ...trailer];
  // Fill the rest with one more attribute line so the size is exactly `bytes` (when it fits).
  const missing = bytes - size(sdp) - 2;
  if (missing > 'a=x-pad:'.length) sdp.push(`a=x-pad:${'0'.repeat(missing - 'a=x-pad:'.length)}`);
  return sdp.map((line) => `${line}\r\n`).join('');
}
