// Which language <overfit-lab> speaks: its own `lang`, else the nearest ancestor's, else the
// page's <html lang> (watched, so a page-level language switch re-renders the component).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Locale } from '../i18n.ts';
import { toLocale } from '../i18n.ts';

export class LocaleController implements ReactiveController {
  private observer: MutationObserver | null = null;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  get locale(): Locale {
    const own = this.host.getAttribute('lang');
    const inherited = this.host.parentElement?.closest('[lang]')?.getAttribute('lang');
    return toLocale(own || inherited || document.documentElement.lang || navigator.language);
  }

  hostConnected(): void {
    this.observer = new MutationObserver(() => this.host.requestUpdate());
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
  }
}
