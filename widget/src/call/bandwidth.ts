/**
 * How much video each leg sends as the call grows. In a full mesh every participant encodes and
 * uploads one video stream per other participant, so upload bandwidth and encoder CPU set the
 * limit; each sender caps its camera video (`RTCRtpSender.setParameters`: `maxBitrate` and
 * `scaleResolutionDownBy`, W3C WebRTC 1.0 §5.2) so that the whole upload stays near
 * {@link VIDEO_UPLOAD_BUDGET_BPS}. A one-to-one call is not capped (the browser's own congestion
 * control decides, as before).
 *
 * The figures follow what open mesh projects do (Nextcloud Talk's SentVideoQualityThrottler
 * lowers the sent quality as participants are added; MiroTalk P2P caps each peer connection): a
 * 640×480 camera at 30 frames/s looks fine from about 500 kbit/s, and at a quarter of the pixels
 * (half the width and height) from about 300 kbit/s.
 */

/** Video upload of a participant in all, in bits per second, once the call has three people or more. */
export const VIDEO_UPLOAD_BUDGET_BPS = 1_900_000;
/** No leg gets more than this (bits per second) from the budget. */
const MAX_PER_LEG_BPS = 1_200_000;

/** The cap of each leg's camera video: see `VideoCap` in controllers/leg-setup.ts. */
export interface VideoSendingCap {
  /** `RTCRtpEncodingParameters.maxBitrate`, bits per second; null: no cap. */
  maxBitrateBps: number | null;
  /** `RTCRtpEncodingParameters.scaleResolutionDownBy`: 1 sends the camera's full size. */
  scaleResolutionDownBy: number;
}

/**
 * The cap for each of `legs` legs that carry our camera (participants besides us).
 * 1 leg: none; 2: 950 kbit/s each at full size; 3: 633 kbit/s at 1/1.5 size; 4–5: 475 and
 * 380 kbit/s at half size.
 */
export function videoSendingCap(legs: number): VideoSendingCap {
  if (legs <= 1) return { maxBitrateBps: null, scaleResolutionDownBy: 1 };
  const maxBitrateBps = Math.min(MAX_PER_LEG_BPS, Math.floor(VIDEO_UPLOAD_BUDGET_BPS / legs));
  const scaleResolutionDownBy = legs === 2 ? 1 : legs === 3 ? 1.5 : 2;
  return { maxBitrateBps, scaleResolutionDownBy };
}
