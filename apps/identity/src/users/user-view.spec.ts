import { maskEmail, maskPhone, maskPhoneForStaff, toAdminUserView, toUserView } from './user-view';
import { UserRow } from './users.repository';

describe('maskPhone', () => {
  it('masks all but the last two digits of a plain number', () => {
    expect(maskPhone('0123456789')).toBe('********89');
  });

  it('drops formatting and masks all but the last two digits of an international number', () => {
    expect(maskPhone('+1 (555) 123-4567')).toBe('*********67');
  });

  it('keeps exactly as many characters as there are digits', () => {
    const masked = maskPhone('+60 12-345 6789');
    expect(masked).toBe('*********89');
    expect(masked).toHaveLength('60123456789'.length);
  });

  it('shows no digit other than the last two', () => {
    const masked = maskPhone('+44 7700 900123') as string;
    expect(masked.slice(0, -2)).toMatch(/^\*+$/);
    expect(masked.slice(-2)).toBe('23');
  });

  it('a three-digit number keeps two digits', () => {
    expect(maskPhone('123')).toBe('*23');
  });

  it.each([
    ['two digits', '12'],
    ['one digit', '7'],
    ['no digits', 'abc'],
  ])('%s becomes "**" (nothing revealed)', (_label, phone) => {
    expect(maskPhone(phone)).toBe('**');
  });

  it('null stays null', () => {
    expect(maskPhone(null)).toBeNull();
  });

  it('an empty string becomes null', () => {
    expect(maskPhone('')).toBeNull();
  });
});

describe('toUserView', () => {
  const row: UserRow = {
    id: '0192e4a0-7b1c-7def-8abc-0123456789ab',
    email: 'amy@example.com',
    username: 'amy',
    full_name: 'Amy Pond',
    phone: '+15551234567',
    password_hash: 'scrypt$131072$8$1$salt$hash',
    roles: ['user'],
    status: 'active',
    failed_logins: 2,
    locked_until: null,
    email_verified_at: null,
    time_zone: 'Asia/Kuala_Lumpur',
    default_currency: 'MYR',
    language: 'en',
    theme: 'dark',
    created_at: new Date('2025-11-22T12:00:00.000Z'),
  };

  it('maps the row, masks the phone and never exposes the password hash', () => {
    const view = toUserView(row);
    expect(view).toEqual({
      id: row.id,
      email: 'amy@example.com',
      username: 'amy',
      fullName: 'Amy Pond',
      phone: '*********67',
      roles: ['user'],
      status: 'active',
      emailVerified: false,
      timeZone: 'Asia/Kuala_Lumpur',
      defaultCurrency: 'MYR',
      language: 'en',
      theme: 'dark',
      createdAt: '2025-11-22T12:00:00.000Z',
    });
    expect(JSON.stringify(view)).not.toContain('scrypt');
    expect(view).not.toHaveProperty('failed_logins');
  });

  it('keeps a null phone null', () => {
    expect(toUserView({ ...row, phone: null }).phone).toBeNull();
  });
});

describe("maskEmail (the seed's joh***@gmail.com)", () => {
  it.each([
    ['john.doe@gmail.com', 'joh***@gmail.com'],
    ['amy.pond@example.com', 'amy***@example.com'],
    ['anna@example.com', 'a***@example.com'],
    ['jo@example.com', 'j***@example.com'],
    ['x@example.com', 'x***@example.com'],
  ])('%s becomes %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it('hides everything when there is no local part', () => {
    expect(maskEmail('@example.com')).toBe('***');
    expect(maskEmail('nonsense')).toBe('***');
  });
});

describe("maskPhoneForStaff (the seed's 9876XXXXX0)", () => {
  it.each([
    ['9876543210', '9876XXXXX0'],
    ['+60 12-345 6789', '+6012XXXXXX9'],
    ['123456', 'XXXXX6'],
    ['7', '7'],
    ['no digits', 'XX'],
  ])('%s becomes %s', (phone, masked) => {
    expect(maskPhoneForStaff(phone)).toBe(masked);
  });

  it('never shows more than the first four digits and the last', () => {
    const masked = maskPhoneForStaff('+44 7700 900123') as string;
    expect(masked).toBe('+4477XXXXXXX3');
    expect(masked.replace(/\D/g, '')).toBe('44773');
  });

  it('null and empty stay null', () => {
    expect(maskPhoneForStaff(null)).toBeNull();
    expect(maskPhoneForStaff('')).toBeNull();
  });
});

describe('toAdminUserView', () => {
  it('masks email and phone, shows verification and lock state, and no hash', () => {
    const row = {
      id: '0192e4a0-7b1c-7def-8abc-0123456789ab',
      email: 'amy@example.com',
      username: null,
      full_name: 'Amy Pond',
      phone: '+15551234567',
      password_hash: 'scrypt$131072$8$1$salt$hash',
      roles: ['user', 'auditor'],
      status: 'suspended' as const,
      failed_logins: 5,
      locked_until: new Date('2025-11-22T12:15:00.000Z'),
      email_verified_at: new Date('2025-11-22T12:01:00.000Z'),
      time_zone: 'UTC',
      default_currency: null,
      language: 'en' as const,
      theme: 'light' as const,
      created_at: new Date('2025-11-22T12:00:00.000Z'),
    };
    const view = toAdminUserView(row);
    expect(view).toEqual({
      id: row.id,
      email: 'a***@example.com',
      username: null,
      fullName: 'Amy Pond',
      phone: '+1555XXXXXX7',
      roles: ['user', 'auditor'],
      status: 'suspended',
      emailVerified: true,
      lockedUntil: '2025-11-22T12:15:00.000Z',
      createdAt: '2025-11-22T12:00:00.000Z',
    });
    expect(JSON.stringify(view)).not.toContain('amy@');
    expect(JSON.stringify(view)).not.toContain('scrypt');
    const full = toAdminUserView(row, false);
    expect(full).toMatchObject({ email: 'amy@example.com', phone: '+15551234567' });
    expect(JSON.stringify(full)).not.toContain('scrypt');
  });
});
