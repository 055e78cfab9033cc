// Runs in a Chromium launched without --enable-unsafe-webgpu: navigator.gpu exists, no adapter.
import { expect, it } from 'vitest';
import { acquireGpu, WebGPUUnavailableError } from '../../src/gpu/device.ts';

it('acquireGpu() fails with a typed error that says how to get WebGPU', async () => {
  expect('gpu' in navigator).toBe(true);
  const err = await acquireGpu().catch((e) => e);
  expect(err).toBeInstanceOf(WebGPUUnavailableError);
  expect(err.reason).toBe('no-adapter');
  expect(err.message).toMatch(/--enable-unsafe-webgpu/);
  expect(err.message).toMatch(/chrome:\/\/gpu/);
});
