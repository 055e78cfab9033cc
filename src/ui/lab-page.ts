// The full lab page (index.html): URL parameters become the element's attributes, so a link (or
// a test) can open any experiment with small limits, e.g.
//   /?experiment=batchnorm&epochs=2&train-limit=500&test-limit=500&lang=ko&autostart (&debug: the debug switch)
//   /?experiment=regularization&seeds=3&sweep=l2=0,0.001,0.01 (replicas: bands, a sweep)
//   /?experiment=dropout&early-stopping=3 (Keras' EarlyStopping: patience 3 on val_loss)
//   /?experiment=regularization&view=weights (the Weights view: histograms, near-zero share, words)
// The page shows the model editor, the Keras / TF.js tools and the saved runs (controls="all edit keras runs" unless ?controls= says
// otherwise) and keeps
// the experiment of the last run started in the address, `#x=1.<base64url of deflated JSON>`
// (edit-model.ts): opening that link gives the element the same spec (models, seed, epochs, rows,
// learning rate), so it trains the same curves on the same adapter.
// and the page's language buttons switch <html lang>, which the element follows.
import './index.ts';
import type { Locale } from './i18n.ts';
import { toLocale } from './i18n.ts';
import { encodeExperiment } from './overfit-lab/edit-model.ts';
import { applyLinkAndAutostart, forwardParams, type LinkProblem } from './page-params.ts';

const TEXT: Record<Locale, Record<string, string>> = {
  en: {
    title: 'overfit-lab: see overfitting happen',
    tagline: 'See overfitting happen, trained live on your GPU',
    runs: 'Everything runs in this browser tab with WebGPU: the data, the training and the charts. Nothing is sent anywhere.',
    data: 'Data:',
    linkVersion: 'This link was made by a newer version of overfit-lab; the lab’s preset is shown instead.',
    linkBad: 'The experiment in this link could not be read; the lab’s preset is shown instead.',
  },
  ko: {
    title: 'overfit-lab: 과대적합을 눈으로 보기',
    tagline: '내 GPU에서 바로 학습하며 과대적합을 눈으로 봅니다',
    runs: '데이터, 학습, 차트 모두 이 브라우저 탭 안에서 WebGPU로 실행됩니다. 아무것도 밖으로 보내지 않습니다.',
    data: '데이터:',
    linkVersion: '이 링크는 더 새로운 버전의 overfit-lab에서 만들어졌습니다. 대신 실습 기본값을 보여 줍니다.',
    linkBad: '이 링크의 실험을 읽을 수 없습니다. 대신 실습 기본값을 보여 줍니다.',
  },
};

const params = new URLSearchParams(location.search);
const lab = document.querySelector('overfit-lab')!;
forwardParams(lab, params, 'all edit keras runs');

let linkProblem: LinkProblem | null = null;

// The link's experiment (#x=...) is decoded before autostart, so a shared run starts as it was.
void applyLinkAndAutostart(lab, params, location.hash).then((problem) => {
  linkProblem = problem;
  showLinkProblem();
});

/** Says (in the page's language) why the link's experiment was not used. */
function showLinkProblem(): void {
  if (!linkProblem) return;
  let note = document.getElementById('link-problem');
  if (!note) {
    note = document.createElement('p');
    note.id = 'link-problem';
    note.setAttribute('role', 'alert');
    note.className = 'link-problem';
    lab.before(note);
  }
  note.textContent = TEXT[toLocale(document.documentElement.lang)][linkProblem];
}

function setLanguage(locale: Locale): void {
  document.documentElement.lang = locale;
  document.title = TEXT[locale].title;
  for (const el of document.querySelectorAll<HTMLElement>('[data-text]')) el.textContent = TEXT[locale][el.dataset.text!] ?? el.textContent;
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === locale));
  showLinkProblem();
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

// "Reset to the lab's preset" (or picking another experiment) leaves the linked experiment: so does the address.
lab.addEventListener('click', (e) => {
  const button = e.composedPath().find((t): t is HTMLElement => t instanceof HTMLElement && t.matches('[data-action="preset"], input[name="experiment"]'));
  if (!button || !location.hash) return;
  const url = new URL(location.href);
  url.hash = '';
  history.replaceState(null, '', url);
});

// The experiment of the run that starts goes in the address: copying it afterwards shares the run.
lab.addEventListener('overfit-start', (e) => {
  void encodeExperiment(e.detail.experiment).then((x) => {
    const url = new URL(location.href);
    url.hash = `x=${x}`;
    history.replaceState(null, '', url);
  });
});
