// The iframe page (embed.html) for hosts that only take an <iframe> (Moodle, Canvas, Notion-like
// editors): the element alone, filling the page's width, no site header. It takes the lab page's
// URL parameters (page-params.ts), e.g.
//   embed.html?experiment=dropout&lang=ko&epochs=5&autostart
// with the element's own default controls (no editor, Keras tools or saved runs unless
// ?controls= asks), and tells its parent how tall its content is, so the host can size the frame:
//   window.parent.postMessage({ type: 'overfit-lab:height', height }, '*')
// at load and whenever the content's height changes (at most once an animation frame).
import './index.ts';
import { toLocale } from './i18n.ts';
import { applyLinkAndAutostart, forwardParams } from './page-params.ts';

const params = new URLSearchParams(location.search);
document.documentElement.lang = toLocale(params.get('lang') ?? navigator.language);

// Styles through the CSSOM, not a <style> element: a strict style-src allows these.
const { body } = document;
body.style.margin = '0';
body.style.padding = '8px';
body.style.display = 'flow-root'; // the element's margins stay inside the measured body
const lab = document.querySelector('overfit-lab')!;
forwardParams(lab, params);
void applyLinkAndAutostart(lab, params, location.hash);

/** The message the page posts to its parent: `{ type: 'overfit-lab:height', height }` (CSS pixels). */
export const HEIGHT_MESSAGE = 'overfit-lab:height';

let posted = -1;
let frame = 0;
function postHeight(): void {
  frame = 0;
  const height = Math.ceil(body.getBoundingClientRect().height);
  if (height === posted) return;
  posted = height;
  if (window.parent !== window) window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, '*');
}
new ResizeObserver(() => {
  if (!frame) frame = requestAnimationFrame(postHeight);
}).observe(body);
