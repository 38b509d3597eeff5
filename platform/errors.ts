/**
 * The one error model. Everything the API refuses is a Problem, answered as
 * `application/problem+json` with a stable machine `code` that clients switch on.
 */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldError[];
  request_id?: string;
  [extra: string]: unknown;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly extra: { detail?: string; errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(title);
    this.name = 'Problem';
  }

  toBody(requestId?: string): ProblemBody {
    const { headers: _headers, ...rest } = this.extra;
    return {
      type: `https://sectorwars.dev/problems/${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      ...rest,
      ...(requestId ? { request_id: requestId } : {}),
    };
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemResponse(problem: Problem, requestId?: string): Response {
  return new Response(JSON.stringify(problem.toBody(requestId)), {
    status: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...problem.extra.headers },
  });
}
