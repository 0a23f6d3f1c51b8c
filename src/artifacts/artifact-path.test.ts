import { describe, expect, it } from 'vitest';
import { GyreError } from '../core/errors.js';
import { normalizeArtifactPath } from './artifact-path.js';

function refusal(input: string, opts?: { allowEmpty?: boolean }): GyreError {
  try {
    normalizeArtifactPath(input, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(GyreError);
    return err as GyreError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('normalizeArtifactPath', () => {
  it.each([
    ['model.onnx', 'model.onnx'],
    ['a/b/c.txt', 'a/b/c.txt'],
    ['./a/./b', 'a/b'],
    ['a//b///c', 'a/b/c'],
    ['dir/', 'dir'],
    ['a/.../b', 'a/.../b'], // three dots is an ordinary name
    ['..foo/bar..', '..foo/bar..'],
    ['a%20b.txt', 'a%20b.txt'], // percent signs are kept literally
    ['100%.txt', '100%.txt'], // malformed escapes are not an error
    ['v%2e1', 'v%2e1'], // decodes to `v.1`, harmless
    ['ünïcode/文件', 'ünïcode/文件'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeArtifactPath(input)).toBe(expected);
  });

  it('returns the root as "" only when allowed', () => {
    for (const root of ['', '.', './', './/./']) {
      expect(normalizeArtifactPath(root, { allowEmpty: true })).toBe('');
      expect(refusal(root).code).toBe('INVALID_ARGUMENT');
    }
  });

  it.each([
    ['../x', "'..'"],
    ['a/../../x', "'..'"],
    ['a/..', "'..'"],
    ['..', "'..'"],
    ['/etc/passwd', 'absolute'],
    ['//x', 'absolute'],
    ['C:\\x', 'backslash'],
    ['C:/x', 'absolute'],
    ['c:x', 'absolute'],
    ['\\\\server\\share', 'backslash'],
    ['a\\..\\b', 'backslash'],
    ['a\\b', 'backslash'],
    ['a\0b', 'NUL'],
    ['%00', 'NUL'],
    ['%2e%2e/x', "percent-decoded, contains a '..'"],
    ['%2E%2E/x', "percent-decoded, contains a '..'"],
    ['a/.%2e/x', "percent-decoded, contains a '..'"],
    ['..%2fx', "percent-decoded, contains a '..'"],
    ['..%2Fx', "percent-decoded, contains a '..'"],
    ['%2fetc/passwd', 'percent-decoded, is absolute'],
    ['a%2fb', "encoded '/'"],
    ['..%5cx', 'percent-decoded, contains a backslash'],
    ['%252e%252e/x', "percent-decoded, contains a '..'"],
    ['%252e%252e%252fx', "percent-decoded, contains a '..'"],
    ['%25252e%25252e/x', null], // three layers deep: not a traversal after two decodes, kept literally
  ])('refuses %j (%s)', (input, why) => {
    if (why === null) {
      expect(normalizeArtifactPath(input)).toBe(input);
      return;
    }
    const err = refusal(input);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain(why);
    expect(err.details).toEqual({ path: input });
  });

  it('refuses a name longer than a filesystem allows', () => {
    expect(normalizeArtifactPath(`d/${'n'.repeat(255)}`)).toBe(`d/${'n'.repeat(255)}`);
    expect(refusal(`d/${'n'.repeat(256)}`).message).toContain('255 bytes');
    expect(refusal(`d/${'é'.repeat(128)}`).code).toBe('INVALID_ARGUMENT'); // 256 bytes in UTF-8
  });

  it('refuses a non-string', () => {
    expect(refusal(42 as unknown as string).code).toBe('INVALID_ARGUMENT');
  });
});
