/**
 * Signals of one call for relay tests: its call id (a UUID, as the widget makes them), an offer
 * with a minimal SDP (RFC 8866), and a hang-up.
 */
import type { Signal } from 'video-call-protocol';

export const CALL = '0b5c1a7e-3d2f-4e8a-9c61-5f7d2b4a8e10';
export const OFFER: Signal = {
  kind: 'description',
  call: CALL,
  description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' },
};
export const HANG_UP: Signal = { kind: 'hang-up', call: CALL };
