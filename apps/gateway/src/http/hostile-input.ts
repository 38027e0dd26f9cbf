import type { NextFunction, Request, Response } from 'express';
import { sendApiError } from './api-exception.filter';

/** JSON nested deeper than this is refused before anything (validation, auth) walks it recursively. */
export const MAX_JSON_DEPTH = 64;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The API speaks JSON only: a /v1 request that carries a body of another type (a form, text, XML)
 * is 415 UNSUPPORTED_MEDIA_TYPE before it is parsed, so no route ever sees form-decoded fields.
 * A request without a body (a POST to /logout) needs no Content-Type.
 */
export function jsonBodiesOnly() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith('/v1/') || !BODY_METHODS.has(req.method) || !hasBody(req)) return next();
    const type = req.header('content-type') ?? '';
    if (JSON_TYPE.test(type)) return next();
    sendApiError(req, res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'The body must be JSON (Content-Type: application/json)', {
      contentType: type.slice(0, 100) || null,
    });
  };
}

function hasBody(req: Request): boolean {
  const length = req.header('content-length');
  return req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/**
 * After the JSON parser: a body nested deeper than MAX_JSON_DEPTH, or a NUL character or a lone
 * UTF-16 surrogate (`"\ud800"`, which is no character) in any string or key of the body or the
 * query, is 400 VALIDATION_FAILED. Each reached code that was never meant for it (recursive
 * validators; Postgres text, which refuses NUL; jsonb, which refuses a lone surrogate's escape)
 * and answered 500. The walk is iterative, so the check itself cannot overflow the stack.
 */
export function boundedInput() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const problem = inspect(req.body, MAX_JSON_DEPTH) ?? inspect(req.query, 2);
    if (!problem) return next();
    sendApiError(req, res, 400, 'VALIDATION_FAILED', problem.message, problem.details);
  };
}

interface Problem {
  message: string;
  details: Record<string, unknown>;
}

export function inspect(root: unknown, maxDepth: number): Problem | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: root, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return nul(path);
      if (LONE_SURROGATE.test(value)) return loneSurrogate(path);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth) {
      return { message: `The body is nested deeper than ${maxDepth} levels`, details: { maxDepth } };
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return nul(childPath);
      if (LONE_SURROGATE.test(key)) return loneSurrogate(childPath);
      stack.push({ value: child, depth: depth + 1, path: childPath });
    }
  }
  return undefined;
}

function nul(path: string): Problem {
  // The field's name without the NUL, so the answer itself carries none.
  const field = path.replace(/\u0000/g, '\\u0000').slice(0, 200);
  return { message: `${field || 'The body'} must not contain NUL characters`, details: { problems: [`${field} must not contain NUL characters`], field } };
}

/** A high surrogate not followed by a low one, or a low one without a high one before it (code units, so no `u` flag). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function loneSurrogate(path: string): Problem {
  // Named with the surrogate escaped, so the answer is valid UTF-8 JSON.
  const field = path.replace(new RegExp(LONE_SURROGATE.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16)}`).slice(0, 200);
  const problem = `${field} must be valid Unicode text (no lone surrogate)`;
  return { message: field ? problem : 'The body must be valid Unicode text (no lone surrogate)', details: { problems: [problem], field } };
}
