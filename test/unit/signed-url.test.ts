import * as assert from 'node:assert/strict';
import { earliestSignedExpiry, signedUrlExpiry } from '../../src/core/jobs/signed-url';

describe('signed result URLs (COS q-sign-time)', () => {
  const cos = (signTime: string): string =>
    `https://aiart-1258344699.cos.ap-guangzhou.myqcloud.com/text_to_img/a.png?q-sign-algorithm=sha1&q-ak=AKIDx&q-sign-time=${signTime}&q-key-time=${signTime}&q-signature=abc`;

  it('reads the end of the validity, encoded or not', () => {
    assert.equal(signedUrlExpiry(cos('1700000000;1700003600')), 1_700_003_600_000);
    assert.equal(signedUrlExpiry(cos('1700000000%3B1700003600')), 1_700_003_600_000);
  });

  it('knows nothing of other URLs or malformed values', () => {
    assert.equal(signedUrlExpiry('https://example.com/a.png'), undefined);
    assert.equal(signedUrlExpiry(cos('soon')), undefined);
    assert.equal(signedUrlExpiry('not a url'), undefined);
  });

  it('takes the earliest among URL images and ignores inline ones', () => {
    const images = [
      { kind: 'url', url: cos('1700000000;1700003600') },
      { kind: 'base64', data: 'AAAA' },
      { kind: 'url', url: cos('1700000000;1700000060') },
    ] as const;
    assert.equal(earliestSignedExpiry(images), 1_700_000_060_000);
    assert.equal(earliestSignedExpiry([{ kind: 'base64', data: 'AAAA' }]), undefined);
  });
});
