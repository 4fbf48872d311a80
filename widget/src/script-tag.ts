// Entry of the script-tag build (widget/dist/video-call.js): the element, and the rule that its
// signal service is, by default, the origin that served this file (the service serves it).
import { setScriptOrigin } from './signaling-default.js';

setScriptOrigin(new URL(import.meta.url).origin);

export * from './index.js';
