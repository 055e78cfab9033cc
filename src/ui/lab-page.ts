// The full lab page (index.html): URL parameters become the element's attributes, so a link (or
// a test) can open any experiment with small limits, e.g.
//   /?experiment=batchnorm&epochs=2&train-limit=500&test-limit=500&lang=ko&autostart (&debug: the debug switch)
//   /?experiment=regularization&seeds=3&sweep=l2=0,0.001,0.01 (replicas: bands, a sweep)
//   /?experiment=dropout&early-stopping=3 (Keras' EarlyStopping: patience 3 on val_loss)
//   /?experiment=regularization&view=weights (the Weights view: histograms, near-zero share, words)
// and the page's language buttons switch <html lang>, which the element follows.
import './index.ts';
import type { Locale } from './i18n.ts';
import { toLocale } from './i18n.ts';

const PARAMS = [
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

const TEXT: Record<Locale, Record<string, string>> = {
  en: {
    title: 'overfit-lab: see overfitting happen',
    tagline: 'See overfitting happen, trained live on your GPU',
    runs: 'Everything runs in this browser tab with WebGPU: the data, the training and the charts. Nothing is sent anywhere.',
    data: 'Data:',
  },
  ko: {
    title: 'overfit-lab: 과대적합을 눈으로 보기',
    tagline: '내 GPU에서 바로 학습하며 과대적합을 눈으로 봅니다',
    runs: '데이터, 학습, 차트 모두 이 브라우저 탭 안에서 WebGPU로 실행됩니다. 아무것도 밖으로 보내지 않습니다.',
    data: '데이터:',
  },
};

const params = new URLSearchParams(location.search);
const lab = document.querySelector('overfit-lab')!;
for (const name of PARAMS) {
  const v = params.get(name);
  if (v !== null) lab.setAttribute(name, v);
}
for (const flag of ['autostart', 'debug']) if (params.has(flag) && params.get(flag) !== 'false') lab.setAttribute(flag, '');

function setLanguage(locale: Locale): void {
  document.documentElement.lang = locale;
  document.title = TEXT[locale].title;
  for (const el of document.querySelectorAll<HTMLElement>('[data-text]')) el.textContent = TEXT[locale][el.dataset.text!] ?? el.textContent;
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === locale));
}

setLanguage(toLocale(params.get('lang') ?? navigator.language));

for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]'))
  b.addEventListener('click', () => {
    const locale = toLocale(b.dataset.lang);
    setLanguage(locale);
    const url = new URL(location.href);
    url.searchParams.set('lang', locale);
    history.replaceState(null, '', url);
  });

// Keep the address in step with the experiment and the view picked, so the link can be shared.
new MutationObserver(() => {
  const url = new URL(location.href);
  url.searchParams.set('experiment', lab.getAttribute('experiment') ?? '');
  const view = lab.getAttribute('view');
  if (view && view !== 'curves') url.searchParams.set('view', view);
  else url.searchParams.delete('view');
  history.replaceState(null, '', url);
}).observe(lab, { attributes: true, attributeFilter: ['experiment', 'view'] });
