// The lab page (lab-page.ts) and the iframe page (embed-page.ts) take the same URL parameters:
// each one listed here becomes the <overfit-lab> attribute of the same name, `debug` and
// `autostart` are switches (present and not `false`), and `#x=...` (edit-model.ts) is a shared
// experiment, decoded before autostart so a shared run starts as it was.
import { decodeExperiment, LinkError } from './overfit-lab/edit-model.ts';

export const PARAMS = [
  'experiment',
  'models',
  'epochs',
  'seed',
  'seeds',
  'sweep',
  'early-stopping',
  'train-limit',
  'test-limit',
  'dataset',
  'controls',
  'data-base',
  'view',
] as const;

/** A switch in the address: `?autostart`, `?autostart=1`; not `?autostart=false`. */
export const flag = (params: URLSearchParams, name: string): boolean => params.has(name) && params.get(name) !== 'false';

/** Why the address' experiment (`#x=...`) was not used. */
export type LinkProblem = 'linkVersion' | 'linkBad';

/**
 * Sets the element's attributes from the address' query; `controls` falls back to
 * `defaultControls` where the query has none (undefined: the element's own default).
 */
export function forwardParams(lab: Element, params: URLSearchParams, defaultControls?: string): void {
  for (const name of PARAMS) {
    const v = params.get(name);
    if (v !== null) lab.setAttribute(name, v);
  }
  if (!params.has('controls') && defaultControls !== undefined) lab.setAttribute('controls', defaultControls);
  if (flag(params, 'debug')) lab.setAttribute('debug', '');
}

/**
 * Gives the element the experiment in the address' hash (`#x=...`), if any, then starts it when
 * the query says `autostart`. Resolves with the link's problem (the preset is kept then), or null.
 */
export async function applyLinkAndAutostart(lab: Element, params: URLSearchParams, hash: string): Promise<LinkProblem | null> {
  const linked = new URLSearchParams(hash.slice(1)).get('x');
  let problem: LinkProblem | null = null;
  if (linked) {
    try {
      lab.setAttribute('spec', JSON.stringify(await decodeExperiment(linked)));
    } catch (e) {
      problem = e instanceof LinkError && e.kind === 'version' ? 'linkVersion' : 'linkBad';
      console.warn(`overfit-lab: ${(e as Error).message}`);
    }
  }
  if (flag(params, 'autostart')) lab.setAttribute('autostart', '');
  return problem;
}
