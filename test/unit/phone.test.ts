import { describe, expect, it } from 'vitest';
import { countryCodeOf, isE164, maskPhone, maskPhonesInText } from '../../src/domain/phone.js';

const NUMBERS = {
  japan: { e164: '+819012340001', masked: '+81-***-***-0001' },
  us: { e164: '+14155550123', masked: '+1-***-***-0123' },
  uk: { e164: '+447700900123', masked: '+44-***-***-0123' },
  ireland: { e164: '+353871234567', masked: '+353-***-***-4567' },
  russia: { e164: '+79161234567', masked: '+7-***-***-4567' },
};

describe('isE164', () => {
  it.each(Object.entries(NUMBERS))('accepts %s', (_country, { e164 }) => {
    expect(isE164(e164)).toBe(true);
  });

  it.each([
    ['national format', '09012340001'],
    ['no plus', '819012340001'],
    ['leading zero country code', '+0123456789'],
    ['spaces', '+81 90 1234 0001'],
    ['hyphens', '+81-90-1234-0001'],
    ['16 digits', '+1234567890123456'],
    ['6 digits', '+123456'],
    ['letters', '+8190123400O1'],
    ['empty', ''],
    ['plus only', '+'],
    ['trailing newline', '+819012340001\n'],
  ])('rejects %s', (_label, value) => {
    expect(isE164(value)).toBe(false);
  });

  it('accepts the shortest and longest lengths E.164 allows', () => {
    expect(isE164('+6831234')).toBe(true); // Niue: 7 digits in all
    expect(isE164('+123456789012345')).toBe(true); // 15 digits
  });
});

describe('countryCodeOf', () => {
  it.each([
    ['+819012340001', '81'],
    ['+14155550123', '1'],
    ['+447700900123', '44'],
    ['+353871234567', '353'],
    ['+79161234567', '7'],
    ['+201001234567', '20'],
    ['+27821234567', '27'],
    ['+36201234567', '36'],
    ['+393123456789', '39'],
    ['+420601123456', '420'],
    ['+85291234567', '852'],
    ['+886912345678', '886'],
    ['+971501234567', '971'],
    ['+989121234567', '98'],
    ['+5511912345678', '55'],
    ['+5016001234', '501'],
  ])('%s → +%s', (number, code) => {
    expect(countryCodeOf(number)).toBe(code);
  });
});

describe('maskPhone', () => {
  it.each(Object.entries(NUMBERS))('masks a %s number to country code and last four digits', (_c, n) => {
    expect(maskPhone(n.e164)).toBe(n.masked);
  });

  it('hides anything that is not E.164 entirely', () => {
    expect(maskPhone('09012340001')).toBe('***');
    expect(maskPhone('+81 90 1234 0001')).toBe('***');
    expect(maskPhone('')).toBe('***');
  });
});

describe('maskPhonesInText', () => {
  it('masks every E.164 number in free text and JSON', () => {
    const text = `calling +819012340001 then +14155550123; {"phone":"+447700900123","to":"+353871234567"}`;
    expect(maskPhonesInText(text)).toBe(
      'calling +81-***-***-0001 then +1-***-***-0123; {"phone":"+44-***-***-0123","to":"+353-***-***-4567"}',
    );
  });

  it('masks a number glued to letters or punctuation', () => {
    expect(maskPhonesInText('tel:+79161234567.')).toBe('tel:+7-***-***-4567.');
    expect(maskPhonesInText('(+819012340001)')).toBe('(+81-***-***-0001)');
  });

  it('masks numbers written with spaces, hyphens or parentheses', () => {
    expect(maskPhonesInText('call +81 90-1234-0001 now')).toBe('call +81-***-***-0001 now');
    expect(maskPhonesInText('call +1 (415) 555-0123 now')).toBe('call +1-***-***-0123 now');
    expect(maskPhonesInText('+44 7700 900123')).toBe('+44-***-***-0123');
    expect(maskPhonesInText('+353.87.123.4567')).toBe('+353-***-***-4567');
  });

  it('leaves no digits of a run longer than E.164 in clear', () => {
    const out = maskPhonesInText('id +8190123400012345678 end');
    expect(out).toBe('id *** end');
  });

  it('leaves short signed numbers, times and offsets alone', () => {
    const text = 'delta +12 ms, retry +1000, at 2026-01-01T09:00:00+09:00, 1e+21, version 1.2.3';
    expect(maskPhonesInText(text)).toBe(text);
  });
});
