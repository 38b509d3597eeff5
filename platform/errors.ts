import { PROBLEMS, type ProblemCode } from '../contract/problems.js';

/**
 * The one error model. Everything the API refuses is a Problem, answered as
 * `application/problem+json` with a stable machine `code` that clients switch on. Status and
 * title come from the catalog (contract/problems.ts); what is particular to this occurrence goes
 * in `detail` and in extra members such as `available` and `needed`.
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

export interface ProblemExtra {
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  [key: string]: unknown;
}

export class Problem extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ProblemCode,
    readonly extra: ProblemExtra = {},
  ) {
    const entry = PROBLEMS[code];
    super(extra.detail ? `${entry.title}: ${extra.detail}` : entry.title);
    this.name = 'Problem';
    this.status = entry.status;
    this.title = entry.title;
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
