import { maskEmail, maskPhone, redactPii } from './pii';

describe('maskEmail', () => {
  it('keeps the first letters and the top-level domain only', () => {
    expect(maskEmail('ann.lee@example.com')).toBe('a***@e***.com');
  });

  it('masks every address inside free text', () => {
    expect(maskEmail('user bob+x@mail.example.org exists; so does c@d.io')).toBe('user b***@m***.org exists; so does c***@d***.io');
  });
});

describe('maskPhone', () => {
  it('masks all but the last two digits', () => {
    expect(maskPhone('+60 12-345 6789')).toBe('*********89');
  });
});

describe('redactPii', () => {
  it('masks emails and phones by field name, drops secrets, keeps the rest', () => {
    const line = {
      msg: 'login failed for ann@example.com',
      email: 'ann@example.com',
      user: { phone: '+1 555 123 4567', password: 'correct horse 1', oldPin: '1234', userId: 'u-1' },
      headers: { authorization: 'Bearer abc', 'x-api-key': 'tk_secret' },
      status: 401,
    };
    expect(redactPii(line)).toEqual({
      msg: 'login failed for a***@e***.com',
      email: 'a***@e***.com',
      user: { phone: '*********67', password: '[redacted]', oldPin: '[redacted]', userId: 'u-1' },
      headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' },
      status: 401,
    });
  });

  it('never prints the whole address or secret anywhere in the JSON', () => {
    const text = JSON.stringify(redactPii({ list: [{ email: 'zed@corp.example' }], refreshToken: 'r-123', pin: 123456 }));
    expect(text).not.toContain('zed@corp.example');
    expect(text).not.toContain('r-123');
    expect(text).not.toContain('123456');
  });
});
