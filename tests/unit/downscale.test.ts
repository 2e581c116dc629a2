import { beforeEach, describe, expect, it } from 'vitest';
import { downscaleImage, fitWithin } from '@/utils/frames/downscale';
import { setLocale } from '@/utils/i18n';

describe('fitWithin', () => {
  it('leaves images that already fit alone (never enlarges)', () => {
    expect(fitWithin(800, 600, 1600)).toEqual({ width: 800, height: 600 });
    expect(fitWithin(1600, 1600, 1600)).toEqual({ width: 1600, height: 1600 });
    expect(fitWithin(1, 1, 1600)).toEqual({ width: 1, height: 1 });
  });

  it('scales the longer side to max and keeps the aspect ratio', () => {
    expect(fitWithin(3200, 2400, 1600)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(2400, 3200, 1600)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(4000, 3000, 1000)).toEqual({ width: 1000, height: 750 });
  });

  it('rounds to whole pixels', () => {
    expect(fitWithin(3000, 2000, 1600)).toEqual({ width: 1600, height: 1067 });
    expect(fitWithin(1601, 1000, 1600)).toEqual({ width: 1600, height: 999 });
  });

  it('keeps extreme panoramas at least one pixel tall', () => {
    expect(fitWithin(100000, 10, 1600)).toEqual({ width: 1600, height: 1 });
    expect(fitWithin(10, 100000, 1600)).toEqual({ width: 1, height: 1600 });
  });

  it('rejects sizes that are not positive and finite', () => {
    expect(() => fitWithin(0, 100, 1600)).toThrow(RangeError);
    expect(() => fitWithin(100, -1, 1600)).toThrow(RangeError);
    expect(() => fitWithin(100, 100, 0)).toThrow(RangeError);
    expect(() => fitWithin(Number.NaN, 100, 1600)).toThrow(RangeError);
    expect(() => fitWithin(Infinity, 100, 1600)).toThrow(RangeError);
  });
});

describe('downscaleImage', () => {
  beforeEach(() => {
    setLocale('en');
  });

  it('rejects a file that is not an image with a clear message', async () => {
    await expect(downscaleImage(new Blob(['hello'], { type: 'text/plain' }))).rejects.toThrow('This file is not an image (text/plain).');
    await expect(downscaleImage(new Blob(['hello']))).rejects.toThrow('This file is not an image (?).');
  });
});
