import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each([
    ['short1', 'must be 10 to 128 characters'],
    ['x1'.repeat(65), 'must be 10 to 128 characters'],
    ['onlyletterslong', 'must contain letters and digits'],
    ['1234567890123', 'must contain letters and digits'],
    ['a1a1a1a1a1a1', 'must use at least 4 different characters'],
  ])('rejects %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it('rejects a password built from the email local part or the username, in any case', () => {
    expect(passwordProblem('Annabel2024x', { email: 'annabel@example.com' })).toBe('must not contain your email or username');
    expect(passwordProblem('xx-SKIPPER-99', { username: 'skipper' })).toBe('must not contain your email or username');
  });

  it('ignores names too short to matter', () => {
    expect(passwordProblem('jo correct 42', { email: 'jo@example.com' })).toBeUndefined();
  });

  it('accepts 10 characters with letters and digits', () => {
    expect(passwordProblem('abcdefghi1')).toBeUndefined();
    expect(passwordProblem('correct horse 42', { email: 'ann@example.com', username: 'ann_b' })).toBeUndefined();
  });
});
