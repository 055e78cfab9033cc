// The element's events, bubbling and composed so that a page hears them outside the shadow root.
import type { OverfitDoneDetail, OverfitEpochDetail, OverfitErrorDetail, OverfitStartDetail } from './types.ts';

export interface LabEventDetails {
  'overfit-start': OverfitStartDetail;
  'overfit-epoch': OverfitEpochDetail;
  'overfit-done': OverfitDoneDetail;
  'overfit-error': OverfitErrorDetail;
}

export function emit<K extends keyof LabEventDetails>(target: EventTarget, type: K, detail: LabEventDetails[K]): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
