/**
 * JavaScript time from the V8 CPU profiler's samples in a trace (`Profile` / `ProfileChunk`
 * events of a page's main thread), by source-mapped function and by concern (trace-sources.ts).
 * See trace-summary.ts for how samples are weighed.
 */
import { type SourceMapper, type Place } from './trace-sources.js';
import { add, type Frame, type Row, type TraceEvent } from './trace-events.js';

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: Frame;
}

/** A gap between samples counts at most this long (µs): more is the thread waiting for a core. */
const SAMPLE_CAP_US = 1000;
/** instrument.js's RTCPeerConnection subclass and Lit wrapper: frames that only pass a call on. */
const isWrapper = (f: Frame | undefined) =>
  /instrument\.js$/.test(f?.url ?? '') &&
  /^(RTCPeerConnection|setLocalDescription|setRemoteDescription|litUpdate|litRequestUpdate)$/.test(f?.functionName ?? '');
/** Built-ins of WebRTC: their time is the browser's work for the call, whoever calls them. */
const WEBRTC_API =
  /^(RTCPeerConnection|addTransceiver|addTrack|createOffer|createAnswer|setLocalDescription|setRemoteDescription|addIceCandidate|replaceTrack|getStats|setParameters|getParameters|getSynchronizationSources|createDataChannel|restartIce|close)$/;
/**
 * Concerns that run on their own timers or events: a sample anywhere under one of their
 * functions counts for them (remoteAudioLevel in sender-tracks.ts, called by the speaking
 * indicator, is the speaking indicator's time).
 */
const FEATURES = /^(quality polling|watch beats|call timer|speaking indicator|devices|language controller|focus keeper|icon SVGs)/;

/**
 * JavaScript self time from the CPU profile of the main thread `pid`/`tid` in [w0, w1) (trace
 * µs), by concern and by function, scaled so that all samples add up to `cpuMs`; and the part
 * under Lit updates (`litCpuMs`).
 */
export function sampleJs(all: TraceEvent[], pid: number, tid: number, w0: number, w1: number, mapper: SourceMapper, cpuMs: number) {
  const concerns = new Map<string, Row>();
  const functions = new Map<string, Row>();
  const profile = all.find((e) => e.name === 'Profile' && e.pid === pid && e.tid === tid);
  if (!profile) return { concerns, functions, litCpuMs: 0 };
  const nodes = new Map<number, ProfileNode>();
  const samples: [number, number][] = [];
  let t = Number((profile.args?.data as { startTime?: number }).startTime ?? profile.ts);
  for (const chunk of all) {
    if (chunk.name !== 'ProfileChunk' || chunk.pid !== pid || chunk.id !== profile.id) continue;
    const data = chunk.args!.data as { cpuProfile: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] };
    for (const node of data.cpuProfile.nodes ?? []) nodes.set(node.id, node);
    (data.cpuProfile.samples ?? []).forEach((id, i) => {
      t += data.timeDeltas?.[i] ?? 0;
      samples.push([t, id]);
    });
  }
  samples.sort((a, b) => a[0] - b[0]);
  const places = new Map<number, Place>();
  const placeOf = (id: number): Place => {
    if (places.has(id)) return places.get(id)!;
    const node = nodes.get(id)!;
    const frame = node.callFrame;
    let result: Place;
    if (frame.url) {
      result = mapper.place(frame.url, (frame.lineNumber ?? 0) + 1, frame.columnNumber ?? 0, frame.functionName);
    } else if (/^\(.*\)$/.test(frame.functionName ?? '') || node.parent === undefined) {
      result = { label: frame.functionName || '(root)', concern: frame.functionName || '(root)' };
    } else {
      let parent = node.parent;
      // The bench's wrappers only pass the call on: the built-in counts for their caller.
      while (isWrapper(nodes.get(parent)?.callFrame) && nodes.get(parent)!.parent !== undefined) parent = nodes.get(parent)!.parent!;
      const caller = placeOf(parent);
      const name = frame.functionName || '(anonymous)';
      result = {
        label: `${name} ← ${/^\(/.test(caller.label) ? '(native)' : caller.label}`,
        concern: WEBRTC_API.test(name) ? 'WebRTC API calls' : caller.concern,
      };
    }
    places.set(id, result);
    return result;
  };
  /** The sample's concern: the outermost feature concern on its stack, else its own place's. */
  const concerns_ = new Map<number, string>();
  const concernOf = (id: number): string => {
    if (concerns_.has(id)) return concerns_.get(id)!;
    const node = nodes.get(id)!;
    const above = node.parent !== undefined && nodes.has(node.parent) ? concernOf(node.parent) : '';
    const own = placeOf(id).concern;
    const result = FEATURES.test(above) ? above : own;
    concerns_.set(id, result);
    return result;
  };
  /** Whether a node is (under) a Lit update: instrument.js's `litUpdate` wrapper on its stack. */
  const inUpdate = new Map<number, boolean>();
  const underUpdate = (id: number): boolean => {
    if (!inUpdate.has(id)) {
      const node = nodes.get(id)!;
      const self = node.callFrame.functionName === 'litUpdate' && /instrument\.js$/.test(node.callFrame.url ?? '');
      inUpdate.set(id, self || (node.parent !== undefined && nodes.has(node.parent) && underUpdate(node.parent)));
    }
    return inUpdate.get(id)!;
  };
  const weighed: [Place, number, boolean][] = [];
  for (let i = 0; i + 1 < samples.length; i++) {
    const [ts, id] = samples[i]!;
    if (ts < w0 || ts >= w1 || !nodes.has(id)) continue;
    const where = placeOf(id);
    if (where.concern === '(idle)') continue;
    weighed.push([{ label: where.label, concern: concernOf(id) }, Math.min(samples[i + 1]![0] - ts, SAMPLE_CAP_US), underUpdate(id)]);
  }
  const scale =
    cpuMs /
    Math.max(
      1,
      weighed.reduce((sum, [, w]) => sum + w, 0),
    );
  let litCpuMs = 0;
  for (const [where, weight, lit] of weighed) {
    add(concerns, where.concern, weight * scale);
    add(functions, where.label, weight * scale);
    if (lit) litCpuMs += weight * scale;
  }
  return { concerns, functions, litCpuMs };
}
