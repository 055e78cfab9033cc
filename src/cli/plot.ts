// A PNG of an experiment's loss curves (training solid, validation dashed), drawn in the page.
// Colours and font are <overfit-lab>'s default tokens, so the CLI's PNG matches the lab's charts.
import type { RunResult } from '../experiments/result.ts';
import { PALETTE, TOKENS } from '../ui/tokens.ts';

export async function lossChartPng(result: RunResult, width = 900, height = 520): Promise<string> {
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d')!;
  const pad = { l: 64, r: 170, t: 40, b: 48 };
  const series = result.models.flatMap((m, i) => [
    { label: `${m.name} loss`, values: m.history.loss ?? [], colour: PALETTE[i % PALETTE.length], dash: [] as number[] },
    { label: `${m.name} val_loss`, values: m.history.val_loss ?? [], colour: PALETTE[i % PALETTE.length], dash: [7, 5] },
  ]);
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const epochs = Math.max(1, ...series.map((s) => s.values.length));
  const span = Math.max(1e-6, Math.max(...all) - Math.min(...all));
  const lo = Math.max(0, Math.min(...all) - 0.05 * span);
  const hi = Math.max(...all) + 0.05 * span;
  const x = (e: number) => pad.l + ((e - 1) / Math.max(1, epochs - 1)) * (width - pad.l - pad.r);
  const y = (v: number) => height - pad.b - ((v - lo) / (hi - lo)) * (height - pad.t - pad.b);

  g.fillStyle = TOKENS.bg;
  g.fillRect(0, 0, width, height);
  g.fillStyle = TOKENS.fg;
  g.font = `16px ${TOKENS.font}`;
  g.fillText(`${result.experiment}: loss per epoch (${result.dataset}, seed ${result.seed})`, pad.l, 24);
  g.font = `12px ${TOKENS.font}`;
  g.strokeStyle = TOKENS.grid;
  for (let i = 0; i <= 5; i++) {
    const v = lo + ((hi - lo) * i) / 5;
    g.beginPath();
    g.moveTo(pad.l, y(v));
    g.lineTo(width - pad.r, y(v));
    g.stroke();
    g.fillText(v.toFixed(3), 8, y(v) + 4);
  }
  for (let e = 1; e <= epochs; e += Math.max(1, Math.ceil(epochs / 10))) g.fillText(String(e), x(e) - 4, height - pad.b + 18);
  g.fillText('epoch', (width - pad.r) / 2, height - 10);
  series.forEach((s, i) => {
    g.strokeStyle = s.colour;
    g.lineWidth = 2;
    g.setLineDash(s.dash);
    g.beginPath();
    s.values.forEach((v, e) => (e ? g.lineTo(x(e + 1), y(v)) : g.moveTo(x(e + 1), y(v))));
    g.stroke();
    const ly = pad.t + 18 * i;
    g.beginPath();
    g.moveTo(width - pad.r + 12, ly);
    g.lineTo(width - pad.r + 40, ly);
    g.stroke();
    g.fillStyle = TOKENS.fg;
    g.fillText(s.label, width - pad.r + 46, ly + 4);
  });
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
