/**
 * The rule behind the stage's corners (video-call.styles.ts): no element that clips its overflow
 * with rounded corners may hold a `<video>`. Chromium's compositor then draws every frame of that
 * video through a mask: in its software compositing (headless, and machines whose GPU it does
 * not use), 0.3 of a CPU core per such clip during a call (bench/README.md). A video rounds its
 * own corners instead, which costs nothing measurable.
 */
import type { VideoCall } from '../src/video-call.js';

const rounded = (style: CSSStyleDeclaration) =>
  [style.borderTopLeftRadius, style.borderTopRightRadius, style.borderBottomLeftRadius, style.borderBottomRightRadius].some(
    (radius) => parseFloat(radius) > 0,
  );

/** Each shown `<video>` of `el` with an ancestor (up to the host) that clips with rounded corners: `"part < ancestor"`. */
export function roundedClipsOverVideo(el: VideoCall): string[] {
  const found: string[] = [];
  for (const video of el.shadowRoot!.querySelectorAll('video')) {
    if (!video.checkVisibility()) continue;
    for (let a: Element | null = video.parentElement ?? el; a; a = a === el ? null : (a.parentElement ?? el)) {
      const style = getComputedStyle(a);
      const clips = style.overflowX !== 'visible' || style.overflowY !== 'visible';
      if (clips && rounded(style)) found.push(`${video.getAttribute('part')} < ${a.getAttribute('part') ?? a.localName}`);
    }
  }
  return found;
}
